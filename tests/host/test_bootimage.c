/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the boot image reader (kernel/bootimage.c).
 *
 * The good image is tools/mkbootimg.py output from tests/host/data/elf
 * (boot.bootimg, see make-fixtures.sh there); this file also builds images
 * itself, following docs/boot-image.md with its own CRC-32, and checks
 * that the tool and this builder agree byte for byte. Bad images are made
 * by editing good ones, with the table CRC recomputed so that each check
 * behind it is reached: bad magic, version, count, sizes, names, flags,
 * offsets out of range, overlapping and duplicate entries, truncation, and
 * every byte of the header and table set to every value. Every image sits
 * in a malloc buffer of exactly its size, so AddressSanitizer catches any
 * read past it.
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
#include <kernel/bootimage.h>
#include <kernel/elf.h>
#include "host_files.h"

#define DATA "tests/host/data/elf/"

/* Layout, from docs/boot-image.md. */
#define HDR 24
#define ENT 40
#define H_VERSION 4
#define H_COUNT 8
#define H_TOTAL 12
#define H_CRC 16
#define H_RESERVED 20
#define E_OFF(i) (HDR + ENT * (i))
#define E_OFFSET 16
#define E_SIZE 20
#define E_FLAGS 24
#define E_PRIV 28
#define E_RESERVED 32

/* ---- helpers ---- */

static uint8_t *load(const char *name, size_t *size)
{
	return host_load(DATA, name, size);
}

