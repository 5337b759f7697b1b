/* SPDX-License-Identifier: MIT */
/*
 * The trap vector and the return path.
 *
 * sscratch is 0 while the hart runs in the kernel and holds the hart's
 * struct cpu while it runs in user mode, so the first instruction tells
 * the two apart. tp always points at the hart's struct cpu in the kernel.
 *
 * From the kernel, the entry first checks that the trap frame fits above
 * the lowest valid byte of the current stack (cpu->arch.kstack_lo). If it
 * does not, the stack has overflowed into its guard page: the entry moves
 * to the hart's emergency stack and reports a stack overflow there, since
 * pushing a frame onto the overflowed stack would fault again forever.
 */
#include <arch/csr.h>
#include <arch/memlayout.h>

#define TF_SIZE (36 * 8)
#define TF_SEPC (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE (34 * 8)
#define TF_STVAL (35 * 8)

#define CPU_SCRATCH0 0
#define CPU_SCRATCH1 8
#define CPU_SCRATCH2 16
#define CPU_KSTACK_LO 24
#define CPU_EMERG_TOP 32
#define CPU_EMERG_LO 40
#define CPU_ON_EMERG 48
#define CPU_KSTACK_TOP 64

#define OP_KERNEL_CALL 6 /* IPC_KERNEL_CALL of <axolotl/ipc.h> */

#define SPINLOCK_LOCKED 0
#define SPINLOCK_OWNER 4

/*
 * Save x1 and x3..x31 at sp; x2 and tp are the caller's business. In two
 * halves: the registers a C call may change (ra, t0..t6, a0..a7), which
 * the lean ecall path saves alone, and the rest (gp, s0..s11).
 */
.macro SAVE_GPRS
	CALLER_GPRS sd
	SAVE_CALLEE_GPRS
.endm

.macro SAVE_CALLEE_GPRS
	sd	x3, 3*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
.endm

.macro CALLER_GPRS op
	\op	x1, 1*8(sp)
	\op	x5, 5*8(sp)
	\op	x6, 6*8(sp)
	\op	x7, 7*8(sp)
	\op	x10, 10*8(sp)
	\op	x11, 11*8(sp)
	\op	x12, 12*8(sp)
	\op	x13, 13*8(sp)
	\op	x14, 14*8(sp)
	\op	x15, 15*8(sp)
	\op	x16, 16*8(sp)
	\op	x17, 17*8(sp)
	\op	x28, 28*8(sp)
	\op	x29, 29*8(sp)
	\op	x30, 30*8(sp)
	\op	x31, 31*8(sp)
.endm

/* What the lean path of a trap from user mode has not saved yet. */
.macro SAVE_USER_REST
	SAVE_CALLEE_GPRS
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
.endm

