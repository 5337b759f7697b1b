/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the platform description (kernel/devtree.c): every field
 * of struct platform_info for real QEMU virt trees of several sizes, the
 * hand-made variants in tests/host/data (reserved memory, aliases, missing
 * nodes, ...), the summary lines, and damaged blobs, which must fail with
 * a reason and never read outside their buffer.
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
#include <kernel/devtree.h>
#include <kernel/fdt.h>
#include "host_files.h"

#define DATA "tests/host/data/"
#define MiB (1024ULL * 1024)

static uint8_t *load(const char *name, size_t *size)
{
	return host_load(DATA, name, size);
}

/* Parse a fixture that must be good; the blob is freed. */
static void parse_ok(const char *name, struct platform_info *p)
{
	size_t size;
	uint8_t *b = load(name, &size);
	const char *why = "untouched";
	int err = devtree_parse(b, size, p, &why);

	if (err)
		fail_msg("%s: %d %s", name, err, why);
	assert_string_equal(why, "untouched");
	/* The blob is the last reserved range. */
	assert_true(p->nresv >= 1);
	assert_int_equal(p->resv[p->nresv - 1].base, (uintptr_t)b);
	assert_int_equal(p->resv[p->nresv - 1].size, size);
	assert_int_equal(p->fdt.base, (uintptr_t)b);
	free(b);
}

/* Parse a fixture that must fail with err and a reason containing what. */
static void parse_bad(const char *name, int err, const char *what)
{
	struct platform_info p;
	size_t size;
	uint8_t *b = load(name, &size);
	const char *why = NULL;
	int ret = devtree_parse(b, size, &p, &why);

	if (ret != err || !why || !strstr(why, what))
		fail_msg("%s: expected %d \"...%s...\", got %d \"%s\"", name,
			 err, what, ret, why ? why : "(null)");
	free(b);
}

/* What QEMU's virt machine puts everywhere, whatever -smp and -m. */
static void check_qemu_common(const struct platform_info *p)
{
	unsigned i;

	assert_int_equal(p->timebase_hz, 10000000);
	assert_true(p->uart.present);
	assert_int_equal(p->uart.base, 0x10000000);
	assert_int_equal(p->uart.size, 0x100);
	assert_int_equal(p->uart.irq, 10);
	assert_int_equal(p->uart_clock_hz, 3686400);
	assert_int_equal(p->uart_reg_shift, 0);
	assert_int_equal(p->uart_reg_io_width, 1);
	assert_true(p->plic.present);
	assert_int_equal(p->plic.base, 0xc000000);
	assert_int_equal(p->plic.size, 0x600000);
	assert_int_equal(p->plic_ndev, 0x60);
	assert_int_equal(p->nvirtio, 8);
	assert_int_equal(p->virtio_ignored, 0);
	for (i = 0; i < 8; i++) {
		assert_true(p->virtio[i].present);
		assert_int_equal(p->virtio[i].base, 0x10001000 + 0x1000 * i);
		assert_int_equal(p->virtio[i].size, 0x1000);
		assert_int_equal(p->virtio[i].irq, i + 1);
	}
	assert_true(p->pci.present);
	assert_int_equal(p->pci.ecam_base, 0x30000000);
	assert_int_equal(p->pci.ecam_size, 0x10000000);
	assert_int_equal(p->pci.bus_start, 0);
	assert_int_equal(p->pci.bus_end, 255);
	assert_int_equal(p->pci.mmio_base, 0x40000000);
	assert_int_equal(p->pci.mmio_size, 0x40000000);
	assert_int_equal(p->pci.mmio_pci, 0x40000000);
	assert_int_equal(p->pci.io_base, 0x3000000);
	assert_int_equal(p->pci.io_size, 0x10000);
	assert_int_equal(p->pci.io_pci, 0);
	assert_int_equal(p->pci.mmio64_base, 0x400000000ULL);
	assert_int_equal(p->pci.mmio64_size, 0x400000000ULL);
	assert_int_equal(p->nmem, 1);
	assert_int_equal(p->mem[0].base, 0x80000000);
	assert_int_equal(p->nresv, 1); /* just the blob */
	assert_int_equal(p->initrd.size, 0);
	assert_int_equal(p->boot_hartid, 0);
}

