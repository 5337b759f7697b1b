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
	rq->levels[cpu] |= 1u << t->prio;
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
	if (!q->head)
		rq->levels[t->queue_cpu] &= ~(1u << t->prio);
	t->next = NULL;
	t->queued = false;
	rq->len--;
}

/*
 * Index of the lowest set bit of x (not 0). No Zbb on the target, and
 * libgcc's __ctzdi2 is not linked: isolate the bit, multiply by a de
 * Bruijn sequence and look the top five bits up.
 */
static unsigned lowest_bit(uint32_t x)
{
	static const uint8_t index[32] = {
		0,  1,	28, 2,	29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
		31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9,
	};

	return index[(uint32_t)((x & -x) * 0x077CB531u) >> 27];
}

/*
 * The most urgent level any hart has queued comes from the union of the
 * per-hart maps (ncpus is small), then the harts are tried from cpu on.
 */
struct thread *runq_next(struct runq_set *rq, unsigned cpu, unsigned ncpus)
{
	uint32_t all = 0;
	unsigned p;

	for (unsigned i = 0; i < ncpus; i++)
		all |= rq->levels[i];
	if (!all)
		return NULL;
	p = lowest_bit(all);
	for (unsigned i = 0; i < ncpus; i++) {
		unsigned h = cpu + i < ncpus ? cpu + i : cpu + i - ncpus;
		struct thread *t = rq->q[h][p].head;

		if (t) {
			runq_dequeue(rq, t);
			return t;
		}
	}
	return NULL; /* cannot happen: a level bit says a queue is non-empty */
}
