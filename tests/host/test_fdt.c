/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the flattened device tree reader (kernel/lib/fdt.c).
 *
 * Good blobs are real QEMU dumps and dtc output from tests/host/data (see
 * make-fixtures.sh there); bad ones are built here, either by damaging a
 * good one (truncating it, flipping bytes, editing the header) or with a
 * tiny token writer. Every blob sits in a malloc buffer of exactly the size
 * handed to fdt_check(), so AddressSanitizer catches any read past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <axolotl/errno.h>
#include <kernel/fdt.h>
#include "host_files.h"

#define DATA "tests/host/data/"

static const char *const good_fixtures[] = {
	"qemu-smp1-128m.dtb",
	"qemu-smp2-2g.dtb",
	"qemu-smp4-256m.dtb",
	"qemu-smp8-128m.dtb",
	"qemu-smp8-2g.dtb",
	"qemu-smp12-256m.dtb",
	"qemu-smp4-256m-bootargs.dtb",
	"qemu-smp2-aclint.dtb",
	"qemu-smp2-aia.dtb",
	"dt-plain.dtb",
	"dt-resv.dtb",
	"dt-misc.dtb",
	"dt-no-uart.dtb",
	"dt-no-memory.dtb",
	"dt-no-timebase.dtb",
	"dt-no-hart.dtb",
	"dt-no-plic.dtb",
	"dt-resv-many.dtb",
};

/* ---- helpers ---- */

static uint8_t *load(const char *name, size_t *size)
{
	return host_load(DATA, name, size);
}

static uint8_t *dup_exact(const uint8_t *src, size_t n)
{
	return host_dup_exact(src, n);
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	return fdt_be32(p + off);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)(v >> 24);
	p[off + 1] = (uint8_t)(v >> 16);
	p[off + 2] = (uint8_t)(v >> 8);
	p[off + 3] = (uint8_t)v;
}

/* Header field offsets. */
enum {
	O_MAGIC = 0,
	O_TOTAL = 4,
	O_STRUCT = 8,
	O_STRINGS = 12,
	O_RSV = 16,
	O_VERSION = 20,
	O_LASTCOMP = 24,
	O_SIZE_STRINGS = 32,
	O_SIZE_STRUCT = 36,
};

/* fdt_check() must fail with err and a reason containing what. */
static void expect_bad(const uint8_t *blob, size_t size, int err,
		       const char *what)
{
	const char *why = NULL;
	int ret = fdt_check(blob, size, &why);

	if (ret != err || !why || !strstr(why, what))
		fail_msg("expected %d \"...%s...\", got %d \"%s\"", err, what,
			 ret, why ? why : "(null)");
}

/*
 * Use every navigation function on every node of a blob that passed
 * fdt_check(). Nothing is asserted about the answers; ASan and UBSan
 * watch the reads, and the loop bound catches a walk that never ends.
 */
static void exercise(const void *fdt)
{
	int node, prop, steps = 0;

	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node)) {
		const char *name = fdt_node_name(fdt, node);
		uint64_t a, s;
		uint32_t u;
		const char *str;
		int len;

		assert_non_null(name);
		assert_true(++steps < 100000);
		fdt_parent(fdt, node);
		fdt_first_child(fdt, node);
		fdt_next_sibling(fdt, node);
		for (prop = fdt_first_prop(fdt, node); prop >= 0;
		     prop = fdt_next_prop(fdt, prop)) {
			const char *pname;

			assert_non_null(fdt_prop_at(fdt, prop, &pname, &len));
			assert_true(++steps < 100000);
		}
		fdt_reg(fdt, node, 0, &a, &s);
		fdt_prop_u32(fdt, node, "#address-cells", &u);
		fdt_prop_u64(fdt, node, "timebase-frequency", &a);
		fdt_prop_string(fdt, node, "compatible", &str);
		fdt_node_is_compatible(fdt, node, "ns16550a");
		fdt_node_is_available(fdt, node);
		fdt_address_cells(fdt, node);
		fdt_size_cells(fdt, node);
		fdt_node_by_phandle(fdt, fdt_get_phandle(fdt, node));
		fdt_subnode(fdt, node, "cpu", 3);
	}
	fdt_path_offset(fdt, "/cpus/cpu@0/interrupt-controller");
	fdt_path_offset(fdt, "/soc/serial");
	fdt_path_offset(fdt, "serial0/x");
	fdt_find_compatible(fdt, -1, "virtio,mmio");
	fdt_num_memreserve(fdt);
}

