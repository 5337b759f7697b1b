/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the tunable registry (kernel/tunable.c): defaults,
 * lookups by full name and alias, parsing, range checks at and beyond both
 * ends, the guarantee that a failed set changes nothing, on_change hooks,
 * and the consistency of the table itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <axolotl/errno.h>
#include <kernel/spinlock.h>
#include <kernel/tunable.h>

static int reset(void **state)
{
	(void)state;
	tunable_reset_defaults();
	for (unsigned i = 0; i < TUNABLE_COUNT; i++)
		tunable_set_hook((enum tunable_id)i, NULL);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(tunable_get(TUNABLE_PANIC), 0);
	assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 0);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 100);
	assert_int_equal(tunable_get(TUNABLE_LOGLEVEL), 7);
	assert_int_equal(tunable_get(TUNABLE_COUNT), 0);
	assert_int_equal(tunable_get((enum tunable_id)(-1)), 0);
}

static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(tunable_lookup("kernel.panic"), TUNABLE_PANIC);
	assert_int_equal(tunable_lookup("panic"), TUNABLE_PANIC);
	assert_int_equal(tunable_lookup("kernel.panic_on_oops"),
			 TUNABLE_PANIC_ON_OOPS);
	assert_int_equal(tunable_lookup("panic_on_oops"),
			 TUNABLE_PANIC_ON_OOPS);
	assert_int_equal(tunable_lookup("tick_hz"), TUNABLE_TICK_HZ);
	assert_int_equal(tunable_lookup("kernel.tick_hz"), TUNABLE_TICK_HZ);
	assert_int_equal(tunable_lookup("loglevel"), TUNABLE_LOGLEVEL);
	assert_int_equal(tunable_lookup("kernel.printk_level"),
			 TUNABLE_LOGLEVEL);
	assert_int_equal(tunable_lookup("kernel.loglevel"), -ENOENT);
	assert_int_equal(tunable_lookup("pani"), -ENOENT);
	assert_int_equal(tunable_lookup("panicx"), -ENOENT);
	assert_int_equal(tunable_lookup("Panic"), -ENOENT);
	assert_int_equal(tunable_lookup(""), -ENOENT);
	assert_int_equal(tunable_lookup(NULL), -ENOENT);
}

static void test_set_by_name_and_alias(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("panic", "5"), 0);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 5);
	assert_int_equal(tunable_set("kernel.panic", "-1"), 0);
	assert_int_equal(tunable_get(TUNABLE_PANIC), -1);
	assert_int_equal(tunable_set("tick_hz", "0x3e8"), 0);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 1000);
	assert_int_equal(tunable_set("kernel.printk_level", "+3"), 0);
	assert_int_equal(tunable_get(TUNABLE_LOGLEVEL), 3);
}

static void test_set_unknown(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("nosuch", "1"), -ENOENT);
	assert_int_equal(tunable_set(NULL, "1"), -ENOENT);
	assert_int_equal(tunable_set("kernel.", "1"), -ENOENT);
}

static void test_bad_number_keeps_value(void **state)
{
	static const char *const bad[] = { "abc", "",  "5x",  " 5", "5 ",
					   "0x",  "-", "1.5", "y" };

	(void)state;
	assert_int_equal(tunable_set("panic", "42"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(tunable_set("panic", bad[i]), -EINVAL);
		assert_int_equal(tunable_get(TUNABLE_PANIC), 42);
	}
	assert_int_equal(tunable_set("panic", NULL), -EINVAL);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 42);
}

static void test_range_edges(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("panic", "3600"), 0);
	assert_int_equal(tunable_set("panic", "3601"), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 3600);
	assert_int_equal(tunable_set("panic", "-3600"), 0);
	assert_int_equal(tunable_set("panic", "-3601"), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_PANIC), -3600);

	assert_int_equal(tunable_set("tick_hz", "10"), 0);
	assert_int_equal(tunable_set("tick_hz", "9"), -ERANGE);
	assert_int_equal(tunable_set("tick_hz", "0"), -ERANGE);
	assert_int_equal(tunable_set("tick_hz", "1001"), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 10);

	assert_int_equal(tunable_set("loglevel", "0"), 0);
	assert_int_equal(tunable_set("loglevel", "8"), 0);
	assert_int_equal(tunable_set("loglevel", "9"), -ERANGE);
	assert_int_equal(tunable_set("loglevel", "-1"), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_LOGLEVEL), 8);
}

static void test_beyond_int64(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("panic", "99999999999999999999"), -ERANGE);
	assert_int_equal(tunable_set("panic", "-99999999999999999999"),
			 -ERANGE);
	assert_int_equal(tunable_set("panic", "9223372036854775807"), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 0);
}

static void test_bool(void **state)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true", "" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_int_equal(tunable_set("panic_on_oops", "0"), 0);
		assert_int_equal(tunable_set("panic_on_oops", yes[i]), 0);
		assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_int_equal(tunable_set("panic_on_oops", "1"), 0);
		assert_int_equal(tunable_set("panic_on_oops", no[i]), 0);
		assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 0);
	}
	assert_int_equal(tunable_set("panic_on_oops", "2"), -ERANGE);
	assert_int_equal(tunable_set("panic_on_oops", "-1"), -ERANGE);
	assert_int_equal(tunable_set("panic_on_oops", "maybe"), -EINVAL);
	assert_int_equal(tunable_set("panic_on_oops", "YES"), -EINVAL);
	assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 0);
}

