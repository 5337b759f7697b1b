/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and a simple scheduler: one run queue shared by all harts,
 * FIFO, under sched_lock. Threads run until they block, yield or exit.
 *
 * The switch protocol (as in xv6): a thread takes sched_lock, sets its own
 * state, and calls sched_switch(), which picks the next thread and switches
 * to it with sched_lock still held; the thread that resumes releases it.
 * A thread that exited is marked DEAD and its slot freed by whoever runs
 * next on that hart, once nothing runs on its stack any more.
 *
 * The IPC fast path hands a hart from one thread to another without the
 * run queue (thread_handoff in thread.h, docs/ipc.md), under the same
 * protocol: sched_lock is released only on the new thread's stack.
 */
#include <axolotl/errno.h>
#include <kernel/bug.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/runq.h>
#include <kernel/thread.h>
#include <kernel/tunable.h>

struct spinlock sched_lock = SPINLOCK_INIT("sched_lock");
static struct thread threads[MAX_THREADS]; /* sched_lock guards states */
static struct thread idle_threads[MAX_CPUS];
static struct runq_set runq;		       /* sched_lock */
static int next_tid = 1;		       /* sched_lock */
static struct thread *switched_from[MAX_CPUS]; /* per hart, own hart only */

enum {
	THREAD_EMBRYO = THREAD_DEAD + 1
}; /* slot taken, not yet runnable */

static unsigned ms_to_ticks(unsigned ms)
{
	int64_t hz = tunable_get(TUNABLE_TICK_HZ);
	unsigned t = (unsigned)((uint64_t)ms * (uint64_t)hz / 1000);

	return t ? t : 1;
}

static void kick_idle_cpu(void);

static void runq_push(struct thread *t)
{
	unsigned cpu = t->cpu >= 0 && (unsigned)t->cpu < ncpus ?
			       (unsigned)t->cpu :
			       arch_cpu_id();

	BUG_ON(t->state != THREAD_RUNNABLE || t->queued);
	runq_enqueue(&runq, t, cpu);
}

static void runq_remove(struct thread *t)
{
	BUG_ON(!t->queued);
	runq_dequeue(&runq, t);
}

static struct thread *runq_pop(unsigned cpu)
{
	return runq_next(&runq, cpu, ncpus);
}

/*
 * The earliest wake_time of a timed sleeper, or 0 if none (sched_lock).
 * It only errs early: a sleeper woken otherwise leaves it stale, which
 * costs one useless scan, never a missed wake-up.
 */
static ticks_t next_wake;

/* Queue every timed sleeper whose time has come. sched_lock held. */
static void wake_expired(ticks_t now)
{
	ticks_t earliest = 0;

	if (!next_wake || next_wake > now)
		return; /* the common case: no table scan on a switch */
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];

		if (t->state != THREAD_SLEEPING || !t->wake_time)
			continue;
		if (t->wake_time <= now) {
			t->wake_time = 0;
			t->state = THREAD_RUNNABLE;
			runq_push(t);
		} else if (!earliest || t->wake_time < earliest) {
			earliest = t->wake_time;
		}
	}
	next_wake = earliest;
}

/* After a switch, on the resumed thread: free a dead predecessor. */
static void sched_finish_switch(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = switched_from[c->id];

	if (prev && prev->state == (enum thread_state)THREAD_DEAD)
		prev->state = THREAD_FREE;
	switched_from[c->id] = NULL;
	c->in_scheduler = false;
}

/*
 * Switch from the current thread, whose state the caller has set, to the
 * next runnable one (or this hart's idle thread). sched_lock is held.
 */
static void sched_switch(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current;
	struct thread *next;
	bool was_on = irq_nest_was_on();

	c->in_scheduler = true;
	wake_expired(arch_time_now());
	next = runq_pop(c->id);
	if (!next)
		next = c->idle;
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		c->in_scheduler = false;
		return;
	}
	if (prev->state == THREAD_RUNNING)
		prev->state = THREAD_RUNNABLE;
	/* wake_expired() may have queued prev already (a very short sleep). */
	if (prev->state == THREAD_RUNNABLE && !prev->is_idle && !prev->queued)
		runq_push(prev);
	BUG_ON(next != c->idle &&
	       (next->state != THREAD_RUNNABLE || next->queued));
	next->state = THREAD_RUNNING;
	next->cpu = (int)c->id;
	c->current = next;
	c->need_resched = false;
	switched_from[c->id] = prev;
	arch_vm_activate(next->vm);
	arch_set_current_stack(next->stack_lo, next->stack_top);
	arch_context_switch(&prev->ctx, &next->ctx);
	sched_finish_switch();
	irq_nest_set_was_on(was_on);
}

