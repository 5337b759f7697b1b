/* SPDX-License-Identifier: MIT */
/*
 * The first instructions. OpenSBI enters _start in S-mode with the MMU off,
 * a0 = hart id and a1 = physical address of the device tree. Until the MMU
 * is on, everything here runs at physical addresses and may use only
 * PC-relative addressing.
 *
 * The boot hart installs a trap vector first (so that any fault prints
 * scause/sepc/stval through the firmware console instead of hanging),
 * clears bss, builds a boot page table of 1 GiB pages, turns on Sv39 and
 * jumps to the kernel's linked (upper-half) address. Secondary harts come
 * in at secondary_start with a1 = the cpu index and reuse that page table.
 */
#include <arch/memlayout.h>

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define GIGA_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D)
#define GIGA_RW (PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)

	.section .text.head, "ax"
	.globl _start
_start:
	lla	t0, early_trap
	csrw	stvec, t0
	csrw	sie, zero
	csrw	sscratch, zero
	mv	s0, a0
	mv	s1, a1
	lla	s2, _start

	/* The raw image must sit at the offset it was linked for. */
	lla	t0, _start
	li	t1, 0x3fffffff
	and	t1, t0, t1
	li	t2, KERNEL_LOAD_OFFSET
	bne	t1, t2, bad_load_address

	lla	sp, boot_stack_top
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	call	build_boot_page_table
	call	enable_boot_mmu
	/* Now both the identity map and the upper half are live: go high. */
	lla	t0, .Lhigh_entry
	ld	t0, 0(t0)
	jr	t0

/*
 * Boot page table: the GiB holding the kernel, identity-mapped (so the pc
 * stays valid across the satp write) and at KERNEL_VIRT_BASE; and the first
 * four GiB of physical memory in the direct map (RAM and the device tree).
 */
build_boot_page_table:
	lla	t0, boot_page_table
	lla	t1, _start
	srli	t1, t1, 30		/* GiB number of the kernel */
	slli	t2, t1, 28		/* PPN << 10, for a GiB page */
	ori	t2, t2, GIGA_RWX
	slli	t3, t1, 3
	add	t3, t0, t3
	sd	t2, 0(t3)		/* identity */
	li	t3, (KERNEL_VIRT_BASE >> 30) & 0x1ff
	slli	t3, t3, 3
	add	t3, t0, t3
	sd	t2, 0(t3)		/* kernel image */
	li	t4, 0			/* GiB 0..3 into the direct map */
	li	t5, 4
	li	t6, (PHYS_MAP_BASE >> 30) & 0x1ff
3:	slli	t2, t4, 28
	ori	t2, t2, GIGA_RW
	add	t3, t6, t4
	slli	t3, t3, 3
	add	t3, t0, t3
	sd	t2, 0(t3)
	addi	t4, t4, 1
	blt	t4, t5, 3b
	ret

enable_boot_mmu:
	lla	t0, boot_page_table
	srli	t0, t0, 12
	li	t1, 8
	slli	t1, t1, 60
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	ret

/* Secondary harts: a0 = hart id, a1 = cpu index (the opaque argument). */
	.globl secondary_start
secondary_start:
	lla	t0, early_trap
	csrw	stvec, t0
	csrw	sie, zero
	csrw	sscratch, zero
	mv	s0, a0
	mv	s1, a1
	call	enable_boot_mmu
	lla	t0, .Lhigh_secondary
	ld	t0, 0(t0)
	jr	t0

bad_load_address:
	lla	a0, .Lbad_load_msg
	call	early_puts_phys
	j	early_halt

	.balign 8
.Lhigh_entry:
	.dword	high_entry
.Lhigh_secondary:
	.dword	high_secondary

/* ---- from here on, running at the linked address ---- */
	.text
high_entry:
	la	t0, early_trap
	csrw	stvec, t0
#ifdef EARLY_FAULT_TEST
	/* Test image only: fault before the real trap vector exists. */
	ld	t0, 8(zero)
#endif
	la	sp, boot_stack_top
	mv	a0, s0
	mv	a1, s1
	mv	a2, s2
	call	arch_boot		/* never returns */
	j	early_halt

high_secondary:
	la	t0, early_trap
	csrw	stvec, t0
	mv	a0, s0
	mv	a1, s1
	/* cpu n's boot stack ends at secondary_boot_stacks + (n+1)*8 KiB. */
	la	sp, secondary_boot_stacks
	addi	t0, a1, 1
	slli	t0, t0, 13
	add	sp, sp, t0
	call	arch_secondary_boot	/* never returns */
	j	early_halt

/*
 * The trap vector in force until the real one is installed: print the
 * cause through the firmware and stop. It uses no stack, so it works even
 * when sp is garbage. Position-independent: valid at either address.
 */
	.section .text.head, "ax"
	.balign 4
	.globl early_trap
early_trap:
	lla	a0, .Learly_msg
	call	early_puts_phys
	lla	a0, .Lcause
	call	early_puts_phys
	csrr	a0, scause
	call	early_puthex
	lla	a0, .Lepc
	call	early_puts_phys
	csrr	a0, sepc
	call	early_puthex
	lla	a0, .Ltval
	call	early_puts_phys
	csrr	a0, stval
	call	early_puthex
	lla	a0, .Lnl
	call	early_puts_phys
	.globl early_halt
early_halt:
	/* Power off with a failure reason so that QEMU ends, not hangs. */
	li	a7, 0x53525354
	li	a6, 0
	li	a0, 0
	li	a1, 1
	ecall
4:	wfi
	j	4b

/* Print the NUL-terminated string at a0; clobbers a0-a1, a6-a7, t0. */
	.globl early_puts_phys
early_puts_phys:
	mv	t0, a0
5:	lbu	a0, 0(t0)
	beqz	a0, 6f
	li	a7, 1
	li	a6, 0
	ecall
	addi	t0, t0, 1
	j	5b
6:	ret

/* Print a0 as 16 hex digits; clobbers a0-a1, a6-a7, t0-t2. */
early_puthex:
	mv	t1, a0
	li	t2, 60
7:	srl	a0, t1, t2
	andi	a0, a0, 0xf
	li	t0, 10
	blt	a0, t0, 8f
	addi	a0, a0, 'a' - 10 - '0'
8:	addi	a0, a0, '0'
	li	a7, 1
	li	a6, 0
	ecall
	addi	t2, t2, -4
	bgez	t2, 7b
	ret

	.section .rodata
.Learly_msg:
	.asciz "\r\nAxolotl: trap before the kernel's trap handler was installed\r\n"
.Lcause:
	.asciz "  scause "
.Lepc:
	.asciz "  sepc "
.Ltval:
	.asciz "  stval "
.Lnl:
	.asciz "\r\n"
.Lbad_load_msg:
	.asciz "Axolotl: loaded at the wrong address (must be RAM base + 2 MiB); stopping\r\n"

/*
 * Boot stacks, each with a guard page below it that mmu.c leaves unmapped
 * in the final page tables (the boot page table maps them, but nothing
 * deep runs before the switch). The boot hart leaves its boot stack for a
 * guarded idle stack at the end of arch_boot; a secondary hart uses its
 * one only for a few calls.
 */
	.section .bss.boot_stacks, "aw", @nobits
	.balign 4096
	.globl boot_page_table
boot_page_table:
	.space 4096
	.globl boot_stack_guard
boot_stack_guard:
	.space 4096
boot_stack:
	.space 16384
	.globl boot_stack_top
boot_stack_top:
	/* secondary cpu n: guard at +8 KiB * n, stack above it */
	.globl secondary_boot_stacks
secondary_boot_stacks:
	.space 8192 * 8
