/* SPDX-License-Identifier: MIT */
/*
 * The IPC state machine (kernel/ipc.c): rendezvous in both orders, sendrec,
 * FIFO sender queues, non-blocking send, stale endpoints, privilege,
 * deadlock refusal, notifications (process, hardware, clock), cleanup
 * of a process that goes away, reply-and-receive, and the decisions and
 * state changes of the fast path (ipc_fast.h).
 *
 * Each test builds fake processes in proc_table and plays the part of
 * proc.c: a call that returns IPC_BLOCKED leaves its caller blocked, and
 * the wake hook records which processes the state machine woke.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <axolotl/errno.h>
#include <kernel/grant.h>
#include <kernel/ipc.h>
#include <kernel/ipc_fast.h>

#include "host_arch.h"

#define MAX_WOKEN 256

static struct proc *woken[MAX_WOKEN];
static unsigned nwoken;

static unsigned ndenied;
static struct proc *denied_proc;
static endpoint_t denied_dst;
static const char *denied_what;

static void record_wake(struct proc *p)
{
	assert_true(nwoken < MAX_WOKEN);
	woken[nwoken++] = p;
}

static void record_denied(struct proc *p, endpoint_t dst, const char *what)
{
	ndenied++;
	denied_proc = p;
	denied_dst = dst;
	denied_what = what;
}

/* The process that has a kernel message (proc.c's exit notice) waiting. */
static struct proc *kernel_msg_for;

static bool take_test_kernel_msg(struct proc *p, message_t *m)
{
	if (p != kernel_msg_for)
		return false;
	kernel_msg_for = NULL;
	memset(m, 0, sizeof(*m));
	m->m_source = ENDPOINT_KERNEL;
	m->m_type = 0x1001;
	return true;
}

static const struct ipc_ops test_ops = {
	.wake = record_wake,
	.denied = record_denied,
	.take_kernel_msg = take_test_kernel_msg,
};

/* A live process in slot, generation gen, allowed to send to anyone. */
static struct proc *mkproc(unsigned slot, uint32_t gen)
{
	struct proc *p = &proc_table[slot];

	memset(p, 0, sizeof(*p));
	p->slot = slot;
	p->gen = gen;
	p->ep = ENDPOINT(slot, gen);
	p->rts = 0;
	p->sendto = ENDPOINT_NONE;
	p->getfrom = ENDPOINT_NONE;
	p->parent = ENDPOINT_NONE;
	p->priv.send_to_any = true;
	grant_init(p);
	return p;
}

/* What proc.c does when p ends: IPC cleanup, then the slot is free. */
static void kill_proc(struct proc *p)
{
	ipc_cleanup(p);
	p->rts = RTS_SLOT_FREE;
	p->gen++;
	p->ep = ENDPOINT_NONE;
}

static int setup(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < NR_PROCS; i++) {
		memset(&proc_table[i], 0, sizeof(proc_table[i]));
		proc_table[i].slot = i;
		proc_table[i].rts = RTS_SLOT_FREE;
		proc_table[i].ep = ENDPOINT_NONE;
	}
	nwoken = 0;
	ndenied = 0;
	denied_proc = NULL;
	denied_dst = ENDPOINT_NONE;
	denied_what = NULL;
	kernel_msg_for = NULL;
	ipc_set_ops(&test_ops);
	return 0;
}

static message_t msg(int32_t type, uint64_t word)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_u64[0] = word;
	m.m_u64[6] = ~word;
	return m;
}

static void assert_msg(const message_t *m, endpoint_t src, int32_t type,
		       uint64_t word)
{
	assert_int_equal(m->m_source, src);
	assert_int_equal(m->m_type, type);
	assert_int_equal(m->m_u64[0], word);
	assert_int_equal(m->m_u64[6], ~word);
}

static void assert_notify(const message_t *m, endpoint_t src, uint64_t arg)
{
	assert_int_equal(m->m_source, src);
	assert_int_equal(m->m_type, NOTIFY_MESSAGE);
	assert_int_equal(m->m_u64[0], arg);
}

static void assert_woken(unsigned n, ...)
{
	va_list ap;
	unsigned i;

	assert_int_equal(nwoken, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(woken[i], va_arg(ap, struct proc *));
	va_end(ap);
}

/* The whole table, to prove that a refused call changed nothing. */
static struct proc snapshot[NR_PROCS];

static void take_snapshot(void)
{
	memcpy(snapshot, proc_table, sizeof(snapshot));
}

static void assert_unchanged(void)
{
	assert_memory_equal(snapshot, proc_table, sizeof(snapshot));
	assert_int_equal(nwoken, 0);
}

/* ---- rendezvous ---- */

static void test_send_first_then_receive(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);
	message_t m = msg(42, 0x1234);

	(void)state;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(a->rts, RTS_SENDING);
	assert_int_equal(a->sendto, b->ep);
	assert_false(a->in_sendrec);
	assert_ptr_equal(b->senders, a);
	assert_null(a->next_sender);
	assert_int_equal(nwoken, 0);

	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), 0);
	assert_msg(&b->msg, a->ep, 42, 0x1234);
	assert_int_equal(b->rts, 0);
	assert_int_equal(a->rts, 0);
	assert_int_equal(a->ipc_result, 0);
	assert_null(b->senders);
	assert_woken(1, a);
}

static void test_receive_first_then_send(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);
	message_t m = msg(7, 99);

	(void)state;
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(b->rts, RTS_RECEIVING);
	assert_int_equal(b->getfrom, ENDPOINT_ANY);
	assert_int_equal(nwoken, 0);

	assert_int_equal(ipc_send(a, b->ep, &m, 0), 0);
	assert_int_equal(a->rts, 0);
	assert_int_equal(b->rts, 0);
	assert_int_equal(b->ipc_result, 0);
	assert_msg(&b->msg, a->ep, 7, 99);
	assert_woken(1, b);
}

static void test_receive_from_specific_sender_first(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_receive(b, c->ep), IPC_BLOCKED);
	assert_int_equal(b->getfrom, c->ep);
	/* a is not the awaited sender: it queues. */
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_ptr_equal(b->senders, a);
	assert_int_equal(b->rts, RTS_RECEIVING);
	m = msg(3, 3);
	assert_int_equal(ipc_send(c, b->ep, &m, 0), 0);
	assert_msg(&b->msg, c->ep, 3, 3);
	assert_woken(1, b);
	/* a is still queued, and is received next. */
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), 0);
	assert_msg(&b->msg, a->ep, 1, 1);
	assert_woken(2, b, a);
}

