/* SPDX-License-Identifier: MIT */
/*
 * The one interface between the portable kernel and an architecture.
 *
 * Portable code (kernel/, kernel/lib/, kernel/mm/) reaches the machine only
 * through the functions declared here and the types in <arch/arch_types.h>.
 * kernel/arch/riscv64 implements them for the target; tests/host/host_arch.c
 * implements them on the host so that the portable code is unit-tested there.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <kernel/types.h>
#include <arch/arch_types.h> /* register state, ARCH_BUG() */
/*
 * Static inlines, since the hot paths call them on every trap and lock:
 * arch_cpu_base() (this hart's struct arch_cpu, the head of its struct
 * cpu), arch_irq_save() (disable local interrupts, return the old state),
 * arch_irq_restore(), arch_irq_enable(), arch_irq_disable(),
 * arch_irqs_enabled().
 */
#include <arch/arch_inline.h>

/* ---- this hart ---- */
unsigned arch_cpu_id(void); /* logical cpu index, 0 .. ncpus-1 */
void arch_wait_for_interrupt(void);
void arch_cpu_relax(void);
void __noreturn arch_halt(void); /* interrupts off, stop this hart forever */

/* ---- time ---- */
ticks_t arch_time_now(void);	   /* monotonic, since an arbitrary origin */
uint64_t arch_time_freq(void);	   /* ticks per second */
void arch_timer_set(ticks_t when); /* one-shot timer interrupt at 'when' */

/* ---- other harts ---- */
void arch_send_ipi(unsigned cpu); /* raise a software interrupt on cpu */

/* ---- the machine ---- */
void arch_early_putc(char c); /* firmware console; works before any setup */
void __noreturn arch_system_reset(bool reboot); /* reboot, or power off */

/* ---- memory ---- */
void *arch_phys_to_virt(paddr_t pa); /* kernel address of RAM at pa */
paddr_t arch_virt_to_phys(const void *va);

/* ---- kernel threads ---- */
/*
 * arch_context_init(ctx, stack_top, entry, arg), an inline: prepare ctx so
 * that the first arch_context_switch() to it calls entry(arg) on the
 * stack that ends at stack_top.
 */
/* Save callee-saved state into *from, resume *to. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);
/*
 * Map kernel stack number slot (KSTACK_SIZE bytes with an unmapped guard
 * page below); *lo and *top bound its valid bytes. Slots are mapped once
 * and kept, so a slot's addresses never change meaning.
 */
int arch_kstack_map(unsigned slot, uintptr_t *lo, uintptr_t *top);
/* Pages held by kernel stacks (kept per slot, so not a leak). */
size_t arch_kstack_pages(void);
/* Tell the trap entry which stack this hart now runs on (an inline). */
/*
 * Call fn(arg) on this hart's preallocated emergency stack (directly if
 * already on it). The panic path runs there so that it needs nothing from
 * a stack that may be overflowed or corrupt.
 */
void arch_call_on_emergency_stack(void (*fn)(void *), void *arg);
/* Start secondary cpu (index) running kernel code; 0 or negative errno. */
int arch_start_cpu(unsigned cpu);

/* ---- interrupts from devices (the platform's interrupt controller) ---- */
/* Unmask timer, software and external interrupts on this hart. */
void arch_enable_interrupt_sources(void);
/* Per-hart set-up of the interrupt controller, on that hart. */
void plat_init_cpu(unsigned cpu);
/* Next pending device interrupt for this hart, 0 if none. */
unsigned arch_irq_claim(void);
void arch_irq_complete(unsigned irq);
/* Route device interrupt irq to cpu and unmask it; 0 or -errno. */
int arch_irq_route(unsigned irq, unsigned cpu);
/* Mask (on = false) or unmask irq at cpu's interrupt controller context. */
void arch_irq_set_enabled(unsigned irq, unsigned cpu, bool on);

/* ---- console input (the board's UART) ---- */
/* Start taking console input by interrupt; 0 or -errno. */
int arch_console_input_enable(void);
/* Wait for and return one byte of console input (sleeps the thread). */
char arch_console_getc(void);

/* ---- deliberate faults, for the crash tests ---- */
void arch_crash_illegal_insn(void);
/* A misaligned plain load: returns the value, or traps where unsupported. */
uint32_t arch_crash_misaligned_load(const void *p);
void arch_crash_misaligned_atomic(void *p); /* AMOs must be aligned */

/* ---- user address spaces ---- */
struct vm_space;
/* Lowest and one past the highest user virtual address. */
#define USER_BASE 0x1000UL
#define USER_TOP 0x4000000000UL /* 256 GiB: the lower half of Sv39 */
struct vm_space *arch_vm_create(void);
/* Drop a reference; the last frees every page it maps. Created with one. */
void arch_vm_destroy(struct vm_space *vm);
void arch_vm_get(struct vm_space *vm); /* one more reference */
/* Map fresh zeroed pages at [va, va+len) with VM_R/W/X; W with X refused. */
int arch_vm_map(struct vm_space *vm, vaddr_t va, size_t len, unsigned rights);
int arch_vm_unmap(struct vm_space *vm, vaddr_t va, size_t len);
/* Map device registers [pa, pa+len) at va (user, RW, never X). */
int arch_vm_map_device(struct vm_space *vm, vaddr_t va, paddr_t pa, size_t len);
/* The kernel address of byte va, if mapped with (at least) rights. */
void *arch_vm_translate(struct vm_space *vm, vaddr_t va, unsigned rights);
size_t arch_vm_pages(const struct vm_space *vm); /* pages mapped */
/* Make vm (NULL: kernel only) the address space of this hart. */
void arch_vm_activate(struct vm_space *vm);
/* Copy to/from the active user space; 0 or -EFAULT, never an oops. */
int arch_copy_from_user(void *dst, vaddr_t src, size_t len);
int arch_copy_to_user(vaddr_t dst, const void *src, size_t len);
/* Enter user mode at pc with sp and a0, on this thread's kernel stack. */
void __noreturn arch_user_enter(uintptr_t pc, uintptr_t sp, uintptr_t a0);
/*
 * Return to user mode from tf, which becomes the stack pointer first (it
 * is the user frame of the thread now current, arch_user_frame()); then,
 * if lock is not NULL, release it (a raw holding: the IPC fast path
 * keeps sched_lock until nothing runs on the previous thread's stack).
 * Interrupts off. arch_user_frame(stack_top), an inline, is where a trap
 * from user mode saves its frame on a thread's stack.
 */
struct spinlock;
void __noreturn arch_user_resume(struct trap_frame *tf, struct spinlock *lock);

/* ---- fault reports ---- */
uintptr_t arch_trap_pc(const struct trap_frame *tf);
uintptr_t arch_trap_addr(const struct trap_frame *tf); /* faulting address */
const char *arch_trap_cause_name(const struct trap_frame *tf);
bool arch_trap_from_user(const struct trap_frame *tf);
void arch_show_regs(const struct trap_frame *tf); /* all registers */
void arch_show_code(const struct trap_frame *tf); /* bytes at the pc */
/*
 * Walk the frame-pointer chain. With tf, start at the trapped context;
 * without, at the caller. Calls fn for each return address, at most max.
 */
void arch_backtrace(const struct trap_frame *tf,
		    void (*fn)(uintptr_t pc, void *cookie), void *cookie,
		    unsigned max);

#endif
