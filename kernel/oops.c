/* SPDX-License-Identifier: MIT */
/*
 * Oops: a kernel-mode exception. The report comes first and is complete
 * (cause, hart, task, registers, symbolized backtrace, code bytes); then
 * the context decides what happens, in this order:
 *
 *   in an interrupt handler         -> panic("Fatal exception in interrupt")
 *   in the idle task or scheduler   -> panic("Attempted to kill the idle task!")
 *   kernel.panic_on_oops = 1        -> panic("Fatal exception")
 *   otherwise                       -> only the faulting thread dies
 *
 * A fault while the report is being written panics at once instead of
 * recursing (cpu->in_oops). The report is written in printk's emergency
 * mode so that a lock the faulting code held cannot silence it.
 */
#include <kernel/cpu.h>
#include <kernel/ksyms.h>
#include <kernel/oops.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/tunable.h>

#define BACKTRACE_MAX 32

bool oops_inject_fault;
static unsigned oops_count; /* atomic */

struct trace_state {
	unsigned frames;
	bool exact_first; /* frame 0 is a trapped pc, not a return address */
};

/*
 * A return address may be the first byte after its function (a call to a
 * noreturn function ends it), so it is looked up one byte back.
 */
static void print_frame(uintptr_t pc, void *cookie)
{
	struct trace_state *st = cookie;
	bool is_return = st->frames++ > 0 || !st->exact_first;
	const char *name;
	unsigned long off, size;

	if (ksym_lookup(pc - is_return, &name, &off, &size))
		printk(LOG_EMERG, " [<%016lx>] %s+%#lx/%#lx\n",
		       (unsigned long)pc, name, off + is_return, size);
	else
		printk(LOG_EMERG, " [<%016lx>] %#lx\n", (unsigned long)pc,
		       (unsigned long)pc);
}

void show_backtrace(const struct trap_frame *tf)
{
	struct trace_state st = { 0, tf != NULL };

	printk(LOG_EMERG, "Call Trace:\n");
	arch_backtrace(tf, print_frame, &st, BACKTRACE_MAX);
}

static const char *context_name(const struct cpu *c)
{
	if (c->irq_depth)
		return "interrupt";
	if (!c->current || c->current->is_idle)
		return "idle";
	if (c->in_scheduler)
		return "scheduler";
	return "thread";
}

static void show_task(const struct cpu *c)
{
	const struct thread *t = c->current;

	printk(LOG_EMERG, "CPU: %u PID: %d Comm: %s Context: %s\n", c->id,
	       t ? t->tid : 0, t ? t->name : "none", context_name(c));
}

static void report(struct trap_frame *tf, const char *cause)
{
	struct cpu *c = this_cpu();
	char sym[96];
	unsigned n = __atomic_add_fetch(&oops_count, 1, __ATOMIC_RELAXED);

	printk(LOG_EMERG, "Oops: %s [#%u]\n", cause, n);
	show_task(c);
	ksym_format(sym, sizeof(sym), arch_trap_pc(tf));
	printk(LOG_EMERG, "epc is at %s\n", sym);
	printk(LOG_EMERG, "Faulting address (stval): %016lx\n",
	       (unsigned long)arch_trap_addr(tf));
	if (oops_inject_fault) {
		oops_inject_fault = false;
		*(volatile int *)(uintptr_t)READ_ONCE(oops_count) = 0;
	}
	arch_show_regs(tf);
	show_backtrace(tf);
	arch_show_code(tf);
	printk(LOG_EMERG, "---[ end trace %016x ]---\n", n);
}

static void report_held_locks(const struct cpu *c)
{
	unsigned n = MIN(c->nheld, 8u);
	char sym[96];

	for (unsigned i = 0; i < n; i++) {
		ksym_format(sym, sizeof(sym), c->held[i]->taken_at);
		printk(LOG_EMERG,
		       "note: it held lock %s (taken at %s); it stays locked\n",
		       c->held[i]->name, sym);
	}
	if (c->nheld > n)
		printk(LOG_EMERG, "note: and %u more locks\n", c->nheld - n);
}

/* End the faulting thread; the report is already out. */
static void __noreturn kill_current_thread(struct cpu *c)
{
	struct thread *t = c->current;

	printk(LOG_EMERG, "note: thread %s[%d] killed by the oops on CPU %u\n",
	       t->name, t->tid, c->id);
	report_held_locks(c);
	if (irq_off_depth())
		printk(LOG_EMERG, "note: it had interrupts off (depth %u)\n",
		       irq_off_depth());
	c->nheld = 0;
	irq_nest_reset();
	c->in_oops = false;
	printk_emergency_exit();
	thread_exit();
}

static void __noreturn oops_decide(struct cpu *c)
{
	if (c->irq_depth)
		panic("Fatal exception in interrupt");
	if (!c->current || c->current->is_idle || c->in_scheduler)
		panic("Attempted to kill the idle task!");
	if (tunable_get(TUNABLE_PANIC_ON_OOPS))
		panic("Fatal exception");
	kill_current_thread(c);
}

/* Guard against faults inside the report: never recurse. */
static void enter_oops(struct cpu *c, const char *cause)
{
	if (c->in_oops) {
		printk_emergency_enter();
		printk(LOG_EMERG,
		       "Oops: %s while reporting an oops on CPU %u: not recursing\n",
		       cause, c->id);
		panic("Fault inside the oops handler");
	}
	c->in_oops = true;
	printk_emergency_enter();
}

void oops(struct trap_frame *tf, const char *cause)
{
	struct cpu *c = this_cpu();

	enter_oops(c, cause);
	report(tf, cause);
	oops_decide(c);
}

void oops_bug(struct trap_frame *tf, const struct bug_entry *bug)
{
	struct cpu *c = this_cpu();

	enter_oops(c, "Kernel BUG");
	printk(LOG_EMERG, "------------[ cut here ]------------\n");
	printk(LOG_EMERG, "kernel BUG at %s:%u!\n", bug->file, bug->line);
	report(tf, "Kernel BUG");
	oops_decide(c);
}

void __noreturn oops_stack_overflow(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	const struct thread *t = c->current;

	enter_oops(c, "Kernel stack overflow");
	printk(LOG_EMERG,
	       "Kernel stack overflow: sp %016lx is below the stack %016lx-%016lx of %s[%d]\n",
	       (unsigned long)TF_SP(tf), t ? (unsigned long)t->stack_lo : 0UL,
	       t ? (unsigned long)t->stack_top : 0UL, t ? t->name : "?",
	       t ? t->tid : -1);
	report(tf, "Kernel stack overflow");
	oops_decide(c);
}

void warn_report(const char *file, int line, const char *cond)
{
	printk(LOG_WARNING, "------------[ cut here ]------------\n");
	printk(LOG_WARNING, "WARNING: %s at %s:%d\n", cond, file, line);
	show_task(this_cpu());
	show_backtrace(NULL);
	printk(LOG_WARNING, "---[ end trace ]---\n");
}
