/* SPDX-License-Identifier: MIT */
/* Device interrupt registration and dispatch (kernel/irq.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <axolotl/errno.h>
#include <kernel/irq.h>

#include "host_arch.h"

static unsigned calls[IRQ_MAX];
static void *last_arg;

static void handler(void *arg)
{
	last_arg = arg;
	calls[*(unsigned *)arg]++;
}

static void pend(const unsigned *irqs, unsigned n)
{
	memcpy(host_irq_pending, irqs, n * sizeof(*irqs));
	host_irq_npending = n;
	host_irq_ncompleted = 0;
}

static void test_register_routes_and_dispatches(void **state)
{
	static unsigned ten = 10, three = 3;

	(void)state;
	assert_int_equal(irq_register(10, handler, &ten, "uart", 1), 0);
	assert_int_equal(irq_register(3, handler, &three, "disk", 0), 0);
	assert_int_equal(host_irq_route_cpu[10], 1);
	pend((unsigned[]){ 10, 3, 10 }, 3);
	irq_external_interrupt();
	assert_int_equal(calls[10], 2);
	assert_int_equal(calls[3], 1);
	assert_int_equal(irq_count(10), 2);
	assert_int_equal(irq_count(3), 1);
	/* Every claimed source is completed, in order. */
	assert_int_equal(host_irq_ncompleted, 3);
	assert_int_equal(host_irq_completed[0], 10);
	assert_int_equal(host_irq_completed[1], 3);
	assert_string_equal(irq_name(10), "uart");
}

static void test_unhandled_source_is_counted_and_completed(void **state)
{
	uint64_t before = irq_spurious_count();

	(void)state;
	pend((unsigned[]){ 77, 200 }, 2);
	irq_external_interrupt();
	assert_int_equal(irq_spurious_count(), before + 2);
	assert_int_equal(host_irq_ncompleted, 2);
	assert_int_equal(irq_count(77), 0);
}

static void test_bad_registrations_are_refused(void **state)
{
	static unsigned x = 5;

	(void)state;
	assert_int_equal(irq_register(0, handler, &x, "zero", 0), -EINVAL);
	assert_int_equal(irq_register(IRQ_MAX, handler, &x, "big", 0), -EINVAL);
	assert_int_equal(irq_register(5, NULL, &x, "null", 0), -EINVAL);
	assert_int_equal(irq_register(5, handler, &x, "first", 0), 0);
	assert_int_equal(irq_register(5, handler, &x, "second", 0), -EBUSY);
	assert_string_equal(irq_name(5), "first");
	assert_string_equal(irq_name(IRQ_MAX + 5), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_routes_and_dispatches),
		cmocka_unit_test(
			test_unhandled_source_is_counted_and_completed),
		cmocka_unit_test(test_bad_registrations_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
