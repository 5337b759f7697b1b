/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's policy as a data structure: one FIFO per hart and
 * priority level. A thread is queued on the hart it last ran on (cache
 * affinity); a hart takes from the most urgent non-empty level, its own
 * queue first, else the head of another hart's queue at that level, so
 * priority always wins, round robin holds within a level, and no level
 * waits while a hart could run it. The caller holds sched_lock.
 */
#ifndef KERNEL_RUNQ_H
#define KERNEL_RUNQ_H

#include <kernel/config.h>
#include <kernel/thread.h>

_Static_assert(SCHED_NR_PRIO <= 32, "levels is a 32-bit map");

struct runq_fifo {
	struct thread *head, *tail;
};

struct runq_set {
	struct runq_fifo q[MAX_CPUS][SCHED_NR_PRIO];
	uint32_t levels[MAX_CPUS]; /* bit p: q[cpu][p] is not empty */
	unsigned len;		   /* threads queued in all */
};

/* Queue t (not queued) at the tail of its level on hart cpu. */
void runq_enqueue(struct runq_set *rq, struct thread *t, unsigned cpu);
/* Take t (queued) out of its queue. */
void runq_dequeue(struct runq_set *rq, struct thread *t);
/* Dequeue and return the thread hart cpu should run next, or NULL. */
struct thread *runq_next(struct runq_set *rq, unsigned cpu, unsigned ncpus);

#endif
