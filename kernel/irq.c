/* SPDX-License-Identifier: MIT */
/*
 * Device interrupt dispatch. The table is written at registration (under
 * irq_lock) and read by the trap path on any hart; an entry is published
 * by storing its handler last.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

struct irq_desc {
	irq_handler_fn fn;
	void *arg;
	const char *name;
	uint64_t count; /* atomic */
};

static struct irq_desc irq_table[IRQ_MAX];
static struct spinlock irq_lock = SPINLOCK_INIT("irq_lock");
static uint64_t spurious; /* atomic */

int irq_register(unsigned irq, irq_handler_fn fn, void *arg, const char *name,
		 unsigned cpu)
{
	int err;

	if (irq == 0 || irq >= IRQ_MAX || !fn)
		return -EINVAL;
	spin_lock(&irq_lock);
	if (irq_table[irq].fn) {
		spin_unlock(&irq_lock);
		return -EBUSY;
	}
	irq_table[irq].arg = arg;
	irq_table[irq].name = name;
	__atomic_store_n(&irq_table[irq].fn, fn, __ATOMIC_RELEASE);
	spin_unlock(&irq_lock);
	err = arch_irq_route(irq, cpu);
	if (err)
		pr_err("irq: cannot route irq %u (%s) to CPU%u: %d\n", irq,
		       name, cpu, err);
	return err;
}

void irq_external_interrupt(void)
{
	unsigned irq;

	while ((irq = arch_irq_claim()) != 0) {
		irq_handler_fn fn = irq < IRQ_MAX ?
					    __atomic_load_n(&irq_table[irq].fn,
							    __ATOMIC_ACQUIRE) :
					    NULL;

		if (fn) {
			__atomic_add_fetch(&irq_table[irq].count, 1,
					   __ATOMIC_RELAXED);
			fn(irq_table[irq].arg);
		} else {
			__atomic_add_fetch(&spurious, 1, __ATOMIC_RELAXED);
		}
		arch_irq_complete(irq);
	}
}

uint64_t irq_count(unsigned irq)
{
	return irq < IRQ_MAX ? __atomic_load_n(&irq_table[irq].count,
					       __ATOMIC_RELAXED) :
			       0;
}

uint64_t irq_spurious_count(void)
{
	return __atomic_load_n(&spurious, __ATOMIC_RELAXED);
}

const char *irq_name(unsigned irq)
{
	return irq < IRQ_MAX && irq_table[irq].name ? irq_table[irq].name : "";
}