/* Check a damaged copy; on success it must be safe to navigate. */
static void check_damaged(const uint8_t *blob, size_t size)
{
	uint8_t *copy = dup_exact(blob, size);
	const char *why = NULL;
	int err = fdt_check(copy, size, &why);

	if (err == 0)
		exercise(copy);
	else
		assert_true(why && why[0]);
	free(copy);
}

/* ---- a tiny blob writer for hand-made structure blocks ---- */

struct bld {
	uint8_t st[8192]; /* structure block */
	size_t sn;
	char str[1024]; /* strings block */
	size_t strn;
};

static void w32(struct bld *b, uint32_t v)
{
	put32(b->st, b->sn, v);
	b->sn += 4;
}

static void wbegin(struct bld *b, const char *name)
{
	size_t n = strlen(name) + 1;

	w32(b, FDT_BEGIN_NODE);
	memcpy(b->st + b->sn, name, n);
	b->sn += (n + 3) & ~(size_t)3;
}

static uint32_t wstring(struct bld *b, const char *s)
{
	uint32_t off = (uint32_t)b->strn;

	memcpy(b->str + b->strn, s, strlen(s) + 1);
	b->strn += strlen(s) + 1;
	return off;
}

static void wprop(struct bld *b, const char *name, const void *val,
		  uint32_t len)
{
	w32(b, FDT_PROP);
	w32(b, len);
	w32(b, wstring(b, name));
	memcpy(b->st + b->sn, val, len);
	b->sn += (len + 3) & ~(size_t)3;
}

static void bld_init(struct bld *b)
{
	memset(b, 0, sizeof(*b));
}

/* Header + empty memory reservation block + structure + strings. */
static uint8_t *bld_finish(const struct bld *b, size_t *size)
{
	size_t st_off = 40 + 16;
	size_t str_off = st_off + b->sn;
	size_t total = str_off + b->strn;
	uint8_t *p = calloc(1, total);

	assert_non_null(p);
	put32(p, O_MAGIC, FDT_MAGIC);
	put32(p, O_TOTAL, (uint32_t)total);
	put32(p, O_STRUCT, (uint32_t)st_off);
	put32(p, O_STRINGS, (uint32_t)str_off);
	put32(p, O_RSV, 40);
	put32(p, O_VERSION, 17);
	put32(p, O_LASTCOMP, 16);
	put32(p, O_SIZE_STRINGS, (uint32_t)b->strn);
	put32(p, O_SIZE_STRUCT, (uint32_t)b->sn);
	memcpy(p + st_off, b->st, b->sn);
	memcpy(p + str_off, b->str, b->strn);
	*size = total;
	return p;
}

/* A small valid tree: / { a = <1>; child { b = "x"; }; }; */
static void bld_small(struct bld *b)
{
	static const uint8_t one[4] = { 0, 0, 0, 1 };

	bld_init(b);
	wbegin(b, "");
	wprop(b, "a", one, 4);
	wbegin(b, "child");
	wprop(b, "b", "x", 2);
	w32(b, FDT_END_NODE);
	w32(b, FDT_END_NODE);
	w32(b, FDT_END);
}

static void expect_built(const struct bld *b, int err, const char *what)
{
	size_t size;
	uint8_t *p = bld_finish(b, &size);

	if (err == 0) {
		const char *why = "untouched";

		assert_int_equal(fdt_check(p, size, &why), 0);
		assert_string_equal(why, "untouched");
		exercise(p);
	} else {
		expect_bad(p, size, err, what);
	}
	free(p);
}

/* ---- good blobs ---- */

static void test_fixtures_pass(void **state)
{
	size_t i, size;

	(void)state;
	for (i = 0; i < sizeof(good_fixtures) / sizeof(good_fixtures[0]); i++) {
		uint8_t *b = load(good_fixtures[i], &size);
		const char *why = NULL;
		int err = fdt_check(b, size, &why);

		if (err)
			fail_msg("%s: %d %s", good_fixtures[i], err, why);
		assert_int_equal(fdt_totalsize(b), size);
		assert_null(why);
		assert_int_equal(fdt_check(b, size, NULL), 0);
		exercise(b);
		free(b);
	}
}

