/* SPDX-License-Identifier: MIT */
/*
 * The Axolotl user runtime (libaxo): IPC, kernel calls, and the glue that
 * lets picolibc's stdio write to the kernel log.
 *
 * Every user program includes this header. The IPC operations are thin
 * wrappers of axo_ipc() (lib/ipc.S), which is the trap of <axolotl/ipc.h>.
 * Each kernel call of <axolotl/kcall.h> has a kc_*() helper that puts the
 * arguments in the message, makes the call, and hands the results back
 * through pointers (any of which may be NULL). The helpers return 0 or a
 * negative errno of <axolotl/errno.h>: the IPC trap's error if the trap
 * itself failed, otherwise the reply's m_type.
 *
 * main may be declared int main(void) or int main(long arg): crt0 passes
 * the start argument (a0 at entry) as the first argument and also keeps
 * it in axo_start_arg. docs/user-programs.md describes the runtime.
 *
 * Kernel error numbers are picolibc's errno values (<axolotl/errno.h>
 * follows newlib's numbering), plus EDEADSRCDST for a dead or restarted
 * endpoint, which only <axolotl/errno.h> names.
 */
#ifndef AXO_H
#define AXO_H

#include <stddef.h>
#include <stdint.h>
#include <axolotl/ipc.h>
#include <axolotl/kcall.h>

#define AXO_NORETURN __attribute__((noreturn))
#define AXO_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* The start argument: a0 when the kernel first ran this process. */
extern long axo_start_arg;

/* ---- IPC ---- */

/*
 * The trap: t0 = op, t1 = ep, a0..a7 = *m; afterwards *m = a0..a7.
 * Returns 0 or a negative errno.
 */
int axo_ipc(int op, endpoint_t ep, message_t *m);

/*
 * axo_ipc, and also check that the kernel preserved every register the
 * ABI says it preserves. *result gets what axo_ipc would return; the
 * return value has bit n set if register xn came back changed.
 */
unsigned long axo_ipc_regcheck(int op, endpoint_t ep, message_t *m,
			       int *result);

/* Block until dst receives *m. */
static inline int ipc_send(endpoint_t dst, message_t *m)
{
	return axo_ipc(IPC_SEND, dst, m);
}

/* Block until a message from src (or ENDPOINT_ANY) arrives in *m. */
static inline int ipc_receive(endpoint_t src, message_t *m)
{
	return axo_ipc(IPC_RECEIVE, src, m);
}

/* Send *m to dst, then wait for dst's reply, which replaces *m. */
static inline int ipc_sendrec(endpoint_t dst, message_t *m)
{
	return axo_ipc(IPC_SENDREC, dst, m);
}

/* Send *m only if dst is waiting for it now; never blocks. */
static inline int ipc_sendnb(endpoint_t dst, message_t *m)
{
	return axo_ipc(IPC_SENDNB, dst, m);
}

/*
 * A server's reply and its next receive in one trap: send *m to dst only
 * if dst waits for it (as ipc_sendnb), then receive from anyone into *m.
 * If the reply fails, its error is returned and *m is left as it was.
 */
static inline int ipc_replyrecv(endpoint_t dst, message_t *m)
{
	return axo_ipc(IPC_REPLYRECV, dst, m);
}

/* A notification (no payload, coalesced); never blocks. */
static inline int ipc_notify(endpoint_t dst)
{
	message_t m = { 0 };

	return axo_ipc(IPC_NOTIFY, dst, &m);
}

/* ---- kernel calls ---- */

typedef int64_t axo_grant_t; /* a grant id (KC_GRANT_CREATE) */

/*
 * Kernel call kc with its arguments already in m->m_u64[]; the reply
 * replaces *m. Returns the IPC error, or else the reply's m_type.
 */
int kcall(int kc, message_t *m);

/* The same with the arguments by value; reply may be NULL. */
int kcall_args(int kc, message_t *reply, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);

