/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks and the per-hart interrupt-off nesting beneath them.
 *
 * The nesting counter lives in a per-cpu array indexed by arch_cpu_id();
 * only its own hart touches an entry, with interrupts off, so it needs no
 * lock. The interrupt state before the outermost irq_push_off() is restored
 * by the matching outermost irq_pop_off().
 */
#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>

struct irq_nest {
	unsigned depth;
	bool was_on;
};

static struct irq_nest nest[MAX_CPUS];

void irq_push_off(void)
{
	unsigned long flags = arch_irq_save();
	struct irq_nest *n = &nest[arch_cpu_id()];

	if (n->depth++ == 0)
		n->was_on = flags != 0;
}

void irq_pop_off(void)
{
	struct irq_nest *n = &nest[arch_cpu_id()];

	if (n->depth == 0)
		return; /* unbalanced: keep interrupts off rather than guess */
	if (--n->depth == 0 && n->was_on)
		arch_irq_enable();
}

bool irq_nest_was_on(void)
{
	return nest[arch_cpu_id()].was_on;
}

void irq_nest_set_was_on(bool on)
{
	nest[arch_cpu_id()].was_on = on;
}

void irq_nest_reset(void)
{
	nest[arch_cpu_id()] = (struct irq_nest){ 0, false };
}

unsigned irq_off_depth(void)
{
	return nest[arch_cpu_id()].depth;
}

void spin_init(struct spinlock *lock, const char *name)
{
	*lock = (struct spinlock)SPINLOCK_INIT(name);
}

static void note_owner(struct spinlock *lock, uintptr_t where)
{
	struct cpu *c = this_cpu();

	lock->owner_cpu = (int32_t)c->id;
	lock->taken_at = where;
	lock->taken_time = arch_time_now();
	if (c->nheld < ARRAY_SIZE(c->held))
		c->held[c->nheld] = lock;
	c->nheld++; /* counts past the array: the report says so */
}

static void forget_owner(struct spinlock *lock)
{
	struct cpu *c = this_cpu();
	unsigned n = MIN(c->nheld, (unsigned)ARRAY_SIZE(c->held));

	for (unsigned i = n; i-- > 0;) {
		if (c->held[i] == lock) {
			for (; i + 1 < n; i++)
				c->held[i] = c->held[i + 1];
			break;
		}
	}
	if (c->nheld)
		c->nheld--;
	lock->owner_cpu = -1;
	lock->taken_at = 0;
}

void spin_lock(struct spinlock *lock)
{
	irq_push_off();
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(lock->locked))
			arch_cpu_relax();
	note_owner(lock, (uintptr_t)__builtin_return_address(0));
}

bool spin_trylock(struct spinlock *lock)
{
	irq_push_off();
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		irq_pop_off();
		return false;
	}
	note_owner(lock, (uintptr_t)__builtin_return_address(0));
	return true;
}

void spin_unlock(struct spinlock *lock)
{
	forget_owner(lock);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	irq_pop_off();
}

bool spin_held_by(const struct spinlock *lock, unsigned cpu)
{
	return READ_ONCE(lock->locked) &&
	       READ_ONCE(lock->owner_cpu) == (int32_t)cpu;
}

bool spin_held(const struct spinlock *lock)
{
	return READ_ONCE(lock->locked) &&
	       READ_ONCE(lock->owner_cpu) == (int32_t)arch_cpu_id();
}
