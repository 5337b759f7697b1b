/* SPDX-License-Identifier: MIT */
/*
 * Per-hart state. Each hart owns cpus[its index]; fields are written only
 * by their own hart unless a comment says otherwise, so they need no lock.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <kernel/arch.h>
#include <kernel/config.h>

struct thread;

enum cpu_state {
	CPU_OFFLINE = 0,
	CPU_ONLINE,
	CPU_STOPPED, /* parked by panic */
};

struct cpu {
	struct arch_cpu arch; /* must stay first: the trap entry uses it */
	unsigned id;
	enum cpu_state state; /* written by its own hart, read by all */
	struct thread *current;
	struct thread *idle;
	unsigned irq_depth;	/* >0 while handling an interrupt */
	bool in_scheduler;	/* inside schedule()'s critical section */
	bool in_oops;		/* inside the oops report of a fault */
	bool need_resched;	/* the running user thread's quantum is over */
	uint64_t ticks;		/* timer interrupts taken */
	uintptr_t last_tick_pc; /* pc interrupted by the last timer tick */
	uint64_t ipis;		/* inter-hart interrupts taken */
	/* Spinlocks held, innermost last (kernel threads never sleep holding
	 * one, so this is also the running thread's list). */
	const struct spinlock *held[8];
	unsigned nheld;
	uint64_t ipc_fast;	/* sendrec/replyrecv done by the fast path */
	uint64_t ipc_slow;	/* ... left to the slow path */
	uint64_t ipc_resumed;	/* fast-path waits a slow-path wake ended */
	unsigned irq_off_depth; /* irq_push_off() nesting (spinlock.c) */
	bool irq_was_on;	/* interrupts on before the outermost push */
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned ncpus; /* harts the device tree lists (capped at MAX_CPUS) */

/* This hart's struct cpu: tp on the target, no call. */
static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)arch_cpu_base();
}

static inline bool in_interrupt(void)
{
	return this_cpu()->irq_depth > 0;
}

#endif
