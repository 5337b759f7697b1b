/* SPDX-License-Identifier: MIT */
/*
 * User address spaces (Sv39). Each has its own root table whose upper half
 * (entries 256..511) is copied from the kernel's, so the kernel is mapped
 * in every space and a trap needs no satp write; the lower half holds the
 * user mappings, each with the U bit, never both W and X.
 *
 * Each space has an ASID (its process slot + 1 when the hart implements
 * ASIDs): switching spaces then needs no TLB flush. An ASID is reused only
 * when its slot is, and vm creation flushes it on every hart first.
 * Unmapping flushes the page on every hart.
 *
 * The kernel never dereferences a user address: copies translate each page
 * through the space's tables and use the direct map, so a bad pointer is an
 * error value, never a fault.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/mmu.h>
#include <axolotl/errno.h>
#include <axolotl/kcall.h>
#include <kernel/cpu.h>
#include <kernel/kmalloc.h>
#include <kernel/page_alloc.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

#define PTE_OWNED (1UL << 8) /* software bit: the page belongs to the space */
#define PTE_PPN(pte) (((pte) >> 10) << PAGE_SHIFT)
#define VPN(va, l) (((va) >> (PAGE_SHIFT + 9 * (l))) & 0x1ff)

struct vm_space {
	pte_t *root;
	paddr_t root_pa;
	uint16_t asid;
	size_t pages;		 /* leaf pages mapped (lock) */
	struct spinlock lock;	 /* guards the tables */
};

static unsigned asid_bits;		  /* 0: no ASIDs */
static struct vm_space *active[MAX_CPUS]; /* per hart, own hart only */
static uint16_t next_asid = 1;		  /* used when no slot is known */

extern pte_t *mmu_kernel_root(void);
extern paddr_t mmu_kernel_root_pa(void);

void vm_init_asids(void)
{
	unsigned long old = csr_read(satp);

	csr_write(satp, old | (0xffffUL << 44));
	for (unsigned long bits = (csr_read(satp) >> 44) & 0xffff; bits;
	     bits >>= 1)
		asid_bits += bits & 1;
	csr_write(satp, old);
	sfence_vma_all();
}

unsigned vm_asid_bits(void)
{
	return asid_bits;
}

static void flush_asid_local(void *arg)
{
	unsigned long asid = (uintptr_t)arg;

	__asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}

static void flush_page_local(vaddr_t va, unsigned long asid)
{
	__asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
}

/* Flush asid on every online hart (they share nothing else with it). */
static void flush_asid_everywhere(uint16_t asid)
{
	flush_asid_local((void *)(uintptr_t)asid);
	for (unsigned i = 0; i < ncpus; i++)
		if (i != arch_cpu_id() && cpus[i].state == CPU_ONLINE)
			smp_call_on(i, flush_asid_local, (void *)(uintptr_t)asid,
				    true, 100);
}

struct vm_space *arch_vm_create_asid(unsigned hint)
{
	struct vm_space *vm = kmalloc(sizeof(*vm));
	paddr_t root;

	if (!vm)
		return NULL;
	root = page_alloc();
	if (!root) {
		kfree(vm);
		return NULL;
	}
	vm->root_pa = root;
	vm->root = arch_phys_to_virt(root);
	memcpy(vm->root + 256, mmu_kernel_root() + 256, 256 * sizeof(pte_t));
	vm->pages = 0;
	spin_init(&vm->lock, "vm_lock");
	if (asid_bits >= 7)
		vm->asid = (uint16_t)(hint ? hint : (unsigned)(next_asid++ % 127 + 1));
	else
		vm->asid = 0;
	if (vm->asid)
		flush_asid_everywhere(vm->asid);
	return vm;
}

struct vm_space *arch_vm_create(void)
{
	return arch_vm_create_asid(0);
}

