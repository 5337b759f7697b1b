/* SPDX-License-Identifier: MIT */
/*
 * isolation: two processes running the same program have separate memory
 * at the same virtual addresses, and a process cannot write its own text.
 * Started twice with different arguments:
 *
 *	start=isolation:1,isolation:2
 *
 * Each instance N (1..9) first checks that its initialised global array
 * (.data, two pages) still holds the value it was linked with, although
 * the other instance writes the same addresses, then fills it and an
 * array on its stack with a pattern of its own, and five times sleeps,
 * yields and checks that every word is still its own. It prints
 *
 *	isolation: instance N: fresh data at <addr>
 *	isolation: instance N: own memory intact at <addr>
 *	isolation: instance N: writing to own text at <addr>
 *
 * (the same <addr> in both instances for the first two lines), then
 * stores to its own text, which must kill it with a store page fault at
 * that address. If it survives it prints
 *
 *	isolation: instance N: survived a write to its own text (FAIL)
 *
 * and exits 1; a corrupted word prints a "(FAIL)" line and exits 1.
 */
#include <stdio.h>
#include <axo.h>

#define WORDS 2048 /* two pages */
#define STACK_WORDS 256
#define ROUNDS 5
#define LINKED 0xa5c3e1f0u

/* Linked with a value: every process must get its own fresh copy. */
static volatile uint32_t area[WORDS]
	__attribute__((aligned(4096))) = { [0 ... WORDS - 1] = LINKED };

static uint32_t pattern(long n, unsigned i)
{
	return (uint32_t)n << 28 ^ (i * 2654435761u);
}

/* An address the compiler cannot reason about. */
static uintptr_t opaque(uintptr_t a)
{
	asm volatile("" : "+r"(a));
	return a;
}

/* Index of the first word of a[] that is not pattern(n, i), or -1. */
static long first_bad(volatile uint32_t *a, unsigned words, long n)
{
	for (unsigned i = 0; i < words; i++)
		if (a[i] != pattern(n, i))
			return i;
	return -1;
}

int main(long n)
{
	volatile uint32_t stack[STACK_WORDS];
	volatile uint32_t *text;
	long bad;

	if (n < 1 || n > 9) {
		printf("isolation: bad instance number %ld (FAIL)\n", n);
		return 2;
	}
	for (unsigned i = 0; i < WORDS; i++) {
		if (area[i] != LINKED) {
			printf("isolation: instance %ld: word %u is %#x before any write, expected %#x (FAIL)\n",
			       n, i, (unsigned)area[i], LINKED);
			return 1;
		}
	}
	printf("isolation: instance %ld: fresh data at %p\n", n, (void *)area);

	for (unsigned i = 0; i < WORDS; i++)
		area[i] = pattern(n, i);
	for (unsigned i = 0; i < STACK_WORDS; i++)
		stack[i] = pattern(n, i);
	for (int round = 0; round < ROUNDS; round++) {
		kc_sleep(20);
		kc_yield();
		bad = first_bad(area, WORDS, n);
		if (bad < 0)
			bad = first_bad(stack, STACK_WORDS, n);
		if (bad >= 0) {
			printf("isolation: instance %ld: round %d: word %ld changed (FAIL)\n",
			       n, round, bad);
			return 1;
		}
	}
	printf("isolation: instance %ld: own memory intact at %p\n", n,
	       (void *)area);

	text = (volatile uint32_t *)opaque((uintptr_t)main);
	printf("isolation: instance %ld: writing to own text at %p\n", n,
	       (void *)text);
	*text = 0;
	printf("isolation: instance %ld: survived a write to its own text (FAIL)\n",
	       n);
	return 1;
}