static void check_qemu_harts(const struct platform_info *p, unsigned n)
{
	unsigned i;

	assert_int_equal(p->nharts, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(p->harts[i].hartid, i);
		assert_true(p->harts[i].intc_phandle != 0);
		assert_true(p->harts[i].has_sstc);
		assert_string_equal(p->harts[i].isa,
				    "rv64imafdch_zicsr_zifencei_zihintpause_"
				    "zba_zbb_zbc_zbs_sstc");
		/* Contexts: hart i M-mode 2i, S-mode 2i + 1. */
		assert_int_equal(p->plic_s_context[i], 2 * i + 1);
	}
	for (; i < DT_MAX_HARTS; i++)
		assert_int_equal(p->plic_s_context[i], -1);
}

static void test_qemu_sizes(void **state)
{
	static const struct {
		const char *name;
		unsigned harts;
		uint64_t mem;
	} cases[] = {
		{ "qemu-smp1-128m.dtb", 1, 128 * MiB },
		{ "qemu-smp2-2g.dtb", 2, 2048 * MiB },
		{ "qemu-smp4-256m.dtb", 4, 256 * MiB },
		{ "qemu-smp8-128m.dtb", 8, 128 * MiB },
		{ "qemu-smp8-2g.dtb", 8, 2048 * MiB },
	};
	struct platform_info p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i].name, &p);
		check_qemu_common(&p);
		check_qemu_harts(&p, cases[i].harts);
		assert_int_equal(p.harts_ignored, 0);
		assert_int_equal(p.mem[0].size, cases[i].mem);
		assert_true(p.clint.present);
		assert_int_equal(p.clint_kind, DT_CLINT_CLINT);
		assert_int_equal(p.clint.base, 0x2000000);
		assert_int_equal(p.clint.size, 0x10000);
		assert_string_equal(p.bootargs, "");
		assert_false(p.bootargs_truncated);
	}
}

static void test_qemu_too_many_harts(void **state)
{
	struct platform_info p;

	(void)state;
	parse_ok("qemu-smp12-256m.dtb", &p);
	check_qemu_common(&p);
	check_qemu_harts(&p, DT_MAX_HARTS);
	assert_int_equal(p.harts_ignored, 4);
}

static void test_qemu_bootargs(void **state)
{
	struct platform_info p;

	(void)state;
	parse_ok("qemu-smp4-256m-bootargs.dtb", &p);
	check_qemu_common(&p);
	check_qemu_harts(&p, 4);
	assert_string_equal(p.bootargs, "panic=5 foo");
	assert_false(p.bootargs_truncated);
}

static void test_qemu_aclint(void **state)
{
	struct platform_info p;

	(void)state;
	parse_ok("qemu-smp2-aclint.dtb", &p);
	check_qemu_common(&p);
	check_qemu_harts(&p, 2);
	assert_true(p.clint.present);
	assert_int_equal(p.clint_kind, DT_CLINT_ACLINT_SSWI);
	assert_int_equal(p.clint.base, 0x2f00000);
	assert_int_equal(p.clint.size, 0x4000);
}

static void test_qemu_aia_has_no_plic(void **state)
{
	(void)state;
	parse_bad("qemu-smp2-aia.dtb", -EINVAL, "no PLIC");
}

static void test_plain(void **state)
{
	struct platform_info p;

	(void)state;
	parse_ok("dt-plain.dtb", &p);
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].size, 128 * MiB);
	assert_int_equal(p.nharts, 2);
	assert_int_equal(p.plic_s_context[0], 1);
	assert_int_equal(p.plic_s_context[1], 3);
	assert_int_equal(p.nvirtio, 2);
	assert_int_equal(p.virtio[0].base, 0x10001000);
	assert_int_equal(p.virtio[1].irq, 2);
	assert_int_equal(p.pci.mmio_base, 0x40000000);
	assert_int_equal(p.pci.io_base, 0x3000000);
}

