/* SPDX-License-Identifier: MIT */
/* Run queues: see runq.h for the policy. Pure data, tested on the host. */
#include <kernel/runq.h>

void runq_enqueue(struct runq_set *rq, struct thread *t, unsigned cpu)
{
	struct runq_fifo *q = &rq->q[cpu][t->prio];

	t->queued = true;
	t->queue_cpu = cpu;
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	rq->len++;
}

void runq_dequeue(struct runq_set *rq, struct thread *t)
{
	struct runq_fifo *q = &rq->q[t->queue_cpu][t->prio];
	struct thread **link = &q->head, *prev = NULL;

	while (*link && *link != t) {
		prev = *link;
		link = &(*link)->next;
	}
	if (!*link)
		return; /* not there: the caller's invariant is broken */
	*link = t->next;
	if (q->tail == t)
		q->tail = prev;
	t->next = NULL;
	t->queued = false;
	rq->len--;
}

struct thread *runq_next(struct runq_set *rq, unsigned cpu, unsigned ncpus)
{
	for (unsigned p = 0; p < SCHED_NR_PRIO; p++) {
		for (unsigned i = 0; i < ncpus; i++) {
			struct thread *t = rq->q[(cpu + i) % ncpus][p].head;

			if (t) {
				runq_dequeue(rq, t);
				return t;
			}
		}
	}
	return NULL;
}
