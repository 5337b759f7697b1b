/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks and interrupt nesting (kernel/spinlock.c): owner tracking,
 * the per-hart list of held locks the oops report prints, and that
 * interrupts come back on only when the outermost lock is released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>

#include "host_arch.h"

static void setup_cpu(unsigned id)
{
	host_cpu = id;
	cpus[id].id = id;
	cpus[id].nheld = 0;
	irq_nest_reset();
	arch_irq_enable();
}

static void test_nesting_restores_interrupts_last(void **state)
{
	struct spinlock a = SPINLOCK_INIT("a"), b = SPINLOCK_INIT("b");

	(void)state;
	setup_cpu(0);
	spin_lock(&a);
	assert_false(arch_irqs_enabled());
	spin_lock(&b);
	assert_int_equal(irq_off_depth(), 2);
	spin_unlock(&b);
	assert_false(arch_irqs_enabled());
	spin_unlock(&a);
	assert_true(arch_irqs_enabled());
	assert_int_equal(irq_off_depth(), 0);
}

static void test_interrupts_stay_off_if_they_were_off(void **state)
{
	struct spinlock a = SPINLOCK_INIT("a");

	(void)state;
	setup_cpu(0);
	arch_irq_disable();
	spin_lock(&a);
	spin_unlock(&a);
	assert_false(arch_irqs_enabled());
}

static void test_owner_and_held_list(void **state)
{
	struct spinlock a = SPINLOCK_INIT("a"), b = SPINLOCK_INIT("b"),
			c = SPINLOCK_INIT("c");

	(void)state;
	setup_cpu(2);
	spin_lock(&a);
	spin_lock(&b);
	spin_lock(&c);
	assert_true(spin_held(&b));
	assert_true(spin_held_by(&b, 2));
	assert_false(spin_held_by(&b, 1));
	assert_int_equal(b.owner_cpu, 2);
	assert_int_not_equal(b.taken_at, 0);
	assert_int_equal(cpus[2].nheld, 3);
	/* Released out of order: the list closes the gap. */
	spin_unlock(&b);
	assert_int_equal(cpus[2].nheld, 2);
	assert_ptr_equal(cpus[2].held[0], &a);
	assert_ptr_equal(cpus[2].held[1], &c);
	assert_int_equal(b.owner_cpu, -1);
	spin_unlock(&c);
	spin_unlock(&a);
	assert_int_equal(cpus[2].nheld, 0);
	host_cpu = 0;
}

static void test_trylock(void **state)
{
	struct spinlock a = SPINLOCK_INIT("a");

	(void)state;
	setup_cpu(0);
	assert_true(spin_trylock(&a));
	assert_false(spin_trylock(&a));
	/* A failed trylock leaves the nesting as it was. */
	assert_int_equal(irq_off_depth(), 1);
	spin_unlock(&a);
	assert_true(arch_irqs_enabled());
}

static void test_more_locks_than_the_list_holds(void **state)
{
	struct spinlock locks[10];

	(void)state;
	setup_cpu(0);
	for (int i = 0; i < 10; i++) {
		spin_init(&locks[i], "many");
		spin_lock(&locks[i]);
	}
	assert_int_equal(cpus[0].nheld, 10);
	for (int i = 9; i >= 0; i--)
		spin_unlock(&locks[i]);
	assert_int_equal(cpus[0].nheld, 0);
	assert_true(arch_irqs_enabled());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_restores_interrupts_last),
		cmocka_unit_test(test_interrupts_stay_off_if_they_were_off),
		cmocka_unit_test(test_owner_and_held_list),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_more_locks_than_the_list_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