static uint8_t *dup_exact(const uint8_t *src, size_t n)
{
	return host_dup_exact(src, n);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* CRC-32 (zlib's), table-driven: a second implementation to check with. */
static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/*
 * Recompute table_crc for the count in the header (a count too large for
 * the buffer leaves it alone). The crc field counts as zero.
 */
static void fix_crc(uint8_t *img, size_t size)
{
	uint64_t end = HDR + (uint64_t)get32(img + H_COUNT) * ENT;
	uint8_t *copy;

	if (end > size)
		return;
	copy = dup_exact(img, end);
	put32(copy + H_CRC, 0);
	put32(img + H_CRC, crc32(0, copy, end));
	free(copy);
}

struct spec {
	const char *name;
	const void *data;
	uint32_t size, flags, priv;
};

/* An image as docs/boot-image.md lays it out, in an exact buffer. */
static uint8_t *build(const struct spec *s, unsigned n, size_t *size)
{
	size_t total = HDR + (size_t)ENT * n, off;
	uint8_t *img;

	for (unsigned i = 0; i < n; i++)
		total += (s[i].size + 7) & ~7U;
	img = calloc(1, total);
	assert_non_null(img);
	memcpy(img, "AXBI", 4);
	put32(img + H_VERSION, 1);
	put32(img + H_COUNT, n);
	put32(img + H_TOTAL, (uint32_t)total);
	off = HDR + (size_t)ENT * n;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = img + E_OFF(i);

		assert_true(strlen(s[i].name) < 16);
		memcpy(e, s[i].name, strlen(s[i].name));
		put32(e + E_OFFSET, (uint32_t)off);
		put32(e + E_SIZE, s[i].size);
		put32(e + E_FLAGS, s[i].flags);
		put32(e + E_PRIV, s[i].priv);
		memcpy(img + off, s[i].data, s[i].size);
		off += (s[i].size + 7) & ~7U;
	}
	fix_crc(img, total);
	*size = total;
	return img;
}

/* Three small entries, used by most damage tests. */
static const uint8_t blob[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const struct spec three[] = {
	{ "init", blob, 20, BOOTIMAGE_START, 1 },
	{ "vfs", blob + 1, 8, BOOTIMAGE_START, 2 },
	{ "hello.world-2_x", blob + 2, 1, 0, 0 },
};

static void open_bad(const uint8_t *img, size_t size, int err, const char *what,
		     const char *label)
{
	struct bootimage bi;
	struct bootimage_entry e;
	const char *why = NULL;
	int ret = bootimage_open(img, size, &bi, &why);

	if (ret != err || !why || !strstr(why, what))
		fail_msg("%s: expected %d \"...%s...\", got %d \"%s\"", label,
			 err, what, ret, why ? why : "(null)");
	/* Nothing of a refused image may be handed out. */
	assert_false(bootimage_entry(&bi, 0, &e));
	assert_int_equal(bootimage_find(&bi, "init", &e), -ENOENT);
}

/*
 * What every opened image must satisfy: each entry inside the image, after
 * the table, 8-aligned, apart from the others, with a clean unique name
 * that bootimage_find() finds.
 */
static void check_opened(const struct bootimage *bi, const uint8_t *img,
			 size_t size)
{
	uint64_t table_end = HDR + (uint64_t)bi->count * ENT;
	struct bootimage_entry e[BOOTIMAGE_MAX_ENTRIES], f;

	assert_true(bi->count <= BOOTIMAGE_MAX_ENTRIES);
	assert_true(bi->size <= size && table_end <= bi->size);
	for (unsigned i = 0; i < bi->count; i++) {
		const uint8_t *d;
		size_t len;

		assert_true(bootimage_entry(bi, i, &e[i]));
		d = e[i].data;
		len = strlen(e[i].name);
		assert_true(len >= 1 && len <= 15);
		assert_true(strspn(e[i].name, "abcdefghijklmnopqrstuvwxyz"
					      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789._-") == len);
		assert_true(e[i].size > 0);
		assert_true(d >= img + table_end && d < img + bi->size);
		assert_true(e[i].size <= (size_t)(img + bi->size - d));
		assert_int_equal((d - img) % 8, 0);
		assert_int_equal(e[i].flags & ~BOOTIMAGE_FLAGS_KNOWN, 0);
		for (unsigned j = 0; j < i; j++) {
			const uint8_t *o = e[j].data;

			assert_true(strcmp(e[i].name, e[j].name) != 0);
			assert_true(d + e[i].size <= o || o + e[j].size <= d);
		}
		assert_int_equal(bootimage_find(bi, e[i].name, &f), 0);
		assert_ptr_equal(f.data, e[i].data);
	}
	assert_false(bootimage_entry(bi, bi->count, &f));
}

static void open_good(const uint8_t *img, size_t size, struct bootimage *bi)
{
	const char *why = "untouched";
	int err = bootimage_open(img, size, bi, &why);

	if (err)
		fail_msg("refused (%d): %s", err, why);
	assert_string_equal(why, "untouched");
	check_opened(bi, img, size);
}

/* ---- good images ---- */

static void test_crc_reference(void **state)
{
	(void)state;
	assert_int_equal(crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926);
}

/* The tool's image: two real programs, each a valid ELF executable. */
static void test_tool_image(void **state)
{
	static const struct {
		const char *name, *file;
		uint32_t flags, priv;
	} want[] = {
		{ "init", "hello.elf", BOOTIMAGE_START, 1 },
		{ "three", "three.elf", 0, 0 },
	};
	struct bootimage bi;
	struct bootimage_entry e;
	size_t size;
	uint8_t *img = load("boot.bootimg", &size);

	(void)state;
	open_good(img, size, &bi);
	assert_int_equal(bi.count, 2);
	assert_int_equal(bi.size, size);
	for (unsigned i = 0; i < 2; i++) {
		struct elf_info info;
		const char *why = NULL;
		size_t fsize;
		uint8_t *file = load(want[i].file, &fsize);

		assert_true(bootimage_entry(&bi, i, &e));
		assert_string_equal(e.name, want[i].name);
		assert_int_equal(e.flags, want[i].flags);
		assert_int_equal(e.priv_index, want[i].priv);
		assert_int_equal(e.size, fsize);
		assert_memory_equal(e.data, file, fsize);
		if (elf_parse(e.data, e.size, &info, &why))
			fail_msg("%s: %s", e.name, why);
		free(file);
	}
	assert_int_equal(bootimage_find(&bi, "three", &e), 0);
	assert_string_equal(e.name, "three");
	assert_int_equal(bootimage_find(&bi, "three", NULL), 0);
	assert_int_equal(bootimage_find(&bi, "thre", &e), -ENOENT);
	assert_int_equal(bootimage_find(&bi, "threee", &e), -ENOENT);
	assert_int_equal(bootimage_find(&bi, "", &e), -ENOENT);
	assert_int_equal(bootimage_find(&bi, "init-and-a-long-name", &e),
			 -ENOENT);
	free(img);
}

/* This file's reading of the format and the tool's agree exactly. */
static void test_tool_matches_format(void **state)
{
	size_t isize, hsize, tsize, size;
	uint8_t *img = load("boot.bootimg", &isize);
	uint8_t *hello = load("hello.elf", &hsize);
	uint8_t *three_elf = load("three.elf", &tsize);
	struct spec s[] = {
		{ "init", hello, (uint32_t)hsize, BOOTIMAGE_START, 1 },
		{ "three", three_elf, (uint32_t)tsize, 0, 0 },
	};
	uint8_t *mine = build(s, 2, &size);

	(void)state;
	assert_int_equal(size, isize);
	assert_memory_equal(mine, img, size);
	free(mine);
	free(three_elf);
	free(hello);
	free(img);
}

static void test_built_image(void **state)
{
	struct bootimage bi;
	struct bootimage_entry e;
	size_t size;
	uint8_t *img = build(three, 3, &size);

	(void)state;
	open_good(img, size, &bi);
	assert_int_equal(bi.count, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(bootimage_entry(&bi, i, &e));
		assert_string_equal(e.name, three[i].name);
		assert_int_equal(e.size, three[i].size);
		assert_int_equal(e.flags, three[i].flags);
		assert_int_equal(e.priv_index, three[i].priv);
		assert_memory_equal(e.data, three[i].data, three[i].size);
	}
	/* Offsets: 24 + 3 * 40 = 144, then 20 -> 24, 8, 1 -> 8. */
	assert_true(bootimage_entry(&bi, 1, &e));
	assert_ptr_equal(e.data, img + 144 + 24);
	assert_true(bootimage_entry(&bi, 2, &e));
	assert_ptr_equal(e.data, img + 144 + 24 + 8);
	assert_int_equal(size, 144 + 24 + 8 + 8);
	free(img);
}

/* Bytes after total_size are not the image's: ignored, never read. */
static void test_trailing_bytes(void **state)
{
	struct bootimage bi;
	size_t size;
	uint8_t *img = build(three, 3, &size);
	uint8_t *big = calloc(1, size + 4096);

	(void)state;
	assert_non_null(big);
	memcpy(big, img, size);
	memset(big + size, 0xee, 4096);
	open_good(big, size + 4096, &bi);
	assert_int_equal(bi.size, size);
	free(big);
	free(img);
}

static void test_unaligned_image(void **state)
{
	struct bootimage bi;
	size_t size;
	uint8_t *img = load("boot.bootimg", &size);
	uint8_t *odd = malloc(size + 3);

	(void)state;
	assert_non_null(odd);
	memcpy(odd + 3, img, size);
	open_good(odd + 3, size, &bi);
	assert_int_equal(bi.count, 2);
	free(odd);
	free(img);
}

static void test_entry_count(void **state)
{
	static char names[BOOTIMAGE_MAX_ENTRIES + 1][8];
	struct spec s[BOOTIMAGE_MAX_ENTRIES + 1];
	struct bootimage bi;
	struct bootimage_entry e;
	size_t size;
	uint8_t *img;

	(void)state;
	img = build(NULL, 0, &size);
	open_good(img, size, &bi);
	assert_int_equal(bi.count, 0);
	assert_false(bootimage_entry(&bi, 0, &e));
	assert_int_equal(bootimage_find(&bi, "init", &e), -ENOENT);
	free(img);

	for (unsigned i = 0; i < ARRAY_SIZE(s); i++) {
		snprintf(names[i], sizeof(names[i]), "p%u", i);
		s[i] = (struct spec){ names[i], blob, 1 + i % 16, i % 2, i };
	}
	img = build(s, BOOTIMAGE_MAX_ENTRIES, &size);
	open_good(img, size, &bi);
	assert_int_equal(bi.count, BOOTIMAGE_MAX_ENTRIES);
	assert_int_equal(bootimage_find(&bi, "p63", &e), 0);
	assert_int_equal(e.priv_index, 63);
	assert_int_equal(e.size, 16);
	free(img);

	img = build(s, BOOTIMAGE_MAX_ENTRIES + 1, &size);
	open_bad(img, size, -E2BIG, "count 65 is more than 64 entries", "65");
	free(img);
}

static void test_null_arguments(void **state)
{
	struct bootimage bi;
	struct bootimage_entry e;
	const char *why = NULL;
	size_t size;
	uint8_t *img = build(three, 3, &size);

	(void)state;
	assert_int_equal(bootimage_open(NULL, size, &bi, &why), -EINVAL);
	assert_string_equal(why, "no image");
	why = NULL;
	assert_int_equal(bootimage_open(img, size, NULL, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(bootimage_open(img, size, &bi, NULL), 0);
	assert_false(bootimage_entry(NULL, 0, &e));
	assert_false(bootimage_entry(&bi, 0, NULL));
	assert_int_equal(bootimage_find(NULL, "init", &e), -EINVAL);
	assert_int_equal(bootimage_find(&bi, NULL, &e), -EINVAL);
	free(img);
}

/*
 * The accessors bound every entry again: an image damaged after it was
 * opened (or a damaged struct bootimage) cannot send them outside it.
 */
static void test_accessors_recheck(void **state)
{
	struct bootimage bi;
	struct bootimage_entry e;
	size_t size;
	uint8_t *img = build(three, 3, &size);

	(void)state;
	open_good(img, size, &bi);
	put32(img + E_OFF(2) + E_OFFSET, 0xfffffff8);
	assert_false(bootimage_entry(&bi, 2, &e));
	assert_int_equal(bootimage_find(&bi, "hello.world-2_x", &e), -ENOENT);
	put32(img + E_OFF(1) + E_SIZE, 0);
	assert_false(bootimage_entry(&bi, 1, &e));
	assert_true(bootimage_entry(&bi, 0, &e));
	bi.size = 150; /* init is 144..164 */
	assert_false(bootimage_entry(&bi, 0, &e));
	bi.size = 100; /* not even the table fits */
	assert_false(bootimage_entry(&bi, 0, &e));
	bi.size = size;
	bi.count = BOOTIMAGE_MAX_ENTRIES + 1;
	assert_false(bootimage_entry(&bi, 0, &e));
	free(img);
}

/* ---- damaged images ---- */

/* One 32-bit field (or byte, when byte is set) to overwrite. */
struct edit {
	size_t off;
	uint32_t val;
	bool byte;
};

struct bad_case {
	struct edit e[4]; /* unused ones have off 0 and byte false */
	bool keep_crc;	  /* leave table_crc stale */
	int err;
	const char *why;
};

#define F(off, v)                 \
	{                         \
		(off), (v), false \
	}
#define B(off, v)                \
	{                        \
		(off), (v), true \
	}
#define EF(i, f, v) F(E_OFF(i) + (f), v)
#define NAME(i, k, c) B(E_OFF(i) + (k), c)

static void test_damage(void **state)
{
	static const struct bad_case cases[] = {
		/* the header */
		{ { B(0, 'a') },
		  false,
		  -ENOEXEC,
		  "not a boot image (bad magic)" },
		{ { B(3, 'b') }, false, -ENOEXEC, "bad magic" },
		{ { F(H_VERSION, 0) },
		  false,
		  -ENOEXEC,
		  "version 0; this kernel" },
		{ { F(H_VERSION, 2) }, false, -ENOEXEC, "version 2" },
		{ { F(H_COUNT, 65) },
		  false,
		  -E2BIG,
		  "count 65 is more than 64" },
		{ { F(H_COUNT, 0xffffffff) },
		  false,
		  -E2BIG,
		  "count 4294967295" },
		{ { F(H_COUNT, 5) },
		  false,
		  -EINVAL,
		  "the table of 5 entries ends beyond total_size 184" },
		{ { F(H_COUNT, 4) }, /* the table runs into the files */
		  false,
		  -EINVAL,
		  "entry 0 (\"init\"): offset 0x90 is inside the header" },
		{ { F(H_COUNT, 2) }, true, -EINVAL, "table_crc" },
		{ { F(H_COUNT, 2) }, false, 0, NULL }, /* a shorter table */
		{ { F(H_COUNT, 0) }, false, 0, NULL },
		{ { F(H_TOTAL, 185) },
		  false,
		  -EINVAL,
		  "total_size 185 is beyond the 184 bytes given" },
		{ { F(H_TOTAL, 0xffffffff) }, false, -EINVAL, "beyond the 184" },
		{ { F(H_TOTAL, 0) },
		  false,
		  -EINVAL,
		  "ends beyond total_size 0" },
		{ { F(H_TOTAL, 143) },
		  false,
		  -EINVAL,
		  "ends beyond total_size" },
		{ { F(H_TOTAL, 176) },
		  false,
		  -EINVAL,
		  "entry 2 (\"hello.world-2_x\"): offset+size 0xb1 is beyond "
		  "total_size 0xb0" },
		{ { F(H_TOTAL, 177) }, false, 0, NULL }, /* last file's end */
		{ { F(H_TOTAL, 183) }, false, 0, NULL },
		{ { F(H_CRC, 0) },
		  true,
		  -EINVAL,
		  "table_crc 0x00000000 does not" },
		{ { NAME(1, 0, 'V') }, true, -EINVAL, "table_crc" },
		{ { EF(2, E_SIZE, 2) }, true, -EINVAL, "table_crc" },
		{ { F(H_RESERVED, 1) },
		  false,
		  -EINVAL,
		  "reserved field is not 0" },
		/* names */
		{ { NAME(1, 0, 0) },
		  false,
		  -EINVAL,
		  "entry 1 has an empty name" },
		{ { F(E_OFF(1) + 0, 0x61616161), F(E_OFF(1) + 4, 0x61616161),
		    F(E_OFF(1) + 8, 0x61616161) },
		  false,
		  0,
		  NULL }, /* 12 characters */
		{ { F(E_OFF(1) + 0, 0x61616161), F(E_OFF(1) + 4, 0x61616161),
		    F(E_OFF(1) + 8, 0x61616161), F(E_OFF(1) + 12, 0x61616161) },
		  false,
		  -EINVAL,
		  "entry 1: name is not NUL-terminated" },
		{ { NAME(0, 2, ' ') },
		  false,
		  -EINVAL,
		  "entry 0: name has byte 0x20, not [A-Za-z0-9._-]" },
		{ { NAME(0, 0, '/') }, false, -EINVAL, "byte 0x2f" },
		{ { NAME(0, 3, 0x80) }, false, -EINVAL, "byte 0x80" },
		{ { NAME(0, 1, '\n') }, false, -EINVAL, "byte 0x0a" },
		{ { NAME(1, 15, 'x') },
		  false,
		  -EINVAL,
		  "entry 1 (\"vfs\"): name is not NUL-padded" },
		{ { NAME(1, 4, 1) }, false, -EINVAL, "not NUL-padded" },
		{ { NAME(2, 0, 'i'), NAME(2, 1, 'n'), NAME(2, 2, 'i') },
		  false,
		  0,
		  NULL }, /* "inilo.world-2_x": still unique */
		{ { F(E_OFF(2), 0x74696e69), F(E_OFF(2) + 4, 0),
		    F(E_OFF(2) + 8, 0), F(E_OFF(2) + 12, 0) },
		  false,
		  -EINVAL,
		  "entries 0 and 2 are both called \"init\"" },
		/* flags, reserved */
		{ { EF(0, E_FLAGS, 2) },
		  false,
		  -EINVAL,
		  "entry 0 (\"init\") has unknown flags 0x2" },
		{ { EF(2, E_FLAGS, 0x80000001) }, false, -EINVAL, "0x80000000" },
		{ { EF(1, E_RESERVED, 1) },
		  false,
		  -EINVAL,
		  "entry 1 (\"vfs\"): reserved field is not 0" },
		{ { EF(1, E_RESERVED + 4, 0x100) }, false, -EINVAL, "reserved" },
		{ { EF(0, E_PRIV, 0xffffffff) }, false, 0, NULL },
		/* offsets and sizes */
		{ { EF(1, E_SIZE, 0) },
		  false,
		  -EINVAL,
		  "entry 1 (\"vfs\") is empty" },
		{ { EF(1, E_OFFSET, 169) },
		  false,
		  -EINVAL,
		  "entry 1 (\"vfs\"): offset 0xa9 is not 8-aligned" },
		{ { EF(0, E_OFFSET, 0) },
		  false,
		  -EINVAL,
		  "entry 0 (\"init\"): offset 0x0 is inside the header or entry "
		  "table" },
		{ { EF(0, E_OFFSET, 24) }, false, -EINVAL, "inside the header" },
		{ { EF(0, E_OFFSET, 136) },
		  false,
		  -EINVAL,
		  "inside the header" },
		{ { EF(2, E_OFFSET, 184) },
		  false,
		  -EINVAL,
		  "entry 2 (\"hello.world-2_x\"): offset+size 0xb9 is beyond" },
		{ { EF(2, E_SIZE, 9) }, false, -EINVAL, "offset+size 0xb9" },
		{ { EF(2, E_SIZE, 8) }, false, 0, NULL }, /* the padding */
		{ { EF(2, E_OFFSET, 0xfffffff8), EF(2, E_SIZE, 0xffffffff) },
		  false,
		  -EINVAL,
		  "offset+size 0x1fffffff7 is beyond" },
		{ { EF(0, E_SIZE, 0xffffffff) }, false, -EINVAL, "is beyond" },
		/* overlap */
		{ { EF(1, E_OFFSET, 144) },
		  false,
		  -EINVAL,
		  "entries 0 (\"init\") and 1 (\"vfs\") overlap" },
		{ { EF(2, E_OFFSET, 160) },
		  false,
		  -EINVAL,
		  "entries 0 (\"init\") and 2 (\"hello.world-2_x\") overlap" },
		{ { EF(2, E_OFFSET, 168) },
		  false,
		  -EINVAL,
		  "entries 1 (\"vfs\")" },
		{ { EF(0, E_SIZE, 25) },
		  false,
		  -EINVAL,
		  "entries 0 (\"init\") and" },
		{ { EF(0, E_SIZE, 24) }, false, 0, NULL }, /* up to vfs */
		{ { EF(2, E_OFFSET, 144) }, false, -EINVAL, "overlap" },
	};
	size_t size;
	uint8_t *orig = build(three, 3, &size);

	(void)state;
	/* The numbers above are for this layout. */
	assert_int_equal(size, 184);
	assert_int_equal(get32(orig + E_OFF(0) + E_OFFSET), 144);
	assert_int_equal(get32(orig + E_OFF(1) + E_OFFSET), 168);
	assert_int_equal(get32(orig + E_OFF(2) + E_OFFSET), 176);
	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		const struct bad_case *c = &cases[k];
		uint8_t *img = dup_exact(orig, size);
		char label[32];

		for (size_t i = 0; i < ARRAY_SIZE(c->e); i++) {
			const struct edit *e = &c->e[i];

			if (e->byte)
				img[e->off] = (uint8_t)e->val;
			else if (e->off)
				put32(img + e->off, e->val);
		}
		if (!c->keep_crc)
			fix_crc(img, size);
		snprintf(label, sizeof(label), "case %zu", k);
		if (c->err) {
			open_bad(img, size, c->err, c->why, label);
		} else {
			struct bootimage bi;
			const char *why = NULL;
			int err = bootimage_open(img, size, &bi, &why);

			if (err)
				fail_msg("%s: refused (%d): %s", label, err,
					 why);
			check_opened(&bi, img, size);
		}
		free(img);
	}
	free(orig);
}

/* Every length short of the whole image is refused. */
static void test_truncation(void **state)
{
	size_t size;
	uint8_t *orig = load("boot.bootimg", &size);

	(void)state;
	for (size_t n = 0; n < size; n++) {
		uint8_t *img = dup_exact(orig, n);
		char label[32];

		snprintf(label, sizeof(label), "cut to %zu", n);
		if (n < HDR)
			open_bad(img, n, -EINVAL,
				 "is shorter than the 24-byte header", label);
		else
			open_bad(img, n, -EINVAL, "is beyond the", label);
		free(img);
	}
	free(orig);
}

/*
 * Every byte of the header and table set to every value: with the CRC
 * left alone, always refused (CRC-32 catches any change of one byte);
 * with it recomputed, refused with a reason or opened soundly.
 */
static void test_every_table_byte(void **state)
{
	size_t size;
	uint8_t *orig = build(three, 3, &size);
	uint8_t *img = dup_exact(orig, size);
	unsigned opened = 0, refused = 0;

	(void)state;
	for (size_t pos = 0; pos < HDR + 3 * ENT; pos++) {
		for (unsigned v = 0; v < 256; v++) {
			struct bootimage bi;
			const char *why = NULL;
			int err;

			if (v == orig[pos])
				continue;
			memcpy(img, orig, size);
			img[pos] = (uint8_t)v;
			err = bootimage_open(img, size, &bi, &why);
			if (err == 0)
				fail_msg(
					"byte %zu = 0x%02x: a stale CRC passed",
					pos, v);
			assert_non_null(why);

			fix_crc(img, size);
			why = NULL;
			err = bootimage_open(img, size, &bi, &why);
			if (err == 0) {
				check_opened(&bi, img, size);
				opened++;
				continue;
			}
			refused++;
			if (err != -EINVAL && err != -ENOEXEC && err != -E2BIG)
				fail_msg("byte %zu = 0x%02x: error %d", pos, v,
					 err);
			assert_non_null(why);
			assert_true(why[0] != '\0');
			assert_true(strlen(why) < BOOTIMAGE_WHY_MAX);
		}
	}
	/* Priv bytes and name characters change freely; most else not. */
	assert_true(opened > 0 && refused > opened);
	free(img);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_reference),
		cmocka_unit_test(test_tool_image),
		cmocka_unit_test(test_tool_matches_format),
		cmocka_unit_test(test_built_image),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_unaligned_image),
		cmocka_unit_test(test_entry_count),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_accessors_recheck),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_every_table_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
