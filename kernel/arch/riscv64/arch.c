/* SPDX-License-Identifier: MIT */
/*
 * The arch interface (kernel/arch.h) for RISC-V: interrupts, time, harts,
 * firmware console and reset, through CSRs and SBI.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <kernel/arch.h>
#include <kernel/cpu.h>

uint64_t riscv_timebase_hz = 10000000;
bool riscv_has_sstc;

unsigned arch_cpu_id(void)
{
	return this_cpu()->id;
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

void arch_cpu_relax(void)
{
	/* pause (Zihintpause) is a hint: a no-op fence where unsupported. */
	__asm__ volatile(".4byte 0x0100000f" ::: "memory");
}

void __noreturn arch_halt(void)
{
	for (;;) {
		csr_clear(sstatus, SSTATUS_SIE);
		csr_write(sie, 0);
		__asm__ volatile("wfi");
	}
}

ticks_t arch_time_now(void)
{
	ticks_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t arch_time_freq(void)
{
	return riscv_timebase_hz;
}

void arch_timer_set(ticks_t when)
{
	if (riscv_has_sstc)
		csr_write(0x14d, when); /* stimecmp */
	else
		sbi_set_timer(when);
}

void arch_send_ipi(unsigned cpu)
{
	sbi_send_ipi(1, cpus[cpu].arch.hartid);
}

void arch_early_putc(char c)
{
	sbi_putchar(c);
}

void __noreturn arch_system_reset(bool reboot)
{
	sbi_system_reset(reboot ? SBI_SRST_COLD_REBOOT : SBI_SRST_SHUTDOWN,
			 SBI_SRST_REASON_NONE);
}

void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(PHYS_MAP_BASE + pa);
}

paddr_t arch_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VIRT_BASE)
		return kernel_image_pa(va);
	return v - PHYS_MAP_BASE;
}

void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top);

void arch_call_on_emergency_stack(void (*fn)(void *), void *arg)
{
	struct cpu *c = this_cpu();

	if (c->arch.on_emerg || !c->arch.emerg_top) {
		fn(arg);
		return;
	}
	c->arch.on_emerg = 1;
	c->arch.kstack_lo = c->arch.emerg_lo;
	arch_call_on_stack(fn, arg, c->arch.emerg_top);
}
