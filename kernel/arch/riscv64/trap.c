/* SPDX-License-Identifier: MIT */
/*
 * Trap dispatch. trapentry.S saves a struct trap_frame and calls
 * trap_handler(); interrupts go to the timer, the cross-call handler or the
 * platform's interrupt controller, each short; an exception in the kernel
 * is either a fixup (a load that was allowed to fault) or an oops.
 */
#include <arch/csr.h>
#include <arch/extable.h>
#include <arch/mmu.h>
#include <axolotl/ipc.h>
#include <kernel/bug.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/kprintf.h>
#include <kernel/ksyms.h>
#include <kernel/oops.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/timer.h>

_Static_assert(sizeof(struct trap_frame) == 36 * 8, "trapentry.S TF_SIZE");
_Static_assert(offsetof(struct trap_frame, sepc) == 32 * 8, "TF_SEPC");
_Static_assert(offsetof(struct trap_frame, stval) == 35 * 8, "TF_STVAL");
_Static_assert(offsetof(struct cpu, arch) == 0, "tp points at arch_cpu");
_Static_assert(offsetof(struct arch_cpu, kstack_lo) == 24, "CPU_KSTACK_LO");
_Static_assert(offsetof(struct arch_cpu, on_emerg) == 48, "CPU_ON_EMERG");
_Static_assert(offsetof(struct arch_cpu, kstack_top) == 64, "CPU_KSTACK_TOP");
_Static_assert(offsetof(struct spinlock, locked) == 0, "SPINLOCK_LOCKED");
_Static_assert(IPC_KERNEL_CALL == 6, "OP_KERNEL_CALL");
_Static_assert(offsetof(struct spinlock, owner_cpu) == 4, "SPINLOCK_OWNER");

static const char *const exception_names[] = {
	[EXC_INSN_MISALIGNED] = "Instruction address misaligned",
	[EXC_INSN_ACCESS] = "Instruction access fault",
	[EXC_ILLEGAL_INSN] = "Illegal instruction",
	[EXC_BREAKPOINT] = "Breakpoint",
	[EXC_LOAD_MISALIGNED] = "Load address misaligned",
	[EXC_LOAD_ACCESS] = "Load access fault",
	[EXC_STORE_MISALIGNED] = "Store/AMO address misaligned",
	[EXC_STORE_ACCESS] = "Store/AMO access fault",
	[EXC_ECALL_U] = "Environment call from U-mode",
	[EXC_ECALL_S] = "Environment call from S-mode",
	[10] = "Reserved (exception 10)",
	[11] = "Environment call from M-mode",
	[EXC_INSN_PAGE_FAULT] = "Instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "Load page fault",
	[14] = "Reserved (exception 14)",
	[EXC_STORE_PAGE_FAULT] = "Store/AMO page fault",
	[16] = "Double trap",
	[18] = "Software check",
	[19] = "Hardware error",
};

static const char *const interrupt_names[] = {
	[1] = "Supervisor software interrupt",
	[3] = "Machine software interrupt",
	[5] = "Supervisor timer interrupt",
	[7] = "Machine timer interrupt",
	[9] = "Supervisor external interrupt",
	[11] = "Machine external interrupt",
	[13] = "Counter overflow interrupt",
};

const char *riscv_cause_name(uint64_t scause)
{
	uint64_t code = scause & ~CAUSE_IRQ_FLAG;

	if (scause & CAUSE_IRQ_FLAG) {
		if (code < ARRAY_SIZE(interrupt_names) && interrupt_names[code])
			return interrupt_names[code];
		return "Unknown interrupt";
	}
	if (code < ARRAY_SIZE(exception_names) && exception_names[code])
		return exception_names[code];
	return "Unknown exception";
}

const char *arch_trap_cause_name(const struct trap_frame *tf)
{
	return riscv_cause_name(tf->scause);
}

uintptr_t arch_trap_pc(const struct trap_frame *tf)
{
	return tf->sepc;
}

uintptr_t arch_trap_addr(const struct trap_frame *tf)
{
	return tf->stval;
}

bool arch_trap_from_user(const struct trap_frame *tf)
{
	return !(tf->sstatus & SSTATUS_SPP);
}

extern const struct extable_entry __extable_start[], __extable_end[];

uintptr_t extable_fixup(uintptr_t pc)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end;
	     e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

