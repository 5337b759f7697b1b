/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the boot command line (kernel/cmdline.c): splitting
 * (spaces, quotes, bare keys, an unterminated quote, lines too long, too
 * many parameters), lookups, and applying parameters to the tunable
 * registry with the exact warnings that printk sends to the host console.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/tunable.h>

#include "host_arch.h"

static int reset(void **state)
{
	(void)state;
	printk_reset();
	host_console_reset();
	tunable_reset_defaults();
	cmdline_init(NULL);
	return 0;
}

static void assert_console_has(const char *text)
{
	if (!strstr(host_console, text))
		fail_msg("console lacks \"%s\"; it has:\n%s", text,
			 host_console);
}

static void assert_console_lacks(const char *text)
{
	if (strstr(host_console, text))
		fail_msg("console has \"%s\":\n%s", text, host_console);
}

static unsigned count_lines(void)
{
	unsigned n = 0;

	for (const char *p = host_console; *p; p++)
		n += *p == '\n';
	return n;
}

static void expect_param(unsigned i, const char *key, const char *value)
{
	const char *k = NULL, *v = NULL;

	assert_true(cmdline_param(i, &k, &v));
	assert_string_equal(k, key);
	assert_string_equal(v, value);
}

/* ---- splitting ---- */

static void test_empty(void **state)
{
	static const char *const lines[] = { "", " ", "\t \t  ", NULL };

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		cmdline_init(lines[i]);
		assert_int_equal(cmdline_count(), 0);
		assert_null(cmdline_get("panic"));
		assert_false(cmdline_param(0, NULL, NULL));
		assert_int_equal(cmdline_apply_tunables(), 0);
	}
	assert_string_equal(host_console, "");
	assert_string_equal(cmdline_string(), "");
}

static void test_spaces_and_tabs(void **state)
{
	(void)state;
	cmdline_init("  a=1   b=2\t\tc \t");
	assert_int_equal(cmdline_count(), 3);
	expect_param(0, "a", "1");
	expect_param(1, "b", "2");
	expect_param(2, "c", "");
	assert_string_equal(cmdline_string(), "  a=1   b=2\t\tc \t");
}

static void test_key_without_value(void **state)
{
	(void)state;
	cmdline_init("quiet x= y");
	assert_int_equal(cmdline_count(), 3);
	assert_non_null(cmdline_get("quiet"));
	assert_string_equal(cmdline_get("quiet"), "");
	assert_string_equal(cmdline_get("x"), "");
	assert_string_equal(cmdline_get("y"), "");
	assert_null(cmdline_get("z"));
	assert_null(cmdline_get(NULL));
}

static void test_equals_in_value(void **state)
{
	(void)state;
	cmdline_init("k=a=b =v");
	assert_int_equal(cmdline_count(), 2);
	expect_param(0, "k", "a=b");
	expect_param(1, "", "v");
}

static void test_quotes(void **state)
{
	(void)state;
	cmdline_init("x=\"a b\" y=c \"k=v  w\" z=p\"q r\"s e=\"\" q=\"a=b\"");
	assert_int_equal(cmdline_count(), 6);
	expect_param(0, "x", "a b");
	expect_param(1, "y", "c");
	expect_param(2, "k", "v  w");
	expect_param(3, "z", "pq rs");
	expect_param(4, "e", "");
	expect_param(5, "q", "a=b");
	assert_int_equal(cmdline_apply_tunables(), 6); /* all unknown */
	assert_console_lacks("unterminated");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	cmdline_init("a=1 crashtest=\"two words");
	assert_int_equal(cmdline_count(), 2);
	expect_param(0, "a", "1");
	expect_param(1, "crashtest", "two words");
	assert_int_equal(cmdline_apply_tunables(), 2);
	assert_console_has("cmdline: unterminated quote in 'crashtest'\n");
	assert_console_has("cmdline: unknown parameter 'a' ignored\n");
}

static void test_last_occurrence_wins(void **state)
{
	(void)state;
	cmdline_init("crashtest=one console=x crashtest=two");
	assert_string_equal(cmdline_get("crashtest"), "two");
	assert_string_equal(cmdline_get("console"), "x");

	cmdline_init("panic=3 panic=abc panic=7 panic=99999");
	assert_int_equal(cmdline_apply_tunables(), 2);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 7);
	assert_console_has("cmdline: panic=abc: invalid number, keeping 3\n");
	assert_console_has(
		"cmdline: panic=99999: out of range -3600..3600, keeping 7\n");
}

static void test_reinit_replaces(void **state)
{
	(void)state;
	cmdline_init("a=1 b=2");
	cmdline_init("c=3");
	assert_int_equal(cmdline_count(), 1);
	assert_null(cmdline_get("a"));
	assert_string_equal(cmdline_get("c"), "3");
	assert_string_equal(cmdline_string(), "c=3");
}