/* First code of every new thread (called from thread_trampoline). */
void thread_first_run(void)
{
	sched_finish_switch();
	irq_nest_set_was_on(true);
	spin_unlock(&sched_lock);
}

void sched_init(void)
{
	memset(threads, 0, sizeof(threads));
	memset(&runq, 0, sizeof(runq));
	next_wake = 0;
}

void sched_init_cpu(unsigned cpu, uintptr_t stack_lo, uintptr_t stack_top)
{
	struct thread *t = &idle_threads[cpu];
	struct cpu *c = &cpus[cpu];

	memset(t, 0, sizeof(*t));
	t->tid = 0;
	t->is_idle = true;
	t->state = THREAD_RUNNING;
	t->cpu = (int)cpu;
	memcpy(t->name, "idle/", 5);
	t->name[5] = (char)('0' + cpu % 10);
	t->stack_lo = stack_lo;
	t->stack_top = stack_top;
	c->idle = t;
	c->current = t;
}

static int create(const char *name, void (*fn)(void *), void *arg,
		  struct vm_space *vm, struct proc *proc, unsigned prio,
		  unsigned quantum_ms, struct thread **out)
{
	struct thread *t = NULL;
	unsigned slot;
	int err, tid;

	spin_lock(&sched_lock);
	for (slot = 0; slot < MAX_THREADS; slot++) {
		if (threads[slot].state == THREAD_FREE) {
			t = &threads[slot];
			t->state = (enum thread_state)THREAD_EMBRYO;
			break;
		}
	}
	tid = next_tid++;
	spin_unlock(&sched_lock);
	if (!t)
		return -EAGAIN;

	err = arch_kstack_map(slot, &t->stack_lo, &t->stack_top);
	if (err) {
		spin_lock(&sched_lock);
		t->state = THREAD_FREE;
		spin_unlock(&sched_lock);
		return err;
	}
	t->tid = tid;
	strlcpy(t->name, name, sizeof(t->name));
	t->is_idle = false;
	t->entry = fn;
	t->arg = arg;
	t->wait_chan = NULL;
	t->wake_time = 0;
	t->vm = vm;
	t->proc = proc;
	t->prio = prio;
	t->quantum_ticks = ms_to_ticks(quantum_ms);
	t->ticks_left = t->quantum_ticks;
	t->cpu = -1;
	arch_context_init(&t->ctx, t->stack_top, fn, arg);
	if (out)
		*out = t;

	spin_lock(&sched_lock);
	t->state = THREAD_RUNNABLE;
	runq_push(t);
	spin_unlock(&sched_lock);
	kick_idle_cpu();
	return tid;
}

int thread_create(const char *name, void (*fn)(void *), void *arg)
{
	return create(name, fn, arg, NULL, NULL, SCHED_PRIO_KERNEL, 0, NULL);
}

int thread_create_user(const char *name, void (*fn)(void *), void *arg,
		       struct vm_space *vm, struct proc *proc, unsigned prio,
		       unsigned quantum_ms, struct thread **out)
{
	if (prio >= SCHED_NR_PRIO || quantum_ms == 0)
		return -EINVAL;
	return create(name, fn, arg, vm, proc, prio, quantum_ms, out);
}

int sched_set_params(struct thread *t, unsigned prio, unsigned quantum_ms)
{
	if (prio >= SCHED_NR_PRIO || quantum_ms == 0 || quantum_ms > 10000)
		return -EINVAL;
	spin_lock(&sched_lock);
	if (t->queued && t->prio != prio) {
		runq_remove(t);
		t->prio = prio;
		runq_push(t);
	}
	t->prio = prio;
	t->quantum_ticks = ms_to_ticks(quantum_ms);
	if (t->ticks_left > t->quantum_ticks)
		t->ticks_left = t->quantum_ticks;
	spin_unlock(&sched_lock);
	return 0;
}

