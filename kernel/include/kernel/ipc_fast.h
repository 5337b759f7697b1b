/* SPDX-License-Identifier: MIT */
/*
 * The IPC state machine's part of the fast path (docs/ipc.md), and the
 * two state changes ipc.c shares with it, as inlines: the fast path runs
 * them on every sendrec and replyrecv, where a call costs more than the
 * check. Everything here is called with ipc_lock held.
 *
 * The fast path needs no look at queues or pending notifications on the
 * receiving side, because of an invariant of ipc.c: a process blocked in
 * a receive (not the reply half of a sendrec) has no queued sender, no
 * pending notification and no kernel message that this receive accepts;
 * each of them would have ended the receive at once, and each arriving
 * later is delivered at once.
 */
#ifndef KERNEL_IPC_FAST_H
#define KERNEL_IPC_FAST_H

#include <axolotl/errno.h>
#include <kernel/proc.h>

/* Whether p waits in a receive that accepts a message from src. */
static inline bool ipc_accepts_message(const struct proc *p, endpoint_t src)
{
	if (!(p->rts & RTS_RECEIVING))
		return false;
	return p->getfrom == ENDPOINT_ANY || p->getfrom == src;
}

/* p waits for a message from src. Until a wake, ipc_result is -EINTR. */
static inline void ipc_block_receiving(struct proc *p, endpoint_t src,
				       bool in_sendrec)
{
	p->getfrom = src;
	p->in_sendrec = in_sendrec;
	p->rts |= RTS_RECEIVING;
	p->ipc_result = -EINTR;
}

/* The live process dst names, blocked receiving only, or NULL. */
static inline struct proc *ipc_fast_receiver(const struct proc *caller,
					     endpoint_t dst_ep)
{
	struct proc *dst;

	if (caller->rts != 0 || dst_ep == caller->ep)
		return NULL;
	dst = proc_lookup(dst_ep);
	if (!dst || dst->rts != RTS_RECEIVING || !priv_may_send(caller, dst))
		return NULL;
	return dst;
}

/*
 * The process caller's sendrec to dst_ep goes to at once and that caller
 * then waits for: blocked in a receive that accepts caller (not itself
 * waiting for a reply). NULL when the slow path must decide.
 */
static inline struct proc *ipc_fast_sendrec(const struct proc *caller,
					    endpoint_t dst_ep)
{
	struct proc *dst = ipc_fast_receiver(caller, dst_ep);

	if (!dst || dst->in_sendrec ||
	    (dst->getfrom != ENDPOINT_ANY && dst->getfrom != caller->ep))
		return NULL;
	return dst;
}

/*
 * The process waiting in a sendrec for caller's reply, when caller's own
 * receive from ANY would then block (nothing queued or pending for it:
 * kernel_msgs is p->exit_notices, kept by proc.c). NULL otherwise.
 */
static inline struct proc *ipc_fast_replyrecv(const struct proc *caller,
					      endpoint_t dst_ep,
					      unsigned kernel_msgs)
{
	struct proc *dst = ipc_fast_receiver(caller, dst_ep);

	if (!dst || !dst->in_sendrec || dst->getfrom != caller->ep)
		return NULL;
	if (caller->senders || caller->notify_pending || caller->notify_hw ||
	    caller->notify_clock || kernel_msgs)
		return NULL;
	return dst;
}

/*
 * Make the change ipc_fast_sendrec() or ipc_fast_replyrecv() approved:
 * dst's receive ends with result 0 (the message is the caller's
 * business), and caller waits: for dst's reply after a sendrec, for
 * anyone after a replyrecv. No wake: the caller hands dst the hart.
 */
static inline void ipc_fast_commit(struct proc *caller, struct proc *dst,
				   bool sendrec)
{
	dst->rts = 0;
	dst->getfrom = ENDPOINT_NONE;
	dst->in_sendrec = false;
	dst->ipc_result = 0;
	if (sendrec)
		ipc_block_receiving(caller, dst->ep, true);
	else
		ipc_block_receiving(caller, ENDPOINT_ANY, false);
}

#endif