/* The caller's string is copied, not referenced. */
static void test_input_copied(void **state)
{
	char line[] = "crashtest=oops";

	(void)state;
	cmdline_init(line);
	memset(line, 'X', sizeof(line) - 1);
	assert_string_equal(cmdline_get("crashtest"), "oops");
	assert_string_equal(cmdline_string(), "crashtest=oops");
}

/* ---- lines too long, too many parameters ---- */

static void test_long_token_cut_and_dropped(void **state)
{
	char line[CMDLINE_MAX + 200];

	(void)state;
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "console=", 8);
	cmdline_init(line);
	assert_int_equal(strlen(cmdline_string()), CMDLINE_MAX - 1);
	assert_int_equal(cmdline_count(), 0);
	assert_null(cmdline_get("console"));
	assert_int_equal(cmdline_apply_tunables(), 2);
	assert_console_has("cmdline: longer than 511 bytes, cut\n");
	assert_console_has("cmdline: parameter 'console' was cut, ignored\n");
}

/* Fill line with "crashtest=aaa..." of len bytes, then append tail. */
static void make_line(char *line, size_t len, const char *tail)
{
	memset(line, 'a', len);
	memcpy(line, "crashtest=", 10);
	strcpy(line + len, tail);
}

static void test_cut_inside_last_param(void **state)
{
	char line[CMDLINE_MAX + 64];

	(void)state;
	/* The cut falls between "panic=1" and "2": panic must stay 0. */
	make_line(line, CMDLINE_MAX - 1 - strlen(" panic=1"), " panic=12");
	cmdline_init(line);
	assert_int_equal(cmdline_count(), 1);
	assert_null(cmdline_get("panic"));
	assert_int_equal(cmdline_apply_tunables(), 2);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 0);
	assert_console_has("cmdline: parameter 'panic' was cut, ignored\n");
}

static void test_cut_on_separator_keeps_last(void **state)
{
	char line[CMDLINE_MAX + 64];

	(void)state;
	/* 511 bytes end exactly with "panic=12"; the cut hits the space. */
	make_line(line, CMDLINE_MAX - 1 - strlen(" panic=12"),
		  " panic=12 tick_hz=50");
	cmdline_init(line);
	assert_int_equal(strlen(cmdline_string()), CMDLINE_MAX - 1);
	assert_int_equal(cmdline_count(), 2);
	assert_string_equal(cmdline_get("panic"), "12");
	assert_null(cmdline_get("tick_hz"));
	assert_int_equal(cmdline_apply_tunables(), 1);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 12);
	assert_console_has("cmdline: longer than 511 bytes, cut\n");
	assert_console_lacks("was cut");
}

static void test_cut_after_separator(void **state)
{
	char line[CMDLINE_MAX + 64];

	(void)state;
	/* 511 bytes end with "panic=12 "; the cut is at "tick_hz". */
	make_line(line, CMDLINE_MAX - 1 - strlen(" panic=12 "),
		  " panic=12 tick_hz=50");
	cmdline_init(line);
	assert_int_equal(cmdline_count(), 2);
	assert_string_equal(cmdline_get("panic"), "12");
	assert_int_equal(cmdline_apply_tunables(), 1);
	assert_console_lacks("was cut");
}

static void test_cut_inside_quote(void **state)
{
	char line[CMDLINE_MAX + 64];

	(void)state;
	/* The separator at the cut is inside quotes: still a cut param. */
	make_line(line, CMDLINE_MAX - 1 - strlen(" console=\"a"),
		  " console=\"a b\"");
	cmdline_init(line);
	assert_int_equal(cmdline_count(), 1);
	assert_null(cmdline_get("console"));
	assert_int_equal(cmdline_apply_tunables(), 2);
	assert_console_has("cmdline: parameter 'console' was cut, ignored\n");
	assert_console_lacks("unterminated");
}

static void test_exactly_max_fits(void **state)
{
	char line[CMDLINE_MAX];

	(void)state;
	make_line(line, CMDLINE_MAX - 1, "");
	cmdline_init(line);
	assert_int_equal(cmdline_count(), 1);
	assert_int_equal(strlen(cmdline_get("crashtest")), CMDLINE_MAX - 11);
	assert_int_equal(cmdline_apply_tunables(), 0);
	assert_string_equal(host_console, "");
}

static void test_too_many_params(void **state)
{
	char line[CMDLINE_MAX];
	size_t pos = 0;

	(void)state;
	for (int i = 0; i < CMDLINE_MAX_PARAMS + 6; i++)
		pos += (size_t)sprintf(line + pos, "p%d ", i);
	cmdline_init(line);
	assert_int_equal(cmdline_count(), CMDLINE_MAX_PARAMS);
	assert_non_null(cmdline_get("p63"));
	assert_null(cmdline_get("p64"));
	assert_int_equal(cmdline_apply_tunables(), CMDLINE_MAX_PARAMS + 1);
	assert_console_has(
		"cmdline: more than 64 parameters, the rest ignored\n");
}

