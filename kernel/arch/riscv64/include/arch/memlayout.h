/* SPDX-License-Identifier: MIT */
/*
 * The kernel's Sv39 virtual address layout. Everything the kernel maps lives
 * in the upper half (bit 38 set), so that each process's root table can
 * share the kernel's upper-half entries and a kernel entry needs no satp
 * write.
 *
 *   0xffffffc000000000  direct map of RAM: va = pa + PHYS_MAP_BASE (RW, NX;
 *                       the kernel image's own pages are R there)
 *   0xffffffd000000000  device map: va = pa + IO_MAP_BASE (RW, NX, < 64 GiB)
 *   0xffffffe000000000  kernel stacks, one KSTACK_SLOT each, the bottom of
 *                       each slot left unmapped as its guard
 *   0xffffffff80200000  the kernel image (text R-X, rodata R, data+bss RW)
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#define PHYS_MAP_BASE 0xffffffc000000000UL
#define PHYS_MAP_SIZE 0x0000001000000000UL /* 64 GiB */
#define IO_MAP_BASE 0xffffffd000000000UL
#define IO_MAP_SIZE 0x0000001000000000UL
#define KSTACK_BASE 0xffffffe000000000UL
#define KSTACK_SLOT 0x10000UL /* 64 KiB: 16 KiB stack, the rest guard */
#define KERNEL_VIRT_BASE 0xffffffff80000000UL
#define KERNEL_LOAD_OFFSET 0x200000UL /* OpenSBI puts us at RAM + 2 MiB */

#endif
