/* SPDX-License-Identifier: MIT */
/*
 * axo_ipc: the one way into the kernel (<axolotl/ipc.h>).
 *
 *	int axo_ipc(int op, endpoint_t ep, message_t *m);
 *
 * Puts op in t0, ep in t1 and the 64-byte message *m in a0..a7, traps
 * with ecall, then stores a0..a7 back into *m (the kernel returns them
 * unchanged for send and notify, and the received message for receive,
 * sendrec and kernel calls) and returns t0: 0 or a negative errno.
 *
 * The message pointer is kept in t2 across the ecall: the ABI preserves
 * every register but t0 and a0..a7. No callee-saved register and no
 * stack is used.
 */
	.option norelax

	.text
	.globl	axo_ipc
	.type	axo_ipc, @function
	.balign	4
axo_ipc:
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
	ecall
	sd	a0, 0(t2)
	sd	a1, 8(t2)
	sd	a2, 16(t2)
	sd	a3, 24(t2)
	sd	a4, 32(t2)
	sd	a5, 40(t2)
	sd	a6, 48(t2)
	sd	a7, 56(t2)
	sext.w	a0, t0
	ret
	.size	axo_ipc, . - axo_ipc
