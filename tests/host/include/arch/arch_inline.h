/* SPDX-License-Identifier: MIT */
/* Host stand-ins for the arch interface's inlines (see host_arch.c). */
#ifndef ARCH_ARCH_INLINE_H
#define ARCH_ARCH_INLINE_H

#include <stdbool.h>
#include <arch/arch_types.h>

struct arch_cpu;

extern bool host_irqs_on;

/* &cpus[host_cpu].arch: out of line, since cpus[] is not declared yet. */
struct arch_cpu *arch_cpu_base(void);

static inline struct trap_frame *arch_user_frame(uintptr_t stack_top)
{
	return (struct trap_frame *)(stack_top - sizeof(struct trap_frame));
}

static inline void arch_context_init(struct arch_context *ctx,
				     uintptr_t stack_top, void (*entry)(void *),
				     void *arg)
{
	(void)ctx, (void)stack_top, (void)entry, (void)arg;
}

static inline void arch_set_current_stack(uintptr_t lo, uintptr_t top)
{
	(void)lo, (void)top;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long old = host_irqs_on;

	host_irqs_on = false;
	return old;
}

static inline void arch_irq_restore(unsigned long flags)
{
	host_irqs_on = flags != 0;
}

static inline void arch_irq_enable(void)
{
	host_irqs_on = true;
}

static inline void arch_irq_disable(void)
{
	host_irqs_on = false;
}

static inline bool arch_irqs_enabled(void)
{
	return host_irqs_on;
}

#endif