static void test_m_source_cannot_be_forged(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(5, 5);

	(void)state;
	/* Receiver waiting: delivered at once. */
	m.m_source = c->ep;
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(a, b->ep, &m, 0), 0);
	assert_int_equal(b->msg.m_source, a->ep);

	/* Sender queued: stamped when it queues. */
	m.m_source = ENDPOINT_KERNEL;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(a->msg.m_source, a->ep);
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), 0);
	assert_int_equal(b->msg.m_source, a->ep);

	/* Receiving from c does not take a's message claiming to be c's. */
	m.m_source = c->ep;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_receive(b, c->ep), IPC_BLOCKED);
	assert_ptr_equal(b->senders, a);
}

static void test_sendrec_round_trip(void **state)
{
	struct proc *client = mkproc(4, 2), *server = mkproc(9, 1);
	message_t req = msg(100, 11), reply = msg(0, 22);

	(void)state;
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);

	/* The request is delivered; the client now waits for the reply. */
	assert_int_equal(ipc_send(client, server->ep, &req, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_msg(&server->msg, client->ep, 100, 11);
	assert_woken(1, server);
	assert_int_equal(client->rts, RTS_RECEIVING);
	assert_int_equal(client->getfrom, server->ep);
	assert_true(client->in_sendrec);

	/* The server's reply ends the client's wait. */
	assert_int_equal(ipc_send(server, client->ep, &reply, 0), 0);
	assert_msg(&client->msg, server->ep, 0, 22);
	assert_int_equal(client->rts, 0);
	assert_int_equal(client->ipc_result, 0);
	assert_false(client->in_sendrec);
	assert_int_equal(server->rts, 0);
	assert_woken(2, server, client);
}

static void test_sendrec_queued_round_trip(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	message_t req = msg(100, 11), reply = msg(0, 22);

	(void)state;
	/* The server is busy: the client queues, sendrec noted. */
	assert_int_equal(ipc_send(client, server->ep, &req, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(client->rts, RTS_SENDING);
	assert_true(client->in_sendrec);

	/* The server takes the request; the client is not woken. */
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), 0);
	assert_msg(&server->msg, client->ep, 100, 11);
	assert_int_equal(client->rts, RTS_RECEIVING);
	assert_int_equal(client->getfrom, server->ep);
	assert_true(client->in_sendrec);
	assert_null(server->senders);
	assert_int_equal(nwoken, 0);

	assert_int_equal(ipc_send(server, client->ep, &reply, 0), 0);
	assert_msg(&client->msg, server->ep, 0, 22);
	assert_int_equal(client->rts, 0);
	assert_false(client->in_sendrec);
	assert_woken(1, client);
}

static void test_sendrec_reply_only_from_server(void **state)
{
	struct proc *client = mkproc(1, 0), *server = mkproc(2, 0);
	struct proc *other = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(client, server->ep, &m, IPC_F_SENDREC),
			 IPC_BLOCKED);
	nwoken = 0;
	/* Someone else's message waits; it is not taken for the reply. */
	m = msg(3, 3);
	assert_int_equal(ipc_send(other, client->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(client->rts, RTS_RECEIVING);
	assert_int_equal(ipc_send(other, client->ep, &m, IPC_F_NONBLOCK),
			 -EINVAL); /* other is blocked: it cannot call */
	m = msg(2, 2);
	assert_int_equal(ipc_send(server, client->ep, &m, 0), 0);
	assert_msg(&client->msg, server->ep, 2, 2);
	assert_woken(1, client);
	assert_int_equal(other->rts, RTS_SENDING);
}

/* ---- queues ---- */

static void test_queued_senders_are_fifo(void **state)
{
	struct proc *d = mkproc(0, 0);
	struct proc *s[5];
	message_t m;
	unsigned i;

	(void)state;
	/* Slots in an order unlike their arrival order. */
	s[0] = mkproc(40, 1);
	s[1] = mkproc(3, 0);
	s[2] = mkproc(63, 0);
	s[3] = mkproc(1, 7);
	s[4] = mkproc(20, 0);
	for (i = 0; i < 5; i++) {
		m = msg(10 + i, i);
		assert_int_equal(ipc_send(s[i], d->ep, &m, 0), IPC_BLOCKED);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
		assert_msg(&d->msg, s[i]->ep, 10 + i, i);
		assert_int_equal(s[i]->rts, 0);
		assert_ptr_equal(woken[i], s[i]);
	}
	assert_null(d->senders);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_receive_specific_skips_others(void **state)
{
	struct proc *d = mkproc(0, 0), *a = mkproc(1, 0), *b = mkproc(2, 0);
	struct proc *c = mkproc(3, 0);
	message_t m;

	(void)state;
	m = msg('a', 1);
	assert_int_equal(ipc_send(a, d->ep, &m, 0), IPC_BLOCKED);
	m = msg('b', 2);
	assert_int_equal(ipc_send(b, d->ep, &m, 0), IPC_BLOCKED);
	m = msg('c', 3);
	assert_int_equal(ipc_send(c, d->ep, &m, 0), IPC_BLOCKED);

	assert_int_equal(ipc_receive(d, b->ep), 0);
	assert_msg(&d->msg, b->ep, 'b', 2);
	assert_woken(1, b);
	/* a and c keep their places. */
	assert_ptr_equal(d->senders, a);
	assert_ptr_equal(a->next_sender, c);
	assert_null(c->next_sender);
	assert_null(b->next_sender);

	assert_int_equal(ipc_receive(d, c->ep), 0);
	assert_msg(&d->msg, c->ep, 'c', 3);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_msg(&d->msg, a->ep, 'a', 1);
	assert_woken(3, b, c, a);
}

/* ---- refusals ---- */

static void test_nonblocking_send(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(8, 8);

	(void)state;
	a->msg = msg(77, 77);
	take_snapshot();
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK), -EAGAIN);
	assert_unchanged();

	/* b waits for c only: still not waiting for a. */
	assert_int_equal(ipc_receive(b, c->ep), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK), -EAGAIN);
	assert_unchanged();

	/* Waiting for anyone: delivered. */
	b->rts = 0;
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK), 0);
	assert_msg(&b->msg, a->ep, 8, 8);
	assert_int_equal(a->rts, 0);
	assert_woken(1, b);
}

