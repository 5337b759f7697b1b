/* SPDX-License-Identifier: MIT */
/*
 * The kernel's Sv39 page tables.
 *
 * mmu_init() replaces the boot page table (1 GiB RWX pages) with one that
 * gives each part of the kernel image only the rights it needs (text R-X,
 * rodata R, data and bss RW: W^X), maps RAM in the direct map RW and
 * never executable, with the image's own pages read-only there, and maps
 * nothing at the bottom of each kernel stack slot, the guard.
 *
 * Table pages come from the page allocator and are reached through the
 * direct map. mmu_lock serialises changes; the kernel's upper-half root
 * entries are all created here at boot, so later changes only touch lower
 * levels that every address space shares.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/mmu.h>
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

uintptr_t kernel_va_pa_offset;
static pte_t *kernel_root; /* kernel virtual address of the root table */
static paddr_t kernel_root_pa;
static struct spinlock mmu_lock = SPINLOCK_INIT("mmu_lock");

#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * (l))
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))
#define VPN(va, l) (((va) >> LEVEL_SHIFT(l)) & 0x1ff)
#define PTE_TO_PA(pte) (((pte) >> 10) << PAGE_SHIFT)
#define PA_TO_PTE(pa) (((pa) >> PAGE_SHIFT) << 10)
#define PTE_LEAF(pte) ((pte) & (PTE_R | PTE_W | PTE_X))

paddr_t kernel_image_pa(const void *va)
{
	return (paddr_t)((uintptr_t)va - kernel_va_pa_offset);
}

/* The table entry for va at level, creating tables above it as needed. */
static pte_t *walk_create(vaddr_t va, int level)
{
	pte_t *table = kernel_root;

	for (int l = 2; l > level; l--) {
		pte_t *pte = &table[VPN(va, l)];

		if (!(*pte & PTE_V)) {
			paddr_t pa = page_alloc();

			if (!pa)
				return NULL;
			*pte = PA_TO_PTE(pa) | PTE_V;
		} else if (PTE_LEAF(*pte)) {
			return NULL; /* already covered by a larger page */
		}
		table = arch_phys_to_virt(PTE_TO_PA(*pte));
	}
	return &table[VPN(va, level)];
}

static int map_locked(vaddr_t va, paddr_t pa, size_t size, unsigned long perm)
{
	while (size) {
		int level = 0;
		pte_t *pte;

		for (int l = 2; l > 0; l--) {
			if (IS_ALIGNED(va | pa, LEVEL_SIZE(l)) &&
			    size >= LEVEL_SIZE(l)) {
				level = l;
				break;
			}
		}
		pte = walk_create(va, level);
		if (!pte)
			return -ENOMEM;
		*pte = PA_TO_PTE(pa) | perm | PTE_V | PTE_G | PTE_A | PTE_D;
		va += LEVEL_SIZE(level);
		pa += LEVEL_SIZE(level);
		size -= LEVEL_SIZE(level);
	}
	return 0;
}

int mmu_map_kernel(vaddr_t va, paddr_t pa, size_t size, unsigned long perm)
{
	int err;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	spin_lock(&mmu_lock);
	err = map_locked(va, pa, size, perm);
	spin_unlock(&mmu_lock);
	sfence_vma_all();
	return err;
}

pte_t mmu_kernel_pte(vaddr_t va)
{
	pte_t *table = kernel_root;

	for (int l = 2; l >= 0; l--) {
		pte_t pte = table[VPN(va, l)];

		if (!(pte & PTE_V))
			return 0;
		if (PTE_LEAF(pte))
			return pte;
		table = arch_phys_to_virt(PTE_TO_PA(pte));
	}
	return 0;
}

void *ioremap(paddr_t pa, size_t size)
{
	paddr_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	paddr_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (end > IO_MAP_SIZE || end <= start)
		return NULL;
	if (mmu_map_kernel(IO_MAP_BASE + start, start, end - start,
			   PTE_R | PTE_W))
		return NULL;
	return (void *)(IO_MAP_BASE + pa);
}

