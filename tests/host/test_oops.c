/* SPDX-License-Identifier: MIT */
/*
 * The oops/panic decision table (docs/oops-and-panic.md), on the host.
 * Each case runs oops() in a forked child with the per-hart state of the
 * case; the child ends where the kernel would halt, reboot or switch to
 * another thread, and sends its console output to the parent, which checks
 * the outcome and the exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kernel/cpu.h>
#include <kernel/oops.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/tunable.h>

#include "host_arch.h"

static int out_fd = -1;

static void send_console_and_exit(int code)
{
	size_t off = 0;

	while (off < host_console_len) {
		ssize_t n = write(out_fd, host_console + off,
				  host_console_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	_exit(code);
}

struct scenario {
	unsigned irq_depth;
	bool idle;
	bool in_scheduler;
	bool nested; /* a fault while the oops report is written */
	int panic_on_oops;
	int panic_timeout;
	bool hold_lock;
};

static struct thread worker = { .tid = 7, .name = "worker" };
static struct thread idle = { .tid = 0, .name = "idle/0", .is_idle = true };
static struct spinlock held = SPINLOCK_INIT("worker_lock");

static void child(const struct scenario *s)
{
	struct cpu *c = &cpus[0];
	struct trap_frame tf = { .pc = 0x1000, .cause = 15, .addr = 0 };

	host_exit_hook = send_console_and_exit;
	host_time_step = 100000; /* 10 ms a call: waits in panic() end */
	ncpus = 1;
	c->id = 0;
	c->idle = &idle;
	c->current = s->idle ? &idle : &worker;
	c->irq_depth = s->irq_depth;
	c->in_scheduler = s->in_scheduler;
	c->in_oops = s->nested;
	worker.state = THREAD_RUNNING;
	tunable_set_id(TUNABLE_PANIC_ON_OOPS, s->panic_on_oops);
	tunable_set_id(TUNABLE_PANIC, s->panic_timeout);
	if (s->hold_lock)
		spin_lock(&held);
	oops(&tf, "Store/AMO page fault");
	_exit(99); /* oops() must never return for a real fault */
}

/* Run one scenario; returns the child's exit code and its console. */
static int run(const struct scenario *s, char *out, size_t len)
{
	int fds[2];
	size_t got = 0;
	int status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		out_fd = fds[1];
		child(s);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + got, len - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static char console[1 << 16];

static void expect(const struct scenario *s, int code, const char *text)
{
	int got = run(s, console, sizeof(console));

	if (got != code || !strstr(console, text))
		fprintf(stderr, "exit %d (wanted %d), console:\n%s\n", got,
			code, console);
	assert_int_equal(got, code);
	assert_non_null(strstr(console, text));
	assert_non_null(strstr(console, "Oops: Store/AMO page fault [#1]"));
}

static void test_interrupt_panics(void **state)
{
	(void)state;
	expect(&(struct scenario){ .irq_depth = 1 }, HOST_EXIT_HALT,
	       "Kernel panic - not syncing: Fatal exception in interrupt\n");
	assert_non_null(strstr(console, "Context: interrupt"));
	assert_non_null(strstr(console, "all harts halted"));
}

static void test_interrupt_wins_over_idle(void **state)
{
	(void)state;
	expect(&(struct scenario){ .irq_depth = 1, .idle = true },
	       HOST_EXIT_HALT, "Fatal exception in interrupt");
}

static void test_idle_panics(void **state)
{
	(void)state;
	expect(&(struct scenario){ .idle = true }, HOST_EXIT_HALT,
	       "Kernel panic - not syncing: Attempted to kill the idle task!");
}

static void test_scheduler_panics(void **state)
{
	(void)state;
	expect(&(struct scenario){ .in_scheduler = true }, HOST_EXIT_HALT,
	       "Attempted to kill the idle task!");
}

static void test_panic_on_oops(void **state)
{
	(void)state;
	expect(&(struct scenario){ .panic_on_oops = 1 }, HOST_EXIT_HALT,
	       "Kernel panic - not syncing: Fatal exception\n");
}

static void test_thread_dies_alone(void **state)
{
	(void)state;
	expect(&(struct scenario){ 0 }, HOST_EXIT_SWITCH,
	       "note: thread worker[7] killed by the oops on CPU 0");
	assert_null(strstr(console, "Kernel panic"));
}

static void test_held_lock_is_reported(void **state)
{
	(void)state;
	expect(&(struct scenario){ .hold_lock = true }, HOST_EXIT_SWITCH,
	       "note: it held lock worker_lock");
	assert_non_null(strstr(console, "it had interrupts off (depth 1)"));
}

static void test_nested_fault_does_not_recurse(void **state)
{
	int code;

	(void)state;
	code = run(&(struct scenario){ .nested = true }, console,
		   sizeof(console));
	assert_int_equal(code, HOST_EXIT_HALT);
	assert_non_null(strstr(console, "while reporting an oops on CPU 0: "
					"not recursing"));
	assert_non_null(strstr(console, "Kernel panic - not syncing: "
					"Fault inside the oops handler"));
	assert_null(strstr(console, "[#1]"));
}

static void test_panic_timeout_reboots(void **state)
{
	(void)state;
	expect(&(struct scenario){ .panic_on_oops = 1, .panic_timeout = 2 },
	       HOST_EXIT_REBOOT, "Rebooting in 2 seconds..");
	assert_non_null(
		strstr(console, "panic: rebooting now (kernel.panic=2)"));
}

static void test_negative_panic_reboots_at_once(void **state)
{
	(void)state;
	expect(&(struct scenario){ .irq_depth = 1, .panic_timeout = -1 },
	       HOST_EXIT_REBOOT, "panic: rebooting now (kernel.panic=-1)");
	assert_null(strstr(console, "Rebooting in"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interrupt_panics),
		cmocka_unit_test(test_interrupt_wins_over_idle),
		cmocka_unit_test(test_idle_panics),
		cmocka_unit_test(test_scheduler_panics),
		cmocka_unit_test(test_panic_on_oops),
		cmocka_unit_test(test_thread_dies_alone),
		cmocka_unit_test(test_held_lock_is_reported),
		cmocka_unit_test(test_nested_fault_does_not_recurse),
		cmocka_unit_test(test_panic_timeout_reboots),
		cmocka_unit_test(test_negative_panic_reboots_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
