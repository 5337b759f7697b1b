/* SPDX-License-Identifier: MIT */
/*
 * Alarms (see alarm.h). deadlines[] is guarded by ipc_lock, like the
 * notification it leads to; earliest is a lock-free hint for the tick.
 */
#include <axolotl/errno.h>
#include <kernel/alarm.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

static ticks_t deadlines[NR_PROCS]; /* 0: none (ipc_lock) */
static ticks_t earliest;	    /* atomic; 0: none */
static int alarm_chan;

static void recompute_earliest(void)
{
	ticks_t e = 0;

	for (unsigned i = 0; i < NR_PROCS; i++)
		if (deadlines[i] && (!e || deadlines[i] < e))
			e = deadlines[i];
	__atomic_store_n(&earliest, e, __ATOMIC_RELEASE);
}

int alarm_set(struct proc *p, uint64_t ms)
{
	spin_lock(&ipc_lock);
	deadlines[p->slot] =
		ms ? arch_time_now() + ms * arch_time_freq() / 1000 : 0;
	recompute_earliest();
	spin_unlock(&ipc_lock);
	return 0;
}

void alarm_tick(ticks_t now)
{
	ticks_t e = __atomic_load_n(&earliest, __ATOMIC_ACQUIRE);

	if (e && e <= now)
		thread_wakeup(&alarm_chan);
}

static void alarm_thread(void *arg)
{
	(void)arg;
	spin_lock(&ipc_lock);
	for (;;) {
		ticks_t now = arch_time_now();

		for (unsigned i = 0; i < NR_PROCS; i++) {
			struct proc *p = &proc_table[i];

			if (!deadlines[i] || deadlines[i] > now)
				continue;
			deadlines[i] = 0;
			if (!(p->rts & RTS_SLOT_FREE))
				ipc_notify_clock(p);
		}
		recompute_earliest();
		thread_sleep_on(&alarm_chan, &ipc_lock);
	}
}

void alarm_init(void)
{
	if (thread_create("alarms", alarm_thread, NULL) < 0)
		pr_err("alarm: cannot start the alarm thread\n");
}
