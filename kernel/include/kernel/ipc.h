/* SPDX-License-Identifier: MIT */
/*
 * The IPC state machine: synchronous rendezvous (send, receive, sendrec),
 * non-blocking send, and coalescing notifications, with deadlock refusal.
 *
 * Every function is called with ipc_lock held and never sleeps. It returns
 * 0 when the operation completed, IPC_BLOCKED when the caller must now wait
 * (its rts bits say for what), or a negative errno. Processes whose state
 * it made runnable are passed to the wake callback (proc.c wakes their
 * threads; host tests record them). docs/ipc.md describes the semantics.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <kernel/proc.h>

#define IPC_BLOCKED 1

struct ipc_ops {
	/* p's rts became 0 (or it must see ipc_result): wake its thread. */
	void (*wake)(struct proc *p);
	/* A denied IPC (rate-limited by the caller of this hook). */
	void (*denied)(struct proc *p, endpoint_t dst, const char *what);
	/*
	 * A message the kernel itself has for p (proc.c's exit notices),
	 * taken before anything else by a receive from ANY or KERNEL: fill
	 * *m and return true, or false if there is none. May be NULL.
	 */
	bool (*take_kernel_msg)(struct proc *p, message_t *m);
	/* Whether take_kernel_msg would find one now. May be NULL. */
	bool (*kernel_msg_pending)(const struct proc *p);
};

void ipc_set_ops(const struct ipc_ops *ops);

/* send (flags: IPC_F_NONBLOCK, IPC_F_SENDREC). */
#define IPC_F_NONBLOCK 1
#define IPC_F_SENDREC 2
int ipc_send(struct proc *caller, endpoint_t dst, const message_t *m,
	     unsigned flags);
/* receive into caller->msg; src may be ENDPOINT_ANY. */
int ipc_receive(struct proc *caller, endpoint_t src);
/*
 * reply and receive: a non-blocking send of m to dst (its error, if any,
 * is returned at once), then a receive from ENDPOINT_ANY into
 * caller->msg.
 */
int ipc_replyrecv(struct proc *caller, endpoint_t dst, const message_t *m);
int ipc_notify(struct proc *caller, endpoint_t dst);
/* A kernel notification (IRQ line index / clock) to p. */
void ipc_notify_hw(struct proc *p, unsigned irq_index);
void ipc_notify_clock(struct proc *p);
/*
 * The IPC half of the fast path (docs/ipc.md): the common case, decided
 * and done without touching a message or a thread, so that the caller
 * can copy the registers frame to frame and hand the hart over itself.
 *
 * ipc_fast_sendrec() returns the process that caller's sendrec to dst
 * would be delivered to at once and that caller would then wait for
 * (dst blocked in a receive that accepts caller, nothing pending that it
 * would take first), or NULL when the slow path must decide.
 * ipc_fast_replyrecv() returns the process waiting for caller's reply
 * (blocked in a sendrec to caller), or NULL, and NULL too when caller's
 * own receive would not block (a sender queued, a notification or a
 * kernel message pending). Neither changes anything.
 *
 * ipc_fast_commit() then makes the change those calls approved: dst's
 * receive ends with result 0 (its message is the caller's business), and
 * caller blocks receiving: from dst (in_sendrec) after a sendrec, from
 * ANY after a replyrecv. No wake callback: the caller runs dst itself.
 */
struct proc *ipc_fast_sendrec(const struct proc *caller, endpoint_t dst);
struct proc *ipc_fast_replyrecv(const struct proc *caller, endpoint_t dst);
void ipc_fast_commit(struct proc *caller, struct proc *dst, bool sendrec);

/*
 * p is going away: every process blocked sending to it or receiving from
 * it gets -EDEADSRCDST, p leaves any queue it is in, and its slot's
 * pending notifications are cleared everywhere.
 */
void ipc_cleanup(struct proc *p);

#endif
