/* SPDX-License-Identifier: MIT */
/*
 * panic(): the kernel cannot go on. The first hart to panic wins; any other
 * hart that panics meanwhile stops itself. The winner, with interrupts off:
 *
 *   1. prints "Kernel panic - not syncing: <reason>" and a backtrace;
 *   2. moves to its preallocated emergency stack;
 *   3. stops the other harts by IPI and names any that did not answer
 *      within a bounded wait (a hart spinning with interrupts off);
 *   4. runs the panic notifiers (the crash-record writer hooks in here);
 *   5. acts on kernel.panic: 0 halts, N > 0 reboots after N seconds,
 *      N < 0 reboots at once.
 *
 * Nothing here allocates or waits on a lock that a stopped hart may hold:
 * printk is in emergency mode, and the only shared state is panic_cpu.
 */
#include <kernel/cpu.h>
#include <kernel/kprintf.h>
#include <kernel/ksyms.h>
#include <kernel/oops.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/tunable.h>

#define STOP_WAIT_MS 1000
#define MAX_NOTIFIERS 8

static int panic_cpu = -1; /* atomic: the hart that owns the panic */
static char panic_msg[256];
static panic_notifier_fn notifiers[MAX_NOTIFIERS];
static unsigned nnotifiers;

bool panic_in_progress(void)
{
	return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) >= 0;
}

int panic_notifier_register(panic_notifier_fn fn)
{
	if (nnotifiers >= MAX_NOTIFIERS)
		return -1;
	notifiers[nnotifiers++] = fn;
	return 0;
}

/* Claim the panic for this hart, or stop here if another hart has it. */
static void claim_panic(struct cpu *c)
{
	int expected = -1;

	if (__atomic_compare_exchange_n(&panic_cpu, &expected, (int)c->id,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return;
	if (expected == (int)c->id) {
		/* panic() inside panic(): say so raw and stop this hart. */
		printk_emergency_puts("\nKernel panic while panicking: ");
		printk_emergency_puts(panic_msg);
		printk_emergency_puts("; stopping this hart\n");
		arch_halt();
	}
	c->state = CPU_STOPPED;
	arch_halt();
}

static void busy_wait_ms(uint64_t ms)
{
	ticks_t end = arch_time_now() + arch_time_freq() * ms / 1000;

	while (arch_time_now() < end)
		arch_cpu_relax();
}

static void report_unstopped(uint32_t mask)
{
	for (unsigned i = 0; i < ncpus; i++) {
		char sym[96];

		if (!(mask & (1u << i)))
			continue;
		if (cpus[i].last_tick_pc)
			ksym_format(sym, sizeof(sym), cpus[i].last_tick_pc);
		else
			ksnprintf(sym, sizeof(sym), "(none recorded)");
		printk(LOG_EMERG,
		       "panic: CPU%u did not answer the stop IPI within %u ms (interrupts off?); last timer tick at %s\n",
		       i, STOP_WAIT_MS, sym);
	}
}

static void __noreturn panic_finish(void *unused)
{
	int64_t timeout = tunable_get(TUNABLE_PANIC);
	uint32_t unstopped;

	(void)unused;
	unstopped = smp_stop_others(STOP_WAIT_MS);
	report_unstopped(unstopped);
	for (unsigned i = 0; i < nnotifiers; i++)
		notifiers[i](panic_msg);
	if (timeout > 0) {
		printk(LOG_EMERG, "Rebooting in %lld seconds..\n",
		       (long long)timeout);
		busy_wait_ms((uint64_t)timeout * 1000);
	}
	if (timeout != 0) {
		printk(LOG_EMERG, "panic: rebooting now (kernel.panic=%lld)\n",
		       (long long)timeout);
		arch_system_reset(true);
	}
	printk(LOG_EMERG, "---[ end Kernel panic - not syncing: %s ]---\n",
	       panic_msg);
	printk(LOG_EMERG, "panic: kernel.panic=0: all harts halted%s\n",
	       unstopped ? " except those named above" : "");
	arch_halt();
}

static void panic_on_emergency_stack(void *arg)
{
	panic_finish(arg);
}

void __noreturn panic(const char *fmt, ...)
{
	struct cpu *c;
	va_list ap;

	arch_irq_disable();
	c = this_cpu();
	claim_panic(c);
	printk_emergency_enter();
	va_start(ap, fmt);
	kvsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	printk(LOG_EMERG, "Kernel panic - not syncing: %s\n", panic_msg);
	printk(LOG_EMERG, "CPU: %u PID: %d Comm: %s\n", c->id,
	       c->current ? c->current->tid : 0,
	       c->current ? c->current->name : "none");
	show_backtrace(NULL);
	arch_call_on_emergency_stack(panic_on_emergency_stack, NULL);
	arch_halt();
}