static void handle_interrupt(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	uint64_t code = tf->scause & ~CAUSE_IRQ_FLAG;

	c->irq_depth++;
	switch (code) {
	case IRQ_S_TIMER:
		c->last_tick_pc = tf->sepc;
		timer_interrupt();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		smp_ipi_interrupt();
		break;
	case IRQ_S_EXT:
		irq_external_interrupt();
		break;
	default:
		pr_warn("trap: unexpected interrupt %lu (%s)\n",
			(unsigned long)code, riscv_cause_name(tf->scause));
		break;
	}
	c->irq_depth--;
}

static void handle_kernel_exception(struct trap_frame *tf)
{
	uintptr_t fixup = extable_fixup(tf->sepc);
	const struct bug_entry *bug;

	if (fixup) {
		tf->sepc = fixup;
		return;
	}
	if ((tf->scause & ~CAUSE_IRQ_FLAG) == EXC_BREAKPOINT) {
		bug = bug_find(tf->sepc);
		if (bug) {
			oops_bug(tf, bug);
			return;
		}
	}
	oops(tf, arch_trap_cause_name(tf));
}

/*
 * An ecall that neither the lean path nor the IPC fast path completed
 * (the entry steps sepc over the ecall and tries the fast path first):
 * the system call, with interrupts on. It runs on the process's own
 * kernel stack, so it may block or switch threads.
 */
void trap_user_ecall(struct trap_frame *tf)
{
	arch_irq_enable();
	syscall_entry(tf);
	arch_irq_disable();
	user_return(tf);
}

static void handle_user_trap(struct trap_frame *tf)
{
	if (tf->scause & CAUSE_IRQ_FLAG) {
		handle_interrupt(tf);
	} else if (tf->scause == EXC_ECALL_U) {
		/* Not reached: the entry sends ecalls elsewhere. */
		tf->sepc += 4;
		syscall_fastpath(tf);
		trap_user_ecall(tf);
		return;
	} else {
		user_fault(tf, arch_trap_cause_name(tf));
	}
	user_return(tf);
}

void trap_handler(struct trap_frame *tf)
{
	if (arch_trap_from_user(tf)) {
		handle_user_trap(tf);
		return;
	}
	if (tf->scause & CAUSE_IRQ_FLAG) {
		handle_interrupt(tf);
		return;
	}
	handle_kernel_exception(tf);
}

/* Entered on the emergency stack when the kernel stack overflowed. */
void __noreturn trap_stack_overflow(struct trap_frame *tf)
{
	oops_stack_overflow(tf);
	panic("stack overflow handler returned");
}

/* ---- reports ---- */

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
	"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
	"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void arch_show_regs(const struct trap_frame *tf)
{
	char sym[96];

	ksym_format(sym, sizeof(sym), tf->sepc);
	printk(LOG_EMERG, "epc : %016lx %s\n", (unsigned long)tf->sepc, sym);
	ksym_format(sym, sizeof(sym), TF_RA(tf));
	printk(LOG_EMERG, " ra : %016lx %s\n", (unsigned long)TF_RA(tf), sym);
	for (unsigned i = 2; i < 32; i += 3) {
		char line[96];
		int n = 0;

		for (unsigned j = i; j < i + 3 && j < 32; j++)
			n += ksnprintf(line + n, sizeof(line) - n,
				       "%s%4s : %016lx", j == i ? "" : " ",
				       reg_names[j],
				       (unsigned long)tf->regs[j]);
		printk(LOG_EMERG, "%s\n", line);
	}
	printk(LOG_EMERG, "status: %016lx badaddr: %016lx cause: %016lx\n",
	       (unsigned long)tf->sstatus, (unsigned long)tf->stval,
	       (unsigned long)tf->scause);
}

/* The instruction bytes around the pc, as Linux's "Code:" line. */
void arch_show_code(const struct trap_frame *tf)
{
	char line[160];
	int n = ksnprintf(line, sizeof(line), "Code:");
	uintptr_t pc = tf->sepc;

	for (uintptr_t a = pc - 8; a < pc + 8; a += 2) {
		uint8_t lo, hi;

		if (!safe_read_uint8_t(a, &lo) ||
		    !safe_read_uint8_t(a + 1, &hi)) {
			n += ksnprintf(line + n, sizeof(line) - n,
				       a == pc ? " (xxxx)" : " xxxx");
			continue;
		}
		n += ksnprintf(line + n, sizeof(line) - n,
			       a == pc ? " (%04x)" : " %04x",
			       (unsigned)(lo | hi << 8));
	}
	printk(LOG_EMERG, "%s\n", line);
}

extern const struct bug_entry __bug_table_start[], __bug_table_end[];

const struct bug_entry *bug_find(uintptr_t pc)
{
	for (const struct bug_entry *b = __bug_table_start; b < __bug_table_end;
	     b++)
		if (b->addr == pc)
			return b;
	return NULL;
}