static void test_header_and_memreserve(void **state)
{
	size_t size;
	uint8_t *q = load("qemu-smp4-256m.dtb", &size);
	uint8_t *r = load("dt-resv.dtb", &size);
	uint64_t a, s;

	(void)state;
	assert_int_equal(fdt_boot_cpuid(q), 0);
	assert_int_equal(fdt_num_memreserve(q), 0);
	assert_int_equal(fdt_get_memreserve(q, 0, &a, &s), -ENOENT);
	assert_int_equal(fdt_num_memreserve(r), 2);
	assert_int_equal(fdt_get_memreserve(r, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x20000);
	assert_int_equal(fdt_get_memreserve(r, 1, &a, &s), 0);
	assert_int_equal(a, 0x87000000);
	assert_int_equal(s, 0x1000);
	assert_int_equal(fdt_get_memreserve(r, 2, &a, &s), -ENOENT);
	assert_int_equal(fdt_get_memreserve(r, -1, &a, &s), -EINVAL);
	free(q);
	free(r);
}

static void test_children_and_parents(void **state)
{
	static const char *const names[] = { "cpu@0", "cpu@1", "cpu@2", "cpu@3",
					     "cpu-map" };
	size_t size, i = 0;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	int root = fdt_root(b);
	int cpus = fdt_path_offset(b, "/cpus");
	int node, last = -1;

	(void)state;
	assert_int_equal(root, 0);
	assert_string_equal(fdt_node_name(b, root), "");
	assert_true(cpus > 0);
	assert_string_equal(fdt_node_name(b, cpus), "cpus");
	assert_int_equal(fdt_parent(b, cpus), root);
	assert_int_equal(fdt_parent(b, root), -ENOENT);
	for (node = fdt_first_child(b, cpus); node >= 0;
	     node = fdt_next_sibling(b, node), i++) {
		assert_true(i < 5);
		assert_string_equal(fdt_node_name(b, node), names[i]);
		assert_int_equal(fdt_parent(b, node), cpus);
		last = node;
	}
	assert_int_equal(i, 5);
	assert_int_equal(node, -ENOENT);
	/* cpu-map > cluster0 > core0..3; the cores have no children. */
	node = fdt_path_offset(b, "/cpus/cpu-map/cluster0/core3");
	assert_true(node > last);
	assert_int_equal(fdt_first_child(b, node), -ENOENT);
	assert_int_equal(fdt_next_sibling(b, node), -ENOENT);
	assert_int_equal(fdt_next_sibling(b, root), -ENOENT);
	free(b);
}

static void test_document_order(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	int node, n = 0, prev = -1;

	(void)state;
	for (node = fdt_root(b); node >= 0; node = fdt_next_node(b, node)) {
		assert_true(node > prev);
		prev = node;
		n++;
	}
	assert_int_equal(node, -ENOENT);
	/*
	 * / pmu fw-cfg flash chosen poweroff reboot platform-bus memory
	 * cpus 4x(cpu intc) cpu-map cluster0 4x core, soc rtc serial test
	 * pci 8x virtio plic clint.
	 */
	assert_int_equal(n, 1 + 8 + 1 + 8 + 2 + 4 + 1 + 4 + 8 + 2);
	free(b);
}

static void test_paths(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	int serial = fdt_path_offset(b, "/soc/serial@10000000");

	(void)state;
	assert_true(serial > 0);
	assert_int_equal(fdt_path_offset(b, "/soc/serial"), serial);
	assert_int_equal(fdt_path_offset(b, "//soc//serial@10000000/"), serial);
	assert_int_equal(fdt_path_offset(b, "/"), 0);
	assert_int_equal(fdt_path_offset(b, "/soc/serial@1000000"), -ENOENT);
	assert_int_equal(fdt_path_offset(b, "/soc/serial@100000000"), -ENOENT);
	assert_int_equal(fdt_path_offset(b, "/soc/seria"), -ENOENT);
	assert_int_equal(fdt_path_offset(b, "/nothing"), -ENOENT);
	assert_int_equal(fdt_path_offset(b, ""), -EINVAL);
	assert_int_equal(fdt_path_offset(b, NULL), -EINVAL);
	/* No /aliases in QEMU's tree. */
	assert_int_equal(fdt_path_offset(b, "serial0"), -ENOENT);
	assert_int_equal(fdt_path_offset_n(b, "/soc/serial@10000000:115200",
					   20),
			 serial);
	assert_int_equal(fdt_subnode(b, 0, "cpus", 4),
			 fdt_path_offset(b, "/cpus"));
	assert_int_equal(fdt_subnode(b, 0, "cpus", 0), -EINVAL);
	assert_true(fdt_path_offset(b, "/cpus/cpu@0/interrupt-controller") > 0);
	free(b);
}

static void test_aliases(void **state)
{
	size_t size;
	uint8_t *b = load("dt-misc.dtb", &size);
	int uart0 = fdt_path_offset(b, "/soc/serial@10000000");
	int uart1 = fdt_path_offset(b, "/soc/serial@10010000");

	(void)state;
	assert_true(uart0 > 0 && uart1 > 0);
	assert_int_equal(fdt_path_offset(b, "serial0"), uart0);
	assert_int_equal(fdt_path_offset(b, "serial1"), uart1);
	assert_int_equal(fdt_path_offset_n(b, "serial1:115200n8", 7), uart1);
	assert_int_equal(fdt_path_offset(b, "serial2"), -ENOENT);
	assert_int_equal(fdt_path_offset(b, "serial0/nothing"), -ENOENT);
	free(b);
}

static void test_properties(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	int cpus = fdt_path_offset(b, "/cpus");
	int serial = fdt_path_offset(b, "/soc/serial");
	const char *s, *name;
	uint32_t u = 0;
	uint64_t v = 0;
	int len, prop, n = 0;

	(void)state;
	assert_int_equal(fdt_prop_u32(b, cpus, "timebase-frequency", &u), 0);
	assert_int_equal(u, 10000000);
	assert_int_equal(fdt_prop_u64(b, cpus, "timebase-frequency", &v), 0);
	assert_int_equal(v, 10000000);
	assert_int_equal(fdt_prop_u32(b, serial, "reg", &u), -EINVAL);
	assert_int_equal(fdt_prop_u64(b, serial, "reg", &v), -EINVAL);
	assert_int_equal(fdt_prop_u32(b, serial, "nope", &u), -ENOENT);
	assert_null(fdt_getprop(b, serial, "nope", &len));
	assert_int_equal(len, -ENOENT);
	assert_non_null(fdt_getprop(b, serial, "reg", &len));
	assert_int_equal(len, 16);
	assert_int_equal(fdt_prop_string(b, serial, "compatible", &s), 0);
	assert_string_equal(s, "ns16550a");
	/* clock-frequency is 4 raw bytes with a NUL first: not a string. */
	assert_int_equal(fdt_prop_string(b, serial, "interrupts", &s), -EINVAL);
	for (prop = fdt_first_prop(b, serial); prop >= 0;
	     prop = fdt_next_prop(b, prop), n++)
		assert_non_null(fdt_prop_at(b, prop, &name, &len));
	assert_int_equal(n, 5);
	assert_null(fdt_prop_at(b, serial, &name, &len)); /* not a prop */
	/* fw-cfg's dma-coherent has an empty value. */
	assert_non_null(fdt_getprop(b, fdt_path_offset(b, "/fw-cfg"),
				    "dma-coherent", &len));
	assert_int_equal(len, 0);
	free(b);
}

static void test_compatible_and_phandles(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	int plic = fdt_path_offset(b, "/soc/plic");
	int node, n = 0;

	(void)state;
	assert_true(fdt_node_is_compatible(b, plic, "riscv,plic0"));
	assert_true(fdt_node_is_compatible(b, plic, "sifive,plic-1.0.0"));
	assert_false(fdt_node_is_compatible(b, plic, "riscv,plic"));
	assert_false(fdt_node_is_compatible(b, plic, "plic0"));
	assert_false(fdt_node_is_compatible(b, plic, ""));
	assert_int_equal(fdt_find_compatible(b, -1, "riscv,plic0"), plic);
	assert_int_equal(fdt_find_compatible(b, plic, "riscv,plic0"), -ENOENT);
	for (node = fdt_find_compatible(b, -1, "virtio,mmio"); node >= 0;
	     node = fdt_find_compatible(b, node, "virtio,mmio"))
		n++;
	assert_int_equal(n, 8);
	assert_int_equal(fdt_get_phandle(b, plic), 9);
	assert_int_equal(fdt_node_by_phandle(b, 9), plic);
	assert_int_equal(fdt_node_by_phandle(b, 0), -ENOENT);
	assert_int_equal(fdt_node_by_phandle(b, 0xffffffff), -ENOENT);
	assert_int_equal(fdt_node_by_phandle(b, 1234), -ENOENT);
	assert_int_equal(fdt_get_phandle(b, 0), 0);
	assert_true(fdt_node_is_available(b, plic));
	assert_true(
		fdt_node_is_available(b, fdt_path_offset(b, "/cpus/cpu@1")));
	free(b);
}

static void test_stringlist(void **state)
{
	static const char list[] = "abc\0de\0\0f";

	(void)state;
	assert_true(fdt_stringlist_contains(list, sizeof(list), "abc"));
	assert_true(fdt_stringlist_contains(list, sizeof(list), "de"));
	assert_true(fdt_stringlist_contains(list, sizeof(list), ""));
	assert_true(fdt_stringlist_contains(list, sizeof(list), "f"));
	assert_false(fdt_stringlist_contains(list, sizeof(list), "ab"));
	/* The unterminated tail "f" (without its NUL) never matches. */
	assert_false(fdt_stringlist_contains(list, sizeof(list) - 1, "f"));
	assert_false(fdt_stringlist_contains(list, 0, "abc"));
	assert_false(fdt_stringlist_contains(NULL, 4, "abc"));
}

static void test_cells_and_reg(void **state)
{
	static const uint8_t c[] = { 0, 0, 0, 0, 0, 0, 0, 1,
				     0, 0, 0, 2, 0, 0, 0, 3 };
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	uint64_t base, sz, v;

	(void)state;
	assert_int_equal(fdt_be32(c + 4), 1);
	assert_int_equal(fdt_be64(c + 4), 0x100000002ULL);
	assert_int_equal(fdt_cells(c, 3, &v), 0);
	assert_int_equal(v, 0x100000002ULL);
	assert_int_equal(fdt_cells(c + 4, 3, &v), -ERANGE);
	assert_int_equal(fdt_cells(c, 5, &v), -EINVAL);
	assert_int_equal(fdt_cells(c, 0, &v), 0);
	assert_int_equal(v, 0);

	assert_int_equal(fdt_address_cells(b, 0), 2);
	assert_int_equal(fdt_size_cells(b, fdt_path_offset(b, "/cpus")), 0);
	assert_int_equal(fdt_address_cells(b, fdt_path_offset(b, "/soc/pci")),
			 3);
	assert_int_equal(fdt_address_cells(b, fdt_path_offset(b, "/soc/plic")),
			 0);
	/* No #size-cells in the plic: the default. */
	assert_int_equal(fdt_size_cells(b, fdt_path_offset(b, "/soc/plic")), 1);
	assert_int_equal(fdt_reg(b, fdt_path_offset(b, "/soc/serial"), 0, &base,
				 &sz),
			 0);
	assert_int_equal(base, 0x10000000);
	assert_int_equal(sz, 0x100);
	assert_int_equal(fdt_reg(b, fdt_path_offset(b, "/cpus/cpu@3"), 0, &base,
				 &sz),
			 0);
	assert_int_equal(base, 3);
	assert_int_equal(sz, 0);
	assert_int_equal(
		fdt_reg(b, fdt_path_offset(b, "/flash"), 1, &base, &sz), 0);
	assert_int_equal(base, 0x22000000);
	assert_int_equal(sz, 0x2000000);
	assert_int_equal(fdt_reg(b, fdt_path_offset(b, "/flash"), 2, &base,
				 &sz),
			 -ENOENT);
	assert_int_equal(fdt_reg(b, 0, 0, &base, &sz), -EINVAL); /* root */
	/* 16 bytes of reg read as 3 + 2 cells: not whole entries. */
	assert_int_equal(fdt_reg_cells(b, fdt_path_offset(b, "/soc/serial"), 3,
				       2, 0, &base, &sz),
			 -EINVAL);
	assert_int_equal(fdt_reg_cells(b, fdt_path_offset(b, "/soc/serial"), 5,
				       2, 0, &base, &sz),
			 -EINVAL);
	free(b);
}

static void test_bad_offsets(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	uint32_t struct_size = get32(b, O_SIZE_STRUCT);
	static const int offs[] = { -4, -1, 1, 3, 4, 8, 0x7ffffffc };
	size_t i;
	int len;

	(void)state;
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		int off = offs[i];

		assert_null(fdt_node_name(b, off));
		assert_true(fdt_first_child(b, off) < 0);
		assert_true(fdt_next_sibling(b, off) < 0);
		assert_true(fdt_next_node(b, off) < 0);
		assert_true(fdt_first_prop(b, off) < 0);
		assert_null(fdt_getprop(b, off, "reg", &len));
		assert_true(fdt_parent(b, off) < 0);
	}
	assert_null(fdt_node_name(b, (int)struct_size));
	assert_null(fdt_node_name(b, (int)struct_size - 4)); /* FDT_END */
	assert_true(fdt_next_prop(b, 0) < 0);
	assert_null(fdt_prop_at(b, (int)struct_size, NULL, NULL));
	free(b);
}

