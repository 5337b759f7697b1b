/* SPDX-License-Identifier: MIT */
/*
 * Other harts: start them, call functions on them, stop them in a panic.
 *
 * Cross-calls use one slot per target hart: the caller takes the slot
 * (xcall_lock[target]), fills it, raises the target's software interrupt
 * and, if asked, waits until the target has completed that call (calls to
 * one hart complete in the order they were posted). The stop request
 * of a panic is a separate flag, so that it works even when a slot's lock
 * is held by a hart that is being stopped.
 */
#include <axolotl/errno.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

struct xcall {
	void (*fn)(void *);
	void *arg;
	int pending;	    /* atomic: 1 from post until the target takes it */
	uint64_t posted;    /* calls posted to this hart (xcall_lock) */
	uint64_t completed; /* atomic: calls that have returned on it */
};

static struct xcall xcalls[MAX_CPUS];
static struct spinlock xcall_lock[MAX_CPUS];
static bool stop_requested; /* atomic */

unsigned smp_online_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ncpus; i++)
		n += READ_ONCE(cpus[i].state) == CPU_ONLINE;
	return n;
}

unsigned smp_boot_secondaries(void)
{
	for (unsigned i = 0; i < ncpus; i++)
		spin_init(&xcall_lock[i], "xcall_lock");
	for (unsigned i = 1; i < ncpus; i++) {
		int err = arch_start_cpu(i);
		ticks_t end = arch_time_now() + arch_time_freq();

		if (err) {
			pr_err("smp: CPU%u would not start: %d\n", i, err);
			continue;
		}
		while (READ_ONCE(cpus[i].state) != CPU_ONLINE &&
		       arch_time_now() < end)
			arch_cpu_relax();
		if (READ_ONCE(cpus[i].state) != CPU_ONLINE)
			pr_err("smp: CPU%u started but did not come online within 1 s\n",
			       i);
	}
	return smp_online_count();
}

/*
 * The slot lock is held (interrupts off) only to post; the wait for the
 * target runs with the caller's interrupts as they were, so two harts
 * calling each other at once both get served.
 */
int smp_call_on(unsigned cpu, void (*fn)(void *), void *arg, bool wait,
		unsigned timeout_ms)
{
	ticks_t end = arch_time_now() + arch_time_freq() * timeout_ms / 1000;
	struct xcall *x;
	uint64_t seq;

	if (cpu >= ncpus || READ_ONCE(cpus[cpu].state) != CPU_ONLINE)
		return -EINVAL;
	if (cpu == arch_cpu_id())
		return -EDEADLK;
	x = &xcalls[cpu];
	spin_lock(&xcall_lock[cpu]);
	while (__atomic_load_n(&x->pending, __ATOMIC_ACQUIRE)) {
		/* The previous call is not taken yet: let interrupts in. */
		spin_unlock(&xcall_lock[cpu]);
		if (wait && arch_time_now() >= end)
			return -ETIMEDOUT;
		arch_cpu_relax();
		spin_lock(&xcall_lock[cpu]);
	}
	x->fn = fn;
	x->arg = arg;
	seq = ++x->posted;
	__atomic_store_n(&x->pending, 1, __ATOMIC_RELEASE);
	arch_send_ipi(cpu);
	spin_unlock(&xcall_lock[cpu]);
	if (!wait)
		return 0;
	while (__atomic_load_n(&x->completed, __ATOMIC_ACQUIRE) < seq) {
		if (arch_time_now() >= end)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
	return 0;
}

void smp_ipi_interrupt(void)
{
	struct cpu *c = this_cpu();
	struct xcall *x = &xcalls[c->id];

	c->ipis++;
	if (__atomic_load_n(&stop_requested, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&c->state, CPU_STOPPED, __ATOMIC_RELEASE);
		arch_halt();
	}
	if (__atomic_load_n(&x->pending, __ATOMIC_ACQUIRE)) {
		void (*fn)(void *) = x->fn;
		void *arg = x->arg;

		/* Free the slot first: fn may never return (a crash test). */
		__atomic_store_n(&x->pending, 0, __ATOMIC_RELEASE);
		fn(arg);
		__atomic_add_fetch(&x->completed, 1, __ATOMIC_RELEASE);
	}
}

uint32_t smp_stop_others(unsigned timeout_ms)
{
	unsigned self = arch_cpu_id();
	uint32_t unstopped = 0;
	ticks_t end;

	__atomic_store_n(&stop_requested, true, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < ncpus; i++)
		if (i != self && READ_ONCE(cpus[i].state) == CPU_ONLINE)
			arch_send_ipi(i);
	end = arch_time_now() + arch_time_freq() * timeout_ms / 1000;
	for (unsigned i = 0; i < ncpus; i++) {
		if (i == self || READ_ONCE(cpus[i].state) == CPU_OFFLINE)
			continue;
		while (READ_ONCE(cpus[i].state) != CPU_STOPPED &&
		       arch_time_now() < end)
			arch_cpu_relax();
		if (READ_ONCE(cpus[i].state) != CPU_STOPPED)
			unstopped |= 1u << i;
	}
	return unstopped;
}