static void test_nonblocking_sendrec(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);
	message_t m = msg(8, 8);

	(void)state;
	take_snapshot();
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK | IPC_F_SENDREC),
			 -EAGAIN);
	assert_unchanged();
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK | IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(a->rts, RTS_RECEIVING);
	assert_int_equal(a->getfrom, b->ep);
	assert_true(a->in_sendrec);
}

static void test_stale_endpoint(void **state)
{
	struct proc *a = mkproc(1, 0), *old = mkproc(5, 3);
	endpoint_t old_ep = old->ep;
	struct proc *fresh;
	message_t m = msg(1, 1);

	(void)state;
	kill_proc(old);
	fresh = mkproc(5, 4); /* the same slot, the next generation */
	assert_int_not_equal(fresh->ep, old_ep);
	assert_int_equal(ipc_receive(fresh, ENDPOINT_ANY), IPC_BLOCKED);

	take_snapshot();
	assert_int_equal(ipc_send(a, old_ep, &m, 0), -EDEADSRCDST);
	assert_int_equal(ipc_send(a, old_ep, &m, IPC_F_SENDREC), -EDEADSRCDST);
	assert_int_equal(ipc_send(a, old_ep, &m, IPC_F_NONBLOCK), -EDEADSRCDST);
	assert_int_equal(ipc_notify(a, old_ep), -EDEADSRCDST);
	assert_int_equal(ipc_receive(a, old_ep), -EDEADSRCDST);
	/* Never delivered to the new process. */
	assert_unchanged();
	assert_int_equal(fresh->rts, RTS_RECEIVING);
	assert_int_equal(fresh->notify_pending, 0);

	/* A free slot, and a slot past the table, are dead too. */
	assert_int_equal(ipc_send(a, ENDPOINT(30, 0), &m, 0), -EDEADSRCDST);
	assert_int_equal(ipc_send(a, ENDPOINT(NR_PROCS, 0), &m, 0),
			 -EDEADSRCDST);
	assert_int_equal(ipc_send(a, ENDPOINT(1, 1), &m, 0), -EDEADSRCDST);
	assert_int_equal(ipc_receive(a, ENDPOINT(30, 0)), -EDEADSRCDST);
	assert_unchanged();

	/* The new endpoint works. */
	assert_int_equal(ipc_send(a, fresh->ep, &m, 0), 0);
	assert_woken(1, fresh);
}

static void test_special_endpoints_are_invalid(void **state)
{
	static const endpoint_t bad[] = {
		ENDPOINT_ANY,	   ENDPOINT_NONE,     ENDPOINT_SELF,
		ENDPOINT_KERNEL,   ENDPOINT_HARDWARE, ENDPOINT_CLOCK,
		(endpoint_t)-1000, INT32_MIN,
	};
	struct proc *a = mkproc(1, 0);
	message_t m = msg(1, 1);
	unsigned i;

	(void)state;
	mkproc(2, 0);
	take_snapshot();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ipc_send(a, bad[i], &m, 0), -EINVAL);
		assert_int_equal(ipc_send(a, bad[i], &m, IPC_F_SENDREC),
				 -EINVAL);
		assert_int_equal(ipc_notify(a, bad[i]), -EINVAL);
		if (bad[i] != ENDPOINT_ANY && bad[i] != ENDPOINT_KERNEL)
			assert_int_equal(ipc_receive(a, bad[i]), -EINVAL);
	}
	/* Unknown flags, missing arguments. */
	assert_int_equal(ipc_send(a, ENDPOINT(2, 0), &m, 4), -EINVAL);
	assert_int_equal(ipc_send(a, ENDPOINT(2, 0), NULL, 0), -EINVAL);
	assert_int_equal(ipc_send(NULL, ENDPOINT(2, 0), &m, 0), -EINVAL);
	assert_int_equal(ipc_receive(NULL, ENDPOINT_ANY), -EINVAL);
	assert_int_equal(ipc_notify(NULL, ENDPOINT(2, 0)), -EINVAL);
	assert_unchanged();
	assert_int_equal(ndenied, 0);
}

static void test_self_is_invalid(void **state)
{
	struct proc *a = mkproc(6, 2);
	message_t m = msg(1, 1);

	(void)state;
	take_snapshot();
	assert_int_equal(ipc_send(a, a->ep, &m, 0), -EINVAL);
	assert_int_equal(ipc_send(a, a->ep, &m, IPC_F_SENDREC), -EINVAL);
	assert_int_equal(ipc_send(a, a->ep, &m, IPC_F_NONBLOCK), -EINVAL);
	assert_int_equal(ipc_notify(a, a->ep), -EINVAL);
	assert_int_equal(ipc_receive(a, a->ep), -EINVAL);
	assert_unchanged();
}

static void test_blocked_caller_is_refused(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_send(a, c->ep, &m, 0), -EINVAL);
	assert_int_equal(ipc_receive(a, ENDPOINT_ANY), -EINVAL);
	assert_unchanged();
	assert_int_equal(ipc_receive(c, ENDPOINT_ANY), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_receive(c, ENDPOINT_ANY), -EINVAL);
	assert_unchanged();
}

static void test_privilege_denied(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	a->priv.send_to_any = false;
	a->priv.send_to = 1ull << c->slot; /* c only */
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	take_snapshot();

	assert_int_equal(ipc_send(a, b->ep, &m, 0), -EPERM);
	assert_int_equal(ndenied, 1);
	assert_ptr_equal(denied_proc, a);
	assert_int_equal(denied_dst, b->ep);
	assert_string_equal(denied_what, "send");

	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_SENDREC), -EPERM);
	assert_string_equal(denied_what, "sendrec");
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_NONBLOCK), -EPERM);
	assert_string_equal(denied_what, "sendnb");
	assert_int_equal(ipc_notify(a, b->ep), -EPERM);
	assert_string_equal(denied_what, "notify");
	assert_int_equal(ndenied, 4);
	assert_unchanged();

	/* No hook installed: still refused, nothing breaks. */
	ipc_set_ops(NULL);
	assert_int_equal(ipc_send(a, b->ep, &m, 0), -EPERM);
	assert_int_equal(ndenied, 4);
	assert_unchanged();
	ipc_set_ops(&test_ops);

	/* Receiving needs no privilege; c is allowed. */
	assert_int_equal(ipc_send(a, c->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_receive(c, a->ep), 0);
	assert_int_equal(ipc_notify(a, c->ep), 0);
	/* b may not be sent to, but a may receive from b. */
	b->rts = 0;
	m = msg(2, 2);
	assert_int_equal(ipc_send(b, a->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_receive(a, b->ep), 0);
	assert_msg(&a->msg, b->ep, 2, 2);
	assert_int_equal(ndenied, 4);
}

/* ---- deadlock ---- */

static void test_deadlock_send_send(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_send(b, a->ep, &m, 0), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_send(a, b->ep, &m, 0), -EDEADLK);
	assert_int_equal(ipc_send(a, b->ep, &m, IPC_F_SENDREC), -EDEADLK);
	assert_int_equal(ipc_receive(a, ENDPOINT(3, 0)), -EDEADSRCDST);
	assert_unchanged();
	/* Receiving instead is the way out. */
	assert_int_equal(ipc_receive(a, b->ep), 0);
	assert_woken(1, b);
}

