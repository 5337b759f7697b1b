/* SPDX-License-Identifier: MIT */
/*
 * axo_ipc_regcheck: axo_ipc that also checks the kernel's promise to
 * preserve every register but t0 and a0..a7 (<axolotl/ipc.h>).
 *
 *	unsigned long axo_ipc_regcheck(int op, endpoint_t ep, message_t *m,
 *				       int *result);
 *
 * Before the ecall it fills ra, gp, tp, s0..s11 and t3..t6 with a pattern
 * that names each register (t1 holds ep and t2 holds m as usual); after
 * it, it saves every register, restores the caller's, copies a0..a7 into
 * *m and t0 into *result, and returns a mask with bit n set if register
 * xn came back changed. 0 means the kernel kept its promise. gp and tp
 * hold garbage while in the kernel, which also checks that the kernel
 * never trusts them. Used by the fuzzer (user/tests/fuzz.c).
 */
	.option norelax

#define PAT(n) (0x5a5a5a5a00000000 + (n) * 0x01010101)

/* Frame: x1..x31 as found after the ecall at n * 8, then saved state. */
#define F_RA 256
#define F_GP 264
#define F_TP 272
#define F_S0 280
#define F_S1 288
#define F_S2 296 /* s2..s11 at F_S2 + 8 * (k - 2) */
#define F_MSG 376
#define F_RES 384
#define F_EP 392
#define FRAME 400

	.text
	.globl	axo_ipc_regcheck
	.type	axo_ipc_regcheck, @function
	.balign	4
axo_ipc_regcheck:
	addi	sp, sp, -FRAME
	sd	ra, F_RA(sp)
	sd	gp, F_GP(sp)
	sd	tp, F_TP(sp)
	sd	s0, F_S0(sp)
	sd	s1, F_S1(sp)
	.irp	k, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	sd	s\k, (F_S2 + 8 * (\k - 2))(sp)
	.endr
	sd	a1, F_EP(sp)
	sd	a2, F_MSG(sp)
	sd	a3, F_RES(sp)

	mv	t0, a0
	mv	t1, a1
	mv	t2, a2
	ld	a0, 0(t2)
	ld	a1, 8(t2)
	ld	a2, 16(t2)
	ld	a3, 24(t2)
	ld	a4, 32(t2)
	ld	a5, 40(t2)
	ld	a6, 48(t2)
	ld	a7, 56(t2)
	.irp	n, 1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	li	x\n, PAT(\n)
	.endr
	ecall
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, (\n * 8)(sp)
	.endr

	ld	ra, F_RA(sp)
	ld	gp, F_GP(sp)
	ld	tp, F_TP(sp)
	ld	s0, F_S0(sp)
	ld	s1, F_S1(sp)
	.irp	k, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	ld	s\k, (F_S2 + 8 * (\k - 2))(sp)
	.endr

	/* a0 = mask of the registers that changed */
	li	a0, 0
	li	a3, 1
	.irp	n, 1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	a1, (\n * 8)(sp)
	li	a2, PAT(\n)
	beq	a1, a2, 1f
	slli	a4, a3, \n
	or	a0, a0, a4
1:
	.endr
	ld	a1, (6 * 8)(sp)		/* t1: the endpoint */
	ld	a2, F_EP(sp)
	beq	a1, a2, 1f
	ori	a0, a0, 1 << 6
1:	ld	a1, (7 * 8)(sp)		/* t2: the message pointer */
	ld	a2, F_MSG(sp)
	beq	a1, a2, 1f
	ori	a0, a0, 1 << 7
1:
	/* *m = a0..a7, *result = t0 */
	ld	a1, F_MSG(sp)
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7
	ld	a2, ((10 + \i) * 8)(sp)
	sd	a2, (\i * 8)(a1)
	.endr
	ld	a1, F_RES(sp)
	ld	a2, (5 * 8)(sp)
	sw	a2, 0(a1)

	addi	sp, sp, FRAME
	ret
	.size	axo_ipc_regcheck, . - axo_ipc_regcheck
