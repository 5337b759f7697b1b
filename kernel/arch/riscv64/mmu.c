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
static pte_t *kernel_root;  /* kernel virtual address of the root table */
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

static int map_image(void)
{
	struct {
		char *start, *end;
		unsigned long perm;
	} parts[] = {
		{ __text_start, __text_end, PTE_R | PTE_X },
		{ __rodata_start, __rodata_end, PTE_R },
		{ __data_start, __kernel_end, PTE_R | PTE_W },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++) {
		int err = map_locked((vaddr_t)parts[i].start,
				     kernel_image_pa(parts[i].start),
				     parts[i].end - parts[i].start,
				     parts[i].perm);
		if (err)
			return err;
	}
	return 0;
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
	return off >= KSTACK_SLOT - KSTACK_SIZE &&
	       off + len <= KSTACK_SLOT;
}