/* A version 16 blob (no size_dt_struct) reads the same. */
static void test_version16(void **state)
{
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	uint32_t tb = 0;

	(void)state;
	put32(b, O_VERSION, 16);
	put32(b, O_SIZE_STRUCT, 0xdeadbeef); /* not a v16 field */
	assert_int_equal(fdt_check(b, size, NULL), 0);
	assert_int_equal(fdt_prop_u32(b, fdt_path_offset(b, "/cpus"),
				      "timebase-frequency", &tb),
			 0);
	assert_int_equal(tb, 10000000);
	exercise(b);
	free(b);
}

/* ---- damaged blobs ---- */

/* Move the reservation block after the others and drop its terminator. */
static void test_rsv_unterminated(const uint8_t *g, size_t size)
{
	size_t at = (size + 7) & ~(size_t)7, total = at + 16;
	uint8_t *b = malloc(total);

	assert_non_null(b);
	memset(b, 0x11, total);
	memcpy(b, g, size);
	put32(b, O_RSV, (uint32_t)at);
	put32(b, O_TOTAL, (uint32_t)total);
	expect_bad(b, total, -EINVAL, "no terminating entry");
	memset(b + at, 0, 16);
	assert_int_equal(fdt_check(b, total, NULL), 0);
	free(b);
}