static void test_deadlock_three_cycle(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_send(b, c->ep, &m, IPC_F_SENDREC), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_send(c, a->ep, &m, 0), -EDEADLK);
	assert_int_equal(ipc_send(c, a->ep, &m, IPC_F_SENDREC), -EDEADLK);
	/* Waiting to receive from a closes the same cycle. */
	assert_int_equal(ipc_receive(c, a->ep), -EDEADLK);
	assert_unchanged();
	/* Receiving from anyone does not: b's message is there. */
	assert_int_equal(ipc_receive(c, ENDPOINT_ANY), 0);
	assert_msg(&c->msg, b->ep, 1, 1);
	/* b now waits for c's reply: still an edge b -> c. */
	assert_int_equal(b->rts, RTS_RECEIVING);
	assert_int_equal(ipc_send(c, a->ep, &m, 0), -EDEADLK);
}

static void test_deadlock_receive_receive(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);

	(void)state;
	assert_int_equal(ipc_receive(a, b->ep), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_receive(b, a->ep), -EDEADLK);
	assert_unchanged();
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_deadlock_receive_then_send(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	/* a waits for c; c waits to send to b; b sending to a closes it. */
	assert_int_equal(ipc_receive(a, c->ep), IPC_BLOCKED);
	assert_int_equal(ipc_send(c, b->ep, &m, 0), IPC_BLOCKED);
	take_snapshot();
	assert_int_equal(ipc_send(b, a->ep, &m, 0), -EDEADLK);
	assert_unchanged();
}

static void test_deadlock_server_receiving_from_waiting_client(void **state)
{
	struct proc *client = mkproc(1, 0), *server = mkproc(2, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_send(client, server->ep, &m, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), 0);
	/* The client waits for the reply: waiting for it closes a cycle. */
	take_snapshot();
	assert_int_equal(ipc_receive(server, client->ep), -EDEADLK);
	assert_unchanged();
	assert_int_equal(ipc_send(server, client->ep, &m, IPC_F_SENDREC),
			 IPC_BLOCKED); /* delivered: the reply wait ends */
	assert_int_equal(client->rts, 0);
	assert_woken(1, client);
}