/* Map [pa, end) of RAM in the direct map, read-only where it is the image. */
static int map_ram(paddr_t pa, paddr_t end)
{
	paddr_t img_lo = kernel_image_pa(__text_start);
	paddr_t img_hi = kernel_image_pa(__kernel_end);
	int err = 0;

	if (pa < img_lo && !err)
		err = map_locked(PHYS_MAP_BASE + pa, pa, MIN(end, img_lo) - pa,
				 PTE_R | PTE_W);
	if (end > img_lo && pa < img_hi && !err) {
		paddr_t lo = MAX(pa, img_lo), hi = MIN(end, img_hi);

		err = map_locked(PHYS_MAP_BASE + lo, lo, hi - lo, PTE_R);
	}
	if (end > img_hi && !err) {
		paddr_t lo = MAX(pa, img_hi);

		err = map_locked(PHYS_MAP_BASE + lo, lo, end - lo,
				 PTE_R | PTE_W);
	}
	return err;
}

extern char boot_stack_guard[], secondary_boot_stacks[];

static bool is_boot_stack_guard(vaddr_t va)
{
	vaddr_t sec = (vaddr_t)secondary_boot_stacks;

	if (va == (vaddr_t)boot_stack_guard)
		return true;
	return va >= sec && va < sec + 8 * 8192 && (va - sec) % 8192 == 0;
}

/* Data and bss, page by page around the boot stacks' guard pages. */
static int map_data(vaddr_t start, vaddr_t end)
{
	vaddr_t run = start;

	for (vaddr_t va = start; va <= end; va += PAGE_SIZE) {
		int err;

		if (va < end && !is_boot_stack_guard(va))
			continue;
		if (va > run) {
			err = map_locked(run, kernel_image_pa((void *)run),
					 va - run, PTE_R | PTE_W);
			if (err)
				return err;
		}
		run = va + PAGE_SIZE;
	}
	return 0;
}

static int map_image(void)
{
	struct {
		char *start, *end;
		unsigned long perm;
	} parts[] = {
		{ __text_start, __text_end, PTE_R | PTE_X },
		{ __rodata_start, __rodata_end, PTE_R },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++) {
		int err = map_locked((vaddr_t)parts[i].start,
				     kernel_image_pa(parts[i].start),
				     parts[i].end - parts[i].start,
				     parts[i].perm);
		if (err)
			return err;
	}
	return map_data((vaddr_t)__data_start, (vaddr_t)__kernel_end);
}

/* Create the root entries of every kernel region now (see file comment). */
static int create_root_entries(void)
{
	static const vaddr_t regions[] = { IO_MAP_BASE, KSTACK_BASE };

	for (unsigned i = 0; i < ARRAY_SIZE(regions); i++)
		if (!walk_create(regions[i], 1))
			return -ENOMEM;
	return 0;
}

int mmu_init_ram(const paddr_t (*ranges)[2], unsigned n)
{
	paddr_t root = page_alloc();
	int err;

	if (!root)
		return -ENOMEM;
	kernel_root_pa = root;
	kernel_root = arch_phys_to_virt(root);
	err = map_image();
	for (unsigned i = 0; i < n && !err; i++)
		err = map_ram(ranges[i][0], ranges[i][1]);
	if (!err)
		err = create_root_entries();
	if (err)
		return err;
	mmu_enable_on_this_hart();
	return 0;
}

void mmu_enable_on_this_hart(void)
{
	sfence_vma_all();
	csr_write(satp, SATP_MODE_SV39 | (kernel_root_pa >> PAGE_SHIFT));
	sfence_vma_all();
}

static size_t kstack_pages; /* mmu_lock */

size_t arch_kstack_pages(void)
{
	return READ_ONCE(kstack_pages);
}