static void test_header_errors(void **state)
{
	size_t size;
	uint8_t *g = load("qemu-smp4-256m.dtb", &size);
	uint8_t *b = malloc(size);
	uint32_t st = get32(g, O_STRUCT), ss = get32(g, O_SIZE_STRUCT);
	uint32_t so = get32(g, O_STRINGS);

	(void)state;
	assert_non_null(b);
#define EDIT(field, val, err, what)                 \
	do {                                        \
		memcpy(b, g, size);                 \
		put32(b, (field), (val));           \
		expect_bad(b, size, (err), (what)); \
	} while (0)
	EDIT(O_MAGIC, 0xfeedd00d, -ENOEXEC, "bad magic");
	EDIT(O_TOTAL, (uint32_t)size + 1, -E2BIG, "totalsize exceeds");
	EDIT(O_TOTAL, 39, -EINVAL, "totalsize is smaller than the header");
	EDIT(O_VERSION, 15, -ENOEXEC, "older than 16");
	EDIT(O_LASTCOMP, 18, -ENOEXEC, "newer than version 17");
	memcpy(b, g, size);
	put32(b, O_VERSION, 16);
	put32(b, O_LASTCOMP, 17);
	expect_bad(b, size, -EINVAL, "last_comp_version is newer");
	EDIT(O_STRUCT, st + 1, -EINVAL, "structure block is not 4-byte");
	EDIT(O_STRUCT, 36, -EINVAL, "structure block overlaps the header");
	EDIT(O_STRUCT, (uint32_t)(size + 3) & ~3u, -EINVAL,
	     "structure block starts past");
	EDIT(O_SIZE_STRUCT, ss + 4, -EINVAL, "structure and strings");
	EDIT(O_SIZE_STRUCT, (uint32_t)size, -EINVAL,
	     "structure block extends past totalsize");
	EDIT(O_SIZE_STRUCT, ss - 2, -EINVAL, "not a multiple of 4");
	EDIT(O_SIZE_STRUCT, 0xfffffffc, -EINVAL,
	     "structure block extends past totalsize");
	EDIT(O_STRINGS, 8, -EINVAL, "strings block overlaps the header");
	EDIT(O_STRINGS, (uint32_t)size + 1, -EINVAL,
	     "strings block starts past");
	EDIT(O_STRINGS, so - 4, -EINVAL, "structure and strings");
	EDIT(O_SIZE_STRINGS, 0xffffffff, -EINVAL,
	     "strings block extends past totalsize");
	EDIT(O_RSV, 4, -EINVAL, "memory reservation block overlaps the head");
	EDIT(O_RSV, 44, -EINVAL, "not 8-byte aligned");
	EDIT(O_RSV, (uint32_t)(size + 8) & ~7u, -EINVAL,
	     "memory reservation block starts past");
	EDIT(O_RSV, st, -EINVAL, "memory reservation block overlaps the str");
	EDIT(O_RSV, (uint32_t)(size & ~7u) - 8, -EINVAL,
	     "memory reservation block overlaps the strings");
#undef EDIT
	test_rsv_unterminated(g, size);
	memcpy(b, g, size);
	put32(b, O_LASTCOMP, 17); /* needs a v17 reader: this is one */
	assert_int_equal(fdt_check(b, size, NULL), 0);
	free(b);
	free(g);
}

