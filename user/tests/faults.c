/* SPDX-License-Identifier: MIT */
/*
 * faults: make one kind of fault, chosen by the start argument, and
 * expect the kernel to end the process for it. It prints
 *
 *	faults: mode <n>: <what>
 *
 * just before the fault, and, if it is still alive afterwards,
 *
 *	faults: mode <n> survived (BUG)
 *
 * and exits 1. An unknown mode prints "faults: unknown mode <n>" and
 * exits 2. The modes:
 *
 *	0  store to 0x10, in the never-mapped first page
 *	1  store to the kernel image (0xffffffff80200000)
 *	2  call code placed in a data array (RW, not X)
 *	3  illegal instruction (an all-zero word)
 *	4  misaligned atomic (amoadd.w at an odd address)
 *	5  ebreak
 *	6  store to its own text (R-X)
 *	7  load from the kernel image
 *	8  jump to address 0
 *	9  stack overflow: unbounded recursion down into the stack guard
 *	10 read a supervisor CSR (sstatus)
 *	11 sret from user mode
 */
#include <stdio.h>
#include <stdint.h>
#include <axo.h>

#define KERNEL_IMAGE 0xffffffff80200000UL

/* "ret" (jalr x0, 0(ra)): harmless if the page were executable. */
static uint32_t data_code[4] = { 0x00008067, 0x00008067, 0x00008067,
				 0x00008067 };
static uint32_t amo_target[4];

/* Never reached: only keeps the recursion from looking infinite. */
static volatile unsigned long recurse_limit = ~0UL;

static unsigned long recurse(unsigned long depth)
{
	volatile char frame[1024];

	if (depth == recurse_limit)
		return 0;
	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = frame[0];
	return recurse(depth + 1) + frame[sizeof(frame) - 1];
}

static const char *const names[] = {
	"store to the NULL page", "store to the kernel",   "execute data",
	"illegal instruction",	  "misaligned atomic",	   "ebreak",
	"store to own text",	  "load from the kernel",  "jump to address 0",
	"stack overflow",	  "read a supervisor CSR", "sret in user mode",
};

#define NR_MODES (long)(sizeof(names) / sizeof(names[0]))

/* An address gcc cannot see through (it rejects constant bad pointers). */
static uintptr_t opaque(uintptr_t a)
{
	asm volatile("" : "+r"(a));
	return a;
}

static void fault(long mode)
{
	void (*fn)(void);
	unsigned long v;

	switch (mode) {
	case 0:
		*(volatile uint32_t *)opaque(0x10) = 1;
		break;
	case 1:
		*(volatile uint64_t *)opaque(KERNEL_IMAGE) = 0;
		break;
	case 2:
		fn = (void (*)(void))opaque((uintptr_t)data_code);
		fn();
		break;
	case 3:
		asm volatile(".word 0");
		break;
	case 4:
		asm volatile("amoadd.w %0, %2, (%1)"
			     : "=r"(v)
			     : "r"((uintptr_t)amo_target + 1), "r"(1)
			     : "memory");
		break;
	case 5:
		asm volatile("ebreak");
		break;
	case 6:
		*(volatile uint32_t *)opaque((uintptr_t)fault) = 0;
		break;
	case 7:
		v = *(volatile uint64_t *)opaque(KERNEL_IMAGE);
		printf("faults: read %#lx from the kernel\n", v);
		break;
	case 8:
		fn = (void (*)(void))opaque(0);
		fn();
		break;
	case 9:
		v = recurse(0);
		printf("faults: recursion returned %lu\n", v);
		break;
	case 10:
		asm volatile("csrr %0, sstatus" : "=r"(v));
		printf("faults: sstatus = %#lx\n", v);
		break;
	case 11:
		asm volatile("sret");
		break;
	}
}

int main(long mode)
{
	if (mode < 0 || mode >= NR_MODES) {
		printf("faults: unknown mode %ld\n", mode);
		return 2;
	}
	printf("faults: mode %ld: %s\n", mode, names[mode]);
	fault(mode);
	printf("faults: mode %ld survived (BUG)\n", mode);
	return 1;
}
