/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and the scheduler that runs them.
 *
 * Kernel threads are not preempted: a thread runs until it blocks, yields
 * or exits (like a Linux kernel without CONFIG_PREEMPT), which is what lets
 * the soft-lockup detector see a thread that never schedules. Each thread
 * has its own stack with an unmapped guard page below it.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>

#define SCHED_NR_PRIO 16    /* priority levels; 0 is the most urgent */
#define SCHED_PRIO_KERNEL 2 /* kernel threads */
#define SCHED_QUANTUM_MS 20 /* default quantum of a user thread */

struct vm_space;
struct proc;

enum thread_state {
	THREAD_FREE = 0,
	THREAD_RUNNABLE,
	THREAD_RUNNING,
	THREAD_SLEEPING, /* waiting on wait_chan or until wake_time */
	THREAD_DEAD,	 /* exited; the slot is freed after switching away */
};

struct thread {
	struct arch_context ctx;
	int tid;
	char name[16];
	enum thread_state state; /* sched_lock must be held to change it */
	bool is_idle;
	int cpu;	    /* hart it runs or last ran on */
	uintptr_t stack_lo; /* lowest valid byte of its stack */
	uintptr_t stack_top;
	const void *wait_chan; /* what it sleeps on, or NULL */
	ticks_t wake_time;     /* when a timed sleep ends, 0 if none */
	void (*entry)(void *);
	void *arg;
	struct thread *next;	/* run queue link */
	unsigned prio;		/* 0 .. SCHED_NR_PRIO-1 */
	unsigned quantum_ticks; /* ticks a user thread runs before preemption */
	unsigned ticks_left;	/* of the current quantum */
	struct vm_space *vm; /* user address space, NULL for kernel threads */
	struct proc *proc;   /* the process it runs, or NULL */
	bool queued;	     /* on a run queue (sched_lock) */
	unsigned queue_cpu;  /* whose queue, while queued */
};

void sched_init(void);
/* Make cpu's idle thread out of the code running now, on that stack. */
void sched_init_cpu(unsigned cpu, uintptr_t stack_lo, uintptr_t stack_top);
/* Run fn(arg) in a new kernel thread; returns its tid or a negative errno. */
int thread_create(const char *name, void (*fn)(void *), void *arg);
/*
 * A thread that will run a user process: fn(arg) enters user mode in vm.
 * It starts at prio with quantum_ms; *out gets the thread. tid or -errno.
 */
int thread_create_user(const char *name, void (*fn)(void *), void *arg,
		       struct vm_space *vm, struct proc *proc, unsigned prio,
		       unsigned quantum_ms, struct thread **out);
/* Change priority and quantum (a user thread); -EINVAL if out of range. */
int sched_set_params(struct thread *t, unsigned prio, unsigned quantum_ms);
/* From the tick: count down the quantum of a user thread. */
void sched_tick(void);
/* On the way back to user mode: yield if the quantum ran out. */
void sched_preempt_point(void);
void __noreturn thread_exit(void);
void thread_yield(void);
void thread_sleep_ticks(ticks_t ticks);
void thread_sleep_ms(unsigned ms);
/* Sleep until wakeup(chan); lock (held) is released while asleep. */
struct spinlock;
void thread_sleep_on(const void *chan, struct spinlock *lock);
void thread_wakeup(const void *chan);
/*
 * The IPC fast path's hand-over of this hart (docs/ipc.md), with
 * interrupts off. thread_handoff_ready(to): whether to sleeps in IPC at
 * the user boundary (on its process, not queued), is at least as urgent
 * as the running thread, and no preemption is due; if so, sched_lock is
 * now held (raw) and thread_handoff() must follow, else nothing is held.
 * thread_handoff(to, resume): the running thread sleeps on its process,
 * to resume(its user frame) when woken by the slow path; to runs, in its
 * address space, from its user frame. Never returns.
 *
 * sched_lock guards every thread's state and the run queues (thread.c);
 * it is exported only for these inlines, which take it raw.
 */
extern struct spinlock sched_lock;

static inline bool thread_handoff_ready(struct thread *to)
{
	struct cpu *c = this_cpu();

	if (c->need_resched || !to)
		return false;
	spin_lock_raw(&sched_lock, c->id);
	if (to->state == THREAD_SLEEPING && to->wait_chan == to->proc &&
	    !to->queued && !to->wake_time && to->prio <= c->current->prio)
		return true;
	spin_unlock_raw(&sched_lock);
	return false;
}

/*
 * The running thread's saved context becomes a fresh start at resume,
 * on the stack just below its user frame: whatever it ran before in the
 * kernel is over, so a slow-path wake-up switches to it like to a new
 * thread (thread_first_run releases sched_lock) and resume finishes the
 * system call from the frame. sched_lock is released only on to's stack.
 */
static inline void __noreturn thread_handoff(struct thread *to,
					     void (*resume)(void *))
{
	struct cpu *c = this_cpu();
	struct thread *self = c->current;
	struct trap_frame *tf = arch_user_frame(self->stack_top);

	self->state = THREAD_SLEEPING;
	self->wait_chan = self->proc;
	arch_context_init(&self->ctx, (uintptr_t)tf, resume, tf);
	to->state = THREAD_RUNNING;
	to->wait_chan = NULL;
	to->cpu = (int)c->id;
	c->current = to;
	arch_vm_activate(to->vm);
	arch_set_current_stack(to->stack_lo, to->stack_top);
	arch_user_resume(arch_user_frame(to->stack_top), &sched_lock);
}

/* thread_wakeup() for one thread known to be the only sleeper on chan. */
void thread_wake(struct thread *t, const void *chan);
/* The thread running on this hart (an inline read through tp). */
static inline struct thread *thread_current(void)
{
	return this_cpu()->current;
}
/* Idle loop of a hart: run threads, wait for interrupts otherwise. */
void __noreturn sched_idle_loop(void);
/* Called by every idle loop before each round; crash tests only. */
extern void (*volatile sched_idle_hook)(void);
/* Threads alive now (not FREE), for leak checks and reports. */
unsigned thread_count(void);
/* Fill out with the state of slot i; false if i is out of range. */
bool thread_snapshot(unsigned i, struct thread *out);

#endif
