/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table (like Linux's kallsyms): maps text
 * addresses to function names for oops reports and backtraces, and names
 * back to addresses. The table is generated at build time by
 * tools/gen_ksyms.py from the linked image (see docs/ksyms.md) and lives in
 * .rodata.ksyms; the functions here only read it, so they are safe to call
 * from any context, including a panic on a hart holding locks.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <kernel/types.h>

/* Room for "name+0x<offset>/0x<size>" of any sensible symbol. */
#define KSYM_NAME_BUF 128

/*
 * Find the symbol whose [start, start + size) holds addr. On success store
 * its name, addr - start and size (any pointer may be NULL) and return
 * true; return false if no symbol covers addr.
 */
bool ksym_lookup(uintptr_t addr, const char **name, unsigned long *offset,
		 unsigned long *size);

/*
 * Write "name+0x1c/0x80" for addr, or "0x80201234" if no symbol covers it,
 * into buf (always NUL-terminated when len > 0). Returns the length of the
 * full text, like snprintf: a result >= len means it was truncated.
 */
int ksym_format(char *buf, size_t len, uintptr_t addr);

/* Start address of the symbol called name, or 0 if there is none. */
uintptr_t ksym_address(const char *name);

/*
 * The generated table (tools/gen_ksyms.py). Host unit tests define these
 * themselves.
 */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[]; /* ascending */
extern const uint32_t ksyms_sizes[];
extern const uint32_t ksyms_name_offs[]; /* into ksyms_names */
extern const char ksyms_names[];	 /* NUL-terminated names */

/*
 * The same operations on an explicit table, for tests and for tables other
 * than the kernel's own. ksym_lookup() and ksym_address() use the table
 * above.
 */
struct ksym_table {
	uint64_t count;
	const uint64_t *addrs;
	const uint32_t *sizes;
	const uint32_t *name_offs;
	const char *names;
};

bool ksym_table_lookup(const struct ksym_table *t, uintptr_t addr,
		       const char **name, unsigned long *offset,
		       unsigned long *size);
uintptr_t ksym_table_address(const struct ksym_table *t, const char *name);

#endif
