/* SPDX-License-Identifier: MIT */
/*
 * The crash-test table. Each test runs in its own kernel thread, so a test
 * whose oops only kills that thread leaves the system running; the
 * crashtest thread then never returns, and a watcher thread reports that
 * the system carried on. docs/crash-tests.md says how to add one.
 */
#include <axolotl/errno.h>
#include <kernel/cpu.h>
#include <kernel/crashtest.h>
#include <kernel/oops.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/timer.h>

/* Laundered through a volatile so the compiler cannot prove them bad. */
static volatile uintptr_t null_addr;
static const uint32_t ro_word = 0xa0101011;
static uint32_t data_code[4] = { 0x00008067 }; /* "ret", never fetched */
static struct spinlock crashtest_lock = SPINLOCK_INIT("crashtest_lock");

static void ct_panic(void)
{
	panic("crashtest PANIC");
}

static void ct_bug(void)
{
	BUG();
}

static void ct_exception(void)
{
	*(volatile int *)null_addr = 1;
}

static void ct_illegal_insn(void)
{
	arch_crash_illegal_insn();
}

static void ct_write_ro(void)
{
	*(volatile uint32_t *)(uintptr_t)&ro_word = 0;
}

static void ct_exec_data(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;

	__asm__ volatile("" : "+r"(fn));
	fn();
}

static int __noinline recurse(volatile int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth > 1000000) /* never: 512 MiB of stack; keeps gcc honest */
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void ct_exhaust_stack(void)
{
	recurse(0);
}

static void fault_in_tick(void)
{
	timer_tick_hook = NULL;
	*(volatile int *)null_addr = 2;
}

static void ct_exception_in_irq(void)
{
	timer_tick_hook = fault_in_tick;
	for (;;)
		thread_sleep_ms(1000);
}

static void fault_in_idle(void)
{
	sched_idle_hook = NULL;
	*(volatile int *)null_addr = 5;
}

static void ct_exception_in_idle(void)
{
	sched_idle_hook = fault_in_idle;
	for (;;)
		thread_sleep_ms(1000);
}

static void ct_oops_in_thread(void)
{
	spin_lock(&crashtest_lock);
	*(volatile int *)null_addr = 3;
}

static void ct_double_fault(void)
{
	oops_inject_fault = true;
	*(volatile int *)null_addr = 4;
}

static void spin_irqs_off(void *arg)
{
	(void)arg;
	pr_info("crashtest: CPU%u spins with interrupts off\n", arch_cpu_id());
	for (;;)
		arch_cpu_relax();
}

static void ct_panic_stop_irqoff(void)
{
	unsigned other = arch_cpu_id() == 0 ? 1 : 0;

	if (smp_online_count() < 2) {
		pr_err("crashtest: PANIC_STOP_IRQOFF needs two harts\n");
		return;
	}
	smp_call_on(other, spin_irqs_off, NULL, false, 0);
	thread_sleep_ms(100);
	panic("crashtest PANIC_STOP_IRQOFF");
}

static void hold_console_lock(void *arg)
{
	(void)arg;
	spin_lock(printk_console_lock());
	for (;;)
		arch_cpu_relax();
}

/* Another hart dies holding the console lock; the panic must still print. */
static void ct_panic_console_locked(void)
{
	unsigned other = arch_cpu_id() == 0 ? 1 : 0;

	if (smp_online_count() < 2) {
		pr_err("crashtest: PANIC_CONSOLE_LOCKED needs two harts\n");
		return;
	}
	pr_info("crashtest: CPU%u will hold the console lock forever\n", other);
	smp_call_on(other, hold_console_lock, NULL, false, 0);
	while (!spin_held_by(printk_console_lock(), other))
		arch_cpu_relax();
	panic("crashtest PANIC_CONSOLE_LOCKED");
}

static void ct_unaligned(void)
{
	static uint8_t buf[16] = { 0, 0x11, 0x22, 0x33, 0x44 };
	uint32_t v = arch_crash_misaligned_load(buf + 1);

	pr_info("crashtest: UNALIGNED: a misaligned load did not trap and read %#x (%s)\n",
		v, v == 0x44332211 ? "correct" : "WRONG");
	pr_info("crashtest: UNALIGNED: now a misaligned atomic, which must trap\n");
	arch_crash_misaligned_atomic(buf + 1);
}

static const struct crashtest tests[] = {
	{ "PANIC", "panic() directly", ct_panic },
	{ "BUG", "BUG(): kernel BUG at file:line, oops, thread dies", ct_bug },
	{ "EXCEPTION", "NULL dereference in a thread: oops, thread dies",
	  ct_exception },
	{ "ILLEGAL_INSN", "illegal instruction in a thread: oops",
	  ct_illegal_insn },
	{ "WRITE_RO", "write to kernel rodata: store page fault, oops",
	  ct_write_ro },
	{ "EXEC_DATA", "jump into a non-executable data page: oops",
	  ct_exec_data },
	{ "EXHAUST_STACK", "runaway recursion into the guard page",
	  ct_exhaust_stack },
	{ "EXCEPTION_IN_IRQ", "NULL dereference in the timer interrupt: panic",
	  ct_exception_in_irq },
	{ "EXCEPTION_IN_IDLE", "NULL dereference in an idle thread: panic",
	  ct_exception_in_idle },
	{ "OOPS_IN_THREAD", "thread faults holding a lock; system carries on",
	  ct_oops_in_thread },
	{ "DOUBLE_FAULT", "a fault inside the oops report: panic, no recursion",
	  ct_double_fault },
	{ "PANIC_STOP_IRQOFF", "panic while another hart spins, irqs off",
	  ct_panic_stop_irqoff },
	{ "PANIC_CONSOLE_LOCKED",
	  "panic while another hart holds the console lock",
	  ct_panic_console_locked },
	{ "UNALIGNED", "misaligned load (no trap here), then misaligned AMO",
	  ct_unaligned },
};

const struct crashtest *crashtest_find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(tests); i++)
		if (strcmp(tests[i].name, name) == 0)
			return &tests[i];
	return NULL;
}

const struct crashtest *crashtest_at(unsigned i)
{
	return i < ARRAY_SIZE(tests) ? &tests[i] : NULL;
}

static void crashtest_thread(void *arg)
{
	const struct crashtest *t = arg;

	pr_notice("crashtest: running %s: %s\n", t->name, t->what);
	t->run();
	pr_notice("crashtest: %s returned without crashing\n", t->name);
}

/* Outlives the crash test: says whether the system carried on. */
static void watcher_thread(void *arg)
{
	const struct crashtest *t = arg;

	thread_sleep_ms(1000);
	pr_notice(
		"crashtest: %s done; the system is still running (%u threads alive)\n",
		t->name, thread_count());
}

int crashtest_start(const char *name)
{
	const struct crashtest *t = crashtest_find(name);
	int tid;

	if (!t)
		return -ENOENT;
	tid = thread_create("crashtest", crashtest_thread, (void *)t);
	if (tid < 0)
		return tid;
	return thread_create("crashwatch", watcher_thread, (void *)t) < 0 ?
		       -EAGAIN :
		       0;
}