static void test_set_id(void **state)
{
	(void)state;
	assert_int_equal(tunable_set_id(TUNABLE_TICK_HZ, 250), 0);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 250);
	assert_int_equal(tunable_set_id(TUNABLE_TICK_HZ, 5), -ERANGE);
	assert_int_equal(tunable_set_id(TUNABLE_TICK_HZ, INT64_MAX), -ERANGE);
	assert_int_equal(tunable_set_id(TUNABLE_TICK_HZ, INT64_MIN), -ERANGE);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 250);
	assert_int_equal(tunable_set_id(TUNABLE_COUNT, 1), -ENOENT);
	assert_int_equal(tunable_set_id((enum tunable_id)(-1), 1), -ENOENT);
}

static void test_reset_defaults(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("panic", "9"), 0);
	assert_int_equal(tunable_set("panic_on_oops", "1"), 0);
	assert_int_equal(tunable_set("tick_hz", "1000"), 0);
	assert_int_equal(tunable_set("loglevel", "1"), 0);
	tunable_reset_defaults();
	for (unsigned i = 0; i < TUNABLE_COUNT; i++)
		assert_int_equal(tunable_get((enum tunable_id)i),
				 tunable_at(i)->def);
}

static int hook_calls;
static int64_t hook_value;

static void hook(int64_t v)
{
	hook_calls++;
	hook_value = v;
	/* Called outside the registry lock: reading must work. */
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), v);
}

static void test_on_change(void **state)
{
	(void)state;
	hook_calls = 0;
	assert_int_equal(tunable_set_hook(TUNABLE_TICK_HZ, hook), 0);
	assert_int_equal(tunable_set("tick_hz", "500"), 0);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_value, 500);
	assert_int_equal(tunable_set_id(TUNABLE_TICK_HZ, 200), 0);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(hook_value, 200);

	/* Failed sets and other tunables do not call it. */
	assert_int_equal(tunable_set("tick_hz", "5000"), -ERANGE);
	assert_int_equal(tunable_set("tick_hz", "fast"), -EINVAL);
	assert_int_equal(tunable_set("panic", "1"), 0);
	assert_int_equal(hook_calls, 2);

	assert_int_equal(tunable_set_hook(TUNABLE_TICK_HZ, NULL), 0);
	assert_int_equal(tunable_set("tick_hz", "300"), 0);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(tunable_set_hook(TUNABLE_COUNT, hook), -ENOENT);
}

static void test_lock_released(void **state)
{
	(void)state;
	assert_int_equal(tunable_set("panic", "1"), 0);
	assert_int_equal(tunable_set("panic", "99999"), -ERANGE);
	assert_int_equal(tunable_set("nosuch", "1"), -ENOENT);
	tunable_reset_defaults();
	assert_int_equal(irq_off_depth(), 0);
}

/* The table itself: complete, names unique, defaults inside the ranges. */
static void test_table_consistent(void **state)
{
	unsigned i, j;

	(void)state;
	for (i = 0; i < TUNABLE_COUNT; i++) {
		const struct tunable *t = tunable_at(i);

		assert_non_null(t);
		assert_non_null(t->name);
		assert_non_null(t->alias);
		assert_non_null(t->desc);
		assert_true(strlen(t->desc) > 0);
		assert_true(t->min <= t->def && t->def <= t->max);
		if (t->type == TUNABLE_BOOL) {
			assert_int_equal(t->min, 0);
			assert_int_equal(t->max, 1);
		}
		assert_int_equal(tunable_value(t), t->def);
		assert_int_equal(tunable_lookup(t->name), (int)i);
		assert_int_equal(tunable_lookup(t->alias), (int)i);
		for (j = 0; j < i; j++) {
			const struct tunable *u = tunable_at(j);

			assert_string_not_equal(t->name, u->name);
			assert_string_not_equal(t->alias, u->alias);
			assert_string_not_equal(t->name, u->alias);
			assert_string_not_equal(t->alias, u->name);
		}
	}
	assert_null(tunable_at(TUNABLE_COUNT));
	assert_string_equal(tunable_at(TUNABLE_PANIC)->name, "kernel.panic");
	assert_int_equal(tunable_at(TUNABLE_PANIC)->min, -3600);
	assert_int_equal(tunable_at(TUNABLE_PANIC)->max, 3600);
}

static void test_value_accessor(void **state)
{
	const struct tunable *t = tunable_at(TUNABLE_LOGLEVEL);

	(void)state;
	assert_int_equal(tunable_value(t), 7);
	assert_int_equal(tunable_set("loglevel", "4"), 0);
	assert_int_equal(tunable_value(t), 4);
	assert_int_equal(t->def, 7);
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_lookup),
		T(test_set_by_name_and_alias),
		T(test_set_unknown),
		T(test_bad_number_keeps_value),
		T(test_range_edges),
		T(test_beyond_int64),
		T(test_bool),
		T(test_set_id),
		T(test_reset_defaults),
		T(test_on_change),
		T(test_lock_released),
		T(test_table_consistent),
		T(test_value_accessor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