/* The leaf entry for va, creating tables if create; NULL if none. */
static pte_t *walk(struct vm_space *vm, vaddr_t va, bool create)
{
	pte_t *table = vm->root;

	for (int l = 2; l > 0; l--) {
		pte_t *pte = &table[VPN(va, l)];

		if (!(*pte & PTE_V)) {
			paddr_t pa;

			if (!create || !(pa = page_alloc()))
				return NULL;
			*pte = (pa >> PAGE_SHIFT) << 10 | PTE_V;
		} else if (*pte & (PTE_R | PTE_W | PTE_X)) {
			return NULL; /* user spaces have no large pages */
		}
		table = arch_phys_to_virt(PTE_PPN(*pte));
	}
	return &table[VPN(va, 0)];
}

static bool user_range_ok(vaddr_t va, size_t len)
{
	return IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       len > 0 && va >= USER_BASE && va + len > va && va + len <= USER_TOP;
}

static unsigned long pte_rights(unsigned rights)
{
	return (rights & VM_R ? PTE_R : 0) | (rights & VM_W ? PTE_W | PTE_R : 0) |
	       (rights & VM_X ? PTE_X : 0);
}

static int map_pages(struct vm_space *vm, vaddr_t va, size_t len,
		     unsigned rights, paddr_t device)
{
	int err = 0;

	if (!user_range_ok(va, len))
		return -EINVAL;
	if ((rights & VM_W) && (rights & VM_X))
		return -EINVAL; /* W^X */
	if (!(rights & (VM_R | VM_W | VM_X)) || (rights & ~7u))
		return -EINVAL;
	spin_lock(&vm->lock);
	for (vaddr_t a = va; a < va + len && !err; a += PAGE_SIZE) {
		pte_t *pte = walk(vm, a, true);
		paddr_t pa = device ? device + (a - va) : page_alloc();

		if (!pte || !pa) {
			if (pa && !device)
				page_free(pa);
			err = -ENOMEM;
		} else if (*pte & PTE_V) {
			if (!device)
				page_free(pa);
			err = -EEXIST;
		} else {
			*pte = (pa >> PAGE_SHIFT) << 10 | pte_rights(rights) |
			       PTE_U | PTE_V | PTE_A | PTE_D |
			       (device ? 0 : PTE_OWNED);
			vm->pages++;
		}
	}
	spin_unlock(&vm->lock);
	return err;
}

int arch_vm_map(struct vm_space *vm, vaddr_t va, size_t len, unsigned rights)
{
	return map_pages(vm, va, len, rights, 0);
}

