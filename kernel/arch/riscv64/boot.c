/* SPDX-License-Identifier: MIT */
/*
 * From head.S to the portable kernel: per-hart state, the real trap
 * vector, the device tree, memory, the final page tables, the platform's
 * devices, and a guarded stack for every hart's idle thread. Secondary
 * harts come through arch_secondary_boot() once the boot hart starts them.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <axolotl/errno.h>
#include <kernel/boot.h>
#include <kernel/cpu.h>
#include <kernel/devtree.h>
#include <kernel/oops.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <plat/platform.h>

#define DTB_MAX_SIZE (2UL << 20)
#define EMERG_SLOT(cpu) (MAX_THREADS + (cpu))
#define IDLE_SLOT(cpu) (MAX_THREADS + MAX_CPUS + (cpu))

extern char trap_vector[], secondary_start[], boot_stack_top[];
extern char __text_start[], __kernel_end[];
extern uint64_t riscv_timebase_hz;
extern bool riscv_has_sstc;

void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top);
void vm_init_asids(void);
unsigned vm_asid_bits(void);

struct platform_info boot_platform;
struct boot_info boot_info;

static void __noreturn boot_fail(const char *what, const char *why)
{
	printk(LOG_EMERG, "Axolotl: cannot boot: %s: %s\n", what, why);
	printk(LOG_EMERG, "Axolotl: powering off\n");
	sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE);
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static void parse_device_tree(paddr_t dtb_pa)
{
	const char *why = "unknown error";
	const void *dtb;
	uint32_t size;

	if (!dtb_pa || dtb_pa >= (4UL << 30) - 64 || (dtb_pa & 7))
		boot_fail("device tree", "firmware passed no usable address");
	dtb = arch_phys_to_virt(dtb_pa);
	size = be32((const char *)dtb + 4);
	if (be32(dtb) != 0xd00dfeed)
		boot_fail("device tree", "bad magic (not a flattened tree)");
	if (size > DTB_MAX_SIZE || dtb_pa + size > (4UL << 30))
		boot_fail("device tree", "totalsize is implausible");
	if (devtree_parse(dtb, size, &boot_platform, &why) < 0)
		boot_fail("device tree", why);
	boot_info.dtb_pa = dtb_pa;
	boot_info.dtb_size = size;
}

/* Give the page allocator all RAM except firmware, image, tree, reserved. */
static void init_memory(void)
{
	struct platform_info *p = &boot_platform;
	static paddr_t ranges[DT_MAX_MEM][2];
	paddr_t img_end = kernel_image_pa(__kernel_end);
	int err;

	page_alloc_init();
	for (unsigned i = 0; i < p->nmem; i++) {
		paddr_t lo = p->mem[i].base, hi = lo + p->mem[i].size;

		ranges[i][0] = lo;
		ranges[i][1] = hi;
		/*
		 * Below the image's end is the firmware (OpenSBI) and the
		 * image, whatever the tree says: never hand that out. The
		 * allocator keeps its metadata at the start of each range.
		 */
		if (hi <= img_end)
			continue;
		page_alloc_add_range(MAX(lo, img_end), hi);
	}
	page_reserve(boot_info.dtb_pa, boot_info.dtb_pa + boot_info.dtb_size);
	for (unsigned i = 0; i < p->nresv; i++)
		if (p->resv[i].base + p->resv[i].size > img_end)
			page_reserve(p->resv[i].base,
				     p->resv[i].base + p->resv[i].size);
	page_alloc_ready();
	err = mmu_init_ram((const paddr_t(*)[2])ranges, p->nmem);
	if (err)
		boot_fail("page tables", "out of memory");
	if (!mmu_verify_layout())
		boot_fail("page tables", "the kernel mapping breaks W^X");
}

static bool probe_sstc(void)
{
	long failed = 0;

	__asm__ volatile("1: csrr t0, 0x14d\n"
			 "2:\n"
			 ".pushsection .extable, \"a\"\n"
			 ".balign 8\n"
			 ".dword 1b, 3f\n"
			 ".popsection\n"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3: li %0, 1\n"
			 "j 2b\n"
			 ".popsection\n"
			 : "+r"(failed)::"t0");
	return !failed;
}

