/* SPDX-License-Identifier: MIT */
/*
 * The architecture interface (kernel/arch.h) implemented on the host, so
 * that portable kernel code links into unit tests. Memory is the host's:
 * physical and virtual addresses are the same. Console output is captured
 * in host_console[] for tests to inspect.
 */
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_arch.h"

char host_console[HOST_CONSOLE_SIZE];
size_t host_console_len;
unsigned host_cpu = 0;
ticks_t host_time = 0;
bool host_irqs_on = true;

unsigned arch_cpu_id(void)
{
	return host_cpu;
}

struct arch_cpu *arch_cpu_base(void)
{
	return &cpus[host_cpu].arch;
}

void arch_wait_for_interrupt(void) {}
void arch_cpu_relax(void) {}

void (*host_exit_hook)(int code);
ticks_t host_time_step;

static void __noreturn host_exit(int code, const char *what)
{
	if (host_exit_hook)
		host_exit_hook(code);
	fprintf(stderr, "host_arch: %s called\n", what);
	abort();
}

void __noreturn arch_halt(void)
{
	host_exit(HOST_EXIT_HALT, "arch_halt");
}

ticks_t arch_time_now(void)
{
	host_time += host_time_step;
	return host_time;
}
uint64_t arch_time_freq(void)
{
	return 10000000;
}
void arch_timer_set(ticks_t when)
{
	(void)when;
}
void arch_send_ipi(unsigned cpu)
{
	(void)cpu;
}

void arch_early_putc(char c)
{
	if (host_console_len < sizeof(host_console) - 1)
		host_console[host_console_len++] = c;
	host_console[host_console_len] = '\0';
}

void __noreturn arch_system_reset(bool reboot)
{
	host_exit(reboot ? HOST_EXIT_REBOOT : HOST_EXIT_POWEROFF,
		  "arch_system_reset");
}

void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}
paddr_t arch_virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

void arch_context_switch(struct arch_context *from, struct arch_context *to)
{
	(void)from, (void)to;
	host_exit(HOST_EXIT_SWITCH, "arch_context_switch");
}

int arch_kstack_map(unsigned slot, uintptr_t *lo, uintptr_t *top)
{
	(void)slot, (void)lo, (void)top;
	return -1;
}

size_t arch_kstack_pages(void)
{
	return 0;
}

void arch_call_on_emergency_stack(void (*fn)(void *), void *arg)
{
	fn(arg);
}

int arch_start_cpu(unsigned cpu)
{
	(void)cpu;
	return -1;
}

void arch_enable_interrupt_sources(void) {}
void plat_init_cpu(unsigned cpu)
{
	(void)cpu;
}
unsigned host_irq_pending[16];
unsigned host_irq_npending;
unsigned host_irq_completed[16];
unsigned host_irq_ncompleted;
int host_irq_route_cpu[256];

bool host_irq_enabled[256];

void arch_irq_set_enabled(unsigned irq, unsigned cpu, bool on)
{
	(void)cpu;
	if (irq < 256)
		host_irq_enabled[irq] = on;
}

unsigned arch_irq_claim(void)
{
	unsigned irq;

	if (!host_irq_npending)
		return 0;
	irq = host_irq_pending[0];
	memmove(host_irq_pending, host_irq_pending + 1,
		--host_irq_npending * sizeof(host_irq_pending[0]));
	return irq;
}

void arch_irq_complete(unsigned irq)
{
	if (host_irq_ncompleted < 16)
		host_irq_completed[host_irq_ncompleted++] = irq;
}

int arch_irq_route(unsigned irq, unsigned cpu)
{
	if (irq >= 256)
		return -22;
	host_irq_route_cpu[irq] = (int)cpu;
	host_irq_enabled[irq] = true;
	return 0;
}

int arch_console_input_enable(void)
{
	return -1;
}
char arch_console_getc(void)
{
	return '\n';
}

void arch_crash_illegal_insn(void)
{
	abort();
}
uint32_t arch_crash_misaligned_load(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
void arch_crash_misaligned_atomic(void *p)
{
	(void)p;
	abort();
}

/* User address spaces do not exist on the host: every call fails. */
struct vm_space *arch_vm_create(void)
{
	return NULL;
}
void arch_vm_destroy(struct vm_space *vm)
{
	(void)vm;
}
void arch_vm_get(struct vm_space *vm)
{
	(void)vm;
}
int arch_vm_map(struct vm_space *vm, vaddr_t va, size_t len, unsigned rights)
{
	(void)vm, (void)va, (void)len, (void)rights;
	return -12;
}
int arch_vm_unmap(struct vm_space *vm, vaddr_t va, size_t len)
{
	(void)vm, (void)va, (void)len;
	return -22;
}
int arch_vm_map_device(struct vm_space *vm, vaddr_t va, paddr_t pa, size_t len)
{
	(void)vm, (void)va, (void)pa, (void)len;
	return -22;
}
void *arch_vm_translate(struct vm_space *vm, vaddr_t va, unsigned rights)
{
	(void)vm, (void)va, (void)rights;
	return NULL;
}
size_t arch_vm_pages(const struct vm_space *vm)
{
	(void)vm;
	return 0;
}
void arch_vm_activate(struct vm_space *vm)
{
	(void)vm;
}
int arch_copy_from_user(void *dst, vaddr_t src, size_t len)
{
	(void)dst, (void)src, (void)len;
	return -14;
}
int arch_copy_to_user(vaddr_t dst, const void *src, size_t len)
{
	(void)dst, (void)src, (void)len;
	return -14;
}
void arch_user_enter(uintptr_t pc, uintptr_t sp, uintptr_t a0)
{
	(void)pc, (void)sp, (void)a0;
	host_exit(HOST_EXIT_HALT, "arch_user_enter");
}

void arch_user_resume(struct trap_frame *tf, struct spinlock *lock)
{
	(void)tf, (void)lock;
	host_exit(HOST_EXIT_HALT, "arch_user_resume");
}

uintptr_t arch_trap_pc(const struct trap_frame *tf)
{
	return tf->pc;
}
uintptr_t arch_trap_addr(const struct trap_frame *tf)
{
	return tf->addr;
}
const char *arch_trap_cause_name(const struct trap_frame *tf)
{
	return tf->cause ? "host fault" : "none";
}
bool arch_trap_from_user(const struct trap_frame *tf)
{
	(void)tf;
	return false;
}
void arch_show_regs(const struct trap_frame *tf)
{
	(void)tf;
}
void arch_show_code(const struct trap_frame *tf)
{
	(void)tf;
}

void arch_backtrace(const struct trap_frame *tf,
		    void (*fn)(uintptr_t pc, void *cookie), void *cookie,
		    unsigned max)
{
	(void)tf, (void)fn, (void)cookie, (void)max;
}

void host_console_reset(void)
{
	host_console_len = 0;
	host_console[0] = '\0';
}
