/* SPDX-License-Identifier: MIT */
/*
 * Host tests of printk and the log ring: the console line format with time
 * and hart, console sinks, multi-line messages, level filtering on the
 * console but not in the ring, wrap-around with the count of lost records,
 * the readers (log_next, log_read, log_dump_tail) and emergency mode going
 * ahead while another hart holds the printk locks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#include "host_arch.h"

#define FREQ 10000000ULL /* host_arch's arch_time_freq() */

/* A console sink that collects everything. */
static char sink_buf[1 << 20];
static size_t sink_len;
static unsigned sink_calls;

static void sink(const char *s, size_t n)
{
	assert_true(sink_len + n < sizeof(sink_buf));
	memcpy(sink_buf + sink_len, s, n);
	sink_len += n;
	sink_buf[sink_len] = '\0';
	sink_calls++;
}

static char sink2_buf[4096];
static size_t sink2_len;

static void sink2(const char *s, size_t n)
{
	if (sink2_len + n < sizeof(sink2_buf)) {
		memcpy(sink2_buf + sink2_len, s, n);
		sink2_len += n;
		sink2_buf[sink2_len] = '\0';
	}
}

static void dummy_sink(const char *s, size_t n)
{
	(void)s, (void)n;
}

static void dummy_sink2(const char *s, size_t n)
{
	(void)s, (void)n;
}

static void setup_sink_never(const char *s, size_t n)
{
	(void)s, (void)n;
}

static int setup(void **state)
{
	unsigned i;

	(void)state;
	/* spinlocks record owners by cpus[].id */
	for (i = 0; i < MAX_CPUS; i++)
		cpus[i].id = i;
	printk_reset();
	host_console_reset();
	host_cpu = 0;
	host_time = 0;
	sink_len = 0;
	sink_buf[0] = '\0';
	sink_calls = 0;
	sink2_len = 0;
	sink2_buf[0] = '\0';
	return 0;
}

static void test_line_format(void **state)
{
	(void)state;
	host_time = 123456789; /* 12.3456789 s */
	host_cpu = 2;
	printk(LOG_INFO, "hello %d\n", 5);
	assert_string_equal(host_console, "[   12.345678][C2] hello 5\n");

	host_console_reset();
	host_time = 0;
	host_cpu = 0;
	pr_notice("smp: %d of %d harts online\n", 4, 4);
	assert_string_equal(host_console,
			    "[    0.000000][C0] smp: 4 of 4 harts online\n");

	/* seconds wider than five digits just widen the field */
	host_console_reset();
	host_time = 123456 * FREQ + 120;
	host_cpu = 7;
	pr_err("late");
	assert_string_equal(host_console, "[123456.000012][C7] late\n");
}

static void test_record_metadata(void **state)
{
	struct log_record_view r;
	uint64_t seq = 0;

	(void)state;
	host_time = 3 * FREQ + 250; /* 3.000025 s */
	host_cpu = 5;
	printk(LOG_WARNING, "disk %s is %d%% full\n", "vda", 93);

	assert_true(log_next(&seq, &r));
	assert_int_equal(r.seq, 0);
	assert_int_equal(seq, 1);
	assert_int_equal(r.ts_sec, 3);
	assert_int_equal(r.ts_usec, 25);
	assert_int_equal(r.cpu, 5);
	assert_int_equal(r.level, LOG_WARNING);
	assert_int_equal(r.len, strlen("disk vda is 93% full"));
	assert_string_equal(r.text, "disk vda is 93% full");
	assert_false(log_next(&seq, &r));

	{
		char line[128];
		int n = log_format_line(&r, line, sizeof(line));

		assert_string_equal(
			line, "[    3.000025][C5] disk vda is 93% full\n");
		assert_int_equal(n, (int)strlen(line));
	}
}