/* Assign cpu indexes: the boot hart is cpu 0, the others in DT order. */
static void init_cpus(unsigned long boot_hartid)
{
	struct platform_info *p = &boot_platform;
	unsigned next = 1;

	ncpus = MIN(p->nharts, (unsigned)MAX_CPUS);
	for (unsigned i = 0; i < p->nharts && i < MAX_CPUS; i++) {
		unsigned idx = p->harts[i].hartid == boot_hartid ? 0 : next++;

		if (idx >= MAX_CPUS)
			continue;
		cpus[idx].id = idx;
		cpus[idx].arch.hartid = p->harts[i].hartid;
		boot_info.cpu_dt_index[idx] = i;
	}
	if (next > ncpus) /* the boot hart was not in the tree */
		boot_fail("device tree",
			  "the boot hart is not listed in /cpus");
}

static void prepare_stacks(unsigned cpu)
{
	struct arch_cpu *a = &cpus[cpu].arch;
	uintptr_t lo, top;

	if (arch_kstack_map(EMERG_SLOT(cpu), &lo, &top))
		boot_fail("memory", "no emergency stack");
	a->emerg_lo = lo;
	a->emerg_top = top;
	if (arch_kstack_map(IDLE_SLOT(cpu), &lo, &top))
		boot_fail("memory", "no idle stack");
	boot_info.idle_stack_lo[cpu] = lo;
	boot_info.idle_stack_top[cpu] = top;
}

static void boot_on_idle_stack(void *arg)
{
	(void)arg;
	kernel_main();
}

void __noreturn arch_boot(unsigned long hartid, paddr_t dtb_pa,
			  paddr_t kernel_pa)
{
	struct cpu *c = &cpus[0];

	c->arch.hartid = hartid;
	c->arch.kstack_lo = (uintptr_t)boot_stack_top - 16384;
	__asm__ volatile("mv tp, %0" ::"r"(c));
	csr_write(sscratch, 0);
	csr_write(stvec, (uintptr_t)trap_vector);
	csr_write(scounteren, 7); /* user mode may read cycle, time, instret */
	kernel_va_pa_offset = (uintptr_t)__text_start - kernel_pa;

	printk(LOG_NOTICE, "Axolotl booting on hart %lu\n", hartid);
	parse_device_tree(dtb_pa);
	init_cpus(hartid);
	riscv_timebase_hz = boot_platform.timebase_hz;
	riscv_has_sstc =
		boot_platform.harts[boot_info.cpu_dt_index[0]].has_sstc &&
		probe_sstc();
	init_memory();
	vm_init_asids();
	plat_init(&boot_platform);
	pr_info("mmu: Sv39, %u ASID bits\n", vm_asid_bits());
	pr_info("timer: %s, timebase %llu Hz\n",
		riscv_has_sstc ? "Sstc (stimecmp)" : "SBI TIME extension",
		(unsigned long long)riscv_timebase_hz);
	for (unsigned i = 0; i < ncpus; i++)
		prepare_stacks(i);
	arch_set_current_stack(boot_info.idle_stack_lo[0],
			       boot_info.idle_stack_top[0]);
	arch_call_on_stack(boot_on_idle_stack, NULL,
			   boot_info.idle_stack_top[0]);
	panic("kernel_main returned");
}

int arch_start_cpu(unsigned cpu)
{
	paddr_t entry = kernel_image_pa(secondary_start);
	long err;

	if (cpu == 0 || cpu >= ncpus)
		return -EINVAL;
	err = sbi_hart_start(cpus[cpu].arch.hartid, entry, cpu);
	return err ? -EIO : 0;
}

static void secondary_on_idle_stack(void *arg)
{
	(void)arg;
	secondary_main();
}

void __noreturn arch_secondary_boot(unsigned long hartid, unsigned long cpu)
{
	struct cpu *c = &cpus[cpu];

	extern char secondary_boot_stacks[];

	__asm__ volatile("mv tp, %0" ::"r"(c));
	(void)hartid;
	c->arch.kstack_lo =
		(uintptr_t)secondary_boot_stacks + cpu * 8192 + 4096;
	csr_write(sscratch, 0);
	mmu_enable_on_this_hart();
	csr_write(stvec, (uintptr_t)trap_vector);
	csr_write(scounteren, 7);
	arch_set_current_stack(boot_info.idle_stack_lo[cpu],
			       boot_info.idle_stack_top[cpu]);
	arch_call_on_stack(secondary_on_idle_stack, NULL,
			   boot_info.idle_stack_top[cpu]);
	panic("secondary_main returned");
}

/* Unmask the interrupt sources the kernel uses on this hart. */
void arch_enable_interrupt_sources(void)
{
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
}
