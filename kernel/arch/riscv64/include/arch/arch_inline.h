/* SPDX-License-Identifier: MIT */
/*
 * The parts of the arch interface (kernel/arch.h) that the hot paths call
 * on every trap and every lock, as static inlines: a call into arch.c for
 * one CSR instruction costs more than the instruction. tp holds the hart's
 * struct cpu (whose first member is its struct arch_cpu) while in the
 * kernel; the trap entry keeps it so.
 */
#ifndef ARCH_ARCH_INLINE_H
#define ARCH_ARCH_INLINE_H

#include <stdbool.h>
#include <arch/arch_types.h>

struct arch_cpu;

#define ARCH_SSTATUS_SIE 0x2UL

static inline struct arch_cpu *arch_cpu_base(void)
{
	struct arch_cpu *c;

	__asm__("mv %0, tp" : "=r"(c));
	return c;
}

extern char thread_trampoline[];

/*
 * Prepare ctx so that the first arch_context_switch() to it calls
 * entry(arg) on the stack that ends at stack_top. Only these registers:
 * thread_trampoline (trapentry.S) reads no other.
 */
static inline void arch_context_init(struct arch_context *ctx,
				     uintptr_t stack_top, void (*entry)(void *),
				     void *arg)
{
	ctx->ra = (uintptr_t)thread_trampoline;
	ctx->sp = stack_top;
	ctx->s[0] = 0; /* s0: the end of the frame chain */
	ctx->s[1] = (uintptr_t)arg;
	ctx->s[2] = (uintptr_t)entry;
}

/* Tell the trap entry which stack this hart now runs on. */
static inline void arch_set_current_stack(uintptr_t lo, uintptr_t top)
{
	struct arch_cpu *c = arch_cpu_base();

	c->kstack_lo = lo;
	c->kstack_top = top;
	c->on_emerg = 0;
}

/* The frame a trap from user mode saves at the top of a thread's stack. */
static inline struct trap_frame *arch_user_frame(uintptr_t stack_top)
{
	return (struct trap_frame *)(stack_top - sizeof(struct trap_frame));
}

/* Disable local interrupts; nonzero if they were on. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long old;

	__asm__ volatile("csrrci %0, sstatus, 2" : "=r"(old)::"memory");
	return old & ARCH_SSTATUS_SIE;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & ARCH_SSTATUS_SIE)
		__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("csrci sstatus, 2" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	unsigned long s;

	__asm__ volatile("csrr %0, sstatus" : "=r"(s)::"memory");
	return s & ARCH_SSTATUS_SIE;
}

#endif