static void test_buffer_errors(void **state)
{
	size_t size;
	uint8_t *g = load("qemu-smp4-256m.dtb", &size);
	const char *why = "untouched";

	(void)state;
	expect_bad(NULL, 100, -EINVAL, "NULL");
	expect_bad(g, 39, -E2BIG, "smaller than an FDT header");
	expect_bad(g, size - 1, -E2BIG, "totalsize exceeds the buffer");
	assert_int_equal(fdt_check(g, size + 100, &why), 0);
	assert_string_equal(why, "untouched");
	assert_int_equal(fdt_check(g, size - 1, NULL), -E2BIG);
	free(g);
}

static void test_strerror(void **state)
{
	static const int errs[] = { 0,	     -ENOEXEC, -E2BIG, -ERANGE,
				    -ENOENT, -EINVAL,  -12345 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		assert_non_null(fdt_strerror(errs[i]));
		for (j = 0; j < i; j++)
			assert_string_not_equal(fdt_strerror(errs[i]),
						fdt_strerror(errs[j]));
	}
}

static void test_built_trees(void **state)
{
	static const uint8_t one[4] = { 0, 0, 0, 1 };
	struct bld b;

	(void)state;
	bld_small(&b);
	expect_built(&b, 0, "");

	bld_init(&b); /* NOPs anywhere are fine */
	w32(&b, FDT_NOP);
	wbegin(&b, "");
	w32(&b, FDT_NOP);
	wprop(&b, "a", one, 4);
	w32(&b, FDT_NOP);
	w32(&b, FDT_END_NODE);
	w32(&b, FDT_NOP);
	w32(&b, FDT_END);
	expect_built(&b, 0, "");

	bld_init(&b);
	w32(&b, FDT_END);
	expect_built(&b, -EINVAL, "no root node");

	bld_init(&b);
	wprop(&b, "a", one, 4);
	expect_built(&b, -EINVAL, "property outside any node");

	bld_init(&b);
	wbegin(&b, "");
	wbegin(&b, "c");
	w32(&b, FDT_END_NODE);
	wprop(&b, "a", one, 4);
	expect_built(&b, -EINVAL, "property after a subnode");

	bld_small(&b);
	b.sn -= 4; /* drop FDT_END */
	w32(&b, FDT_END_NODE);
	expect_built(&b, -EINVAL, "without a matching");

	bld_small(&b);
	b.sn -= 4;
	wbegin(&b, "");
	expect_built(&b, -EINVAL, "more than one root");

	bld_small(&b);
	b.sn -= 8; /* drop the root's FDT_END_NODE and FDT_END */
	w32(&b, FDT_END);
	expect_built(&b, -EINVAL, "FDT_END inside");

	bld_small(&b);
	b.sn -= 4;
	expect_built(&b, -EINVAL, "ends without FDT_END");

	bld_small(&b);
	put32(b.st, 0, 7);
	expect_built(&b, -EINVAL, "unknown token");

	bld_init(&b);
	wbegin(&b, "/");
	expect_built(&b, -EINVAL, "root node has a name");

	bld_init(&b);
	wbegin(&b, "");
	wbegin(&b, "");
	expect_built(&b, -EINVAL, "empty name");

	bld_init(&b);
	wbegin(&b, "");
	wbegin(&b, "a/b");
	expect_built(&b, -EINVAL, "contains '/'");
}