void sched_tick(void)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (t && t->vm && t->ticks_left && --t->ticks_left == 0)
		c->need_resched = true;
}

void sched_preempt_point(void)
{
	struct cpu *c = this_cpu();
	struct thread *t = c->current;

	if (!c->need_resched)
		return;
	c->need_resched = false;
	t->ticks_left = t->quantum_ticks;
	thread_yield();
}

void __noreturn thread_exit(void)
{
	spin_lock(&sched_lock);
	this_cpu()->current->state = (enum thread_state)THREAD_DEAD;
	sched_switch();
	for (;;) /* a dead thread is never resumed */
		arch_halt();
}

void thread_yield(void)
{
	spin_lock(&sched_lock);
	this_cpu()->current->state = THREAD_RUNNABLE;
	sched_switch();
	spin_unlock(&sched_lock);
}

void thread_sleep_ticks(ticks_t ticks)
{
	struct thread *t;

	spin_lock(&sched_lock);
	t = this_cpu()->current;
	t->wake_time = arch_time_now() + (ticks ? ticks : 1);
	if (!next_wake || t->wake_time < next_wake)
		next_wake = t->wake_time;
	t->state = THREAD_SLEEPING;
	sched_switch();
	spin_unlock(&sched_lock);
}

void thread_sleep_ms(unsigned ms)
{
	thread_sleep_ticks(arch_time_freq() * ms / 1000);
}

void thread_sleep_on(const void *chan, struct spinlock *lock)
{
	struct thread *t;

	spin_lock(&sched_lock);
	spin_unlock(lock);
	t = this_cpu()->current;
	t->wait_chan = chan;
	t->state = THREAD_SLEEPING;
	sched_switch();
	t->wait_chan = NULL;
	spin_unlock(&sched_lock);
	spin_lock(lock);
}

void thread_wakeup(const void *chan)
{
	spin_lock(&sched_lock);
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];

		if (t->state == THREAD_SLEEPING && t->wait_chan == chan) {
			t->state = THREAD_RUNNABLE;
			runq_push(t);
		}
	}
	spin_unlock(&sched_lock);
	kick_idle_cpu();
}

void thread_wake(struct thread *t, const void *chan)
{
	spin_lock(&sched_lock);
	if (t->state == THREAD_SLEEPING && t->wait_chan == chan) {
		t->state = THREAD_RUNNABLE;
		runq_push(t);
	}
	spin_unlock(&sched_lock);
	kick_idle_cpu();
}

/* A hart idling in wfi would see new work only at its next tick. */
static void kick_idle_cpu(void)
{
	unsigned self = arch_cpu_id();

	if (!READ_ONCE(runq.len))
		return;
	for (unsigned i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];

		if (i != self && c->state == CPU_ONLINE && c->current &&
		    c->current->is_idle) {
			arch_send_ipi(i);
			return;
		}
	}
}

void (*volatile sched_idle_hook)(void);

/* Run whatever is runnable; wait for an interrupt when nothing is. */
void __noreturn sched_idle_loop(void)
{
	for (;;) {
		void (*hook)(void) = sched_idle_hook;

		if (unlikely(hook))
			hook();
		spin_lock(&sched_lock);
		this_cpu()->current->state = THREAD_RUNNING;
		sched_switch();
		spin_unlock(&sched_lock);
		/* wfi with interrupts off still wakes on a pending one. */
		arch_irq_disable();
		if (!READ_ONCE(runq.len))
			arch_wait_for_interrupt();
		arch_irq_enable();
	}
}

unsigned thread_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_THREADS; i++)
		n += READ_ONCE(threads[i].state) != THREAD_FREE;
	return n;
}

bool thread_snapshot(unsigned i, struct thread *out)
{
	if (i >= MAX_THREADS)
		return false;
	spin_lock(&sched_lock);
	*out = threads[i];
	spin_unlock(&sched_lock);
	return true;
}
