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
	size_t pages;	      /* leaf pages mapped (lock) */
	unsigned refs;	      /* atomic: the owner + kernel calls using it */
	struct spinlock lock; /* guards the tables */
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
			smp_call_on(i, flush_asid_local,
				    (void *)(uintptr_t)asid, true, 100);
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
	vm->refs = 1;
	spin_init(&vm->lock, "vm_lock");
	if (asid_bits >= 7)
		vm->asid = (uint16_t)(hint ? hint :
					     (unsigned)(next_asid++ % 127 + 1));
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
	       len > 0 && va >= USER_BASE && va + len > va &&
	       va + len <= USER_TOP;
}

static unsigned long pte_rights(unsigned rights)
{
	return (rights & VM_R ? PTE_R : 0) |
	       (rights & VM_W ? PTE_W | PTE_R : 0) |
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

/*
 * Pages are freed only after every hart's TLB has forgotten them: the owner
 * may be running on another hart right now (its parent unmapping), and a
 * stale translation to a page already handed to someone else would let it
 * write there.
 */
int arch_vm_unmap(struct vm_space *vm, vaddr_t va, size_t len)
{
	paddr_t batch[64];
	unsigned n;

	if (!user_range_ok(va, len))
		return -EINVAL;
	do {
		n = 0;
		spin_lock(&vm->lock);
		for (; len && n < ARRAY_SIZE(batch);
		     va += PAGE_SIZE, len -= PAGE_SIZE) {
			pte_t *pte = walk(vm, va, false);

			if (!pte || !(*pte & PTE_V))
				continue;
			if (*pte & PTE_OWNED)
				batch[n++] = PTE_PPN(*pte);
			*pte = 0;
			vm->pages--;
		}
		spin_unlock(&vm->lock);
		flush_page_everywhere(vm, va - PAGE_SIZE);
		for (unsigned i = 0; i < n; i++)
			page_free(batch[i]);
	} while (len);
	return 0;
}

static void *translate(struct vm_space *vm, vaddr_t va, unsigned rights);

/* Lock one space, or two in a fixed order (never ipc_lock inside). */
static void lock_pair(struct vm_space *a, struct vm_space *b)
{
	if (a == b || !b) {
		spin_lock(&a->lock);
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void unlock_pair(struct vm_space *a, struct vm_space *b)
{
	if (b && a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
}

/*
 * Only stable while vm->lock is held (an unmap may free the page next):
 * callers that copy hold it across each page they touch.
 */
void *arch_vm_translate(struct vm_space *vm, vaddr_t va, unsigned rights)
{
	return translate(vm, va, rights);
}

static void *translate(struct vm_space *vm, vaddr_t va, unsigned rights)
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

void arch_vm_get(struct vm_space *vm)
{
	__atomic_add_fetch(&vm->refs, 1, __ATOMIC_RELAXED);
}

/*
 * Drop a reference; the last one frees the space. A kernel call working on
 * another process's space holds a reference, so that space outlives the
 * process's exit until the call is done (the pages it writes are never
 * handed to anyone else meanwhile).
 */
void arch_vm_destroy(struct vm_space *vm)
{
	if (!vm || __atomic_sub_fetch(&vm->refs, 1, __ATOMIC_ACQ_REL))
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
	unsigned id = this_cpu()->id;

	if (active[id] == vm)
		return;
	active[id] = vm;
	if (!vm) {
		csr_write(satp, SATP_MODE_SV39 |
					(mmu_kernel_root_pa() >> PAGE_SHIFT));
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
		char *p;

		spin_lock(&vm->lock);
		p = translate(vm, uva, to_user ? VM_W : VM_R);
		if (p && to_user)
			memcpy(p, k, chunk);
		else if (p)
			memcpy(k, p, chunk);
		spin_unlock(&vm->lock);
		if (!p)
			return -EFAULT;
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
		lock_pair(src_vm, dst_vm);
		s = translate(src_vm, src, VM_R);
		d = translate(dst_vm, dst, force ? 0 : VM_W);
		if (s && d)
			memmove(d, s, chunk);
		unlock_pair(src_vm, dst_vm);
		if (!s || !d)
			return -EFAULT;
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
		char *d;

		spin_lock(&vm->lock);
		d = translate(vm, dst, 0);
		if (d)
			memcpy(d, s, chunk);
		spin_unlock(&vm->lock);
		if (!d)
			return -EFAULT;
		dst += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

/* Zero whole mapped pages of [va, va+len); 0 or -EFAULT at a hole. */
int vm_clear(struct vm_space *vm, vaddr_t va, size_t len)
{
	for (; len; va += PAGE_SIZE, len -= PAGE_SIZE) {
		char *page;

		spin_lock(&vm->lock);
		page = translate(vm, va, 0);
		if (page)
			memset(page, 0, PAGE_SIZE);
		spin_unlock(&vm->lock);
		if (!page)
			return -EFAULT;
	}
	return 0;
}