static void test_built_bad_names_and_lengths(void **state)
{
	static const uint8_t one[4] = { 0, 0, 0, 1 };
	struct bld b;
	size_t size;
	uint8_t *p;

	(void)state;
	bld_init(&b); /* a node name that runs to the end of the block */
	w32(&b, FDT_BEGIN_NODE);
	memcpy(b.st + b.sn, "abcdefgh", 8);
	b.sn += 8;
	expect_built(&b, -EINVAL, "node name runs past");

	bld_init(&b);
	wbegin(&b, "");
	w32(&b, FDT_PROP);
	w32(&b, 4);
	expect_built(&b, -EINVAL, "property header runs past");

	bld_small(&b);
	put32(b.st, 12, 0xffffff00); /* the length of property "a" */
	expect_built(&b, -EINVAL, "property value runs past");

	bld_small(&b);
	put32(b.st, 12, 0x7fffffff);
	expect_built(&b, -EINVAL, "property value runs past");

	bld_small(&b);
	put32(b.st, 16, 100); /* the name offset of "a" */
	expect_built(&b, -EINVAL, "name offset is past the strings");

	bld_small(&b); /* strings "a\0b\0": cut the last NUL */
	b.strn -= 1;
	expect_built(&b, -EINVAL, "property name runs past the strings");

	bld_init(&b); /* a name offset pointing at a NUL is an empty name */
	wbegin(&b, "");
	wprop(&b, "", one, 4);
	w32(&b, FDT_END_NODE);
	w32(&b, FDT_END);
	expect_built(&b, 0, "");

	/* The strings block cut short under a valid structure. */
	bld_small(&b);
	p = bld_finish(&b, &size);
	put32(p, O_SIZE_STRINGS, 1); /* "a" loses its NUL */
	expect_bad(p, size, -EINVAL, "property name runs past the strings");
	free(p);
}