int kc_null(void);
/* Own endpoint, parent's endpoint and PRIV_* flags. */
int kc_getinfo(endpoint_t *self, endpoint_t *parent, uint64_t *priv_flags);
/* One line of at most 256 bytes to the kernel log. */
int kc_debug_write(const void *buf, size_t len);
/* End this process (no stdio flush: use exit() for that). */
AXO_NORETURN void kc_exit(int status);
int kc_yield(void);
int kc_sleep(uint64_t ms);
int kc_uptime(uint64_t *ms, uint64_t *ticks);

int kc_proc_create(const char *name, uint64_t priv_id, endpoint_t *ep);
int kc_proc_start(endpoint_t ep, uintptr_t pc, uintptr_t sp, uint64_t a0);
int kc_proc_destroy(endpoint_t ep);

/* Address spaces: ep is the caller itself or one of its children. */
int kc_vm_map(endpoint_t ep, uintptr_t va, size_t len, unsigned rights);
int kc_vm_unmap(endpoint_t ep, uintptr_t va, size_t len);
int kc_vm_copy(endpoint_t src, endpoint_t dst, uintptr_t va, size_t len);
int kc_vm_clear(endpoint_t ep, uintptr_t va, size_t len);
int kc_vm_write(endpoint_t ep, uintptr_t dst, const void *src, size_t len);

/* Map device registers [phys, phys+len); *va is where they appear. */
int kc_mmio_map(uint64_t phys, size_t len, uintptr_t *va);
int kc_irq_ctl(unsigned op, unsigned irq);

int kc_grant_create(endpoint_t grantee, uintptr_t va, size_t len,
		    unsigned access, axo_grant_t *id);
int kc_grant_revoke(axo_grant_t id);
/* Copy len bytes at offset in grantor's grant into (or from) my memory. */
int kc_safecopy_from(endpoint_t grantor, axo_grant_t grant, size_t offset,
		     void *dst, size_t len);
int kc_safecopy_to(endpoint_t grantor, axo_grant_t grant, size_t offset,
		   const void *src, size_t len);

int kc_sched_set(endpoint_t ep, unsigned prio, unsigned quantum_ms);
/* Notify from ENDPOINT_CLOCK after ms milliseconds; 0 cancels. */
int kc_alarm(uint64_t ms);
int kc_kill(endpoint_t ep, int reason);

/* KC_PROC_INFO's reply. */
struct axo_proc_info {
	endpoint_t ep;
	uint64_t state; /* why it cannot run (kernel RTS_* bits); 0 runnable */
	uint64_t prio;
	uint64_t cpu;
	uint64_t pages;
	char name[17]; /* always NUL-terminated */
};
int kc_proc_info(unsigned slot, struct axo_proc_info *info);
int kc_mem_info(uint64_t *total_pages, uint64_t *free_pages,
		uint64_t *kmalloc_bytes);
int kc_tunable_get(const char *name, int64_t *value);
int kc_tunable_set(const char *name, int64_t value);
/* 0 powers off, 1 reboots. Returns only on error. */
int kc_reboot(int reboot);
int kc_crashtest(const char *name);
/*
 * Read whole kernel log lines of level <= max_level from *seq on into buf
 * (at most LOG_READ_MAX bytes a call); *seq advances past them. Returns
 * the bytes stored, 0 when there is nothing newer, or -errno.
 */
int kc_log_read(uint64_t *seq, char *buf, size_t len, int max_level);
struct axo_tunable {
	int64_t value, min, max;
	int type; /* TUNABLE_TYPE_INT or TUNABLE_TYPE_BOOL */
};
/* Tunable number index: its name into name[size], its value and range. */
int kc_tunable_list(unsigned index, char *name, size_t size,
		    struct axo_tunable *t);

/* ---- runtime ---- */

/* Write out the partial line stdout holds, if any. */
void axo_stdio_flush(void);

/* Print "panic: <message>" and exit with AXO_PANIC_STATUS. */
#define AXO_PANIC_STATUS 255
AXO_NORETURN AXO_PRINTF(1, 2) void axo_panic(const char *fmt, ...);

#define AXO_ASSERT(expr)                                                   \
	do {                                                               \
		if (!(expr))                                               \
			axo_panic("%s:%d: assertion failed: %s", __FILE__, \
				  __LINE__, #expr);                        \
	} while (0)

#endif
