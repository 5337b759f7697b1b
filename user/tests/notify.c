/* SPDX-License-Identifier: MIT */
/*
 * notify: notifications coalesce, and the clock's alarm arrives as one.
 * The same program plays both roles, chosen by the start argument:
 *
 *	start=notify:0,notify:prev
 *
 * The first instance (argument 0), the receiver, sleeps 200 ms. The
 * second (argument: the receiver's endpoint), the notifier, checks that
 * notifying itself or ENDPOINT_ANY is -EINVAL and a stale endpoint
 * -EDEADSRCDST, notifies the receiver three times (each 0), then waits in
 * a receive from the receiver, which is how the receiver knows that all
 * three notifies are done: after its sleep it looks up the notifier with
 * KC_PROC_INFO and waits until that process is blocked receiving.
 *
 * The receiver then receives from anyone: it must get one notification
 * (m_type NOTIFY_MESSAGE, every word 0) from the notifier. It sets a
 * 50 ms alarm and receives again: the next message must be the clock's
 * notification (source ENDPOINT_CLOCK), so no second notification from
 * the notifier was pending. Last it asks the notifier (sendrec) how many
 * notifies succeeded. Lines on success:
 *
 *	notify: notifier: 3 notifies sent to <ep>
 *	notify: notification from <ep>
 *	notify: alarm from the clock
 *	notify: 3 notifies coalesced into 1
 *	notify: notifier ok
 *	notify: receiver ok
 *
 * Each exits 0 on success; a failed check prints a line ending in
 * "(FAIL)" and the exit status is 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <axo.h>
#include <axolotl/errno.h>

#define NOTIFIES 3
#define RTS_RECEIVING 0x04 /* the kernel's bit in KC_PROC_INFO's state */
#define NR_SLOTS 64

#define NOTIFY_ASK 0x4e01   /* receiver -> notifier: how many? */
#define NOTIFY_COUNT 0x4e02 /* reply: [0] notifies that returned 0 */

static int failures;

static void check(const char *who, const char *what, int got, int want)
{
	if (got == want) {
		printf("notify: %s: %s = %d\n", who, what, got);
	} else {
		printf("notify: %s: %s = %d, expected %d (FAIL)\n", who, what,
		       got, want);
		failures++;
	}
}

/* Whether every payload word of a notification is 0. */
static bool empty_payload(const message_t *m)
{
	for (unsigned i = 0; i < IPC_MSG_WORDS - 1; i++)
		if (m->m_u64[i])
			return false;
	return true;
}

/*
 * The other instance of this program, once it is blocked receiving;
 * ENDPOINT_NONE if it does not get there within about two seconds.
 */
static endpoint_t find_notifier(endpoint_t self)
{
	struct axo_proc_info info;

	for (int tries = 0; tries < 100; tries++) {
		for (unsigned slot = 0; slot < NR_SLOTS; slot++) {
			if (kc_proc_info(slot, &info))
				continue;
			if (info.ep != self &&
			    strcmp(info.name, "notify") == 0 &&
			    (info.state & RTS_RECEIVING))
				return info.ep;
		}
		kc_sleep(20);
	}
	return ENDPOINT_NONE;
}

static int receiver(void)
{
	endpoint_t self = ENDPOINT_NONE, notifier;
	uint64_t t0 = 0, t1 = 0;
	message_t m;
	int r;

	kc_getinfo(&self, NULL, NULL);
	check("receiver", "sleep 200 ms", kc_sleep(200), 0);
	notifier = find_notifier(self);
	if (notifier == ENDPOINT_NONE) {
		printf("notify: the notifier never blocked receiving (FAIL)\n");
		return 1;
	}

	memset(&m, 0x55, sizeof(m));
	r = ipc_receive(ENDPOINT_ANY, &m);
	if (r || m.m_source != notifier || m.m_type != NOTIFY_MESSAGE ||
	    !empty_payload(&m)) {
		printf("notify: receive = %d: type %#x from %d, word 0 %#lx, expected a notification from %d (FAIL)\n",
		       r, (unsigned)m.m_type, m.m_source,
		       (unsigned long)m.m_u64[0], notifier);
		return 1;
	}
	printf("notify: notification from %d\n", m.m_source);

	check("receiver", "alarm 50 ms", kc_alarm(50), 0);
	kc_uptime(&t0, NULL);
	memset(&m, 0x55, sizeof(m));
	r = ipc_receive(ENDPOINT_ANY, &m);
	kc_uptime(&t1, NULL);
	if (r || m.m_source != ENDPOINT_CLOCK || m.m_type != NOTIFY_MESSAGE ||
	    !empty_payload(&m)) {
		printf("notify: receive = %d: type %#x from %d, expected the clock's notification (FAIL)\n",
		       r, (unsigned)m.m_type, m.m_source);
		return 1;
	}
	if (t1 - t0 < 49) {
		printf("notify: alarm after %lu ms, expected 50 (FAIL)\n",
		       (unsigned long)(t1 - t0));
		failures++;
	}
	printf("notify: alarm from the clock\n");

	m = (message_t){ .m_type = NOTIFY_ASK };
	r = ipc_sendrec(notifier, &m);
	if (r || m.m_source != notifier || m.m_type != NOTIFY_COUNT) {
		printf("notify: sendrec = %d, reply type %#x (FAIL)\n", r,
		       (unsigned)m.m_type);
		return 1;
	}
	if (m.m_u64[0] != NOTIFIES) {
		printf("notify: the notifier made %lu notifies, expected %d (FAIL)\n",
		       (unsigned long)m.m_u64[0], NOTIFIES);
		return 1;
	}
	printf("notify: %d notifies coalesced into 1\n", NOTIFIES);
	if (failures)
		return 1;
	printf("notify: receiver ok\n");
	return 0;
}

static int notifier(endpoint_t to)
{
	endpoint_t self = ENDPOINT_NONE;
	endpoint_t stale = ENDPOINT(ENDPOINT_SLOT(to),
				    (ENDPOINT_GEN(to) + 1) & ENDPOINT_GEN_MAX);
	unsigned sent = 0;
	message_t m;
	int r;

	kc_getinfo(&self, NULL, NULL);
	check("notifier", "notify self", ipc_notify(self), -EINVAL);
	check("notifier", "notify ENDPOINT_ANY", ipc_notify(ENDPOINT_ANY),
	      -EINVAL);
	check("notifier", "notify a stale endpoint", ipc_notify(stale),
	      -EDEADSRCDST);
	for (int i = 0; i < NOTIFIES; i++) {
		r = ipc_notify(to);
		if (r == 0)
			sent++;
		else
			check("notifier", "notify", r, 0);
	}
	printf("notify: notifier: %u notifies sent to %d\n", sent, to);

	/* Blocked here is the receiver's sign that the notifies are done. */
	r = ipc_receive(to, &m);
	if (r || m.m_type != NOTIFY_ASK) {
		printf("notify: notifier: receive = %d, type %#x (FAIL)\n", r,
		       (unsigned)m.m_type);
		return 1;
	}
	m = (message_t){ .m_type = NOTIFY_COUNT };
	m.m_u64[0] = sent;
	check("notifier", "reply", ipc_send(to, &m), 0);
	if (failures)
		return 1;
	printf("notify: notifier ok\n");
	return 0;
}

int main(long arg)
{
	if (arg < 0 || arg > INT32_MAX) {
		printf("notify: bad start argument %ld (FAIL)\n", arg);
		return 2;
	}
	return arg ? notifier((endpoint_t)arg) : receiver();
}
