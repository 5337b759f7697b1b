/* SPDX-License-Identifier: MIT */
/*
 * Exception fixups: a load that may fault records (its pc, a fixup pc) in
 * .extable; the trap handler resumes a faulting kernel access at the fixup
 * instead of reporting an oops. Used to read memory that may be unmapped
 * (oops reports, backtraces) and later for copies from user space.
 */
#ifndef ARCH_EXTABLE_H
#define ARCH_EXTABLE_H

#include <kernel/types.h>

struct extable_entry {
	uintptr_t insn;
	uintptr_t fixup;
};

/* The fixup address for a fault at pc, or 0. */
uintptr_t extable_fixup(uintptr_t pc);

#define SAFE_LOAD(insn, type)                                          \
	static inline bool safe_read_##type(uintptr_t addr, type *out) \
	{                                                              \
		type v = 0;                                            \
		long failed = 0;                                       \
		__asm__ volatile("1: " insn " %0, 0(%2)\n"             \
				 "2:\n"                                \
				 ".pushsection .extable, \"a\"\n"      \
				 ".balign 8\n"                         \
				 ".dword 1b, 3f\n"                     \
				 ".popsection\n"                       \
				 ".pushsection .text.fixup, \"ax\"\n"  \
				 "3: li %1, 1\n"                       \
				 "j 2b\n"                              \
				 ".popsection\n"                       \
				 : "+&r"(v), "+&r"(failed)             \
				 : "r"(addr)                           \
				 : "memory");                          \
		*out = v;                                              \
		return !failed;                                        \
	}

SAFE_LOAD("lbu", uint8_t)
SAFE_LOAD("ld", uint64_t)

#endif
