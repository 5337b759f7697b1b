/* SPDX-License-Identifier: MIT */
/* Faults that only an instruction of this architecture can make. */
#include <kernel/arch.h>

void arch_crash_illegal_insn(void)
{
	/* All-zero bits are defined to be an illegal instruction. */
	__asm__ volatile(".4byte 0x00000000" ::: "memory");
}

uint32_t arch_crash_misaligned_load(const void *p)
{
	uint32_t v;

	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
	return v;
}

void arch_crash_misaligned_atomic(void *p)
{
	__asm__ volatile("amoadd.w zero, zero, (%0)" ::"r"(p) : "memory");
}