static void test_no_false_deadlock(void **state)
{
	struct proc *p[7];
	message_t m = msg(1, 1);
	unsigned i;

	(void)state;
	for (i = 0; i < 7; i++)
		p[i] = mkproc(10 + i, 0);
	/* A long chain p5 -> p0 -> p1 -> p2 -> p3 -> p4, p4 open to all. */
	assert_int_equal(ipc_receive(p[4], ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_receive(p[3], p[4]->ep), IPC_BLOCKED);
	assert_int_equal(ipc_send(p[2], p[3]->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_send(p[1], p[2]->ep, &m, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(ipc_receive(p[0], p[1]->ep), IPC_BLOCKED);
	assert_int_equal(ipc_send(p[5], p[0]->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(nwoken, 0);

	/* p4 runs again; now waiting for anyone on the chain closes it. */
	assert_int_equal(ipc_send(p[6], p[4]->ep, &m, 0), 0);
	assert_int_equal(p[4]->rts, 0);
	take_snapshot();
	nwoken = 0;
	for (i = 0; i < 6; i++) {
		if (i == 4)
			continue;
		assert_int_equal(ipc_receive(p[4], p[i]->ep), -EDEADLK);
		if (i != 3) /* p3 waits for p4: that send is delivered */
			assert_int_equal(ipc_send(p[4], p[i]->ep, &m, 0),
					 -EDEADLK);
	}
	assert_unchanged();
	assert_int_equal(ipc_send(p[4], p[3]->ep, &m, IPC_F_NONBLOCK), 0);
	assert_woken(1, p[3]);
	/* Waiting for a process off the chain is fine. */
	assert_int_equal(ipc_send(p[4], p[6]->ep, &m, 0), IPC_BLOCKED);
}

/* A corrupt cycle not containing the caller must not hang the check. */
static void test_deadlock_walk_is_bounded(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	/* b <-> c waiting on each other: never built by ipc.c. */
	b->rts = RTS_RECEIVING;
	b->getfrom = c->ep;
	c->rts = RTS_RECEIVING;
	c->getfrom = b->ep;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	a->rts = 0;
	b->senders = NULL;
	assert_int_equal(ipc_receive(a, c->ep), IPC_BLOCKED);
}

/* ---- notifications ---- */

static void test_notify_coalesces(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);

	(void)state;
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_int_equal(b->notify_pending, 1ull << a->slot);
	assert_int_equal(a->rts, 0);
	assert_int_equal(nwoken, 0);

	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), 0);
	assert_notify(&b->msg, a->ep, 0);
	assert_int_equal(b->notify_pending, 0);
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_notify_delivered_to_receiver(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);

	(void)state;
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), IPC_BLOCKED);
	b->msg = msg(9, 9); /* stale content must be overwritten */
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_notify(&b->msg, a->ep, 0);
	assert_int_equal(b->msg.m_u64[6], 0);
	assert_int_equal(b->rts, 0);
	assert_int_equal(b->ipc_result, 0);
	assert_int_equal(b->notify_pending, 0);
	assert_woken(1, b);

	/* Receiving from the notifier: delivered too. */
	assert_int_equal(ipc_receive(b, a->ep), IPC_BLOCKED);
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_notify(&b->msg, a->ep, 0);
	assert_woken(2, b, b);

	/* Receiving from someone else: it waits. */
	assert_int_equal(ipc_receive(b, c->ep), IPC_BLOCKED);
	assert_int_equal(ipc_notify(a, b->ep), 0);
	assert_int_equal(b->rts, RTS_RECEIVING);
	assert_int_equal(b->notify_pending, 1ull << a->slot);
	assert_int_equal(nwoken, 2);
	/* c's notification ends that wait; a's stays pending. */
	assert_int_equal(ipc_notify(c, b->ep), 0);
	assert_notify(&b->msg, c->ep, 0);
	assert_int_equal(b->notify_pending, 1ull << a->slot);
	assert_int_equal(ipc_receive(b, ENDPOINT_ANY), 0);
	assert_notify(&b->msg, a->ep, 0);
}

static void test_notify_lowest_slot_first(void **state)
{
	struct proc *d = mkproc(0, 0);
	struct proc *n7 = mkproc(7, 1), *n3 = mkproc(3, 2),
		    *n63 = mkproc(63, 0);
	struct proc *n5 = mkproc(5, 0);

	(void)state;
	assert_int_equal(ipc_notify(n63, d->ep), 0);
	assert_int_equal(ipc_notify(n7, d->ep), 0);
	assert_int_equal(ipc_notify(n3, d->ep), 0);
	assert_int_equal(ipc_notify(n5, d->ep), 0);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_notify(&d->msg, n3->ep, 0);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_notify(&d->msg, n5->ep, 0);
	/* A specific source takes only its own. */
	assert_int_equal(ipc_receive(d, n63->ep), 0);
	assert_notify(&d->msg, n63->ep, 0);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_notify(&d->msg, n7->ep, 0);
	assert_int_equal(d->notify_pending, 0);
}

static void test_notifications_before_messages(void **state)
{
	struct proc *d = mkproc(0, 0), *a = mkproc(1, 0), *c = mkproc(2, 0);
	message_t m = msg(50, 5);

	(void)state;
	assert_int_equal(ipc_send(a, d->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_notify(c, d->ep), 0);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_notify(&d->msg, c->ep, 0);
	assert_int_equal(a->rts, RTS_SENDING);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_msg(&d->msg, a->ep, 50, 5);

	/* From one source: its notification, then its message. */
	assert_int_equal(ipc_notify(c, d->ep), 0);
	assert_int_equal(ipc_send(c, d->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_receive(d, c->ep), 0);
	assert_notify(&d->msg, c->ep, 0);
	assert_int_equal(ipc_receive(d, c->ep), 0);
	assert_msg(&d->msg, c->ep, 50, 5);
}

static void test_notify_not_taken_for_reply(void **state)
{
	struct proc *client = mkproc(1, 0), *server = mkproc(2, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(client, server->ep, &m, IPC_F_SENDREC),
			 IPC_BLOCKED);
	nwoken = 0;
	assert_int_equal(ipc_notify(server, client->ep), 0);
	ipc_notify_hw(client, 0);
	ipc_notify_clock(client);
	assert_int_equal(client->rts, RTS_RECEIVING);
	assert_true(client->in_sendrec);
	assert_int_equal(nwoken, 0);

	m = msg(0, 77);
	assert_int_equal(ipc_send(server, client->ep, &m, 0), 0);
	assert_msg(&client->msg, server->ep, 0, 77);
	assert_woken(1, client);
	/* The notifications are still there, in their order. */
	assert_int_equal(ipc_receive(client, ENDPOINT_ANY), 0);
	assert_notify(&client->msg, server->ep, 0);
	assert_int_equal(ipc_receive(client, ENDPOINT_ANY), 0);
	assert_notify(&client->msg, ENDPOINT_HARDWARE, 1);
	assert_int_equal(ipc_receive(client, ENDPOINT_ANY), 0);
	assert_notify(&client->msg, ENDPOINT_CLOCK, 0);
	assert_int_equal(ipc_receive(client, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_hardware_and_clock_notifications(void **state)
{
	struct proc *drv = mkproc(4, 0), *a = mkproc(1, 0);

	(void)state;
	/* Pending: lines coalesce into one message, all bits at once. */
	ipc_notify_hw(drv, 0);
	ipc_notify_hw(drv, 2);
	ipc_notify_hw(drv, 2);
	ipc_notify_clock(drv);
	ipc_notify_clock(drv);
	assert_int_equal(ipc_notify(a, drv->ep), 0);
	assert_int_equal(nwoken, 0);
	/* Processes first, then hardware, then the clock. */
	assert_int_equal(ipc_receive(drv, ENDPOINT_ANY), 0);
	assert_notify(&drv->msg, a->ep, 0);
	assert_int_equal(ipc_receive(drv, ENDPOINT_ANY), 0);
	assert_notify(&drv->msg, ENDPOINT_HARDWARE, 0x5);
	assert_int_equal(drv->notify_hw, 0);
	assert_int_equal(ipc_receive(drv, ENDPOINT_ANY), 0);
	assert_notify(&drv->msg, ENDPOINT_CLOCK, 0);
	assert_false(drv->notify_clock);
	assert_int_equal(ipc_receive(drv, ENDPOINT_ANY), IPC_BLOCKED);

	/* Waiting for anyone: delivered at once. */
	ipc_notify_hw(drv, 3);
	assert_notify(&drv->msg, ENDPOINT_HARDWARE, 0x8);
	assert_int_equal(drv->rts, 0);
	assert_int_equal(drv->notify_hw, 0);
	assert_woken(1, drv);
	assert_int_equal(ipc_receive(drv, ENDPOINT_ANY), IPC_BLOCKED);
	ipc_notify_clock(drv);
	assert_notify(&drv->msg, ENDPOINT_CLOCK, 0);
	assert_false(drv->notify_clock);
	assert_woken(2, drv, drv);

	/* Waiting for one process: kernel notifications stay pending. */
	assert_int_equal(ipc_receive(drv, a->ep), IPC_BLOCKED);
	ipc_notify_hw(drv, 1);
	ipc_notify_clock(drv);
	assert_int_equal(drv->rts, RTS_RECEIVING);
	assert_int_equal(drv->notify_hw, 0x2);
	assert_true(drv->notify_clock);
	assert_int_equal(nwoken, 2);

	/* Nonsense is ignored, never a crash. */
	ipc_notify_hw(drv, 64);
	ipc_notify_hw(NULL, 0);
	ipc_notify_clock(NULL);
	ipc_notify_hw(&proc_table[50], 0); /* a free slot */
	ipc_notify_clock(&proc_table[50]);
	assert_int_equal(proc_table[50].notify_hw, 0);
	assert_false(proc_table[50].notify_clock);
	assert_int_equal(drv->notify_hw, 0x2);
}

/* ---- cleanup ---- */

static void test_cleanup_wakes_everyone_waiting(void **state)
{
	struct proc *d = mkproc(10, 3);
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	struct proc *e = mkproc(4, 0), *f = mkproc(5, 0), *g = mkproc(6, 0);
	struct proc *h = mkproc(7, 0), *i = mkproc(8, 0);
	endpoint_t d_ep = d->ep;
	message_t m = msg(1, 1);

	(void)state;
	/* e waits for d's reply. */
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(e, d_ep, &m, IPC_F_SENDREC), IPC_BLOCKED);
	/* a and b queued on d (b a sendrec). */
	assert_int_equal(ipc_send(a, d_ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_send(b, d_ep, &m, IPC_F_SENDREC), IPC_BLOCKED);
	/* c receives from d only. */
	assert_int_equal(ipc_receive(c, d_ep), IPC_BLOCKED);
	/* h waits for anyone: not affected. */
	assert_int_equal(ipc_receive(h, ENDPOINT_ANY), IPC_BLOCKED);
	/* f has notifications from d and g pending. */
	assert_int_equal(ipc_notify(d, f->ep), 0);
	assert_int_equal(ipc_notify(g, f->ep), 0);
	/* d itself is queued on i, behind g. */
	assert_int_equal(ipc_send(g, i->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_send(d, i->ep, &m, 0), IPC_BLOCKED);
	assert_ptr_equal(i->senders, g);
	assert_ptr_equal(g->next_sender, d);
	nwoken = 0;

	kill_proc(d);

	assert_int_equal(nwoken, 4);
	for (unsigned k = 0; k < 4; k++) {
		struct proc *p = (struct proc *[]){ e, a, b, c }[k];

		assert_int_equal(p->rts, 0);
		assert_int_equal(p->ipc_result, -EDEADSRCDST);
		assert_null(p->next_sender);
		assert_false(p->in_sendrec);
	}
	/* The order: the queue first (a, b), then the table (c, e). */
	assert_woken(4, a, b, c, e);
	assert_null(d->senders);
	assert_null(d->next_sender);
	assert_ptr_equal(i->senders, g); /* d left i's queue */
	assert_null(g->next_sender);
	assert_int_equal(f->notify_pending, 1ull << g->slot);
	assert_int_equal(h->rts, RTS_RECEIVING);
	assert_int_equal(g->rts, RTS_SENDING);

	/* New calls naming d fail; nothing waits on it any more. */
	assert_int_equal(ipc_send(a, d_ep, &m, 0), -EDEADSRCDST);
	assert_int_equal(ipc_notify(a, d_ep), -EDEADSRCDST);
	assert_int_equal(ipc_receive(a, d_ep), -EDEADSRCDST);
	/* A new process in d's slot gets nothing meant for d. */
	d = mkproc(10, 4);
	assert_int_equal(d->notify_pending, 0);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_receive(f, ENDPOINT_ANY), 0);
	assert_notify(&f->msg, g->ep, 0);
	assert_int_equal(ipc_receive(f, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_cleanup_of_queued_sender(void **state)
{
	struct proc *d = mkproc(0, 0), *a = mkproc(1, 0), *b = mkproc(2, 0);
	struct proc *c = mkproc(3, 0);
	message_t m;

	(void)state;
	m = msg('a', 0);
	assert_int_equal(ipc_send(a, d->ep, &m, 0), IPC_BLOCKED);
	m = msg('b', 0);
	assert_int_equal(ipc_send(b, d->ep, &m, 0), IPC_BLOCKED);
	m = msg('c', 0);
	assert_int_equal(ipc_send(c, d->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_notify(d, b->ep), 0);

	kill_proc(b);
	assert_int_equal(nwoken, 0); /* b's partner was not waiting on b */
	assert_ptr_equal(d->senders, a);
	assert_ptr_equal(a->next_sender, c);
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_int_equal(d->msg.m_type, 'a');
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), 0);
	assert_int_equal(d->msg.m_type, 'c');
	assert_int_equal(ipc_receive(d, ENDPOINT_ANY), IPC_BLOCKED);
}

static void test_cleanup_of_receiver_and_idle(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);

	(void)state;
	/* A process blocked receiving goes: its own state is cleared. */
	assert_int_equal(ipc_notify(c, a->ep), 0);
	ipc_notify_hw(a, 1);
	ipc_notify_clock(a);
	assert_int_equal(ipc_receive(a, b->ep), IPC_BLOCKED);
	a->rts |= RTS_DYING;
	ipc_cleanup(a);
	assert_int_equal(a->rts, RTS_DYING);
	assert_int_equal(a->notify_pending, 0);
	assert_int_equal(a->notify_hw, 0);
	assert_false(a->notify_clock);
	assert_int_equal(a->getfrom, ENDPOINT_NONE);
	assert_int_equal(nwoken, 0);
	/* An idle process: nothing to do, twice is harmless. */
	ipc_cleanup(b);
	ipc_cleanup(b);
	ipc_cleanup(NULL);
	assert_int_equal(nwoken, 0);
	assert_int_equal(b->rts, 0);
}

/* States ipc.c never builds are still handled without harm. */
static void test_inconsistent_state_is_survived(void **state)
{
	struct proc *a = mkproc(1, 0), *d = mkproc(2, 0);

	(void)state;
	/* A pending bit of a free slot is dropped, not delivered. */
	a->notify_pending = 1ull << 40;
	assert_int_equal(ipc_receive(a, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(a->notify_pending, 0);
	/* A waiter on d missing from d's queue is still released. */
	a->rts = RTS_SENDING;
	a->sendto = d->ep;
	ipc_cleanup(d);
	assert_int_equal(a->rts, 0);
	assert_int_equal(a->ipc_result, -EDEADSRCDST);
	assert_woken(1, a);
}

/* Receiving from ENDPOINT_KERNEL waits for the kernel, nobody else. */
static void test_receive_from_kernel(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0), *c = mkproc(3, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_notify(b, a->ep), 0);
	ipc_notify_hw(a, 0);
	ipc_notify_clock(a);
	assert_int_equal(ipc_send(c, a->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(ipc_receive(a, ENDPOINT_KERNEL), IPC_BLOCKED);
	assert_int_equal(a->rts, RTS_RECEIVING);
	assert_int_equal(a->getfrom, ENDPOINT_KERNEL);
	/* Nothing from a process or a kernel notification ends it. */
	assert_int_equal(ipc_notify(b, a->ep), 0);
	ipc_notify_hw(a, 1);
	ipc_notify_clock(a);
	assert_int_equal(ipc_send(b, a->ep, &m, IPC_F_NONBLOCK), -EAGAIN);
	assert_int_equal(a->rts, RTS_RECEIVING);
	assert_int_equal(nwoken, 0);
	/* It is no edge: waiting for a closes no cycle. */
	assert_int_equal(ipc_receive(b, a->ep), IPC_BLOCKED);
	/* c and b going away leaves a waiting, off every queue. */
	ipc_cleanup(c);
	ipc_cleanup(b);
	assert_int_equal(a->rts, RTS_RECEIVING);
	assert_null(a->senders);
	assert_int_equal(nwoken, 0);
}

/* A blocked process that gets no wake from ipc.c reads -EINTR. */
static void test_blocked_result_until_woken(void **state)
{
	struct proc *a = mkproc(1, 0), *b = mkproc(2, 0);
	message_t m = msg(1, 1);

	(void)state;
	assert_int_equal(ipc_send(a, b->ep, &m, 0), IPC_BLOCKED);
	assert_int_equal(a->ipc_result, -EINTR);
	assert_int_equal(ipc_receive(b, ENDPOINT(3, 0)), -EDEADSRCDST);
	assert_int_equal(ipc_receive(b, a->ep), 0);
	assert_int_equal(a->ipc_result, 0);
}

/* ---- reply and receive ---- */

/*
 * The server waits for anyone, client's sendrec reaches it and client
 * waits for the reply; the woken server runs (what proc.c would do).
 */
static void serve_request(struct proc *client, struct proc *server,
			  const message_t *req)
{
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(client, server->ep, req, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(server->rts, 0);
	nwoken = 0;
}

static void test_replyrecv_round_trip(void **state)
{
	struct proc *client = mkproc(4, 2), *server = mkproc(9, 1);
	message_t req = msg(100, 11), reply = msg(0, 22);

	(void)state;
	serve_request(client, server, &req);

	/* The reply ends the client's wait; the server waits for anyone. */
	assert_int_equal(ipc_replyrecv(server, client->ep, &reply),
			 IPC_BLOCKED);
	assert_msg(&client->msg, server->ep, 0, 22);
	assert_int_equal(client->rts, 0);
	assert_int_equal(client->ipc_result, 0);
	assert_false(client->in_sendrec);
	assert_int_equal(server->rts, RTS_RECEIVING);
	assert_int_equal(server->getfrom, ENDPOINT_ANY);
	assert_false(server->in_sendrec);
	assert_woken(1, client);
}

static void test_replyrecv_takes_the_next_request(void **state)
{
	struct proc *c1 = mkproc(4, 0), *c2 = mkproc(5, 0);
	struct proc *server = mkproc(9, 0);
	message_t req1 = msg(100, 1), req2 = msg(100, 2), reply = msg(0, 3);

	(void)state;
	assert_int_equal(ipc_send(c1, server->ep, &req1, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(ipc_send(c2, server->ep, &req2, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), 0);
	assert_msg(&server->msg, c1->ep, 100, 1);

	/* c1 gets its reply; c2's queued request is received at once. */
	assert_int_equal(ipc_replyrecv(server, c1->ep, &reply), 0);
	assert_msg(&c1->msg, server->ep, 0, 3);
	assert_int_equal(c1->rts, 0);
	assert_msg(&server->msg, c2->ep, 100, 2);
	assert_int_equal(server->rts, 0);
	assert_int_equal(c2->rts, RTS_RECEIVING);
	assert_int_equal(c2->getfrom, server->ep);
	assert_true(c2->in_sendrec);
	assert_woken(1, c1);
}

static void test_replyrecv_failed_reply_receives_nothing(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	struct proc *idle = mkproc(6, 0), *other = mkproc(7, 0);
	message_t reply = msg(0, 5), queued = msg(100, 6);

	(void)state;
	/* A request is waiting: a failed reply must not take it. */
	assert_int_equal(ipc_send(other, server->ep, &queued, 0), IPC_BLOCKED);
	assert_int_equal(ipc_replyrecv(server, ENDPOINT(3, 0), &reply),
			 -EDEADSRCDST);
	assert_int_equal(ipc_replyrecv(server, server->ep, &reply), -EINVAL);
	assert_int_equal(ipc_replyrecv(server, ENDPOINT_ANY, &reply), -EINVAL);
	/* A process that does not wait: a reply never blocks. */
	assert_int_equal(ipc_replyrecv(server, idle->ep, &reply), -EAGAIN);
	server->priv.send_to_any = false;
	assert_int_equal(ipc_replyrecv(server, client->ep, &reply), -EPERM);
	assert_int_equal(server->rts, 0);
	assert_int_equal(other->rts, RTS_SENDING);
	assert_ptr_equal(server->senders, other);
	assert_int_equal(idle->rts, 0);
	assert_int_equal(nwoken, 0);
}

static void test_replyrecv_takes_kernel_message_first(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	struct proc *other = mkproc(7, 0);
	message_t req = msg(100, 1), reply = msg(0, 2);

	(void)state;
	serve_request(client, server, &req);
	assert_int_equal(ipc_notify(other, server->ep), 0);
	kernel_msg_for = server;
	assert_int_equal(ipc_replyrecv(server, client->ep, &reply), 0);
	assert_int_equal(server->msg.m_source, ENDPOINT_KERNEL);
	assert_int_equal(server->msg.m_type, 0x1001);
	/* Then the notification. */
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), 0);
	assert_int_equal(server->msg.m_source, other->ep);
	assert_int_equal(server->msg.m_type, NOTIFY_MESSAGE);
}

/* ---- the fast path's decisions (ipc_fast.h) ---- */

static void test_fast_sendrec_only_to_a_waiting_receiver(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	struct proc *other = mkproc(7, 0);

	(void)state;
	/* Not receiving. */
	assert_null(ipc_fast_sendrec(client, server->ep));
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);
	assert_ptr_equal(ipc_fast_sendrec(client, server->ep), server);
	/* Not a live endpoint, itself, a special endpoint. */
	assert_null(ipc_fast_sendrec(client, ENDPOINT(9, 1)));
	assert_null(ipc_fast_sendrec(client, ENDPOINT(3, 0)));
	assert_null(ipc_fast_sendrec(client, client->ep));
	assert_null(ipc_fast_sendrec(client, ENDPOINT_ANY));
	assert_null(ipc_fast_sendrec(client, ENDPOINT_KERNEL));
	/* No privilege. */
	client->priv.send_to_any = false;
	assert_null(ipc_fast_sendrec(client, server->ep));
	client->priv.send_to = 1ULL << server->slot;
	assert_ptr_equal(ipc_fast_sendrec(client, server->ep), server);
	/* A caller that is not runnable in the IPC sense. */
	client->rts = RTS_DYING;
	assert_null(ipc_fast_sendrec(client, server->ep));
	client->rts = 0;
	/* A receiver being killed. */
	server->rts |= RTS_DYING;
	assert_null(ipc_fast_sendrec(client, server->ep));
	server->rts &= ~RTS_DYING;
	/* Receiving from someone else, or from the caller. */
	server->getfrom = other->ep;
	assert_null(ipc_fast_sendrec(client, server->ep));
	server->getfrom = client->ep;
	assert_ptr_equal(ipc_fast_sendrec(client, server->ep), server);
	/* Waiting for a reply: only that reply may end the wait. */
	server->in_sendrec = true;
	assert_null(ipc_fast_sendrec(client, server->ep));
	assert_int_equal(nwoken, 0);
}

static void test_fast_replyrecv_only_when_both_sides_would_block(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	struct proc *other = mkproc(7, 0);
	message_t req = msg(100, 1);

	(void)state;
	serve_request(client, server, &req);
	assert_ptr_equal(ipc_fast_replyrecv(server, client->ep, 0), client);
	/* The server's receive would not block: slow path. */
	assert_null(ipc_fast_replyrecv(server, client->ep, 1));
	server->notify_pending = 1;
	assert_null(ipc_fast_replyrecv(server, client->ep, 0));
	server->notify_pending = 0;
	server->notify_hw = 1;
	assert_null(ipc_fast_replyrecv(server, client->ep, 0));
	server->notify_hw = 0;
	server->notify_clock = true;
	assert_null(ipc_fast_replyrecv(server, client->ep, 0));
	server->notify_clock = false;
	assert_int_equal(ipc_send(other, server->ep, &req, 0), IPC_BLOCKED);
	assert_null(ipc_fast_replyrecv(server, client->ep, 0));
	/* A process not waiting for this server's reply. */
	assert_null(ipc_fast_replyrecv(server, other->ep, 0));
	assert_null(ipc_fast_replyrecv(other, client->ep, 0));
	client->in_sendrec = false;
	assert_null(ipc_fast_replyrecv(server, client->ep, 0));
}

static void test_fast_commit_matches_the_slow_path(void **state)
{
	struct proc *client = mkproc(4, 0), *server = mkproc(9, 0);
	struct proc *c2 = mkproc(5, 0), *s2 = mkproc(10, 0);
	message_t req = msg(100, 1), reply = msg(0, 2);

	(void)state;
	/* The slow path on c2/s2, the fast path on client/server. */
	assert_int_equal(ipc_receive(s2, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_receive(server, ENDPOINT_ANY), IPC_BLOCKED);
	assert_int_equal(ipc_send(c2, s2->ep, &req, IPC_F_SENDREC),
			 IPC_BLOCKED);
	assert_ptr_equal(ipc_fast_sendrec(client, server->ep), server);
	ipc_fast_commit(client, server, true);
	assert_int_equal(server->rts, s2->rts);
	assert_int_equal(server->getfrom, s2->getfrom);
	assert_int_equal(server->ipc_result, s2->ipc_result);
	assert_int_equal(client->rts, c2->rts);
	assert_int_equal(client->getfrom, server->ep);
	assert_int_equal(c2->getfrom, s2->ep);
	assert_true(client->in_sendrec);
	assert_int_equal(client->ipc_result, c2->ipc_result);
	assert_woken(1, s2); /* the fast path wakes no one: it switches */

	assert_int_equal(ipc_replyrecv(s2, c2->ep, &reply), IPC_BLOCKED);
	assert_ptr_equal(ipc_fast_replyrecv(server, client->ep, 0), client);
	ipc_fast_commit(server, client, false);
	assert_int_equal(client->rts, c2->rts);
	assert_int_equal(client->getfrom, c2->getfrom);
	assert_false(client->in_sendrec);
	assert_int_equal(client->ipc_result, c2->ipc_result);
	assert_int_equal(server->rts, s2->rts);
	assert_int_equal(server->getfrom, ENDPOINT_ANY);
	assert_false(server->in_sendrec);
	assert_int_equal(server->ipc_result, s2->ipc_result);
	assert_woken(2, s2, c2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_send_first_then_receive),
		T(test_receive_first_then_send),
		T(test_receive_from_specific_sender_first),
		T(test_m_source_cannot_be_forged),
		T(test_sendrec_round_trip),
		T(test_sendrec_queued_round_trip),
		T(test_sendrec_reply_only_from_server),
		T(test_queued_senders_are_fifo),
		T(test_receive_specific_skips_others),
		T(test_nonblocking_send),
		T(test_nonblocking_sendrec),
		T(test_stale_endpoint),
		T(test_special_endpoints_are_invalid),
		T(test_self_is_invalid),
		T(test_blocked_caller_is_refused),
		T(test_privilege_denied),
		T(test_deadlock_send_send),
		T(test_deadlock_three_cycle),
		T(test_deadlock_receive_receive),
		T(test_deadlock_receive_then_send),
		T(test_deadlock_server_receiving_from_waiting_client),
		T(test_no_false_deadlock),
		T(test_deadlock_walk_is_bounded),
		T(test_notify_coalesces),
		T(test_notify_delivered_to_receiver),
		T(test_notify_lowest_slot_first),
		T(test_notifications_before_messages),
		T(test_notify_not_taken_for_reply),
		T(test_hardware_and_clock_notifications),
		T(test_cleanup_wakes_everyone_waiting),
		T(test_cleanup_of_queued_sender),
		T(test_cleanup_of_receiver_and_idle),
		T(test_inconsistent_state_is_survived),
		T(test_receive_from_kernel),
		T(test_blocked_result_until_woken),
		T(test_replyrecv_round_trip),
		T(test_replyrecv_takes_the_next_request),
		T(test_replyrecv_failed_reply_receives_nothing),
		T(test_replyrecv_takes_kernel_message_first),
		T(test_fast_sendrec_only_to_a_waiting_receiver),
		T(test_fast_replyrecv_only_when_both_sides_would_block),
		T(test_fast_commit_matches_the_slow_path),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