static void test_multiline(void **state)
{
	struct log_record_view r;
	uint64_t seq = 0, next;
	const char *want[] = { "first", "second", "", "fourth" };
	unsigned i;

	(void)state;
	host_time = FREQ / 2;
	host_cpu = 1;
	printk(LOG_INFO, "first\nsecond\n\nfourth");
	assert_string_equal(host_console, "[    0.500000][C1] first\n"
					  "[    0.500000][C1] second\n"
					  "[    0.500000][C1] \n"
					  "[    0.500000][C1] fourth\n");
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_true(log_next(&seq, &r));
		assert_int_equal(r.seq, i);
		assert_string_equal(r.text, want[i]);
		assert_int_equal(r.level, LOG_INFO);
	}
	assert_false(log_next(&seq, &r));

	/* a final newline ends a line; an empty message stores nothing */
	printk(LOG_INFO, "x\n");
	printk(LOG_INFO, "%s", "");
	log_stats(&next, NULL);
	assert_int_equal(next, 5);
	/* a lone newline is one empty line */
	printk(LOG_INFO, "\n");
	log_stats(&next, NULL);
	assert_int_equal(next, 6);
}

static void test_long_line_truncated(void **state)
{
	char big[PRINTK_MSG_MAX + 100];
	struct log_record_view r;
	uint64_t seq = 0;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	printk(LOG_INFO, "%s", big);
	assert_true(log_next(&seq, &r));
	assert_int_equal(r.len, LOG_LINE_MAX);
	assert_int_equal(strlen(r.text), LOG_LINE_MAX);
	/* console: prefix (19 bytes), LOG_LINE_MAX text, newline */
	assert_int_equal(host_console_len, 19 + LOG_LINE_MAX + 1);
}

static void test_levels(void **state)
{
	struct log_record_view r;
	uint64_t seq = 0, next;
	int lvl;

	(void)state;
	assert_int_equal(printk_get_console_level(), CONSOLE_LOGLEVEL_DEFAULT);
	pr_debug("hidden debug\n");
	pr_info("shown info\n");
	assert_null(strstr(host_console, "hidden"));
	assert_non_null(strstr(host_console, "shown info"));

	printk_set_console_level(LOG_WARNING); /* 0..3 only */
	host_console_reset();
	pr_warn("warn\n");
	pr_err("err\n");
	pr_emerg("emerg\n");
	assert_string_equal(host_console, "[    0.000000][C0] err\n"
					  "[    0.000000][C0] emerg\n");

	printk_set_console_level(0); /* console silent */
	host_console_reset();
	pr_emerg("nothing\n");
	assert_int_equal(host_console_len, 0);

	/* but every message is in the ring, with its level */
	lvl = 0;
	log_stats(&next, NULL);
	assert_int_equal(next, 6);
	{
		static const int want[] = { LOG_DEBUG, LOG_INFO,  LOG_WARNING,
					    LOG_ERR,   LOG_EMERG, LOG_EMERG };

		while (log_next(&seq, &r))
			assert_int_equal(r.level, want[lvl++]);
		assert_int_equal(lvl, 6);
	}

	/* out-of-range levels are clamped */
	printk_set_console_level(8);
	host_console_reset();
	printk(99, "too high\n");
	printk(-5, "too low\n");
	assert_true(log_next(&seq, &r));
	assert_int_equal(r.level, LOG_DEBUG);
	assert_true(log_next(&seq, &r));
	assert_int_equal(r.level, LOG_EMERG);
	assert_non_null(strstr(host_console, "too high"));
}