/* ---- applying tunables ---- */

static void test_apply_aliases(void **state)
{
	(void)state;
	cmdline_init("panic=5 panic_on_oops=1");
	assert_int_equal(cmdline_apply_tunables(), 0);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 5);
	assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 1);
	assert_string_equal(host_console, "");
}

static void test_apply_full_names(void **state)
{
	(void)state;
	cmdline_init("kernel.panic=-1 kernel.tick_hz=0x100 "
		     "kernel.printk_level=4 kernel.panic_on_oops");
	assert_int_equal(cmdline_apply_tunables(), 0);
	assert_int_equal(tunable_get(TUNABLE_PANIC), -1);
	assert_int_equal(tunable_get(TUNABLE_TICK_HZ), 256);
	assert_int_equal(tunable_get(TUNABLE_LOGLEVEL), 4);
	assert_int_equal(tunable_get(TUNABLE_PANIC_ON_OOPS), 1);
	assert_string_equal(host_console, "");
}

static void test_apply_quoted_value(void **state)
{
	(void)state;
	cmdline_init("loglevel=\"3\"");
	assert_int_equal(cmdline_apply_tunables(), 0);
	assert_int_equal(tunable_get(TUNABLE_LOGLEVEL), 3);
}

static void test_unknown_reported(void **state)
{
	(void)state;
	cmdline_init("foo=1 panic=2 bar kernel.nosuch=3");
	assert_int_equal(cmdline_apply_tunables(), 3);
	assert_int_equal(tunable_get(TUNABLE_PANIC), 2);
	assert_console_has("cmdline: unknown parameter 'foo' ignored\n");
	assert_console_has("cmdline: unknown parameter 'bar' ignored\n");
	assert_console_has(
		"cmdline: unknown parameter 'kernel.nosuch' ignored\n");
	assert_int_equal(count_lines(), 3);
}

static void test_known_non_tunables_quiet(void **state)
{
	(void)state;
	cmdline_init("console=ttyS0 crashtest=nullptr");
	assert_int_equal(cmdline_apply_tunables(), 0);
	assert_string_equal(cmdline_get("crashtest"), "nullptr");
	assert_string_equal(host_console, "");
}

static void test_bad_values_reported(void **state)
{
	(void)state;
	cmdline_init(
		"panic=abc tick_hz=5 panic_on_oops=2 loglevel=9 "
		"kernel.panic=99999 panic tick_hz=1e3 panic_on_oops=maybe");
	assert_int_equal(cmdline_apply_tunables(), 8);
	assert_console_has("cmdline: panic=abc: invalid number, keeping 0\n");
	assert_console_has(
		"cmdline: tick_hz=5: out of range 10..1000, keeping 100\n");
	assert_console_has(
		"cmdline: panic_on_oops=2: out of range 0..1, keeping 0\n");
	assert_console_has(
		"cmdline: loglevel=9: out of range 0..8, keeping 7\n");
	assert_console_has("cmdline: kernel.panic=99999: out of range "
			   "-3600..3600, keeping 0\n");
	assert_console_has("cmdline: panic: missing value, keeping 0\n");
	assert_console_has(
		"cmdline: tick_hz=1e3: invalid number, keeping 100\n");
	assert_console_has(
		"cmdline: panic_on_oops=maybe: invalid number, keeping 0\n");
	assert_int_equal(count_lines(), 8);

	for (unsigned i = 0; i < TUNABLE_COUNT; i++)
		assert_int_equal(tunable_get((enum tunable_id)i),
				 tunable_at(i)->def);
}

static void test_warnings_are_warn_level(void **state)
{
	struct log_record_view rec;
	uint64_t seq = 0;

	(void)state;
	cmdline_init("foo");
	assert_int_equal(cmdline_apply_tunables(), 1);
	assert_true(log_next(&seq, &rec));
	assert_int_equal(rec.level, LOG_WARNING);
	assert_string_equal(rec.text,
			    "cmdline: unknown parameter 'foo' ignored");
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_spaces_and_tabs),
		T(test_key_without_value),
		T(test_equals_in_value),
		T(test_quotes),
		T(test_unterminated_quote),
		T(test_last_occurrence_wins),
		T(test_reinit_replaces),
		T(test_input_copied),
		T(test_long_token_cut_and_dropped),
		T(test_cut_inside_last_param),
		T(test_cut_on_separator_keeps_last),
		T(test_cut_after_separator),
		T(test_cut_inside_quote),
		T(test_exactly_max_fits),
		T(test_too_many_params),
		T(test_apply_aliases),
		T(test_apply_full_names),
		T(test_apply_quoted_value),
		T(test_unknown_reported),
		T(test_known_non_tunables_quiet),
		T(test_bad_values_reported),
		T(test_warnings_are_warn_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
