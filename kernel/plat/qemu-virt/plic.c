/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V Platform-Level Interrupt Controller, as the device tree
 * describes it: each hart's S-mode context has an enable bitmap, a
 * priority threshold, and a claim/complete register. All sources get
 * priority 1 and every threshold is 0, so any enabled source interrupts.
 */
#include <arch/mmu.h>
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/boot.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <plat/platform.h>

#define PLIC_PRIORITY(irq) (4 * (irq))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200004 + 0x1000 * (ctx))

static volatile uint8_t *plic;
static uint32_t plic_ndev;

static volatile uint32_t *reg(uintptr_t off)
{
	return (volatile uint32_t *)(plic + off);
}

/* The S-mode context of cpu, or -1 if the tree gave it none. */
static int context_of(unsigned cpu)
{
	return boot_platform.plic_s_context[boot_info.cpu_dt_index[cpu]];
}

void plic_init(const struct platform_info *p)
{
	plic = ioremap(p->plic.base, p->plic.size);
	if (!plic) {
		pr_err("plic: cannot map %#lx\n", (unsigned long)p->plic.base);
		return;
	}
	plic_ndev = p->plic_ndev;
	for (unsigned irq = 1; irq <= plic_ndev; irq++)
		*reg(PLIC_PRIORITY(irq)) = 1;
	pr_info("plic: %u sources at %#lx\n", plic_ndev,
		(unsigned long)p->plic.base);
}

void plat_init_cpu(unsigned cpu)
{
	int ctx = context_of(cpu);

	if (!plic || ctx < 0)
		return;
	*reg(PLIC_THRESHOLD(ctx)) = 0;
}

unsigned arch_irq_claim(void)
{
	int ctx = context_of(arch_cpu_id());

	if (!plic || ctx < 0)
		return 0;
	return *reg(PLIC_CLAIM(ctx));
}

void arch_irq_complete(unsigned irq)
{
	int ctx = context_of(arch_cpu_id());

	if (plic && ctx >= 0)
		*reg(PLIC_CLAIM(ctx)) = irq;
}

int arch_irq_route(unsigned irq, unsigned cpu)
{
	int ctx;

	if (!plic || irq == 0 || irq > plic_ndev || cpu >= ncpus)
		return -EINVAL;
	ctx = context_of(cpu);
	if (ctx < 0)
		return -ENODEV;
	*reg(PLIC_ENABLE(ctx) + 4 * (irq / 32)) |= 1u << (irq % 32);
	return 0;
}

void arch_irq_set_enabled(unsigned irq, unsigned cpu, bool on)
{
	int ctx;
	volatile uint32_t *en;

	if (!plic || irq == 0 || irq > plic_ndev || cpu >= ncpus)
		return;
	ctx = context_of(cpu);
	if (ctx < 0)
		return;
	en = reg(PLIC_ENABLE(ctx) + 4 * (irq / 32));
	if (on)
		*en |= 1u << (irq % 32);
	else
		*en &= ~(1u << (irq % 32));
}