static void test_sinks(void **state)
{
	(void)state;
	assert_int_equal(console_register(NULL), -EINVAL);
	assert_int_equal(console_register(sink), 0);
	assert_int_equal(console_register(sink), -EEXIST);
	pr_info("to the sink\n");
	/* once a sink exists, the early console gets nothing */
	assert_int_equal(host_console_len, 0);
	assert_string_equal(sink_buf, "[    0.000000][C0] to the sink\n");

	assert_int_equal(console_register(sink2), 0);
	pr_info("both\n");
	assert_non_null(strstr(sink_buf, "both"));
	assert_string_equal(sink2_buf, "[    0.000000][C0] both\n");

	assert_int_equal(console_unregister(sink), 0);
	assert_int_equal(console_unregister(sink), -ENOENT);
	pr_info("only two\n");
	assert_null(strstr(sink_buf, "only two"));
	assert_non_null(strstr(sink2_buf, "only two"));

	assert_int_equal(console_unregister(sink2), 0);
	pr_info("early again\n");
	assert_string_equal(host_console, "[    0.000000][C0] early again\n");

	/* a bounded table */
	_Static_assert(CONSOLE_MAX_SINKS == 4, "test assumes 4 sinks");
	assert_int_equal(console_register(sink), 0);
	assert_int_equal(console_register(sink2), 0);
	assert_int_equal(console_register(dummy_sink), 0);
	assert_int_equal(console_register(dummy_sink2), 0);
	assert_int_equal(console_register(setup_sink_never), -ENOSPC);
	/* removing from the middle keeps the others */
	assert_int_equal(console_unregister(sink2), 0);
	sink_len = sink2_len = 0;
	pr_info("after\n");
	assert_non_null(strstr(sink_buf, "after"));
	assert_int_equal(sink2_len, 0);
	assert_int_equal(console_register(setup_sink_never), 0);
}

static void test_ring_wrap(void **state)
{
	enum {
		COUNT = 5000
	};
	struct log_record_view r;
	uint64_t seq = 0, next, dropped, expect;
	char want[64];
	unsigned i;

	(void)state;
	printk_set_console_level(0); /* keep the console quiet */
	for (i = 0; i < COUNT; i++) {
		host_time = i;
		host_cpu = i % MAX_CPUS;
		printk(LOG_INFO, "record number %u of the wrap test\n", i);
	}
	log_stats(&next, &dropped);
	assert_int_equal(next, COUNT);
	assert_true(dropped > 0);
	assert_true(dropped < COUNT);
	/* what is left must fit: each record has a 24-byte header */
	assert_true((COUNT - dropped) * (24 + 32) <= LOG_RING_SIZE);

	/* the oldest survivors follow directly on the dropped ones */
	expect = dropped;
	while (log_next(&seq, &r)) {
		assert_int_equal(r.seq, expect);
		snprintf(want, sizeof(want),
			 "record number %u of the wrap test", (unsigned)r.seq);
		assert_string_equal(r.text, want);
		assert_int_equal(r.cpu, r.seq % MAX_CPUS);
		expect++;
	}
	assert_int_equal(expect, COUNT);

	/* a cursor left behind by the overwrite jumps to the oldest */
	seq = 1;
	assert_true(log_next(&seq, &r));
	assert_int_equal(r.seq, dropped);
	/* a cursor in the middle finds its record */
	seq = COUNT - 10;
	assert_true(log_next(&seq, &r));
	assert_int_equal(r.seq, COUNT - 10);
	/* and one past the end finds nothing */
	seq = COUNT;
	assert_false(log_next(&seq, &r));
}

/* Records of varied length so that wrap markers land everywhere. */
static void test_ring_wrap_varied(void **state)
{
	struct log_record_view r;
	char text[LOG_LINE_MAX + 1];
	uint64_t seq, next, dropped, expect;
	unsigned i, len;

	(void)state;
	printk_set_console_level(0);
	for (i = 0; i < 3000; i++) {
		len = 1 + (i * 37) % LOG_LINE_MAX;
		memset(text, 'a' + (char)(i % 26), len);
		text[len] = '\0';
		printk(LOG_INFO, "%s", text);

		/* the ring stays readable from its start after each store */
		if (i % 97 == 0) {
			log_stats(&next, &dropped);
			seq = 0;
			expect = dropped;
			while (log_next(&seq, &r)) {
				assert_int_equal(r.seq, expect);
				assert_int_equal(
					r.len, 1 + (r.seq * 37) % LOG_LINE_MAX);
				expect++;
			}
			assert_int_equal(expect, next);
		}
	}
}

