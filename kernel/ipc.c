/* SPDX-License-Identifier: MIT */
/*
 * The IPC state machine: synchronous rendezvous between two processes
 * (send, receive, sendrec), non-blocking send, coalescing notifications
 * from processes, interrupts and the clock, and refusal of any wait that
 * would close a cycle (deadlock). docs/ipc.md describes the semantics.
 *
 * This file only moves messages and changes IPC state. It never sleeps and
 * never touches a thread: it returns IPC_BLOCKED when the caller must wait
 * (its rts then says for what), and passes every other process whose wait
 * it ended to ops->wake, which proc.c implements (host tests record them).
 * Every entry point is called with ipc_lock held.
 *
 * Invariants, true whenever ipc_lock is free:
 *  - p has RTS_SENDING iff p is on exactly one queue, the senders list of
 *    the live process named by p->sendto, and p->msg is the message it
 *    sends, its m_source already set to p->ep.
 *  - p has RTS_RECEIVING iff p waits in ipc_receive (or the reply half of
 *    a sendrec, then in_sendrec is true and getfrom names one process);
 *    getfrom is ENDPOINT_ANY, ENDPOINT_KERNEL or a live endpoint. A
 *    process never has both.
 *  - notify_pending bit n is set only while slot n holds the process that
 *    notified (ipc_cleanup clears it everywhere when that process goes).
 *  - The waits-for graph (p -> sendto while SENDING, p -> getfrom while
 *    RECEIVING from one process) has no cycle: every operation that adds
 *    an edge checks first.
 */
#include <axolotl/errno.h>
#include <kernel/ipc.h>
#include <kernel/ipc_fast.h>
#include <kernel/string.h>

#define IPC_F_ALL (IPC_F_NONBLOCK | IPC_F_SENDREC)

static const struct ipc_ops *ipc_ops;

void ipc_set_ops(const struct ipc_ops *ops)
{
	ipc_ops = ops;
}

static void ipc_wake(struct proc *p)
{
	if (ipc_ops && ipc_ops->wake)
		ipc_ops->wake(p);
}

static void ipc_denied(struct proc *p, endpoint_t dst, const char *what)
{
	if (ipc_ops && ipc_ops->denied)
		ipc_ops->denied(p, dst, what);
}

static bool take_kernel_msg(struct proc *p, endpoint_t src)
{
	if (src != ENDPOINT_ANY && src != ENDPOINT_KERNEL)
		return false;
	return ipc_ops && ipc_ops->take_kernel_msg &&
	       ipc_ops->take_kernel_msg(p, &p->msg);
}

static inline uint64_t slot_bit(unsigned slot)
{
	return (uint64_t)1 << slot;
}

/* ---- sender queues: singly linked through next_sender, FIFO ---- */

static void queue_append(struct proc *dst, struct proc *p)
{
	struct proc **link = &dst->senders;

	while (*link)
		link = &(*link)->next_sender;
	p->next_sender = NULL;
	*link = p;
}

/* Unlink p from dst's queue; false if it was not there. */
static bool queue_remove(struct proc *dst, struct proc *p)
{
	struct proc **link;

	for (link = &dst->senders; *link; link = &(*link)->next_sender) {
		if (*link == p) {
			*link = p->next_sender;
			p->next_sender = NULL;
			return true;
		}
	}
	return false;
}

/* Unlink and return the first sender on dst's queue that src accepts. */
static struct proc *queue_take(struct proc *dst, endpoint_t src)
{
	struct proc **link;
	struct proc *p;

	for (link = &dst->senders; *link; link = &(*link)->next_sender) {
		p = *link;
		if (src == ENDPOINT_ANY || p->ep == src) {
			*link = p->next_sender;
			p->next_sender = NULL;
			return p;
		}
	}
	return NULL;
}

/* ---- deadlock detection ---- */

/* Whom a blocked process waits for: the one edge leaving it, or NONE. */
static endpoint_t waits_for(const struct proc *p)
{
	if (p->rts & RTS_SENDING)
		return p->sendto;
	if ((p->rts & RTS_RECEIVING) && p->getfrom != ENDPOINT_ANY)
		return p->getfrom;
	return ENDPOINT_NONE;
}

/*
 * Would caller, by waiting for target, close a cycle? Every process has at
 * most one outgoing edge, so the chain from target is a path; it either
 * ends at a process that waits for no one in particular or comes back to
 * caller. The step bound stops the walk on a cycle that does not contain
 * caller, which the invariant forbids but a bug could build.
 */
static bool would_deadlock(const struct proc *caller, const struct proc *target)
{
	const struct proc *p = target;
	unsigned steps;

	for (steps = 0; p && steps <= NR_PROCS; steps++) {
		if (p == caller)
			return true;
		p = proc_lookup(waits_for(p));
	}
	return false;
}

/* ---- state changes ---- */

