/* SPDX-License-Identifier: MIT */
/* Sv39 page tables of the kernel (see memlayout.h for the layout). */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <kernel/types.h>

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

typedef uint64_t pte_t;

/* Offset between the kernel image's linked and physical addresses. */
extern uintptr_t kernel_va_pa_offset;

/*
 * Build the kernel's final page tables, with the direct map covering the
 * n RAM ranges [start, end), and switch this hart to them.
 */
int mmu_init_ram(const paddr_t (*ranges)[2], unsigned n);
/* Check W^X and guard pages in the kernel tables; false if broken. */
bool mmu_verify_layout(void);
/* Switch a secondary hart to the kernel page tables. */
void mmu_enable_on_this_hart(void);
/* Map [pa, pa+size) in the kernel half with perm bits; 0 or -errno. */
int mmu_map_kernel(vaddr_t va, paddr_t pa, size_t size, unsigned long perm);
/* The leaf PTE for va in the kernel tables, or 0 if none. */
pte_t mmu_kernel_pte(vaddr_t va);
/* Map device registers; returns their kernel address or 0. */
void *ioremap(paddr_t pa, size_t size);
paddr_t kernel_image_pa(const void *va);
/* True if [va, va+len) lies in the mapped part of a kernel stack slot. */
bool kstack_contains(uintptr_t va, size_t len);

#endif