static void test_log_read(void **state)
{
	char buf[4096], small[40];
	uint64_t cur = 0;
	size_t n, total;

	(void)state;
	host_time = 2 * FREQ;
	pr_info("one\n");
	pr_debug("two (debug)\n");
	pr_err("three\n");

	n = log_read(&cur, buf, sizeof(buf), LOG_DEBUG);
	buf[n] = '\0';
	assert_string_equal(buf, "[    2.000000][C0] one\n"
				 "[    2.000000][C0] two (debug)\n"
				 "[    2.000000][C0] three\n");
	assert_int_equal(cur, 3);
	assert_int_equal(log_read(&cur, buf, sizeof(buf), LOG_DEBUG), 0);

	/* max_level leaves out the debug line */
	cur = 0;
	n = log_read(&cur, buf, sizeof(buf), LOG_INFO);
	buf[n] = '\0';
	assert_string_equal(buf, "[    2.000000][C0] one\n"
				 "[    2.000000][C0] three\n");

	/* a small buffer gets whole lines only, and the cursor resumes */
	cur = 0;
	total = 0;
	n = log_read(&cur, small, sizeof(small), LOG_DEBUG);
	assert_int_equal(n, strlen("[    2.000000][C0] one\n"));
	assert_int_equal(cur, 1);
	total += n;
	while ((n = log_read(&cur, small, sizeof(small), LOG_DEBUG)) != 0)
		total += n;
	assert_int_equal(total,
			 strlen(buf) +
				 strlen("[    2.000000][C0] two (debug)\n"));

	/* a line longer than the buffer comes out cut, but progress is
	 * made */
	cur = 0;
	n = log_read(&cur, small, 10, LOG_DEBUG);
	assert_int_equal(n, 10);
	assert_memory_equal(small, "[    2.000", 10);
	assert_int_equal(cur, 1);
}

static char dump_buf[LOG_RING_SIZE * 2];
static size_t dump_len;

static void dump_out(const char *s, size_t n)
{
	assert_true(dump_len + n < sizeof(dump_buf));
	memcpy(dump_buf + dump_len, s, n);
	dump_len += n;
	dump_buf[dump_len] = '\0';
}

static void test_dump_tail(void **state)
{
	static char all[LOG_RING_SIZE * 2];
	uint64_t cur = 0;
	size_t all_len = 0, n, budget;
	unsigned i;

	(void)state;
	printk_set_console_level(0);
	for (i = 0; i < 400; i++) {
		host_time = (uint64_t)i * 1234567;
		printk(i % 3 ? LOG_INFO : LOG_DEBUG, "line %u\n", i);
	}
	while ((n = log_read(&cur, all + all_len, sizeof(all) - all_len,
			     LOG_DEBUG)) != 0)
		all_len += n;
	all[all_len] = '\0';

	for (budget = 0; budget < 400; budget += 37) {
		dump_len = 0;
		dump_buf[0] = '\0';
		log_dump_tail(budget, dump_out);
		assert_true(dump_len <= budget);
		/* whole lines, the newest ones, and as many as fit */
		assert_true(dump_len <= all_len);
		assert_string_equal(dump_buf, all + all_len - dump_len);
		assert_true(dump_len == 0 ||
			    all[all_len - dump_len - 1] == '\n');
		{
			/* the line before the dump would not have fit */
			size_t start = all_len - dump_len, prev = start;

			if (start > 0) {
				prev = start - 1;
				while (prev > 0 && all[prev - 1] != '\n')
					prev--;
				assert_true(all_len - prev > budget);
			}
		}
	}
	/* everything, when it fits */
	dump_len = 0;
	log_dump_tail(sizeof(all), dump_out);
	assert_int_equal(dump_len, all_len);
	assert_string_equal(dump_buf, all);
}

