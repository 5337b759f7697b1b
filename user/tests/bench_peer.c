/* SPDX-License-Identifier: MIT */
/*
 * bench_peer: the server half of the IPC benchmark (see bench.c, which is
 * started right after it with this program's endpoint as its argument:
 * start=bench_peer,bench:prev, on one hart).
 *
 * It receives from anyone and answers each BENCH_PING at once with a
 * replyrecv (the reply to the requester, which waits in the receive half
 * of its sendrec, and the next receive in one trap): that is the round
 * trip bench measures. The other requests are commands, each
 * answered first and then carried out:
 *
 *   BENCH_NOTIFY n  n times: receive from anyone (bench's notification),
 *                   then notify bench (the notify ping-pong);
 *   BENCH_YIELD n   n times KC_YIELD (the yield ping-pong);
 *   BENCH_EXIT      exit with the number of failed traps (at most 255).
 *
 * The hot loops trap with inline ecalls that keep the message in a0..a7,
 * so the only user-mode work between two traps is a compare or two and
 * the loading of t0/t1, the same few instructions a hand-written server
 * loop would need. Nothing is printed in a measured loop: a failed trap
 * is counted and reported after the next command.
 *
 * Output: "bench_peer: ready, endpoint <ep>" once, and a line per failed
 * trap (at most 10) after the loop it happened in.
 *
 * bench.h holds the message types and the raw trap both programs use.
 */
#include <stdbool.h>
#include <stdio.h>
#include <axo.h>

#include "bench.h"

static inline endpoint_t source_of(const struct regs *r)
{
	return (endpoint_t)(uint32_t)r->a[0];
}

static inline uint32_t type_of(const struct regs *r)
{
	return (uint32_t)(r->a[0] >> 32);
}

static unsigned long errors;
static long last_error;

static inline void check(long r)
{
	if (__builtin_expect(r != 0, 0)) {
		errors++;
		last_error = r;
	}
}

/* The notify ping-pong: n times, take bench's notification, notify back. */
static void notify_loop(endpoint_t client, unsigned long n)
{
	struct regs r = { { 0 } };

	for (unsigned long i = 0; i < n; i++) {
		check(trap(IPC_RECEIVE, ENDPOINT_ANY, &r));
		check(trap(IPC_NOTIFY, client, &r));
	}
}

/* The yield ping-pong: n kernel calls KC_YIELD. */
static void yield_loop(unsigned long n)
{
	struct regs r = { { 0 } };

	for (unsigned long i = 0; i < n; i++) {
		r.a[0] = (uint64_t)KC_YIELD << 32;
		check(trap(IPC_KERNEL_CALL, ENDPOINT_KERNEL, &r));
	}
}

/* Answer a command from src, then carry it out; true for BENCH_EXIT. */
static bool command(endpoint_t src, struct regs *r)
{
	unsigned long n = r->a[1];

	switch (type_of(r)) {
	case BENCH_NOTIFY:
		check(trap(IPC_SEND, src, r));
		notify_loop(src, n);
		return false;
	case BENCH_YIELD:
		check(trap(IPC_SEND, src, r));
		yield_loop(n);
		return false;
	case BENCH_EXIT:
		check(trap(IPC_SEND, src, r));
		return true;
	default:
		return false; /* not ours: the sender is not waiting */
	}
}

int main(void)
{
	unsigned long reported = 0;
	endpoint_t self = ENDPOINT_NONE;
	struct regs r = { { 0 } };
	endpoint_t src;
	long e;

	kc_getinfo(&self, NULL, NULL);
	printf("bench_peer: ready, endpoint %d\n", self);
	check(trap(IPC_RECEIVE, ENDPOINT_ANY, &r));
	for (;;) {
		src = source_of(&r);
		if (__builtin_expect(type_of(&r) == BENCH_PING, 1)) {
			/* The reply and the next receive, in one trap. */
			e = trap(IPC_REPLYRECV, src, &r);
			if (__builtin_expect(e == 0, 1))
				continue;
			check(e); /* the reply failed: nothing received */
		} else if (src >= 0 && command(src, &r)) {
			break;
		}
		for (; reported < errors && reported < 10; reported++)
			printf("bench_peer: trap failed: %ld\n", last_error);
		check(trap(IPC_RECEIVE, ENDPOINT_ANY, &r));
	}
	if (errors)
		printf("bench_peer: %lu failed traps\n", errors);
	return errors > 255 ? 255 : (int)errors;
}
