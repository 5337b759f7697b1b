/* SPDX-License-Identifier: MIT */
/*
 * BUG() and WARN(): a broken kernel invariant. BUG() oopses at the point
 * of the check, with file and line; WARN_ON() reports with a backtrace
 * and carries on. Neither is for user mistakes, which return errors.
 */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include <kernel/arch.h> /* ARCH_BUG() */
#include <kernel/types.h>

struct bug_entry {
	uintptr_t addr; /* of the trapping instruction */
	const char *file;
	uint32_t line;
	uint32_t flags;
};

#define BUG()                                 \
	do {                                  \
		ARCH_BUG(__FILE__, __LINE__); \
		__builtin_unreachable();      \
	} while (0)

#define BUG_ON(cond)                \
	do {                        \
		if (unlikely(cond)) \
			BUG();      \
	} while (0)

void warn_report(const char *file, int line, const char *cond);

#define WARN_ON(cond)                                           \
	({                                                      \
		bool __warn = !!(cond);                         \
		if (unlikely(__warn))                           \
			warn_report(__FILE__, __LINE__, #cond); \
		__warn;                                         \
	})

/* The BUG() site at pc, or NULL if pc is not one (arch code). */
const struct bug_entry *bug_find(uintptr_t pc);

#endif
