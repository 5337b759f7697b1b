/* SPDX-License-Identifier: MIT */
/*
 * What bench and bench_peer share: the message types of their protocol
 * and the raw IPC trap they time (no runtime wrapper in the measured
 * path).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

#include <axo.h>

#define BENCH_PING 0x42500001
#define BENCH_NOTIFY 0x42500002
#define BENCH_YIELD 0x42500003
#define BENCH_EXIT 0x42500004

/* The message, as the eight registers a0..a7 of the trap. */
struct regs {
	uint64_t a[IPC_MSG_WORDS];
};

/*
 * One IPC trap: t0 = op, t1 = ep, a0..a7 = r->a; returns t0 and leaves
 * a0..a7 in r->a. Always inlined into a loop whose struct regs is a local
 * variable, so the compiler keeps the message in the argument registers.
 */
static inline __attribute__((always_inline)) long trap(long op, long ep,
						       struct regs *r)
{
	register long t0 __asm__("t0") = op;
	register long t1 __asm__("t1") = ep;
	register uint64_t a0 __asm__("a0") = r->a[0];
	register uint64_t a1 __asm__("a1") = r->a[1];
	register uint64_t a2 __asm__("a2") = r->a[2];
	register uint64_t a3 __asm__("a3") = r->a[3];
	register uint64_t a4 __asm__("a4") = r->a[4];
	register uint64_t a5 __asm__("a5") = r->a[5];
	register uint64_t a6 __asm__("a6") = r->a[6];
	register uint64_t a7 __asm__("a7") = r->a[7];

	__asm__ volatile("ecall"
			 : "+r"(t0), "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3),
			   "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
			 : "r"(t1)
			 : "memory");
	r->a[0] = a0;
	r->a[1] = a1;
	r->a[2] = a2;
	r->a[3] = a3;
	r->a[4] = a4;
	r->a[5] = a5;
	r->a[6] = a6;
	r->a[7] = a7;
	return t0;
}

#endif