static void test_reserved(void **state)
{
	static const struct dt_range want[] = {
		{ 0x80000000, 0x20000 }, /* /memreserve/ */
		{ 0x87000000, 0x1000 },
		{ 0x80040000, 0x20000 }, /* /reserved-memory, in order */
		{ 0x80000000, 0x40000 },
		{ 0x84000000, 0x100000 }, /* the initrd */
	};
	struct platform_info p;
	size_t i;

	(void)state;
	parse_ok("dt-resv.dtb", &p);
	assert_int_equal(p.nresv, 6);
	for (i = 0; i < 5; i++) {
		assert_int_equal(p.resv[i].base, want[i].base);
		assert_int_equal(p.resv[i].size, want[i].size);
	}
	assert_int_equal(p.initrd.base, 0x84000000);
	assert_int_equal(p.initrd.size, 0x100000);
}

static void test_too_many_reserved(void **state)
{
	(void)state;
	parse_bad("dt-resv-many.dtb", -ENOSPC, "DT_MAX_RESV");
}

static void test_misc_shapes(void **state)
{
	static const uint32_t ids[] = { 0, 1, 3, 4 };
	static const bool sstc[] = { true, false, false, true };
	struct platform_info p;
	size_t i;

	(void)state;
	parse_ok("dt-misc.dtb", &p);
	/* stdout-path "serial1:115200n8" names the ns16550 at 0x10010000. */
	assert_int_equal(p.uart.base, 0x10010000);
	assert_int_equal(p.uart.irq, 12);
	assert_int_equal(p.uart_clock_hz, 1843200);
	assert_int_equal(p.uart_reg_shift, 2);
	assert_int_equal(p.uart_reg_io_width, 4);
	assert_int_equal(p.timebase_hz, 0x100000000ULL);
	/* 1 + 8 ranges: the last is dropped. */
	assert_int_equal(p.nmem, DT_MAX_MEM);
	assert_int_equal(p.mem_ignored, 1);
	assert_int_equal(p.mem[0].base, 0x80000000);
	assert_int_equal(p.mem[1].base, 0x100000000ULL);
	assert_int_equal(p.mem[7].base, 0x100c00000ULL);
	assert_int_equal(p.mem[7].size, MiB);
	/* cpu@2 is disabled. */
	assert_int_equal(p.nharts, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(p.harts[i].hartid, ids[i]);
		assert_int_equal(p.harts[i].has_sstc, sstc[i]);
	}
	assert_string_equal(p.harts[1].isa, "rv64imafdc_zicsr_zifencei");
	assert_int_equal(p.plic_s_context[0], 1);
	assert_int_equal(p.plic_s_context[1], 3);
	assert_int_equal(p.plic_s_context[2], -1); /* intc not in the PLIC */
	assert_true(p.harts[2].intc_phandle != 0);
	assert_int_equal(p.plic_s_context[3], -1); /* no intc at all */
	assert_int_equal(p.harts[3].intc_phandle, 0);
	assert_false(p.clint.present);
	assert_int_equal(p.clint_kind, DT_CLINT_NONE);
	assert_false(p.pci.present);
	assert_int_equal(p.nvirtio, 2); /* one is disabled */
	assert_true(p.bootargs_truncated);
	assert_int_equal(strlen(p.bootargs), DT_BOOTARGS_LEN - 1);
	assert_memory_equal(p.bootargs, "0123456789abcdef", 16);
}

static void test_missing_required(void **state)
{
	(void)state;
	parse_bad("dt-no-uart.dtb", -EINVAL, "no ns16550a UART");
	parse_bad("dt-no-memory.dtb", -EINVAL,
		  "no /memory node with a reg property");
	parse_bad("dt-no-timebase.dtb", -EINVAL,
		  "/cpus has no timebase-frequency");
	parse_bad("dt-no-hart.dtb", -EINVAL, "no usable hart");
	parse_bad("dt-no-plic.dtb", -EINVAL, "no PLIC");
}

static void test_bad_blob(void **state)
{
	struct platform_info p;
	size_t size;
	uint8_t *b = load("qemu-smp4-256m.dtb", &size);
	const char *why = NULL;

	(void)state;
	assert_int_equal(devtree_parse(b, size - 1, &p, &why), -E2BIG);
	assert_non_null(strstr(why, "totalsize"));
	b[0] ^= 0xff;
	assert_int_equal(devtree_parse(b, size, &p, &why), -ENOEXEC);
	assert_non_null(strstr(why, "magic"));
	assert_int_equal(devtree_parse(b, size, &p, NULL), -ENOEXEC);
	free(b);
}

