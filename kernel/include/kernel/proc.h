/* SPDX-License-Identifier: MIT */
/*
 * User processes: the process table, endpoints, privileges, and the IPC
 * state each process carries.
 *
 * Each process runs on its own kernel thread (struct thread), which enters
 * user mode and comes back into the kernel on every trap; when it blocks in
 * IPC, that thread sleeps in the kernel. The IPC state machine (ipc.c) only
 * changes the state below and says who must wake; proc.c does the waking.
 *
 * Locking: ipc_lock guards every field marked (ipc) of every process and
 * the process table's slot states. A process is runnable in the IPC sense
 * iff rts == 0.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <axolotl/ipc.h>
#include <kernel/arch.h>
#include <kernel/spinlock.h>

#define NR_PROCS 64 /* slots; notify_pending has one bit per slot */
#define PROC_NAME_MAX 16
#define PRIV_MAX_MMIO 4
#define PRIV_MAX_IRQ 4
#define NR_PRIO 16 /* 0 is the most urgent */
#define PRIO_USER_DEFAULT 8

_Static_assert(NR_PROCS <= 64, "notify_pending is a 64-bit map of slots");
_Static_assert(NR_PROCS <= (1 << ENDPOINT_SLOT_BITS), "slots fit endpoints");

/* Reasons a process cannot run (rts bits). */
#define RTS_SLOT_FREE 0x01 /* no process in this slot */
#define RTS_SENDING 0x02   /* blocked sending to sendto */
#define RTS_RECEIVING 0x04 /* blocked receiving from getfrom */
#define RTS_STOPPED 0x08   /* created, not started yet */
#define RTS_DYING 0x10	   /* being killed; its thread will end it */

/*
 * What a process may do. Set by its creator (a system process) or the
 * boot image configuration; checked on every IPC and kernel call.
 */
struct priv {
	uint32_t flags;	  /* PRIV_SYS from <axolotl/kcall.h> */
	uint64_t send_to; /* bit n: may send/notify to the process in slot n */
	bool send_to_any; /* may send to every slot */
	uint64_t kcalls;  /* bit n: may make kernel call n */
	struct {
		paddr_t base, size;
	} mmio[PRIV_MAX_MMIO];	     /* device ranges it may map */
	uint32_t irqs[PRIV_MAX_IRQ]; /* IRQ lines it may subscribe to; 0 none */
};

#define NR_GRANTS 32 /* grants one process can have at once */

/* A byte range of the owner's memory that grantee may copy from or to. */
struct grant {
	endpoint_t grantee; /* ENDPOINT_NONE: slot free */
	vaddr_t addr;
	size_t len;
	unsigned access; /* GRANT_READ | GRANT_WRITE */
	uint32_t seq;	 /* bumped on revoke: stale ids fail */
};

struct vm_space; /* an address space (arch) */
struct thread;

struct proc {
	unsigned slot;
	uint32_t gen;  /* incremented each time the slot is freed */
	endpoint_t ep; /* ENDPOINT(slot, gen) while alive */
	uint32_t rts;  /* (ipc) runnable iff 0 */
	char name[PROC_NAME_MAX];
	struct priv priv;
	endpoint_t parent; /* told when this process ends */
	struct thread *thread;
	struct vm_space *vm;

	/* IPC state (ipc) */
	endpoint_t sendto;	  /* RTS_SENDING: destination */
	endpoint_t getfrom;	  /* RTS_RECEIVING: a source or ENDPOINT_ANY */
	bool in_sendrec;	  /* the reply to this send is awaited */
	message_t msg;		  /* being sent while SENDING; received after */
	int ipc_result;		  /* what the blocked call returns when woken */
	struct proc *senders;	  /* processes blocked sending to this one */
	struct proc *next_sender; /* link in the destination's senders */
	uint64_t notify_pending;  /* bit n: slot n notified, not yet received */
	uint64_t notify_hw;	  /* IRQ notifications: bit = priv.irqs index */
	bool notify_clock;	  /* an alarm expired */
	unsigned exit_notices;	  /* children's exits not received (proc.c) */

	struct grant grants[NR_GRANTS]; /* (ipc) */

	/* Scheduling and accounting */
	unsigned prio;
	unsigned quantum_ms;
	int exit_status;
	int exit_reason;
	unsigned denied_logged; /* EPERM reports printed (rate limit) */
};

extern struct proc proc_table[NR_PROCS];
extern struct spinlock ipc_lock;

/*
 * The live process named by ep, or NULL if none (dead, stale, bad): a
 * lookup succeeds only while that very incarnation is alive (the slot
 * holds a process and its ep carries the same generation). Inline, as
 * the privilege checks below: every IPC makes them.
 */
static inline struct proc *proc_lookup(endpoint_t ep)
{
	struct proc *p;
	unsigned slot;

	if (ep < 0)
		return NULL; /* ENDPOINT_ANY, NONE, SELF, KERNEL, ... */
	slot = ENDPOINT_SLOT(ep);
	if (slot >= NR_PROCS)
		return NULL;
	p = &proc_table[slot];
	if (p->rts & RTS_SLOT_FREE)
		return NULL;
	/* The generation must match: an old incarnation's endpoint fails. */
	if (p->ep != ep)
		return NULL;
	return p;
}

/*
 * Privilege checks: the answers come only from the caller's struct priv,
 * which its creator set. Send rights are per destination slot, not per
 * endpoint: a restarted server in the same slot keeps the rights others
 * had to reach it, while the generation in the endpoint still stops
 * messages meant for the old incarnation (proc_lookup).
 */
#define PRIV_MAP_BITS 64 /* bits in priv.send_to and priv.kcalls */

/* Whether p may send or notify to dst (its privilege table). */
static inline bool priv_may_send(const struct proc *p, const struct proc *dst)
{
	if (!p || !dst)
		return false;
	if (p->priv.send_to_any)
		return true;
	if (dst->slot >= PRIV_MAP_BITS)
		return false;
	return (p->priv.send_to >> dst->slot) & 1;
}

static inline bool priv_may_kcall(const struct proc *p, unsigned kcall)
{
	if (!p || kcall >= PRIV_MAP_BITS)
		return false;
	return (p->priv.kcalls >> kcall) & 1;
}

#endif
