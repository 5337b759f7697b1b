/* SPDX-License-Identifier: MIT */
/*
 * Device interrupt dispatch. The table is written at registration (under
 * irq_lock) and read by the trap path on any hart; an entry is published
 * by storing its handler last.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/ipc.h>
#include <kernel/irq.h>
#include <axolotl/kcall.h>
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

/*
 * Interrupts of user-space drivers. A subscribed line is masked when it
 * fires and its owner gets a notification from ENDPOINT_HARDWARE (bit =
 * the line's index in its privilege table); the driver unmasks it with
 * IRQ_ACK once it has serviced the device. Level-triggered sources thus
 * cannot storm while the driver is busy.
 */
static struct proc *irq_owner[IRQ_MAX]; /* ipc_lock */
#define USER_IRQ_CPU 0

static int priv_irq_index(const struct proc *p, unsigned irq)
{
	for (unsigned i = 0; i < PRIV_MAX_IRQ; i++)
		if (irq && p->priv.irqs[i] == irq)
			return (int)i;
	return -1;
}

static void user_irq_handler(void *arg)
{
	unsigned irq = (unsigned)(uintptr_t)arg;
	struct proc *p;

	arch_irq_set_enabled(irq, USER_IRQ_CPU, false);
	spin_lock(&ipc_lock);
	p = irq_owner[irq];
	if (p)
		ipc_notify_hw(p, (unsigned)priv_irq_index(p, irq));
	spin_unlock(&ipc_lock);
}

static void irq_unregister(unsigned irq)
{
	arch_irq_set_enabled(irq, USER_IRQ_CPU, false);
	spin_lock(&irq_lock);
	__atomic_store_n(&irq_table[irq].fn, NULL, __ATOMIC_RELEASE);
	irq_table[irq].name = NULL;
	spin_unlock(&irq_lock);
}

int irq_user_ctl(struct proc *p, unsigned op, unsigned irq)
{
	int err = 0;

	if (irq == 0 || irq >= IRQ_MAX)
		return -EINVAL;
	if (priv_irq_index(p, irq) < 0)
		return -EPERM;
	spin_lock(&ipc_lock);
	if (irq_owner[irq] && irq_owner[irq] != p)
		err = -EBUSY;
	else if (op == IRQ_SUBSCRIBE && irq_owner[irq])
		err = -EBUSY;
	else if (op != IRQ_SUBSCRIBE && !irq_owner[irq])
		err = -EINVAL;
	else if (op == IRQ_SUBSCRIBE)
		irq_owner[irq] = p;
	else if (op == IRQ_UNSUBSCRIBE)
		irq_owner[irq] = NULL;
	else if (op != IRQ_ACK)
		err = -EINVAL;
	spin_unlock(&ipc_lock);
	if (err)
		return err;
	if (op == IRQ_SUBSCRIBE) {
		err = irq_register(irq, user_irq_handler,
				   (void *)(uintptr_t)irq, p->name,
				   USER_IRQ_CPU);
		if (err) {
			spin_lock(&ipc_lock);
			irq_owner[irq] = NULL;
			spin_unlock(&ipc_lock);
		}
	} else if (op == IRQ_ACK) {
		arch_irq_set_enabled(irq, USER_IRQ_CPU, true);
	} else {
		irq_unregister(irq);
	}
	return err;
}

void irq_user_release(struct proc *p)
{
	for (unsigned irq = 1; irq < IRQ_MAX; irq++) {
		bool mine;

		spin_lock(&ipc_lock);
		mine = irq_owner[irq] == p;
		if (mine)
			irq_owner[irq] = NULL;
		spin_unlock(&ipc_lock);
		if (mine)
			irq_unregister(irq);
	}
}