int arch_vm_map_device(struct vm_space *vm, vaddr_t va, paddr_t pa, size_t len)
{
	if (!pa || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	return map_pages(vm, va, len, VM_R | VM_W, pa);
}

static void flush_page_everywhere(struct vm_space *vm, vaddr_t va)
{
	flush_page_local(va, vm->asid);
	/* Other harts may cache it too: flush the whole asid there. */
	for (unsigned i = 0; i < ncpus; i++)
		if (i != arch_cpu_id() && cpus[i].state == CPU_ONLINE)
			smp_call_on(i, flush_asid_local,
				    (void *)(uintptr_t)vm->asid, true, 100);
}

int arch_vm_unmap(struct vm_space *vm, vaddr_t va, size_t len)
{
	if (!user_range_ok(va, len))
		return -EINVAL;
	spin_lock(&vm->lock);
	for (vaddr_t a = va; a < va + len; a += PAGE_SIZE) {
		pte_t *pte = walk(vm, a, false);

		if (!pte || !(*pte & PTE_V))
			continue;
		if (*pte & PTE_OWNED)
			page_free(PTE_PPN(*pte));
		*pte = 0;
		vm->pages--;
	}
	spin_unlock(&vm->lock);
	flush_page_everywhere(vm, va);
	return 0;
}

void *arch_vm_translate(struct vm_space *vm, vaddr_t va, unsigned rights)
{
	unsigned long need = pte_rights(rights) | PTE_U | PTE_V;
	pte_t *pte;

	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	pte = walk(vm, ALIGN_DOWN(va, PAGE_SIZE), false);
	if (!pte || (*pte & need) != need)
		return NULL;
	if (!(*pte & PTE_OWNED))
		return NULL; /* device memory is not copied by the kernel */
	return (char *)arch_phys_to_virt(PTE_PPN(*pte)) + (va % PAGE_SIZE);
}

size_t arch_vm_pages(const struct vm_space *vm)
{
	return vm->pages;
}

static void free_table(pte_t *table, int level)
{
	for (unsigned i = 0; i < 512; i++) {
		pte_t pte = table[i];

		if (!(pte & PTE_V))
			continue;
		if (level > 0 && !(pte & (PTE_R | PTE_W | PTE_X)))
			free_table(arch_phys_to_virt(PTE_PPN(pte)), level - 1);
		else if (pte & PTE_OWNED)
			page_free(PTE_PPN(pte));
	}
	page_free(arch_virt_to_phys(table));
}

void arch_vm_destroy(struct vm_space *vm)
{
	if (!vm)
		return;
	for (unsigned i = 0; i < 256; i++) {
		pte_t pte = vm->root[i];

		if (pte & PTE_V)
			free_table(arch_phys_to_virt(PTE_PPN(pte)), 1);
	}
	page_free(vm->root_pa);
	kfree(vm);
}

void arch_vm_activate(struct vm_space *vm)
{
	unsigned id = arch_cpu_id();

	if (active[id] == vm)
		return;
	active[id] = vm;
	if (!vm) {
		csr_write(satp, SATP_MODE_SV39 | (mmu_kernel_root_pa() >> PAGE_SHIFT));
	} else {
		csr_write(satp, SATP_MODE_SV39 | (unsigned long)vm->asid << 44 |
					(vm->root_pa >> PAGE_SHIFT));
	}
	if (!asid_bits)
		sfence_vma_all();
}

/* Copy len bytes between the kernel and a user space, page by page. */
static int copy_user(struct vm_space *vm, vaddr_t uva, void *kbuf, size_t len,
		     bool to_user)
{
	char *k = kbuf;

	if (!vm)
		return -EFAULT;
	if (uva + len < uva)
		return -EFAULT;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - uva % PAGE_SIZE);
		char *p = arch_vm_translate(vm, uva, to_user ? VM_W : VM_R);

		if (!p)
			return -EFAULT;
		if (to_user)
			memcpy(p, k, chunk);
		else
			memcpy(k, p, chunk);
		uva += chunk;
		k += chunk;
		len -= chunk;
	}
	return 0;
}

int arch_copy_from_user(void *dst, vaddr_t src, size_t len)
{
	return copy_user(active[arch_cpu_id()], src, dst, len, false);
}

int arch_copy_to_user(vaddr_t dst, const void *src, size_t len)
{
	return copy_user(active[arch_cpu_id()], dst, (void *)src, len, true);
}

/*
 * Copy between two spaces; 0 or -EFAULT. Normally the destination must be
 * writable by its owner (safecopy); force lets a system process fill pages
 * of a child that the child itself may not write (text, for exec).
 */
int vm_copy_between(struct vm_space *dst_vm, vaddr_t dst,
		    struct vm_space *src_vm, vaddr_t src, size_t len,
		    bool force)
{
	if (src + len < src || dst + len < dst)
		return -EFAULT;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - src % PAGE_SIZE);
		char *s, *d;

		chunk = MIN(chunk, PAGE_SIZE - dst % PAGE_SIZE);
		s = arch_vm_translate(src_vm, src, VM_R);
		d = arch_vm_translate(dst_vm, dst, force ? 0 : VM_W);
		if (!s || !d)
			return -EFAULT;
		memmove(d, s, chunk);
		src += chunk;
		dst += chunk;
		len -= chunk;
	}
	return 0;
}

/* Copy kernel bytes into a space (loading a program); 0 or -EFAULT. */
int vm_copy_from_kernel(struct vm_space *vm, vaddr_t dst, const void *src,
			size_t len)
{
	const char *s = src;

	if (dst + len < dst)
		return -EFAULT;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - dst % PAGE_SIZE);
		char *d = arch_vm_translate(vm, dst, 0);

		if (!d)
			return -EFAULT;
		memcpy(d, s, chunk);
		dst += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}