/*
 * Whether a notification from src may end p's receive now. A process
 * waiting for the reply of its sendrec takes only that reply; even a
 * notification from the server it waits on stays pending, or it would be
 * taken for the reply.
 */
static bool accepts_notify(const struct proc *p, endpoint_t src)
{
	return ipc_accepts_message(p, src) && !p->in_sendrec;
}

/* End p's receive with m (m_source already set). */
static void deliver(struct proc *p, const message_t *m)
{
	p->msg = *m;
	p->rts &= ~RTS_RECEIVING;
	p->getfrom = ENDPOINT_NONE;
	p->in_sendrec = false;
	p->ipc_result = 0;
	ipc_wake(p);
}

/* p's wait ends without a message: its partner is gone. */
static void fail_wait(struct proc *p)
{
	p->rts &= ~(RTS_SENDING | RTS_RECEIVING);
	p->sendto = ENDPOINT_NONE;
	p->getfrom = ENDPOINT_NONE;
	p->in_sendrec = false;
	p->ipc_result = -EDEADSRCDST;
	ipc_wake(p);
}

static void make_notify(message_t *m, endpoint_t src, uint64_t arg)
{
	memset(m, 0, sizeof(*m));
	m->m_source = src;
	m->m_type = NOTIFY_MESSAGE;
	m->m_u64[0] = arg;
}

/*
 * Take one pending notification src accepts into p->msg; false if none.
 * Process notifications go first, lowest slot first; then the hardware
 * (all lines at once); then the clock. The kernel sources only for ANY.
 */
static bool take_notification(struct proc *p, endpoint_t src)
{
	unsigned slot;

	for (slot = 0; slot < NR_PROCS && p->notify_pending; slot++) {
		const struct proc *n = &proc_table[slot];

		if (!(p->notify_pending & slot_bit(slot)))
			continue;
		if (src != ENDPOINT_ANY && ENDPOINT_SLOT(src) != slot)
			continue;
		p->notify_pending &= ~slot_bit(slot);
		if (n->rts & RTS_SLOT_FREE)
			continue; /* cannot happen: ipc_cleanup clears it */
		make_notify(&p->msg, n->ep, 0);
		return true;
	}
	if (src != ENDPOINT_ANY)
		return false;
	if (p->notify_hw) {
		make_notify(&p->msg, ENDPOINT_HARDWARE, p->notify_hw);
		p->notify_hw = 0;
		return true;
	}
	if (p->notify_clock) {
		make_notify(&p->msg, ENDPOINT_CLOCK, 0);
		p->notify_clock = false;
		return true;
	}
	return false;
}

/* ---- the operations ---- */

int ipc_send(struct proc *caller, endpoint_t dst_ep, const message_t *m,
	     unsigned flags)
{
	struct proc *dst;
	message_t out;
	const char *what;

	if (!caller || !m || (flags & ~IPC_F_ALL))
		return -EINVAL;
	/* A blocked process cannot call; this would corrupt the queues. */
	if (caller->rts & (RTS_SENDING | RTS_RECEIVING))
		return -EINVAL;
	/* Not a process (ANY, NONE, SELF, KERNEL, ...), or itself. */
	if (dst_ep < 0 || dst_ep == caller->ep)
		return -EINVAL;
	dst = proc_lookup(dst_ep);
	if (!dst)
		return -EDEADSRCDST;
	if (!priv_may_send(caller, dst)) {
		if (flags & IPC_F_SENDREC)
			what = "sendrec";
		else if (flags & IPC_F_NONBLOCK)
			what = "sendnb";
		else
			what = "send";
		ipc_denied(caller, dst_ep, what);
		return -EPERM;
	}

	out = *m;
	out.m_source = caller->ep; /* the kernel's word: never forged */

	if (ipc_accepts_message(dst, caller->ep)) {
		deliver(dst, &out);
		if (flags & IPC_F_SENDREC) {
			/* dst is runnable now: this wait cannot close a cycle. */
			ipc_block_receiving(caller, dst_ep, true);
			return IPC_BLOCKED;
		}
		return 0;
	}
	if (flags & IPC_F_NONBLOCK)
		return -EAGAIN;
	if (would_deadlock(caller, dst))
		return -EDEADLK;

	caller->msg = out;
	caller->sendto = dst_ep;
	caller->in_sendrec = !!(flags & IPC_F_SENDREC);
	caller->rts |= RTS_SENDING;
	caller->ipc_result = -EINTR;
	queue_append(dst, caller);
	return IPC_BLOCKED;
}