static void test_nesting_limit(void **state)
{
	struct bld b;
	int depth, i;

	(void)state;
	for (depth = FDT_MAX_DEPTH; depth <= FDT_MAX_DEPTH + 1; depth++) {
		bld_init(&b);
		wbegin(&b, "");
		for (i = 1; i < depth; i++)
			wbegin(&b, "n");
		for (i = 0; i < depth; i++)
			w32(&b, FDT_END_NODE);
		w32(&b, FDT_END);
		if (depth <= FDT_MAX_DEPTH) {
			size_t size;
			uint8_t *p = bld_finish(&b, &size);
			int node = fdt_root(p), deepest = node, up = 0;

			assert_int_equal(fdt_check(p, size, NULL), 0);
			while ((node = fdt_first_child(p, node)) >= 0)
				deepest = node;
			for (node = deepest; node > 0; up++)
				node = fdt_parent(p, node);
			assert_int_equal(node, 0);
			assert_int_equal(up, depth - 1);
			exercise(p);
			free(p);
		} else {
			expect_built(&b, -ERANGE, "nested deeper");
		}
	}
}

/* Cut a good blob at every length: only the whole blob passes. */
static void test_truncation(void **state)
{
	size_t size, len;
	uint8_t *g = load("qemu-smp4-256m.dtb", &size);

	(void)state;
	for (len = 0; len <= size; len++) {
		uint8_t *p = dup_exact(g, len);
		const char *why = NULL;
		int err = fdt_check(p, len, &why);

		if (len == size) {
			assert_int_equal(err, 0);
		} else {
			assert_true(err < 0);
			assert_non_null(why);
		}
		/* The same prefix, its totalsize saying it is complete. */
		if (len >= 40 && len < size) {
			put32(p, O_TOTAL, (uint32_t)len);
			why = NULL;
			assert_true(fdt_check(p, len, &why) < 0);
			assert_non_null(why);
		}
		free(p);
	}
	free(g);
}

/* Cut the structure or the strings block at every length. */
static void test_block_truncation(void **state)
{
	size_t size;
	uint8_t *g = load("qemu-smp4-256m.dtb", &size);
	uint32_t ss = get32(g, O_SIZE_STRUCT);
	uint32_t sn = get32(g, O_SIZE_STRINGS);
	uint32_t n;

	(void)state;
	for (n = 0; n < ss; n++) {
		uint8_t *p = dup_exact(g, size);
		const char *why = NULL;

		put32(p, O_SIZE_STRUCT, n);
		assert_true(fdt_check(p, size, &why) < 0);
		assert_non_null(why);
		free(p);
	}
	for (n = 0; n < sn; n++) {
		uint8_t *p = dup_exact(g, size);
		const char *why = NULL;

		put32(p, O_SIZE_STRINGS, n);
		/* The last name used may end before the cut: that passes. */
		if (fdt_check(p, size, &why) == 0)
			exercise(p);
		else
			assert_non_null(why);
		free(p);
	}
	free(g);
}

/* Flip bits in every header byte and the first 512 structure bytes. */
static void test_byte_flips(void **state)
{
	static const uint8_t masks[] = { 0xff, 0x01 };
	size_t size, i, m;
	uint8_t *g = load("qemu-smp4-256m.dtb", &size);
	uint8_t *p = malloc(size);
	uint32_t st = get32(g, O_STRUCT);

	(void)state;
	assert_non_null(p);
	for (m = 0; m < sizeof(masks); m++) {
		for (i = 0; i < 40 + 512; i++) {
			size_t at = i < 40 ? i : st + (i - 40);

			memcpy(p, g, size);
			p[at] ^= masks[m];
			check_damaged(p, size);
		}
	}
	free(p);
	free(g);
}

/* Random damage anywhere, reproducibly seeded. */
static void test_random_damage(void **state)
{
	static const char *const names[] = { "qemu-smp2-2g.dtb", "dt-misc.dtb",
					     "dt-resv.dtb" };
	size_t size, f;
	int round, k;

	(void)state;
	srand(12345);
	for (f = 0; f < 3; f++) {
		uint8_t *g = load(names[f], &size);
		uint8_t *p = malloc(size);

		assert_non_null(p);
		for (round = 0; round < 1000; round++) {
			memcpy(p, g, size);
			for (k = rand() % 4; k >= 0; k--)
				p[40 + (size_t)rand() % (size - 40)] ^=
					(uint8_t)(1u << (rand() % 8));
			check_damaged(p, size);
		}
		free(p);
		free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_pass),
		cmocka_unit_test(test_header_and_memreserve),
		cmocka_unit_test(test_children_and_parents),
		cmocka_unit_test(test_document_order),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_compatible_and_phandles),
		cmocka_unit_test(test_stringlist),
		cmocka_unit_test(test_cells_and_reg),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_version16),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_buffer_errors),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_built_trees),
		cmocka_unit_test(test_built_bad_names_and_lengths),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_block_truncation),
		cmocka_unit_test(test_byte_flips),
		cmocka_unit_test(test_random_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
