/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for kernel/ksyms.c. This file defines the ksyms_* table
 * that tools/gen_ksyms.py generates for the real kernel, with symbols
 * placed to exercise the edges of a lookup: below the first symbol, exact
 * starts, last bytes, adjacent symbols, gaps, the end of the last symbol.
 * Other tables (empty, zero-sized, large) go through ksym_table_*().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/ksyms.h>

/*
 *   0x1000 +0x10  alpha
 *   0x1010 +0x20  beta      (adjacent to alpha)
 *          gap    0x1030 .. 0x103f
 *   0x1040 +0x08  gamma
 *          gap    0x1048 .. 0x1fff
 *   0x2000 +0x80  last_func
 */
const uint64_t ksyms_count = 4;
const uint64_t ksyms_addrs[] = { 0x1000, 0x1010, 0x1040, 0x2000 };
const uint32_t ksyms_sizes[] = { 0x10, 0x20, 0x08, 0x80 };
const uint32_t ksyms_name_offs[] = { 0, 6, 11, 17 };
const char ksyms_names[] = "alpha\0beta\0gamma\0last_func";

static void expect_sym(uintptr_t addr, const char *name, unsigned long off,
		       unsigned long size)
{
	const char *n = NULL;
	unsigned long o = ~0UL, s = ~0UL;

	assert_true(ksym_lookup(addr, &n, &o, &s));
	assert_string_equal(n, name);
	assert_int_equal(o, off);
	assert_int_equal(s, size);
}

static void expect_none(uintptr_t addr)
{
	const char *n = "untouched";

	assert_false(ksym_lookup(addr, &n, NULL, NULL));
	assert_string_equal(n, "untouched");
}

static void test_before_first(void **state)
{
	(void)state;
	expect_none(0);
	expect_none(0xfff);
}

static void test_exact_start_and_last_byte(void **state)
{
	(void)state;
	expect_sym(0x1000, "alpha", 0, 0x10);
	expect_sym(0x100f, "alpha", 0xf, 0x10);
	expect_sym(0x1040, "gamma", 0, 0x8);
	expect_sym(0x1047, "gamma", 0x7, 0x8);
	expect_sym(0x2000, "last_func", 0, 0x80);
	expect_sym(0x207f, "last_func", 0x7f, 0x80);
}

static void test_adjacent_symbols(void **state)
{
	(void)state;
	/* One past alpha's end is beta's first byte. */
	expect_sym(0x1010, "beta", 0, 0x20);
	expect_sym(0x102f, "beta", 0x1f, 0x20);
}

static void test_gaps_and_past_end(void **state)
{
	(void)state;
	expect_none(0x1030); /* one past beta */
	expect_none(0x103f);
	expect_none(0x1048); /* one past gamma */
	expect_none(0x1fff);
	expect_none(0x2080); /* one past the last symbol */
	expect_none(UINTPTR_MAX);
}

static void test_lookup_null_outputs(void **state)
{
	(void)state;
	assert_true(ksym_lookup(0x1011, NULL, NULL, NULL));
	assert_false(ksym_lookup(0x1030, NULL, NULL, NULL));
}

static void test_format(void **state)
{
	char buf[KSYM_NAME_BUF];

	(void)state;
	assert_int_equal(ksym_format(buf, sizeof(buf), 0x102c), 14);
	assert_string_equal(buf, "beta+0x1c/0x20");
	ksym_format(buf, sizeof(buf), 0x1000);
	assert_string_equal(buf, "alpha+0x0/0x10");
	ksym_format(buf, sizeof(buf), 0x207f);
	assert_string_equal(buf, "last_func+0x7f/0x80");
	assert_int_equal(ksym_format(buf, sizeof(buf), 0x1030), 6);
	assert_string_equal(buf, "0x1030");
	ksym_format(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0x0");
	ksym_format(buf, sizeof(buf), UINTPTR_MAX);
	assert_string_equal(buf, "0xffffffffffffffff");
}

static void test_format_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksym_format(buf, 5, 0x102c), 14);
	assert_string_equal(buf, "beta");
	assert_int_equal(buf[5], 'X'); /* nothing written past len */

	assert_int_equal(ksym_format(buf, 1, 0x102c), 14);
	assert_string_equal(buf, "");
	assert_int_equal(ksym_format(NULL, 0, 0x102c), 14);
	assert_int_equal(ksym_format(buf, 6, 0x1030), 6);
	assert_string_equal(buf, "0x103");
}

