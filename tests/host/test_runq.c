/* SPDX-License-Identifier: MIT */
/* The scheduler's run-queue policy (kernel/runq.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <kernel/runq.h>

static struct runq_set rq;
static struct thread th[8];

static struct thread *mk(unsigned i, unsigned prio)
{
	memset(&th[i], 0, sizeof(th[i]));
	th[i].tid = (int)i;
	th[i].prio = prio;
	return &th[i];
}

static int setup(void **state)
{
	(void)state;
	memset(&rq, 0, sizeof(rq));
	return 0;
}

static void test_priority_wins_over_order(void **state)
{
	(void)state;
	runq_enqueue(&rq, mk(0, 8), 0);
	runq_enqueue(&rq, mk(1, 2), 0);
	runq_enqueue(&rq, mk(2, 15), 0);
	assert_ptr_equal(runq_next(&rq, 0, 1), &th[1]);
	assert_ptr_equal(runq_next(&rq, 0, 1), &th[0]);
	assert_ptr_equal(runq_next(&rq, 0, 1), &th[2]);
	assert_null(runq_next(&rq, 0, 1));
	assert_int_equal(rq.len, 0);
}

static void test_round_robin_within_a_level(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3; i++)
		runq_enqueue(&rq, mk(i, 8), 0);
	/* Each runs, is preempted and requeued: the order cycles. */
	for (unsigned round = 0; round < 6; round++) {
		struct thread *t = runq_next(&rq, 0, 1);

		assert_int_equal(t->tid, (int)(round % 3));
		runq_enqueue(&rq, t, 0);
	}
}

static void test_own_queue_first_then_steal(void **state)
{
	(void)state;
	runq_enqueue(&rq, mk(0, 8), 1); /* last ran on hart 1 */
	runq_enqueue(&rq, mk(1, 8), 0); /* on hart 0 */
	assert_ptr_equal(runq_next(&rq, 1, 2), &th[0]);
	/* Hart 1's queue is empty now: it takes hart 0's thread. */
	assert_ptr_equal(runq_next(&rq, 1, 2), &th[1]);
	assert_null(runq_next(&rq, 1, 2));
}

static void test_urgent_thread_elsewhere_beats_own_lower(void **state)
{
	(void)state;
	runq_enqueue(&rq, mk(0, 10), 0);
	runq_enqueue(&rq, mk(1, 3), 3);
	assert_ptr_equal(runq_next(&rq, 0, 4), &th[1]);
	assert_ptr_equal(runq_next(&rq, 0, 4), &th[0]);
}

static void test_dequeue_from_the_middle(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++)
		runq_enqueue(&rq, mk(i, 8), 2);
	runq_dequeue(&rq, &th[1]);
	runq_dequeue(&rq, &th[3]); /* the tail */
	assert_false(th[1].queued);
	assert_int_equal(rq.len, 2);
	runq_enqueue(&rq, mk(5, 8), 2); /* tail fixed up after removal */
	assert_ptr_equal(runq_next(&rq, 2, 4), &th[0]);
	assert_ptr_equal(runq_next(&rq, 2, 4), &th[2]);
	assert_ptr_equal(runq_next(&rq, 2, 4), &th[5]);
	assert_null(runq_next(&rq, 2, 4));
}

static void test_dequeue_of_a_thread_not_queued_changes_nothing(void **state)
{
	(void)state;
	runq_enqueue(&rq, mk(0, 8), 0);
	mk(1, 8)->queue_cpu = 0;
	runq_dequeue(&rq, &th[1]);
	assert_int_equal(rq.len, 1);
	assert_ptr_equal(runq_next(&rq, 0, 1), &th[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_priority_wins_over_order, setup),
		cmocka_unit_test_setup(test_round_robin_within_a_level, setup),
		cmocka_unit_test_setup(test_own_queue_first_then_steal, setup),
		cmocka_unit_test_setup(
			test_urgent_thread_elsewhere_beats_own_lower, setup),
		cmocka_unit_test_setup(test_dequeue_from_the_middle, setup),
		cmocka_unit_test_setup(
			test_dequeue_of_a_thread_not_queued_changes_nothing,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