.macro SAVE_CSRS
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
.endm

	.text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lfrom_user
	csrr	tp, sscratch
	csrw	sscratch, zero
	sd	t0, CPU_SCRATCH0(tp)
	sd	t1, CPU_SCRATCH1(tp)
	addi	t0, sp, -TF_SIZE
	ld	t1, CPU_KSTACK_LO(tp)
	bltu	t0, t1, .Loverflow
	ld	t1, CPU_SCRATCH1(tp)
	ld	t0, CPU_SCRATCH0(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	sd	tp, 4*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	SAVE_CSRS
	mv	a0, sp
	call	trap_handler
	j	trap_return

.Lfrom_user:
	/*
	 * tp = struct cpu, sscratch = the user's tp. First the registers
	 * a C call may change, sp, tp, sepc and scause: enough for the lean
	 * ecall path (docs/traps.md), which completes the calls that need
	 * no more (syscall_lean() returns 0) and returns at once. Anything
	 * else saves the rest of the frame before any C code reads it.
	 */
	sd	sp, CPU_SCRATCH2(tp)
	ld	sp, CPU_KSTACK_TOP(tp)
	addi	sp, sp, -TF_SIZE
	CALLER_GPRS sd
	ld	t0, CPU_SCRATCH2(tp)
	sd	t0, 2*8(sp)
	csrr	t0, sscratch
	sd	t0, 4*8(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	li	t1, EXC_ECALL_U
	bne	t0, t1, .Luser_full
	ld	t0, 5*8(sp)		/* the operation (user t0) */
	li	t1, OP_KERNEL_CALL
	bne	t0, t1, .Luser_ecall
	mv	a0, sp
	call	syscall_lean
	bnez	a0, .Luser_ecall
	ld	t0, TF_SEPC(sp)
	addi	t0, t0, 4
	csrw	sepc, t0
	csrw	sscratch, tp
	CALLER_GPRS ld
	ld	tp, 4*8(sp)
	ld	sp, 2*8(sp)
	sret

.Luser_ecall:
	SAVE_USER_REST
	ld	t0, TF_SEPC(sp)		/* return past the ecall */
	addi	t0, t0, 4
	sd	t0, TF_SEPC(sp)
	mv	a0, sp
	call	syscall_fastpath	/* returns only if it does not apply */
	mv	a0, sp
	call	trap_user_ecall
	j	trap_return

.Luser_full:
	SAVE_USER_REST
	mv	a0, sp
	call	trap_handler
	j	trap_return

.Loverflow:
	ld	t1, CPU_ON_EMERG(tp)
	bnez	t1, .Lemergency_overflow
	li	t1, 1
	sd	t1, CPU_ON_EMERG(tp)
	sd	sp, CPU_SCRATCH2(tp)
	ld	t1, CPU_EMERG_LO(tp)
	sd	t1, CPU_KSTACK_LO(tp)
	ld	sp, CPU_EMERG_TOP(tp)
	ld	t1, CPU_SCRATCH1(tp)
	ld	t0, CPU_SCRATCH0(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_GPRS
	sd	tp, 4*8(sp)
	ld	t0, CPU_SCRATCH2(tp)
	sd	t0, 2*8(sp)
	SAVE_CSRS
	mv	a0, sp
	call	trap_stack_overflow	/* does not return */
	j	early_halt

.Lemergency_overflow:
	/* The emergency stack itself overflowed: nothing on this hart is
	 * safe to run. Report through the firmware (no stack needed). */
	la	a0, .Lemerg_msg
	call	early_puts_phys
	j	early_halt

/*
 * Restore the frame at sp and return from the trap. Entered with
 * interrupts off; the frame's sstatus decides the mode sret returns to.
 */
	.globl trap_return
trap_return:
	csrci	sstatus, 2
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	t1, TF_SEPC(sp)
	csrw	sepc, t1
	andi	t0, t0, 0x100		/* SPP: 0 means back to user mode */
	bnez	t0, 1f
	csrw	sscratch, tp
1:	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	ld	x2, 2*8(sp)
	sret

/*
 * arch_user_enter(pc, sp, a0): build a fresh user frame at the top of this
 * thread's kernel stack (cpu->arch.kstack_top, where every later trap from
 * user mode saves its frame too) and sret into it. Never returns. Written
 * in assembly because the frame may cover the C frames that called it.
 * sstatus: SPP = 0 (user), SPIE = 1 (interrupts on), SUM = 0, FS = VS = Off
 * (user programs get no floating point, so there is no FP state to leak).
 */
	.globl arch_user_enter
arch_user_enter:
	csrci	sstatus, 2
	ld	t0, CPU_KSTACK_TOP(tp)
	addi	t0, t0, -TF_SIZE
	mv	t1, t0
	li	t2, TF_SIZE / 8
1:	sd	zero, 0(t1)
	addi	t1, t1, 8
	addi	t2, t2, -1
	bnez	t2, 1b
	sd	a0, TF_SEPC(t0)
	sd	a1, 2*8(t0)
	sd	a2, 10*8(t0)
	csrr	t1, sstatus
	li	t2, 0x40100 | 0x6000 | 0x600	/* SUM | SPP | FS | VS */
	not	t2, t2
	and	t1, t1, t2
	ori	t1, t1, 0x20			/* SPIE */
	sd	t1, TF_SSTATUS(t0)
	mv	sp, t0
	j	trap_return

/*
 * arch_user_resume(tf, lock): sp = tf, then release lock if not NULL
 * (owner_cpu = -1, then locked = 0 after a release fence, as
 * spin_unlock_raw() does), then trap_return. Once sp is on tf no code
 * runs on the previous thread's stack, so whoever takes the lock next
 * may resume that thread at once.
 */
	.globl arch_user_resume
arch_user_resume:
	csrci	sstatus, 2
	mv	sp, a0
	beqz	a1, trap_return
	li	t0, -1
	sw	t0, SPINLOCK_OWNER(a1)
	fence	rw, w
	sw	zero, SPINLOCK_LOCKED(a1)
	j	trap_return

/*
 * arch_context_switch(from, to): save the callee-saved registers of the
 * running thread in *from and resume the thread saved in *to.
 */
	.globl arch_context_switch
arch_context_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ret

/* First code of a new kernel thread: s1 = arg, s2 = entry; s0 = 0 ends
 * the frame chain for backtraces. */
	.globl thread_trampoline
thread_trampoline:
	call	thread_first_run
	mv	a0, s1
	jalr	s2
	call	thread_exit

/* arch_call_on_stack(fn, arg, stack_top): call fn(arg) with sp = stack_top. */
	.globl arch_call_on_stack
arch_call_on_stack:
	mv	t0, sp
	mv	sp, a2
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	t0, 0(sp)
	mv	t1, a0
	mv	a0, a1
	jalr	t1
	ld	ra, 8(sp)
	ld	t0, 0(sp)
	mv	sp, t0
	ret

	.section .rodata
.Lemerg_msg:
	.asciz "\r\nAxolotl: kernel stack overflow on the emergency stack; hart stopped\r\n"
