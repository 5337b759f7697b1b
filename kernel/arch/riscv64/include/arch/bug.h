/* SPDX-License-Identifier: MIT */
/*
 * BUG() on RISC-V: an ebreak whose address is recorded in .bug_table with
 * the file and line, so the trap handler can tell a deliberate BUG from a
 * stray breakpoint and report where it was.
 */
#ifndef ARCH_BUG_H
#define ARCH_BUG_H

#define ARCH_BUG(file, line)                                \
	__asm__ volatile("1: ebreak\n"                      \
			 ".pushsection .bug_table, \"a\"\n" \
			 ".balign 8\n"                      \
			 ".dword 1b, %0\n"                  \
			 ".word %1, 0\n"                    \
			 ".popsection\n" ::"i"(file),       \
			 "i"(line))

#endif
