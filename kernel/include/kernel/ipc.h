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
 * p is going away: every process blocked sending to it or receiving from
 * it gets -EDEADSRCDST, p leaves any queue it is in, and its slot's
 * pending notifications are cleared everywhere.
 */
void ipc_cleanup(struct proc *p);

#endif
