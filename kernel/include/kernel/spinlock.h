/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks. Taking one disables local interrupts (nested, like xv6's
 * push_off/pop_off) so that an interrupt handler on the same hart can never
 * spin on a lock its own hart holds. Each lock records its owner hart and
 * where it was taken, for lockup reports and for the oops report of a
 * thread that died holding locks.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/types.h>

struct spinlock {
	uint32_t locked;    /* 0 or 1, changed only atomically */
	int32_t owner_cpu;  /* hart that holds it, -1 when free */
	uintptr_t taken_at; /* return address of the spin_lock() call */
	uint32_t taken_seq; /* counts holdings: tells one from the next */
	const char *name;
};

#define SPINLOCK_INIT(n)                                                     \
	{                                                                    \
		.locked = 0, .owner_cpu = -1, .taken_at = 0, .taken_seq = 0, \
		.name = (n)                                                  \
	}

void spin_init(struct spinlock *lock, const char *name);
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
/* Take the lock only if it is free; true on success. */
bool spin_trylock(struct spinlock *lock);
/* True if this hart holds the lock. */
bool spin_held(const struct spinlock *lock);
/* True if the lock is held by cpu (a snapshot: it may change at once). */
bool spin_held_by(const struct spinlock *lock, unsigned cpu);

/*
 * For the IPC fast path only (docs/ipc.md): take and release lock with
 * interrupts already off, recording the owner hart but neither the held
 * list nor the interrupt nesting. Such a holding never spans a call that
 * could sleep or report, so the oops report cannot miss it.
 */
static inline void spin_lock_raw(struct spinlock *lock, unsigned cpu)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			;
	lock->owner_cpu = (int32_t)cpu;
}

static inline void spin_unlock_raw(struct spinlock *lock)
{
	lock->owner_cpu = -1;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/* Interrupt-off nesting per hart (interrupts return on when it reaches 0). */
void irq_push_off(void);
void irq_pop_off(void);
/* Depth of irq_push_off() nesting on this hart. */
unsigned irq_off_depth(void);
/*
 * Whether interrupts come back on when the nesting ends. The scheduler
 * keeps this per thread across a context switch (as xv6 keeps intena);
 * the oops path resets the nesting of a thread it kills.
 */
bool irq_nest_was_on(void);
void irq_nest_set_was_on(bool on);
void irq_nest_reset(void);

#endif