int ipc_receive(struct proc *caller, endpoint_t src)
{
	struct proc *from = NULL;
	struct proc *sender;

	if (!caller)
		return -EINVAL;
	if (caller->rts & (RTS_SENDING | RTS_RECEIVING))
		return -EINVAL;
	/*
	 * ENDPOINT_KERNEL: wait for a message the kernel itself hands over
	 * (proc.c's exit notices); no process, queue or notification
	 * matches it, so the caller simply blocks.
	 */
	if (src != ENDPOINT_ANY && src != ENDPOINT_KERNEL) {
		if (src < 0 || src == caller->ep)
			return -EINVAL;
		from = proc_lookup(src);
		if (!from)
			return -EDEADSRCDST;
	}

	/* (0) the kernel's own messages, then (1) notifications */
	if (take_kernel_msg(caller, src))
		return 0;
	if (take_notification(caller, src))
		return 0;

	/* (2) a sender already waiting, oldest first */
	sender = queue_take(caller, src);
	if (sender) {
		caller->msg = sender->msg;
		sender->rts &= ~RTS_SENDING;
		sender->sendto = ENDPOINT_NONE;
		if (sender->in_sendrec) {
			/*
			 * Its send is done; it now waits for our reply. We
			 * are running, so this edge closes no cycle.
			 */
			ipc_block_receiving(sender, caller->ep, true);
		} else {
			sender->ipc_result = 0;
			ipc_wake(sender);
		}
		return 0;
	}

	/* (3) wait */
	if (from && would_deadlock(caller, from))
		return -EDEADLK;
	ipc_block_receiving(caller, src, false);
	return IPC_BLOCKED;
}

int ipc_replyrecv(struct proc *caller, endpoint_t dst, const message_t *m)
{
	int r = ipc_send(caller, dst, m, IPC_F_NONBLOCK);

	if (r != 0)
		return r;
	return ipc_receive(caller, ENDPOINT_ANY);
}

int ipc_notify(struct proc *caller, endpoint_t dst_ep)
{
	struct proc *dst;
	message_t m;

	if (!caller)
		return -EINVAL;
	if (dst_ep < 0 || dst_ep == caller->ep)
		return -EINVAL;
	dst = proc_lookup(dst_ep);
	if (!dst)
		return -EDEADSRCDST;
	if (!priv_may_send(caller, dst)) {
		ipc_denied(caller, dst_ep, "notify");
		return -EPERM;
	}

	if (accepts_notify(dst, caller->ep)) {
		make_notify(&m, caller->ep, 0);
		deliver(dst, &m);
	} else {
		/* Coalesces: one bit per notifier, however many notifies. */
		dst->notify_pending |= slot_bit(caller->slot);
	}
	return 0;
}

void ipc_notify_hw(struct proc *p, unsigned irq_index)
{
	message_t m;

	if (!p || irq_index >= 64 || (p->rts & RTS_SLOT_FREE))
		return;
	p->notify_hw |= slot_bit(irq_index);
	if (accepts_notify(p, ENDPOINT_HARDWARE)) {
		make_notify(&m, ENDPOINT_HARDWARE, p->notify_hw);
		p->notify_hw = 0;
		deliver(p, &m);
	}
}

void ipc_notify_clock(struct proc *p)
{
	message_t m;

	if (!p || (p->rts & RTS_SLOT_FREE))
		return;
	if (accepts_notify(p, ENDPOINT_CLOCK)) {
		make_notify(&m, ENDPOINT_CLOCK, 0);
		p->notify_clock = false;
		deliver(p, &m);
	} else {
		p->notify_clock = true;
	}
}

/* Whether ep names slot (in any generation: a stale wait fails too). */
static bool names_slot(endpoint_t ep, unsigned slot)
{
	return ep >= 0 && ENDPOINT_SLOT(ep) == slot;
}

void ipc_cleanup(struct proc *p)
{
	struct proc *q, *next;
	unsigned i;

	if (!p)
		return;

	/* Everyone queued to send to p. */
	for (q = p->senders; q; q = next) {
		next = q->next_sender;
		q->next_sender = NULL;
		fail_wait(q);
	}
	p->senders = NULL;

	for (i = 0; i < NR_PROCS; i++) {
		q = &proc_table[i];
		q->notify_pending &= ~slot_bit(p->slot);
		if (q == p)
			continue;
		/* p leaves whatever queue it is on. */
		queue_remove(q, p);
		if (q->rts & RTS_SLOT_FREE)
			continue;
		/*
		 * A sender to p was on p's queue and has been failed above;
		 * check again anyway, so that no waiter on p stays asleep.
		 */
		if ((q->rts & RTS_SENDING) && names_slot(q->sendto, p->slot))
			fail_wait(q);
		else if ((q->rts & RTS_RECEIVING) &&
			 names_slot(q->getfrom, p->slot))
			fail_wait(q); /* a receive or a sendrec's reply wait */
	}

	p->rts &= ~(RTS_SENDING | RTS_RECEIVING);
	p->sendto = ENDPOINT_NONE;
	p->getfrom = ENDPOINT_NONE;
	p->in_sendrec = false;
	p->next_sender = NULL;
	p->notify_pending = 0;
	p->notify_hw = 0;
	p->notify_clock = false;
}
