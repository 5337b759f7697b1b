/* SPDX-License-Identifier: MIT */
/*
 * _start: the first instruction of every Axolotl user program.
 *
 * The kernel enters here in user mode with sp at the top of a stack it
 * mapped and a0 holding the start argument (KC_PROC_START's a0, or the
 * boot image's). Every page of the image is already loaded: .data holds
 * its initial values and .bss is zero, so nothing is copied or cleared
 * here and no relocation is done (static, position-dependent, no gp).
 *
 * _start aligns sp, ends the frame-pointer chain, points tp at the
 * thread-local block (picolibc keeps errno there), saves the start
 * argument in axo_start_arg, runs the constructors, and calls
 * main(axo_start_arg). main's return value goes to exit(), which runs
 * the destructors and ends in _exit() (lib/stdio.c): flush stdout, then
 * KC_EXIT.
 */
	.option norelax

	.section .text._start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	andi	sp, sp, -16
	li	ra, 0
	li	s0, 0
	lla	tp, __tls_base
	lla	t0, axo_start_arg
	sd	a0, 0(t0)
	mv	s1, a0
	call	__libc_init_array
	mv	a0, s1
	call	main
	call	exit
1:	j	1b		/* exit() does not return */
	.size	_start, . - _start

	/* The start argument, for code that is not main. */
	.section .bss.axo_start_arg, "aw", @nobits
	.balign	8
	.globl	axo_start_arg
	.type	axo_start_arg, @object
axo_start_arg:
	.zero	8
	.size	axo_start_arg, 8

	/*
	 * Keeps the first TLS section non-empty, so that __tls_base (the
	 * start of .tdata in user.ld) is where the linker's thread-pointer
	 * offsets start.
	 */
	.section .tdata.axo_anchor, "awT", @progbits
	.balign	16
	.type	axo_tls_anchor, @object
axo_tls_anchor:
	.zero	16
	.size	axo_tls_anchor, 16