/* ---- values that pass fdt_check() but are wrong ---- */

/* The value of path's property name in a loaded (writable) blob. */
static uint8_t *prop(uint8_t *b, const char *path, const char *name, int len)
{
	int node = fdt_path_offset(b, path);
	int got;
	const void *val;

	assert_true(node >= 0);
	val = fdt_getprop(b, node, name, &got);
	assert_non_null(val);
	assert_int_equal(got, len);
	return (uint8_t *)(uintptr_t)val;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void expect_parse_error(uint8_t *b, size_t size, int err,
			       const char *what)
{
	struct platform_info p;
	const char *why = NULL;
	int ret = devtree_parse(b, size, &p, &why);

	if (ret != err || !why || !strstr(why, what))
		fail_msg("expected %d \"...%s...\", got %d \"%s\"", err, what,
			 ret, why ? why : "(null)");
}

static void test_bad_values(void **state)
{
	size_t size;
	uint8_t *g = load("qemu-smp4-256m-bootargs.dtb", &size);
	uint8_t *b = malloc(size);

	(void)state;
	assert_non_null(b);
#define FRESH() memcpy(b, g, size)
	FRESH();
	put32(prop(b, "/cpus/cpu@1", "reg", 4), 0);
	expect_parse_error(b, size, -EINVAL, "same hartid");
	FRESH();
	put32(prop(b, "/cpus", "timebase-frequency", 4), 0);
	expect_parse_error(b, size, -EINVAL, "timebase-frequency is zero");
	FRESH();
	prop(b, "/chosen", "bootargs", 12)[11] = 'x';
	expect_parse_error(b, size, -EINVAL, "bootargs is not a string");
	FRESH();
	put32(prop(b, "/soc/plic", "interrupts-extended", 64), 0x1234);
	expect_parse_error(b, size, -EINVAL, "phandle without #interrupt");
	FRESH();
	memset(prop(b, "/memory", "reg", 16) + 8, 0xff, 8);
	expect_parse_error(b, size, -EINVAL, "/memory node has a malformed");
	FRESH();
	put32(prop(b, "/soc/pci", "bus-range", 8), 0x100);
	expect_parse_error(b, size, -EINVAL, "bus-range is malformed");
	FRESH();
	prop(b, "/soc/serial", "compatible", 9)[7] = 'b';
	expect_parse_error(b, size, -EINVAL, "no ns16550a UART");
	FRESH();
	prop(b, "/cpus/cpu@0", "riscv,isa", 60)[59] = 'x';
	expect_parse_error(b, size, -EINVAL, "riscv,isa is not a string");
	FRESH();
	put32(prop(b, "/cpus", "#address-cells", 4), 3);
	expect_parse_error(b, size, -EINVAL, "#address-cells is not 1 or 2");
	FRESH();
	put32(prop(b, "/", "#size-cells", 4), 7);
	expect_parse_error(b, size, -EINVAL, "bad #address-cells/#size-cells");
	FRESH();
	put32(prop(b, "/soc/pci", "#address-cells", 4), 2);
	expect_parse_error(b, size, -EINVAL, "PCI");
#undef FRESH
	free(b);
	free(g);
}

/* ---- devtree_print ---- */

struct capture {
	char text[8192];
	size_t len;
	int lines;
};

static void capture_line(const char *line, void *ctx)
{
	struct capture *c = ctx;
	int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s\n",
			 line);

	assert_null(strchr(line, '\n'));
	assert_true(n > 0 && (size_t)n < sizeof(c->text) - c->len);
	c->len += (size_t)n;
	c->lines++;
}

static void expect_line(const struct capture *c, const char *line)
{
	if (!strstr(c->text, line))
		fail_msg("no \"%s\" in:\n%s", line, c->text);
}