static void test_emergency_busts_ring_lock(void **state)
{
	struct spinlock *rl = printk_ring_lock();
	struct log_record_view r;
	uint64_t seq = 0;

	(void)state;
	/* hart 1 takes the ring lock and stops */
	host_cpu = 1;
	assert_true(spin_trylock(rl));
	host_cpu = 0;

	printk_set_emergency_spins(1000);
	printk_emergency_enter();
	assert_true(printk_in_emergency());
	pr_emerg("Oops: lock holder is stuck\n");
	assert_string_equal(host_console,
			    "[    0.000000][C0] Oops: lock holder is stuck\n");
	assert_int_equal(printk_locks_busted(), 1);
	/* the record went into the ring all the same */
	assert_true(log_next(&seq, &r));
	assert_string_equal(r.text, "Oops: lock holder is stuck");
	assert_int_equal(printk_locks_busted(), 2);

	/* the same holding is not waited for again, but still not taken */
	pr_emerg("second line\n");
	assert_non_null(strstr(host_console, "second line"));
	assert_int_equal(printk_locks_busted(), 3);
	assert_true(rl->locked);
	assert_int_equal(rl->owner_cpu, 1);
	/* interrupt nesting on this hart is balanced after a bust */
	assert_int_equal(irq_off_depth(), 0);

	host_cpu = 1;
	spin_unlock(rl);
	host_cpu = 0;
	printk_emergency_exit();
	assert_false(printk_in_emergency());
}

static void test_emergency_busts_console_lock(void **state)
{
	struct spinlock *cl = printk_console_lock();

	(void)state;
	assert_int_equal(console_register(sink), 0);
	host_cpu = 3;
	assert_true(spin_trylock(cl));
	host_cpu = 0;

	printk_set_emergency_spins(10);
	printk_emergency_enter();
	printk_emergency_enter(); /* nests */
	pr_crit("kernel panic - not syncing: test\n");
	assert_string_equal(sink_buf, "[    0.000000][C0] kernel panic - not "
				      "syncing: test\n");
	assert_int_equal(printk_locks_busted(), 1);

	/* this hart holding the lock itself (a fault inside printk) must
	 * not wait at all */
	host_cpu = 3;
	spin_unlock(cl);
	host_cpu = 0;
	assert_true(spin_trylock(cl));
	pr_crit("nested\n");
	assert_non_null(strstr(sink_buf, "nested"));
	spin_unlock(cl);

	printk_emergency_exit();
	assert_true(printk_in_emergency());
	printk_emergency_exit();
	printk_emergency_exit(); /* extra exits are ignored */
	assert_false(printk_in_emergency());

	/* back to normal locking */
	pr_info("normal\n");
	assert_non_null(strstr(sink_buf, "normal"));
	assert_false(cl->locked);
}

static void test_emergency_raw(void **state)
{
	struct spinlock *cl = printk_console_lock();

	(void)state;
	/* no lock at all: works while another hart holds the console */
	host_cpu = 2;
	assert_true(spin_trylock(cl));
	host_cpu = 0;
	printk_emergency_putc('!');
	printk_emergency_puts("raw text\n");
	assert_string_equal(host_console, "!raw text\n");
	host_cpu = 2;
	spin_unlock(cl);
	host_cpu = 0;

	/* with a sink registered, raw output goes to the sinks */
	assert_int_equal(console_register(sink), 0);
	host_cpu = 2;
	assert_true(spin_trylock(cl));
	host_cpu = 0;
	printk_emergency_puts("to sinks");
	assert_string_equal(sink_buf, "to sinks");
	host_cpu = 2;
	spin_unlock(cl);
	host_cpu = 0;
}

static void test_irq_state(void **state)
{
	(void)state;
	/* printk leaves interrupts as it found them */
	assert_true(arch_irqs_enabled());
	pr_info("x\n");
	assert_int_equal(irq_off_depth(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_line_format, setup),
		cmocka_unit_test_setup(test_record_metadata, setup),
		cmocka_unit_test_setup(test_multiline, setup),
		cmocka_unit_test_setup(test_long_line_truncated, setup),
		cmocka_unit_test_setup(test_levels, setup),
		cmocka_unit_test_setup(test_sinks, setup),
		cmocka_unit_test_setup(test_ring_wrap, setup),
		cmocka_unit_test_setup(test_ring_wrap_varied, setup),
		cmocka_unit_test_setup(test_log_read, setup),
		cmocka_unit_test_setup(test_dump_tail, setup),
		cmocka_unit_test_setup(test_emergency_busts_ring_lock, setup),
		cmocka_unit_test_setup(test_emergency_busts_console_lock,
				       setup),
		cmocka_unit_test_setup(test_emergency_raw, setup),
		cmocka_unit_test_setup(test_irq_state, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
