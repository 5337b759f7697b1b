/* SPDX-License-Identifier: MIT */
/*
 * Lookups in the kernel symbol table that tools/gen_ksyms.py generates:
 * address to "name+offset/size" by binary search over the sorted start
 * addresses, and name to address by a linear scan. Nothing here takes a
 * lock, allocates or prints, so a panic or oops report can use it at any
 * time; the formatting is done by hand for the same reason.
 */
#include <kernel/ksyms.h>
#include <kernel/string.h>

#ifdef HOST_TEST
/*
 * On the host there is no generated table. Host tests that reach this file
 * through other code (an oops report formats addresses) get an empty one;
 * test_ksyms.c overrides these weak definitions with its own table.
 */
__attribute__((weak)) const uint64_t ksyms_count;
__attribute__((weak)) const uint64_t ksyms_addrs[1];
__attribute__((weak)) const uint32_t ksyms_sizes[1];
__attribute__((weak)) const uint32_t ksyms_name_offs[1];
__attribute__((weak)) const char ksyms_names[1];
#endif

static const struct ksym_table kernel_table = {
	.addrs = ksyms_addrs,
	.sizes = ksyms_sizes,
	.name_offs = ksyms_name_offs,
	.names = ksyms_names,
};

/* The kernel table, with its count read from the image. */
static struct ksym_table ksym_kernel_table(void)
{
	struct ksym_table t = kernel_table;

	t.count = READ_ONCE(ksyms_count);
	return t;
}

bool ksym_table_lookup(const struct ksym_table *t, uintptr_t addr,
		       const char **name, unsigned long *offset,
		       unsigned long *size)
{
	uint64_t lo = 0, hi = t->count, i;
	uint64_t start;

	/* Find the last symbol that starts at or below addr. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (t->addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false; /* below the first symbol, or no symbols */
	i = lo - 1;
	start = t->addrs[i];
	if (addr - start >= t->sizes[i])
		return false; /* past its end: a gap, or beyond the last */

	if (name)
		*name = t->names + t->name_offs[i];
	if (offset)
		*offset = addr - start;
	if (size)
		*size = t->sizes[i];
	return true;
}

uintptr_t ksym_table_address(const struct ksym_table *t, const char *name)
{
	uint64_t i;

	if (!name)
		return 0;
	for (i = 0; i < t->count; i++)
		if (strcmp(t->names + t->name_offs[i], name) == 0)
			return (uintptr_t)t->addrs[i];
	return 0;
}

bool ksym_lookup(uintptr_t addr, const char **name, unsigned long *offset,
		 unsigned long *size)
{
	struct ksym_table t = ksym_kernel_table();

	return ksym_table_lookup(&t, addr, name, offset, size);
}

uintptr_t ksym_address(const char *name)
{
	struct ksym_table t = ksym_kernel_table();

	return ksym_table_address(&t, name);
}

/* A bounded output buffer that counts what would have been written. */
struct ksym_out {
	char *buf;
	size_t len;
	size_t pos;
};

static void ksym_putc(struct ksym_out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void ksym_puts(struct ksym_out *o, const char *s)
{
	while (*s)
		ksym_putc(o, *s++);
}

static void ksym_puthex(struct ksym_out *o, unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[2 * sizeof(v)];
	int n = 0;

	ksym_puts(o, "0x");
	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	while (n > 0)
		ksym_putc(o, tmp[--n]);
}

int ksym_format(char *buf, size_t len, uintptr_t addr)
{
	struct ksym_out o = { .buf = buf, .len = len, .pos = 0 };
	const char *name;
	unsigned long offset, size;

	if (ksym_lookup(addr, &name, &offset, &size)) {
		ksym_puts(&o, name);
		ksym_putc(&o, '+');
		ksym_puthex(&o, offset);
		ksym_putc(&o, '/');
		ksym_puthex(&o, size);
	} else {
		ksym_puthex(&o, addr);
	}
	if (len > 0)
		buf[MIN(o.pos, len - 1)] = '\0';
	return (int)o.pos;
}