static void test_address(void **state)
{
	(void)state;
	assert_int_equal(ksym_address("alpha"), 0x1000);
	assert_int_equal(ksym_address("gamma"), 0x1040);
	assert_int_equal(ksym_address("last_func"), 0x2000);
	assert_int_equal(ksym_address("last"), 0);
	assert_int_equal(ksym_address("last_func2"), 0);
	assert_int_equal(ksym_address(""), 0);
	assert_int_equal(ksym_address(NULL), 0);
}

static void test_empty_table(void **state)
{
	static const char names[] = "";
	const struct ksym_table t = { .count = 0, .names = names };

	(void)state;
	assert_false(ksym_table_lookup(&t, 0, NULL, NULL, NULL));
	assert_false(ksym_table_lookup(&t, 0x1000, NULL, NULL, NULL));
	assert_false(ksym_table_lookup(&t, UINTPTR_MAX, NULL, NULL, NULL));
	assert_int_equal(ksym_table_address(&t, "alpha"), 0);
}

static void test_zero_size_symbol(void **state)
{
	static const uint64_t addrs[] = { 0x100, 0x200 };
	static const uint32_t sizes[] = { 0, 4 };
	static const uint32_t offs[] = { 0, 6 };
	const struct ksym_table t = { .count = 2,
				      .addrs = addrs,
				      .sizes = sizes,
				      .name_offs = offs,
				      .names = "empty\0four" };
	const char *n;

	(void)state;
	assert_false(ksym_table_lookup(&t, 0x100, &n, NULL, NULL));
	assert_false(ksym_table_lookup(&t, 0x1ff, &n, NULL, NULL));
	assert_true(ksym_table_lookup(&t, 0x203, &n, NULL, NULL));
	assert_string_equal(n, "four");
	assert_int_equal(ksym_table_address(&t, "empty"), 0x100);
}

/* Every address of a large table, to exercise the binary search. */
static void test_large_table(void **state)
{
	enum {
		N = 1001
	};
	static uint64_t addrs[N];
	static uint32_t sizes[N], offs[N];
	static char names[N * 8];
	const struct ksym_table t = { .count = N,
				      .addrs = addrs,
				      .sizes = sizes,
				      .name_offs = offs,
				      .names = names };
	unsigned i, pos = 0;

	(void)state;
	for (i = 0; i < N; i++) {
		addrs[i] = 0x80200000UL + 16UL * i;
		sizes[i] = 8 + (i % 3) * 4; /* 8, 12 or 16: some gaps */
		offs[i] = pos;
		pos += (unsigned)sprintf(names + pos, "f%u", i) + 1;
	}
	for (i = 0; i < N; i++) {
		unsigned long off, size;
		const char *n;
		char want[8];
		uintptr_t a;

		sprintf(want, "f%u", i);
		for (a = addrs[i]; a < addrs[i] + 16; a++) {
			bool in = a - addrs[i] < sizes[i];

			assert_int_equal(
				ksym_table_lookup(&t, a, &n, &off, &size), in);
			if (in) {
				assert_string_equal(n, want);
				assert_int_equal(off, a - addrs[i]);
				assert_int_equal(size, sizes[i]);
			}
		}
		assert_int_equal(ksym_table_address(&t, want), addrs[i]);
	}
	assert_false(ksym_table_lookup(&t, addrs[0] - 1, NULL, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_first),
		cmocka_unit_test(test_exact_start_and_last_byte),
		cmocka_unit_test(test_adjacent_symbols),
		cmocka_unit_test(test_gaps_and_past_end),
		cmocka_unit_test(test_lookup_null_outputs),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_zero_size_symbol),
		cmocka_unit_test(test_large_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