static void test_print(void **state)
{
	struct platform_info p;
	struct capture c = { .len = 0, .lines = 0 };

	(void)state;
	parse_ok("qemu-smp4-256m-bootargs.dtb", &p);
	devtree_print(&p, capture_line, &c);
	expect_line(&c, "memory: 0x80000000..0x8fffffff (256 MiB)\n");
	expect_line(&c, "harts: 4, timebase 10000000 Hz\n");
	expect_line(&c, "hart 3: rv64imafdch_zicsr_zifencei_zihintpause_zba_"
			"zbb_zbc_zbs_sstc, sstc, plic s-context 7\n");
	expect_line(&c, "uart: ns16550a at 0x10000000 irq 10, clock 3686400 "
			"Hz\n");
	expect_line(&c, "plic: 0xc000000, 96 sources\n");
	expect_line(&c, "clint: clint at 0x2000000\n");
	expect_line(&c, "rtc: goldfish at 0x101000 irq 11\n");
	expect_line(&c, "virtio0: 0x10001000 irq 1\n");
	expect_line(&c, "virtio7: 0x10008000 irq 8\n");
	expect_line(&c, "pci: ecam 0x30000000..0x3fffffff (256 MiB), buses "
			"0-255, mem 0x40000000..0x7fffffff (1024 MiB)\n");
	expect_line(&c, "bootargs: panic=5 foo\n");
	assert_int_equal(c.lines, 1 + 1 + 1 + 4 + 4 + 8 + 1 + 1);
}

static void test_print_odd(void **state)
{
	struct platform_info p;
	struct capture c = { .len = 0, .lines = 0 };

	(void)state;
	parse_ok("dt-misc.dtb", &p);
	devtree_print(&p, capture_line, &c);
	expect_line(&c, "harts: 4, timebase 4294967296 Hz\n");
	expect_line(&c, "memory: 0x100c00000..0x100cfffff (1 MiB)\n");
	expect_line(&c, "plic s-context none\n");
	expect_line(&c, "clint: none\n");
	expect_line(&c, "pci: none\n");
	expect_line(&c, "abcdef0123456789abcde [truncated]\n");

	parse_ok("qemu-smp12-256m.dtb", &p);
	c.len = 0;
	c.text[0] = '\0';
	devtree_print(&p, capture_line, &c);
	expect_line(&c, "harts: 8 (4 more ignored), timebase");

	parse_ok("dt-resv.dtb", &p);
	c.len = 0;
	c.text[0] = '\0';
	devtree_print(&p, capture_line, &c);
	expect_line(&c, "reserved: 0x80040000..0x8005ffff (128 KiB)\n");
}

/* ---- damaged blobs ---- */

/* Parse a copy in an exact-size buffer: no crash, a reason on failure. */
static void parse_damaged(const uint8_t *blob, size_t size)
{
	struct platform_info p;
	uint8_t *copy = malloc(size ? size : 1);
	const char *why = NULL;

	assert_non_null(copy);
	memcpy(copy, blob, size);
	if (devtree_parse(copy, size, &p, &why) != 0)
		assert_true(why && why[0]);
	else
		assert_true(p.nharts >= 1 && p.nmem >= 1 && p.uart.present);
	free(copy);
}

static void test_truncated(void **state)
{
	size_t size, len;
	uint8_t *g = load("qemu-smp2-2g.dtb", &size);

	(void)state;
	for (len = 0; len < size; len++)
		parse_damaged(g, len);
	free(g);
}

static void test_flipped(void **state)
{
	static const char *const names[] = { "qemu-smp4-256m.dtb",
					     "dt-misc.dtb", "dt-resv.dtb" };
	size_t size, i, f;

	(void)state;
	for (f = 0; f < 3; f++) {
		uint8_t *g = load(names[f], &size);

		for (i = 0; i < size; i += 1 + i / 256) {
			g[i] ^= 0xff;
			parse_damaged(g, size);
			g[i] ^= 0xfe;
			parse_damaged(g, size);
			g[i] ^= 0x01;
		}
		free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_sizes),
		cmocka_unit_test(test_qemu_too_many_harts),
		cmocka_unit_test(test_qemu_bootargs),
		cmocka_unit_test(test_qemu_aclint),
		cmocka_unit_test(test_qemu_aia_has_no_plic),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_too_many_reserved),
		cmocka_unit_test(test_misc_shapes),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_bad_blob),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_odd),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
