/* SPDX-License-Identifier: MIT */
/*
 * The periodic tick. Each hart arms its own one-shot timer for the next
 * tick; deadlines advance by a fixed period from the previous deadline, so
 * late interrupts do not accumulate drift. The handler only counts, re-arms
 * and calls the tick hook: anything longer is deferred to threads.
 */
#include <kernel/alarm.h>
#include <kernel/cpu.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/tunable.h>

void (*volatile timer_tick_hook)(void);
static ticks_t next_deadline[MAX_CPUS]; /* own hart only */

static ticks_t tick_period(void)
{
	int64_t hz = tunable_get(TUNABLE_TICK_HZ);

	return arch_time_freq() / (uint64_t)(hz > 0 ? hz : 100);
}

void timer_init_cpu(void)
{
	unsigned id = arch_cpu_id();

	next_deadline[id] = arch_time_now() + tick_period();
	arch_timer_set(next_deadline[id]);
}

void timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	ticks_t now = arch_time_now();
	ticks_t period = tick_period();
	ticks_t next = next_deadline[c->id] + period;
	void (*hook)(void) = timer_tick_hook;

	if (next <= now) /* we fell behind: skip the missed ticks */
		next = now + period;
	next_deadline[c->id] = next;
	arch_timer_set(next);
	c->ticks++;
	sched_tick();
	if (c->id == 0)
		alarm_tick(now);
	if (hook)
		hook();
}

uint64_t uptime_ms(void)
{
	return arch_time_now() * 1000 / arch_time_freq();
}
