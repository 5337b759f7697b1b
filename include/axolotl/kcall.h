/* SPDX-License-Identifier: MIT */
/*
 * Kernel calls: IPC_KERNEL_CALL with m_type = KC_* and the arguments in
 * m_u64[0..6] (a0 is word 0 of the message, so argument n is in a(n+1)).
 * The reply message has m_type = 0 or a negative errno and results in
 * m_u64[]. docs/kernel-calls.md is the table of who may call what.
 */
#ifndef AXOLOTL_KCALL_H
#define AXOLOTL_KCALL_H

enum kernel_call {
	KC_NULL = 0,	 /* nothing: the cost of a kernel call */
	KC_GETINFO,	 /* -> [0] own endpoint, [1] parent, [2] priv flags */
	KC_DEBUG_WRITE,	 /* [0] buf, [1] len (<= 256): to the kernel log */
	KC_EXIT,	 /* [0] status: end the caller */
	KC_YIELD,	 /* give up the rest of the quantum */
	KC_SLEEP,	 /* [0] milliseconds */
	KC_UPTIME,	 /* -> [0] ms since boot, [1] ticks of this hart */
	KC_PROC_CREATE,	 /* [0] name ptr, [1] priv id -> [0] endpoint */
	KC_PROC_START,	 /* [0] ep, [1] pc, [2] sp, [3] a0: make runnable */
	KC_PROC_DESTROY, /* [0] ep */
	KC_VM_MAP,	 /* [0] ep, [1] vaddr, [2] len, [3] VM_R|W|X */
	KC_VM_UNMAP,	 /* [0] ep, [1] vaddr, [2] len */
	KC_VM_COPY,	 /* [0] src ep, [1] dst ep, [2] vaddr, [3] len */
	KC_VM_CLEAR,	 /* [0] ep, [1] vaddr, [2] len */
	KC_VM_WRITE, /* [0] ep, [1] dst vaddr, [2] src vaddr (own), [3] len */
	KC_MMIO_MAP, /* [0] phys, [1] len -> [0] vaddr in the caller */
	KC_IRQ_CTL,  /* [0] IRQ_*, [1] irq line */
	KC_GRANT_CREATE, /* [0] grantee ep, [1] vaddr, [2] len, [3] GRANT_* -> [0] id */
	KC_GRANT_REVOKE, /* [0] grant id */
	KC_SAFECOPY_FROM, /* [0] grantor ep, [1] grant, [2] offset, [3] my vaddr, [4] len */
	KC_SAFECOPY_TO, /* same arguments, copy the other way */
	KC_SCHED_SET,	/* [0] ep, [1] priority, [2] quantum ms */
	KC_ALARM,	/* [0] ms (0 cancels): notify from ENDPOINT_CLOCK */
	KC_KILL,	/* [0] ep, [1] reason */
	KC_PROC_INFO, /* [0] slot -> [0] ep, [1] state, [2] prio, [3] cpu, [4] pages, [5..6] name */
	KC_MEM_INFO,	/* -> [0] total pages, [1] free, [2] kmalloc bytes */
	KC_TUNABLE_GET, /* [0] name ptr -> [0] value */
	KC_TUNABLE_SET, /* [0] name ptr, [1] value */
	KC_REBOOT,	/* [0] 0 power off, 1 reboot */
	KC_CRASHTEST,	/* [0] name ptr: run a kernel crash test */
	KC_LOG_READ, /* [0] seq, [1] buf, [2] len, [3] max level -> [0] next seq, [1] bytes */
	KC_TUNABLE_LIST, /* [0] index, [1] name buf, [2] its size -> [0] value, [1] min, [2] max, [3] type */
	KC_COUNT
};

/* KC_LOG_READ: at most this many bytes per call. */
#define LOG_READ_MAX 1024

/* KC_TUNABLE_LIST [3]: the tunable's type. */
#define TUNABLE_TYPE_INT 0
#define TUNABLE_TYPE_BOOL 1

/* KC_VM_MAP rights: W and X together are refused (W^X). */
#define VM_R 1
#define VM_W 2
#define VM_X 4

/* KC_GRANT_CREATE access. */
#define GRANT_READ 1  /* the grantee may copy from the range */
#define GRANT_WRITE 2 /* the grantee may copy into the range */

/* KC_IRQ_CTL operations. */
#define IRQ_SUBSCRIBE 1 /* deliver the line as a notification */
#define IRQ_ACK 2	/* the driver handled it: unmask */
#define IRQ_UNSUBSCRIBE 3

/* Privilege sets (KC_PROC_CREATE [1], boot-image entries). */
#define PRIV_ID_USER 0	     /* an ordinary program */
#define PRIV_ID_SYSTEM 1     /* a system process: every kernel call */
#define PRIV_ID_RESTRICTED 2 /* may only write the log, read time, exit */
#define PRIV_ID_RTC_DRIVER 3 /* a user-space driver of the goldfish RTC */

/* KC_GETINFO priv flags. */
#define PRIV_SYS 1 /* a system process: may make system kernel calls */

/* Why the kernel ended a process (KC_KILL reason, exit notices). */
#define EXIT_REASON_EXIT 0
#define EXIT_REASON_FAULT 1
#define EXIT_REASON_KILLED 2

#endif