int arch_kstack_map(unsigned slot, uintptr_t *lo, uintptr_t *top)
{
	vaddr_t base = KSTACK_BASE + (vaddr_t)slot * KSTACK_SLOT;
	vaddr_t stack_lo = base + KSTACK_SLOT - KSTACK_SIZE;

	_Static_assert(KSTACK_SLOT >= KSTACK_SIZE + PAGE_SIZE,
		       "every kernel stack needs a guard page below it");
	if (slot >= 2 * MAX_THREADS)
		return -EINVAL;
	*lo = stack_lo;
	*top = base + KSTACK_SLOT;
	spin_lock(&mmu_lock);
	for (vaddr_t va = stack_lo; va < *top; va += PAGE_SIZE) {
		paddr_t pa;

		if (mmu_kernel_pte(va))
			continue; /* mapped by an earlier user of the slot */
		pa = page_alloc();
		if (!pa || map_locked(va, pa, PAGE_SIZE, PTE_R | PTE_W)) {
			spin_unlock(&mmu_lock);
			return -ENOMEM;
		}
		kstack_pages++;
	}
	spin_unlock(&mmu_lock);
	sfence_vma_all();
	return 0;
}

bool kstack_contains(uintptr_t va, size_t len)
{
	uintptr_t off;

	if (va < KSTACK_BASE || va + len < va ||
	    va + len > KSTACK_BASE + 2 * MAX_THREADS * KSTACK_SLOT)
		return false;
	off = (va - KSTACK_BASE) % KSTACK_SLOT;
	return off >= KSTACK_SLOT - KSTACK_SIZE && off + len <= KSTACK_SLOT;
}

static const char *rights(pte_t pte)
{
	static const char *const names[8] = { "---", "r--", "-w-", "rw-",
					      "--x", "r-x", "-wx", "rwx" };

	return names[(pte >> 1) & 7];
}

/* Every page of [start, end) must carry exactly want (R/W/X bits). */
static bool range_has(const char *start, const char *end, pte_t want)
{
	for (vaddr_t va = (vaddr_t)start; va < (vaddr_t)end; va += PAGE_SIZE) {
		pte_t pte = mmu_kernel_pte(va);

		if ((pte & (PTE_R | PTE_W | PTE_X)) != want) {
			pr_emerg("mmu: %#lx is %s, expected %s\n",
				 (unsigned long)va, rights(pte), rights(want));
			return false;
		}
	}
	return true;
}

/*
 * Check the tables just built against the rules: W^X for every part of
 * the image, no executable direct map, guard pages unmapped. A failure
 * means the mapping code is wrong, so the kernel must not go on.
 */
bool mmu_verify_layout(void)
{
	extern char __bss_start[];
	vaddr_t guard = (vaddr_t)boot_stack_guard;
	unsigned guards = 0;
	bool ok;

	ok = range_has(__text_start, __text_end, PTE_R | PTE_X) &&
	     range_has(__rodata_start, __rodata_end, PTE_R) &&
	     range_has(__data_start, __bss_start, PTE_R | PTE_W) &&
	     range_has(arch_phys_to_virt(kernel_image_pa(__text_start)),
		       arch_phys_to_virt(kernel_image_pa(__kernel_end)), PTE_R);
	for (unsigned i = 0; i <= 8; i++) {
		vaddr_t va = i == 0 ? guard :
				      (vaddr_t)secondary_boot_stacks +
					      (i - 1) * 8192;

		if (mmu_kernel_pte(va)) {
			pr_emerg("mmu: guard page %#lx is mapped\n",
				 (unsigned long)va);
			ok = false;
		}
		guards++;
	}
	if (ok)
		pr_info("mmu: W^X verified: text r-x, rodata r--, data rw-, image r-- in the direct map; %u boot-stack guard pages unmapped\n",
			guards);
	return ok;
}

pte_t *mmu_kernel_root(void)
{
	return kernel_root;
}

paddr_t mmu_kernel_root_pa(void)
{
	return kernel_root_pa;
}
