/* SPDX-License-Identifier: MIT */
/*
 * The boot image (tools/mkbootimg.py, docs/boot-image.md): the first user
 * programs, read-only in the kernel image.
 */
	.section .rodata.bootimage, "a"
	.balign 4096
	.globl bootimage_start
bootimage_start:
	.incbin BOOTIMAGE_PATH
	.globl bootimage_end
bootimage_end:
	.balign 8
