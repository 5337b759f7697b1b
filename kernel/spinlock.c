/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks and the per-hart interrupt-off nesting beneath them.
 *
 * The nesting counter lives in the hart's struct cpu (reached through tp
 * without a call); only its own hart touches it, with interrupts off, so
 * it needs no lock. The interrupt state before the outermost
 * irq_push_off() is restored by the matching outermost irq_pop_off().
 *
 * Every taken lock records its owner hart, the caller's address and a
 * holding count (for lockup reports and printk's "same holder" test),
 * and is pushed on the hart's held list for the oops report. Locks are
 * almost always released innermost first, so the release looks at the
 * top of that list before searching it: a lock/unlock pair costs a few
 * dozen instructions.
 */
#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>

static inline void push_off(struct cpu *c)
{
	unsigned long flags = arch_irq_save();

	if (c->irq_off_depth++ == 0)
		c->irq_was_on = flags != 0;
}

static inline void pop_off(struct cpu *c)
{
	if (c->irq_off_depth == 0)
		return; /* unbalanced: keep interrupts off rather than guess */
	if (--c->irq_off_depth == 0 && c->irq_was_on)
		arch_irq_enable();
}

void irq_push_off(void)
{
	push_off(this_cpu());
}

void irq_pop_off(void)
{
	pop_off(this_cpu());
}

bool irq_nest_was_on(void)
{
	return this_cpu()->irq_was_on;
}

void irq_nest_set_was_on(bool on)
{
	this_cpu()->irq_was_on = on;
}

void irq_nest_reset(void)
{
	struct cpu *c = this_cpu();

	c->irq_off_depth = 0;
	c->irq_was_on = false;
}

unsigned irq_off_depth(void)
{
	return this_cpu()->irq_off_depth;
}

void spin_init(struct spinlock *lock, const char *name)
{
	*lock = (struct spinlock)SPINLOCK_INIT(name);
}

static inline void note_owner(struct cpu *c, struct spinlock *lock,
			      uintptr_t where)
{
	lock->owner_cpu = (int32_t)c->id;
	lock->taken_at = where;
	lock->taken_seq++;
	if (c->nheld < ARRAY_SIZE(c->held))
		c->held[c->nheld] = lock;
	c->nheld++; /* counts past the array: the report says so */
}

/* Take lock off the held list when it is not the innermost (rare). */
static void forget_out_of_order(struct cpu *c, struct spinlock *lock)
{
	unsigned n = MIN(c->nheld, (unsigned)ARRAY_SIZE(c->held));

	for (unsigned i = n; i-- > 0;) {
		if (c->held[i] == lock) {
			for (; i + 1 < n; i++)
				c->held[i] = c->held[i + 1];
			break;
		}
	}
}

static inline void forget_owner(struct cpu *c, struct spinlock *lock)
{
	unsigned n = c->nheld;

	if (n > ARRAY_SIZE(c->held) || (n && c->held[n - 1] != lock))
		forget_out_of_order(c, lock);
	if (n)
		c->nheld = n - 1;
	lock->owner_cpu = -1;
	lock->taken_at = 0;
}

void spin_lock(struct spinlock *lock)
{
	struct cpu *c = this_cpu();

	push_off(c);
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(lock->locked))
			arch_cpu_relax();
	note_owner(c, lock, (uintptr_t)__builtin_return_address(0));
}

bool spin_trylock(struct spinlock *lock)
{
	struct cpu *c = this_cpu();

	push_off(c);
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		pop_off(c);
		return false;
	}
	note_owner(c, lock, (uintptr_t)__builtin_return_address(0));
	return true;
}

void spin_unlock(struct spinlock *lock)
{
	struct cpu *c = this_cpu();

	forget_owner(c, lock);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	pop_off(c);
}

bool spin_held_by(const struct spinlock *lock, unsigned cpu)
{
	return READ_ONCE(lock->locked) &&
	       READ_ONCE(lock->owner_cpu) == (int32_t)cpu;
}

bool spin_held(const struct spinlock *lock)
{
	return READ_ONCE(lock->locked) &&
	       READ_ONCE(lock->owner_cpu) == (int32_t)this_cpu()->id;
}
