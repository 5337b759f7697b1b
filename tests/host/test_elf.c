/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the ELF64 loader (kernel/elf.c).
 *
 * Good executables are real riscv64-unknown-elf-gcc output from
 * tests/host/data/elf (see make-fixtures.sh there), and the parser's view
 * of them is compared with what binutils' readelf printed at fixture time
 * (expected.inc). Bad ones are the refused fixtures (RWX, hard-float,
 * 32-bit) and damaged copies of hello.elf: every header field set out of
 * range, every program header field likewise, truncation at every length,
 * every byte of the headers set to every value, and synthetic files with
 * many segments. Every image sits in a malloc buffer of exactly the size
 * handed to elf_parse(), so AddressSanitizer catches any read past it;
 * every accepted image must satisfy the loader's promises (check_info()).
 * elf_load() runs with fake map/copy callbacks that record each call and
 * build the address space in a byte array.
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
#include <axolotl/kcall.h>
#include <kernel/arch.h>
#include <kernel/elf.h>

#include "host_files.h"

#define DATA "tests/host/data/elf/"

/* What readelf said about each good fixture (make-fixtures.sh). */
struct expect {
	const char *file;
	uint64_t entry;
	unsigned nseg;
	struct {
		uint64_t vaddr, memsz, filesz, offset;
		unsigned rights;
	} seg[ELF_MAX_SEGMENTS];
};

static const struct expect expected[] = {
#include "data/elf/expected.inc"
};

/* ---- helpers ---- */

static uint8_t *load(const char *name, size_t *size)
{
	return host_load(DATA, name, size);
}

/* A copy in a buffer of exactly n bytes (n may be 0). */
static uint8_t *dup_exact(const uint8_t *src, size_t n)
{
	return host_dup_exact(src, n);
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

#define FSIZE(type, f) sizeof(((type *)0)->f)
#define GET_EH(b, f) get_le((b) + offsetof(Elf64_Ehdr, f), FSIZE(Elf64_Ehdr, f))
#define SET_EH(b, f, v) \
	put_le((b) + offsetof(Elf64_Ehdr, f), (v), FSIZE(Elf64_Ehdr, f))
#define PH_AT(b, i, f)                                         \
	((b) + GET_EH(b, e_phoff) + (i) * sizeof(Elf64_Phdr) + \
	 offsetof(Elf64_Phdr, f))
#define GET_PH(b, i, f) get_le(PH_AT(b, i, f), FSIZE(Elf64_Phdr, f))
#define SET_PH(b, i, f, v) put_le(PH_AT(b, i, f), (v), FSIZE(Elf64_Phdr, f))

/*
 * What every accepted image must satisfy, whatever its bytes: the promises
 * elf_parse() makes to elf_load() and to the process builder.
 */
static void check_info(const struct elf_info *info, size_t size)
{
	bool entry_ok = false;
	uintptr_t lo = UINTPTR_MAX, hi = 0;

	assert_true(info->nseg >= 1 && info->nseg <= ELF_MAX_SEGMENTS);
	for (unsigned i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		uintptr_t slo = s->vaddr & ~(PAGE_SIZE - 1);
		uintptr_t shi = (s->vaddr + s->memsz + PAGE_SIZE - 1) &
				~(PAGE_SIZE - 1);

		assert_true(s->memsz > 0);
		assert_true(s->filesz <= s->memsz);
		assert_true(s->vaddr >= USER_BASE && s->vaddr < USER_TOP);
		assert_true(s->memsz <= USER_TOP - s->vaddr);
		if (s->filesz) {
			assert_true(s->offset <= size);
			assert_true(s->filesz <= size - s->offset);
		}
		assert_true(s->rights != 0);
		assert_false((s->rights & VM_W) && (s->rights & VM_X));
		assert_int_equal(s->rights & ~(VM_R | VM_W | VM_X), 0);
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &info->seg[j];
			uintptr_t tlo = t->vaddr & ~(PAGE_SIZE - 1);
			uintptr_t thi = (t->vaddr + t->memsz + PAGE_SIZE - 1) &
					~(PAGE_SIZE - 1);

			assert_false(slo < thi && tlo < shi);
		}
		if ((s->rights & VM_X) && info->entry >= s->vaddr &&
		    info->entry < s->vaddr + s->filesz)
			entry_ok = true;
		lo = slo < lo ? slo : lo;
		hi = shi > hi ? shi : hi;
	}
	assert_true(entry_ok);
	assert_int_equal(info->lowest, lo);
	assert_int_equal(info->highest, hi);
}

/* Parse b[0..n) (b is exactly n bytes); must succeed. */
static void parse_good(const uint8_t *b, size_t n, struct elf_info *info)
{
	const char *why = "untouched";
	int err = elf_parse(b, n, info, &why);

	if (err)
		fail_msg("refused (%d): %s", err, why);
	assert_string_equal(why, "untouched");
	check_info(info, n);
}

/* Parse b[0..n); must fail with err and a reason containing what. */
static void parse_bad(const uint8_t *b, size_t n, int err, const char *what,
		      const char *label)
{
	struct elf_info info;
	const char *why = NULL;
	int ret = elf_parse(b, n, &info, &why);

	if (ret != err || !why || !strstr(why, what))
		fail_msg("%s: expected %d \"...%s...\", got %d \"%s\"", label,
			 err, what, ret, why ? why : "(null)");
}

/*
 * hello.elf as the default linker script lays it out; the tables below
 * edit it in place, so check that this is still what they edit.
 */
#define TEXT 1	  /* program header of the R-X PT_LOAD */
#define DATA_PH 2 /* program header of the RW PT_LOAD */
#define TEXT_VADDR 0x10000
#define DATA_VADDR 0x11138
#define DATA_OFFSET 0x138
#define ENTRY 0x100e8

static uint8_t *load_hello(size_t *size)
{
	uint8_t *b = load("hello.elf", size);

	assert_int_equal(GET_EH(b, e_phnum), 3);
	assert_int_equal(GET_EH(b, e_entry), ENTRY);
	assert_int_equal(GET_EH(b, e_flags), EF_RISCV_RVC);
	assert_int_equal(GET_PH(b, TEXT, p_type), PT_LOAD);
	assert_int_equal(GET_PH(b, TEXT, p_vaddr), TEXT_VADDR);
	assert_int_equal(GET_PH(b, TEXT, p_offset), 0);
	assert_int_equal(GET_PH(b, TEXT, p_flags), PF_R | PF_X);
	assert_int_equal(GET_PH(b, TEXT, p_align), PAGE_SIZE);
	assert_int_equal(GET_PH(b, DATA_PH, p_type), PT_LOAD);
	assert_int_equal(GET_PH(b, DATA_PH, p_vaddr), DATA_VADDR);
	assert_int_equal(GET_PH(b, DATA_PH, p_offset), DATA_OFFSET);
	assert_int_equal(GET_PH(b, DATA_PH, p_flags), PF_R | PF_W);
	assert_true(GET_PH(b, DATA_PH, p_memsz) > GET_PH(b, DATA_PH, p_filesz));
	return b;
}

/* ---- the good fixtures ---- */

static void test_fixtures_match_readelf(void **state)
{
	(void)state;
	assert_true(ARRAY_SIZE(expected) >= 3);
	for (size_t k = 0; k < ARRAY_SIZE(expected); k++) {
		const struct expect *x = &expected[k];
		struct elf_info info;
		size_t size;
		uint8_t *b = load(x->file, &size);

		parse_good(b, size, &info);
		assert_int_equal(info.entry, x->entry);
		assert_int_equal(info.nseg, x->nseg);
		for (unsigned i = 0; i < x->nseg; i++) {
			assert_int_equal(info.seg[i].vaddr, x->seg[i].vaddr);
			assert_int_equal(info.seg[i].memsz, x->seg[i].memsz);
			assert_int_equal(info.seg[i].filesz, x->seg[i].filesz);
			assert_int_equal(info.seg[i].offset, x->seg[i].offset);
			assert_int_equal(info.seg[i].rights, x->seg[i].rights);
		}
		assert_int_equal(info.lowest, x->seg[0].vaddr & ~0xfffULL);
		free(b);
	}
}

static void test_hello_layout(void **state)
{
	struct elf_info info;
	size_t size;
	uint8_t *b = load_hello(&size);

	(void)state;
	parse_good(b, size, &info);
	assert_int_equal(info.nseg, 2);
	assert_int_equal(info.seg[0].rights, VM_R | VM_X);
	assert_int_equal(info.seg[1].rights, VM_R | VM_W);
	assert_int_equal(info.lowest, 0x10000);
	assert_int_equal(info.highest, 0x13000); /* 0x11138 + 0x1008 */
	free(b);
}

/* Nothing may assume the image is aligned. */
static void test_unaligned_image(void **state)
{
	struct elf_info info;
	size_t size;
	uint8_t *b = load("three.elf", &size);
	uint8_t *odd = malloc(size + 1);

	(void)state;
	assert_non_null(odd);
	memcpy(odd + 1, b, size);
	parse_good(odd + 1, size, &info);
	assert_int_equal(info.nseg, 3);
	free(odd);
	free(b);
}

/* ---- the bad fixtures ---- */

static void test_refused_fixtures(void **state)
{
	static const struct {
		const char *file;
		int err;
		const char *why;
	} cases[] = {
		{ "rwx.elf", -EINVAL, "segment 1 is writable and executable" },
		{ "hardfloat.elf", -ENOEXEC, "double-float ABI" },
		{ "rv32.elf", -ENOEXEC, "EI_CLASS 1 is not ELFCLASS64" },
		{ "boot.bootimg", -ENOEXEC, "not an ELF file (bad magic)" },
		{ "hello.c", -ENOEXEC, "not an ELF file" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t size;
		uint8_t *b = load(cases[i].file, &size);

		parse_bad(b, size, cases[i].err, cases[i].why, cases[i].file);
		free(b);
	}
}

/* ---- damaged copies of hello.elf ---- */

/* One field to overwrite: in the ELF header (ph < 0) or a phdr. */
struct edit {
	int ph;
	size_t off, len;
	uint64_t val;
};

#define EH(f, v)                                                       \
	{                                                              \
		-1, offsetof(Elf64_Ehdr, f), FSIZE(Elf64_Ehdr, f), (v) \
	}
#define ID(i, v)                \
	{                       \
		-1, (i), 1, (v) \
	}
#define PH(i, f, v)                                                     \
	{                                                               \
		(i), offsetof(Elf64_Phdr, f), FSIZE(Elf64_Phdr, f), (v) \
	}

struct bad_case {
	struct edit e[6]; /* unused ones have len 0 */
	int err;	  /* 0: must be accepted */
	const char *why;
};

static void apply(uint8_t *b, const struct edit *e)
{
	uint8_t *p;

	if (!e->len)
		return;
	p = e->ph < 0 ? b : b + GET_EH(b, e_phoff) + e->ph * sizeof(Elf64_Phdr);
	put_le(p + e->off, e->val, e->len);
}

static void run_cases(const struct bad_case *cases, size_t n)
{
	size_t size;
	uint8_t *orig = load_hello(&size);

	for (size_t k = 0; k < n; k++) {
		const struct bad_case *c = &cases[k];
		uint8_t *b = dup_exact(orig, size);
		char label[32];

		/* Edit the phdr offset last: the others use the original. */
		for (size_t i = 0; i < ARRAY_SIZE(c->e); i++)
			if (c->e[i].ph >= 0)
				apply(b, &c->e[i]);
		for (size_t i = 0; i < ARRAY_SIZE(c->e); i++)
			if (c->e[i].ph < 0)
				apply(b, &c->e[i]);
		snprintf(label, sizeof(label), "case %zu", k);
		if (c->err) {
			parse_bad(b, size, c->err, c->why, label);
		} else {
			struct elf_info info;
			const char *why = NULL;
			int err = elf_parse(b, size, &info, &why);

			if (err)
				fail_msg("%s: refused (%d): %s", label, err,
					 why);
			check_info(&info, size);
		}
		free(b);
	}
	free(orig);
}

#define U64MAX UINT64_MAX

static void test_header_fields(void **state)
{
	static const struct bad_case cases[] = {
		/* e_ident */
		{ { ID(0, 0x7e) }, -ENOEXEC, "bad magic" },
		{ { ID(1, 'e') }, -ENOEXEC, "bad magic" },
		{ { ID(3, 0) }, -ENOEXEC, "bad magic" },
		{ { ID(EI_CLASS, 0) },
		  -ENOEXEC,
		  "EI_CLASS 0 is not ELFCLASS64" },
		{ { ID(EI_CLASS, 1) }, -ENOEXEC, "ELFCLASS64" },
		{ { ID(EI_CLASS, 3) }, -ENOEXEC, "ELFCLASS64" },
		{ { ID(EI_DATA, 2) }, -ENOEXEC, "EI_DATA 2 is not ELFDATA2LSB" },
		{ { ID(EI_DATA, 0) }, -ENOEXEC, "ELFDATA2LSB" },
		{ { ID(EI_VERSION, 0) }, -ENOEXEC, "EI_VERSION 0" },
		{ { ID(EI_VERSION, 2) }, -ENOEXEC, "EI_VERSION 2" },
		{ { ID(EI_OSABI, 3) }, -ENOEXEC, "EI_OSABI 3" },
		{ { ID(EI_ABIVERSION, 1) }, -ENOEXEC, "EI_ABIVERSION 1" },
		/* padding must be ignored */
		{ { ID(9, 0xff), ID(15, 0xff) }, 0, NULL },
		/* e_type, e_machine, e_version */
		{ { EH(e_type, 0) }, -ENOEXEC, "e_type 0 is not ET_EXEC" },
		{ { EH(e_type, 1) }, -ENOEXEC, "e_type 1 is not ET_EXEC" },
		{ { EH(e_type, 3) }, -ENOEXEC, "e_type 3 is not ET_EXEC" },
		{ { EH(e_type, 0xfe00) }, -ENOEXEC, "not ET_EXEC" },
		{ { EH(e_machine, 62) },
		  -ENOEXEC,
		  "e_machine 62 is not EM_RISCV" },
		{ { EH(e_machine, 0) }, -ENOEXEC, "EM_RISCV" },
		{ { EH(e_version, 0) }, -ENOEXEC, "e_version 0" },
		{ { EH(e_version, 2) }, -ENOEXEC, "e_version 2" },
		/* e_flags */
		{ { EH(e_flags, 0) }, 0, NULL }, /* no RVC: entry is 4-aligned */
		{ { EH(e_flags, 0x3) }, -ENOEXEC, "single-float ABI" },
		{ { EH(e_flags, 0x5) }, -ENOEXEC, "double-float ABI" },
		{ { EH(e_flags, 0x7) }, -ENOEXEC, "quad-float ABI" },
		{ { EH(e_flags, 0x9) }, -ENOEXEC, "RVE" },
		{ { EH(e_flags, 0x11) }, -ENOEXEC, "Ztso" },
		{ { EH(e_flags, 0x21) }, -EINVAL, "unknown bits 0x20" },
		{ { EH(e_flags, 0x80000001) }, -EINVAL, "unknown bits" },
		/* sizes */
		{ { EH(e_ehsize, 0) }, -EINVAL, "e_ehsize 0 is not 64" },
		{ { EH(e_ehsize, 63) }, -EINVAL, "e_ehsize 63" },
		{ { EH(e_ehsize, 65) }, -EINVAL, "e_ehsize 65" },
		{ { EH(e_phentsize, 0) }, -EINVAL, "e_phentsize 0 is not 56" },
		{ { EH(e_phentsize, 55) }, -EINVAL, "e_phentsize 55" },
		{ { EH(e_phentsize, 64) }, -EINVAL, "e_phentsize 64" },
		/* the program header table */
		{ { EH(e_phnum, 0) }, -EINVAL, "no program headers" },
		{ { EH(e_phnum, 0xffff) }, -EINVAL, "PN_XNUM" },
		{ { EH(e_phnum, 64) },
		  -EINVAL,
		  "e_phoff+e_phnum*e_phentsize beyond the file" },
		{ { EH(e_phnum, 32) }, -EINVAL, "e_phoff+e_phnum" },
		{ { EH(e_phoff, 0) },
		  -EINVAL,
		  "" }, /* the ELF header as phdrs */
		{ { EH(e_phoff, 1768) }, -EINVAL, "e_phoff+e_phnum" },
		{ { EH(e_phoff, 1768 - 3 * 56 + 1) },
		  -EINVAL,
		  "e_phoff+e_phnum" },
		{ { EH(e_phoff, U64MAX) }, -EINVAL, "e_phoff+e_phnum" },
		{ { EH(e_phoff, U64MAX - 55) }, -EINVAL, "e_phoff+e_phnum" },
		{ { EH(e_phoff, 1ULL << 63) }, -EINVAL, "e_phoff+e_phnum" },
		/* the section header table: unused, but must be sane */
		{ { EH(e_shoff, 0) },
		  -EINVAL,
		  "e_shnum is 10 but e_shoff is 0" },
		{ { EH(e_shoff, 0), EH(e_shnum, 0) }, 0, NULL },
		{ { EH(e_shoff, U64MAX) }, -EINVAL, "e_shoff+e_shnum" },
		{ { EH(e_shoff, 1768 - 64 * 10 + 1) },
		  -EINVAL,
		  "e_shoff+e_shnum" },
		{ { EH(e_shnum, 11) }, -EINVAL, "e_shoff+e_shnum" },
		{ { EH(e_shnum, 0xffff) }, -EINVAL, "e_shoff+e_shnum" },
		{ { EH(e_shentsize, 0) }, -EINVAL, "e_shentsize 0 is not 64" },
		{ { EH(e_shentsize, 40) }, -EINVAL, "e_shentsize 40" },
		{ { EH(e_shstrndx, 10) },
		  -EINVAL,
		  "e_shstrndx 10 >= e_shnum 10" },
		{ { EH(e_shstrndx, 0xffff) }, 0, NULL }, /* SHN_XINDEX */
		{ { EH(e_shnum, 0) }, 0, NULL }, /* count in section 0 */
		/* e_entry */
		{ { EH(e_entry, 0) },
		  -EINVAL,
		  "e_entry 0x0 is not in the file" },
		{ { EH(e_entry, DATA_VADDR) }, -EINVAL, "executable segment" },
		{ { EH(e_entry, TEXT_VADDR + 0x136) },
		  -EINVAL,
		  "e_entry 0x10136" },
		{ { EH(e_entry, ENTRY + 1) }, -EINVAL, "misaligned" },
		{ { EH(e_entry, ENTRY + 2) }, 0, NULL }, /* RVC: 2 is enough */
		{ { EH(e_entry, ENTRY + 2), EH(e_flags, 0) },
		  -EINVAL,
		  "misaligned" },
		{ { EH(e_entry, TEXT_VADDR) }, 0, NULL },
		{ { EH(e_entry, TEXT_VADDR + 0x134) }, 0, NULL },
		{ { EH(e_entry, 0xffffffff80200000) }, -EINVAL, "e_entry" },
		{ { EH(e_entry, U64MAX - 1) }, -EINVAL, "e_entry" },
	};

	(void)state;
	run_cases(cases, ARRAY_SIZE(cases));
}

static void test_segment_fields(void **state)
{
	static const struct bad_case cases[] = {
		/* p_flags */
		{ { PH(DATA_PH, p_flags, PF_R | PF_W | PF_X) },
		  -EINVAL,
		  "segment 2 is writable and executable" },
		{ { PH(TEXT, p_flags, PF_W | PF_X) },
		  -EINVAL,
		  "segment 1 is writable and executable" },
		{ { PH(TEXT, p_flags, 0) },
		  -EINVAL,
		  "segment 1 is neither readable, writable nor executable" },
		{ { PH(TEXT, p_flags, 8 | PF_R | PF_X) },
		  -EINVAL,
		  "segment 1 has unknown p_flags bits 0x8" },
		{ { PH(DATA_PH, p_flags, 0x00100000 | PF_R) },
		  -EINVAL,
		  "unknown p_flags bits 0x100000" },
		{ { PH(TEXT, p_flags, PF_X) }, 0, NULL },
		{ { PH(DATA_PH, p_flags, PF_R) }, 0, NULL },
		{ { PH(DATA_PH, p_flags, PF_W) }, 0, NULL },
		/* sizes */
		{ { PH(DATA_PH, p_filesz, 0x1009) },
		  -EINVAL,
		  "segment 2: p_filesz 0x1009 > p_memsz 0x1008" },
		{ { PH(DATA_PH, p_filesz, 0x100) },
		  0,
		  NULL }, /* more of the file */
		{ { PH(DATA_PH, p_filesz, 1768 - DATA_OFFSET + 1),
		    PH(DATA_PH, p_memsz, 0x10000) },
		  -EINVAL,
		  "segment 2: p_offset+p_filesz beyond the file" },
		{ { PH(DATA_PH, p_offset, DATA_OFFSET + 0x1000) },
		  -EINVAL,
		  "segment 2: p_offset+p_filesz beyond the file" },
		{ { PH(DATA_PH, p_offset, 1768 - 7) },
		  -EINVAL,
		  "segment 2: p_offset+p_filesz beyond the file" },
		{ { PH(DATA_PH, p_offset, U64MAX - 3) },
		  -EINVAL,
		  "segment 2: p_offset+p_filesz beyond the file" },
		{ { PH(DATA_PH, p_filesz, U64MAX),
		    PH(DATA_PH, p_memsz, U64MAX) },
		  -EINVAL,
		  "segment 2: p_offset+p_filesz beyond the file" },
		{ { PH(DATA_PH, p_memsz, 0), PH(DATA_PH, p_filesz, 0) },
		  0,
		  NULL }, /* empty: ignored */
		{ { PH(TEXT, p_memsz, 0), PH(TEXT, p_filesz, 0) },
		  -EINVAL,
		  "e_entry 0x100e8 is not in the file bytes of an executable" },
		/* an entry point in the bss of the text segment */
		{ { PH(TEXT, p_memsz, 0x200), EH(e_entry, TEXT_VADDR + 0x140) },
		  -EINVAL,
		  "not in the file bytes" },
		/* p_align */
		{ { PH(TEXT, p_align, 3) },
		  -EINVAL,
		  "segment 1: p_align 0x3 is not a power of two" },
		{ { PH(TEXT, p_align, 0x3000) }, -EINVAL, "not a power of two" },
		{ { PH(TEXT, p_align, 0x800) },
		  -EINVAL,
		  "segment 1: p_align 0x800 is smaller than a page" },
		{ { PH(TEXT, p_align, 2) }, -EINVAL, "smaller than a page" },
		{ { PH(TEXT, p_align, 0) }, 0, NULL },
		{ { PH(TEXT, p_align, 1) }, 0, NULL },
		{ { PH(TEXT, p_align, 0x10000) }, 0, NULL }, /* 0x10000 - 0 */
		{ { PH(DATA_PH, p_align, 0x2000) },
		  -EINVAL,
		  "segment 2: p_vaddr and p_offset differ modulo p_align" },
		{ { PH(DATA_PH, p_align, 1ULL << 63) },
		  -EINVAL,
		  "differ modulo p_align" },
		{ { PH(DATA_PH, p_vaddr, DATA_VADDR + 8) },
		  -EINVAL,
		  "segment 2: p_vaddr and p_offset differ modulo p_align" },
		{ { PH(DATA_PH, p_vaddr, DATA_VADDR + 8),
		    PH(DATA_PH, p_align, 0) },
		  -EINVAL,
		  "segment 2: p_vaddr and p_offset differ modulo the page size" },
		{ { PH(DATA_PH, p_vaddr, DATA_VADDR + 8),
		    PH(DATA_PH, p_align, 1) },
		  -EINVAL,
		  "differ modulo the page size" },
		/* congruence is moot without file bytes */
		{ { PH(DATA_PH, p_vaddr, 0x20000), PH(DATA_PH, p_filesz, 0) },
		  0,
		  NULL },
		/* p_vaddr and p_memsz against the user address space */
		{ { PH(TEXT, p_vaddr, 0) },
		  -EINVAL,
		  "segment 1 starts at 0x0, below USER_BASE" },
		{ { PH(DATA_PH, p_vaddr, DATA_OFFSET) },
		  -EINVAL,
		  "below USER_BASE" },
		{ { PH(DATA_PH, p_vaddr, 0xffffffc000001138) },
		  -EINVAL,
		  "segment 2: 0xffffffc000001138+0x1008 is beyond the user" },
		{ { PH(DATA_PH, p_vaddr, 0xffffffff80201138) },
		  -EINVAL,
		  "beyond the user address space" },
		{ { PH(DATA_PH, p_vaddr, USER_TOP + DATA_OFFSET) },
		  -EINVAL,
		  "beyond the user address space" },
		{ { PH(DATA_PH, p_vaddr, USER_TOP - 0x1000 + DATA_OFFSET) },
		  -EINVAL,
		  "beyond the user address space" },
		/* ends exactly at USER_TOP: fine */
		{ { PH(DATA_PH, p_vaddr, USER_TOP - 0x2000 + DATA_OFFSET),
		    PH(DATA_PH, p_memsz, 0x2000 - DATA_OFFSET) },
		  0,
		  NULL },
		{ { PH(DATA_PH, p_vaddr, USER_TOP - 0x2000 + DATA_OFFSET),
		    PH(DATA_PH, p_memsz, 0x2000 - DATA_OFFSET + 1) },
		  -EINVAL,
		  "beyond the user address space" },
		/* huge p_memsz: the end would wrap around */
		{ { PH(DATA_PH, p_memsz, U64MAX) },
		  -EINVAL,
		  "segment 2: 0x11138+0xffffffffffffffff is beyond" },
		{ { PH(DATA_PH, p_memsz, 0 - (uint64_t)DATA_VADDR) },
		  -EINVAL,
		  "beyond the user address space" },
		{ { PH(DATA_PH, p_memsz, 1ULL << 63) },
		  -EINVAL,
		  "beyond the user" },
		/* overlap, at page granularity */
		{ { PH(DATA_PH, p_vaddr, TEXT_VADDR + DATA_OFFSET) },
		  -EINVAL,
		  "segments 1 and 2 overlap (they share a page)" },
		{ { PH(DATA_PH, p_vaddr, TEXT_VADDR + 0x1000 + DATA_OFFSET),
		    PH(TEXT, p_memsz, 0x1001) },
		  -EINVAL,
		  "segments 1 and 2 overlap" },
		{ { PH(DATA_PH, p_vaddr, DATA_VADDR - 0x2000),
		    PH(DATA_PH, p_memsz, 0x10000) },
		  -EINVAL,
		  "segments 1 and 2 overlap" }, /* data around text */
		/* data ends just below text, in text's first page */
		{ { PH(TEXT, p_offset, 0x40),
		    PH(TEXT, p_vaddr, TEXT_VADDR + 0x40),
		    PH(TEXT, p_filesz, 0xf6), PH(TEXT, p_memsz, 0xf6),
		    PH(DATA_PH, p_vaddr, 0xf138), PH(DATA_PH, p_memsz, 0xf00) },
		  -EINVAL,
		  "segments 1 and 2 overlap" },
		{ { PH(TEXT, p_offset, 0x40),
		    PH(TEXT, p_vaddr, TEXT_VADDR + 0x40),
		    PH(TEXT, p_filesz, 0xf6), PH(TEXT, p_memsz, 0xf6),
		    PH(DATA_PH, p_vaddr, 0xe138), PH(DATA_PH, p_memsz, 0xec8) },
		  0,
		  NULL }, /* ... and a page lower, it does not */
		{ { PH(TEXT, p_vaddr, TEXT_VADDR + 0x1000),
		    EH(e_entry, ENTRY + 0x1000) },
		  -EINVAL,
		  "segments 1 and 2 overlap" },
		{ { PH(TEXT, p_vaddr, TEXT_VADDR + 0x3000),
		    EH(e_entry, ENTRY + 0x3000) },
		  0,
		  NULL }, /* text above data: order does not matter */
		/* p_type */
		{ { PH(0, p_type, PT_INTERP) },
		  -ENOEXEC,
		  "segment 0 is PT_INTERP: only static executables run" },
		{ { PH(DATA_PH, p_type, PT_DYNAMIC) },
		  -ENOEXEC,
		  "segment 2 is PT_DYNAMIC" },
		{ { PH(0, p_type, 0x12345678) }, 0, NULL },
		{ { PH(0, p_type, 7) }, 0, NULL },	    /* PT_TLS */
		{ { PH(0, p_type, 0x6474e551) }, 0, NULL }, /* GNU_STACK */
		{ { PH(DATA_PH, p_type, 4) }, 0, NULL },    /* not loaded */
		{ { PH(TEXT, p_type, PT_NULL) },
		  -EINVAL,
		  "not in the file bytes of an executable segment" },
		{ { PH(TEXT, p_type, PT_NULL), PH(DATA_PH, p_type, PT_NULL) },
		  -EINVAL,
		  "no non-empty PT_LOAD segment" },
		/* the ignored header may hold anything */
		{ { PH(0, p_offset, U64MAX), PH(0, p_filesz, U64MAX),
		    PH(0, p_align, 3) },
		  0,
		  NULL },
	};

	(void)state;
	run_cases(cases, ARRAY_SIZE(cases));
}

/* Rights as the loader hands them to map(). */
static void test_rights(void **state)
{
	static const struct {
		unsigned pflags, rights;
	} cases[] = {
		{ PF_R, VM_R },
		{ PF_W, VM_R | VM_W }, /* Sv39 has no write-only pages */
		{ PF_R | PF_W, VM_R | VM_W },
		{ PF_X, VM_X },
		{ PF_R | PF_X, VM_R | VM_X },
	};
	size_t size;
	uint8_t *orig = load_hello(&size);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *b = dup_exact(orig, size);
		struct elf_info info;

		SET_PH(b, DATA_PH, p_flags, cases[i].pflags);
		parse_good(b, size, &info);
		assert_int_equal(info.seg[1].rights, cases[i].rights);
		free(b);
	}
	free(orig);
}

static void test_null_arguments(void **state)
{
	struct elf_info info;
	const char *why = NULL;
	size_t size;
	uint8_t *b = load("hello.elf", &size);

	(void)state;
	assert_int_equal(elf_parse(NULL, size, &info, &why), -EINVAL);
	assert_string_equal(why, "no image");
	why = NULL;
	assert_int_equal(elf_parse(b, size, NULL, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(elf_parse(b, size, &info, NULL), 0);
	assert_int_equal(elf_parse(b, 0, &info, NULL), -ENOEXEC);
	assert_int_equal(elf_parse(b, 63, &info, &why), -ENOEXEC);
	assert_string_equal(why, "63 bytes is shorter than an ELF header");
	free(b);
}

/* ---- truncation, byte damage ---- */

/* Every length short of the whole file: refused, never a read past it. */
static void test_truncation(void **state)
{
	static const char *const files[] = { "hello.elf", "hello-stripped.elf",
					     "three.elf" };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		size_t size;
		uint8_t *orig = load(files[k], &size);

		for (size_t n = 0; n < size; n++) {
			uint8_t *b = dup_exact(orig, n);
			struct elf_info info;
			const char *why = NULL;
			int err = elf_parse(b, n, &info, &why);

			/*
			 * The section header table ends these files, so any
			 * cut is caught; the cut must be named, too.
			 */
			if (err == 0)
				fail_msg("%s cut to %zu bytes was accepted",
					 files[k], n);
			assert_true(err == -ENOEXEC || err == -EINVAL);
			assert_non_null(why);
			assert_true(why[0] != '\0');
			free(b);
		}
		free(orig);
	}
}

/* Parse damaged b: accepted and sound (true), or cleanly refused. */
static bool check_outcome(const uint8_t *b, size_t size, const char *label)
{
	struct elf_info info;
	const char *why = NULL;
	int err = elf_parse(b, size, &info, &why);

	if (err == 0) {
		check_info(&info, size);
		return true;
	}
	if (err != -ENOEXEC && err != -EINVAL && err != -E2BIG)
		fail_msg("%s: unexpected error %d", label, err);
	if (!why || !why[0])
		fail_msg("%s: error %d without a reason", label, err);
	assert_true(strlen(why) < ELF_WHY_MAX);
	return false;
}

/*
 * Set every byte of the ELF header and the program header table to every
 * value, one at a time: each result is a clean refusal or an image that
 * keeps every promise.
 */
static void test_every_header_byte(void **state)
{
	static const char *const files[] = { "hello.elf", "three.elf" };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		size_t size;
		uint8_t *orig = load(files[k], &size);
		uint8_t *b = dup_exact(orig, size);
		size_t end = GET_EH(orig, e_phoff) +
			     GET_EH(orig, e_phnum) * sizeof(Elf64_Phdr);
		unsigned accepted = 0, refused = 0;
		char label[64];

		assert_true(end <= size);
		for (size_t pos = 0; pos < end; pos++) {
			for (unsigned v = 0; v < 256; v++) {
				b[pos] = (uint8_t)v;
				snprintf(label, sizeof(label),
					 "%s byte %zu = 0x%02x", files[k], pos,
					 v);
				if (check_outcome(b, size, label))
					accepted++;
				else
					refused++;
			}
			b[pos] = orig[pos];
		}
		/* Each original byte is accepted; most others are not. */
		assert_true(accepted >= end && refused > accepted);
		free(b);
		free(orig);
	}
}

/* Several random bytes at once, in the headers and anywhere. */
static void test_random_damage(void **state)
{
	size_t size;
	uint8_t *orig = load("three.elf", &size);
	size_t end = GET_EH(orig, e_phoff) +
		     GET_EH(orig, e_phnum) * sizeof(Elf64_Phdr);
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	char label[64];

	(void)state;
	for (unsigned iter = 0; iter < 20000; iter++) {
		uint8_t *b = dup_exact(orig, size);
		unsigned n = 1 + iter % 6;
		size_t pos;

		for (unsigned i = 0; i < n; i++) {
			/* xorshift64: reproducible without libc's rand() */
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			pos = (iter & 1) ? rng % end : rng % size;
			b[pos] = (uint8_t)(rng >> 32);
		}
		snprintf(label, sizeof(label), "random damage %u", iter);
		check_outcome(b, size, label);
		free(b);
	}
	free(orig);
}

/* ---- synthetic files: many program headers ---- */

/*
 * An executable with nload PT_LOAD segments (the first R-X with the entry,
 * the rest R), each of 16 file bytes on its own page, plus nother PT_NULL
 * headers. *size gets the file's size.
 */
static uint8_t *make_elf(unsigned nload, unsigned nother, size_t *size)
{
	unsigned phnum = nload + nother;
	size_t data = PAGE_SIZE * ((64 + phnum * 56) / PAGE_SIZE + 1);
	size_t n = data + (size_t)nload * PAGE_SIZE;
	uint8_t *b = calloc(1, n);

	assert_non_null(b);
	memcpy(b, ELFMAG, 4);
	b[EI_CLASS] = ELFCLASS64;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	SET_EH(b, e_type, ET_EXEC);
	SET_EH(b, e_machine, EM_RISCV);
	SET_EH(b, e_version, EV_CURRENT);
	SET_EH(b, e_entry, 0x10000 + data);
	SET_EH(b, e_phoff, 64);
	SET_EH(b, e_flags, EF_RISCV_RVC);
	SET_EH(b, e_ehsize, 64);
	SET_EH(b, e_phentsize, 56);
	SET_EH(b, e_phnum, phnum);
	for (unsigned i = 0; i < nload; i++) {
		uint64_t off = data + (uint64_t)i * PAGE_SIZE;

		SET_PH(b, i, p_type, PT_LOAD);
		SET_PH(b, i, p_flags, i ? PF_R : PF_R | PF_X);
		SET_PH(b, i, p_offset, off);
		SET_PH(b, i, p_vaddr, 0x10000 + off);
		SET_PH(b, i, p_filesz, 16);
		SET_PH(b, i, p_memsz, 16);
		SET_PH(b, i, p_align, PAGE_SIZE);
		memset(b + off, 0x13, 16);
	}
	*size = n;
	return b;
}

static void test_segment_count(void **state)
{
	struct elf_info info;
	size_t size;
	uint8_t *b;

	(void)state;
	b = make_elf(1, 0, &size);
	parse_good(b, size, &info);
	assert_int_equal(info.nseg, 1);
	free(b);

	b = make_elf(ELF_MAX_SEGMENTS, 0, &size);
	parse_good(b, size, &info);
	assert_int_equal(info.nseg, ELF_MAX_SEGMENTS);
	assert_int_equal(info.highest - info.lowest,
			 ELF_MAX_SEGMENTS * PAGE_SIZE);
	free(b);

	b = make_elf(ELF_MAX_SEGMENTS + 1, 0, &size);
	parse_bad(b, size, -E2BIG, "more than 8 PT_LOAD segments", "9 loads");
	free(b);

	b = make_elf(64, 0, &size);
	parse_bad(b, size, -E2BIG, "more than 8 PT_LOAD", "64 loads");
	free(b);

	/* 64 program headers are fine when few are loads. */
	b = make_elf(2, 62, &size);
	parse_good(b, size, &info);
	assert_int_equal(info.nseg, 2);
	free(b);

	/* The most e_phnum can say short of PN_XNUM. */
	b = make_elf(3, 0xfffe - 3, &size);
	parse_good(b, size, &info);
	assert_int_equal(info.nseg, 3);
	free(b);
}

/* ---- elf_load ---- */

#define MAX_CALLS 16
#define SPACE_BASE 0x10000UL
#define SPACE_SIZE 0x10000UL

/* A fake address space: one byte array, and a log of the calls. */
struct fake_vm {
	struct call {
		char what; /* 'm' map, 'c' copy */
		uintptr_t va;
		size_t len;
		unsigned rights;
		const void *src;
	} calls[MAX_CALLS];
	unsigned ncalls;
	unsigned fail_at; /* call number that fails (1-based); 0 never */
	int fail_err;
	uint8_t mem[SPACE_SIZE];
	uint8_t rights[SPACE_SIZE / 4096]; /* per page; 0: unmapped */
};

static int log_call(struct fake_vm *vm, char what, uintptr_t va, size_t len,
		    unsigned rights, const void *src)
{
	assert_true(vm->ncalls < MAX_CALLS);
	vm->calls[vm->ncalls++] = (struct call){ what, va, len, rights, src };
	if (vm->ncalls == vm->fail_at)
		return vm->fail_err;
	return 0;
}

static int fake_map(void *ctx, uintptr_t va, size_t len, unsigned rights)
{
	struct fake_vm *vm = ctx;
	int err = log_call(vm, 'm', va, len, rights, NULL);

	if (err)
		return err;
	assert_true(va % PAGE_SIZE == 0 && len % PAGE_SIZE == 0 && len);
	assert_true(va >= SPACE_BASE && va + len <= SPACE_BASE + SPACE_SIZE);
	for (uintptr_t a = va; a < va + len; a += PAGE_SIZE) {
		/* Never the same page twice. */
		assert_int_equal(vm->rights[(a - SPACE_BASE) / PAGE_SIZE], 0);
		vm->rights[(a - SPACE_BASE) / PAGE_SIZE] = (uint8_t)rights;
	}
	memset(vm->mem + (va - SPACE_BASE), 0, len);
	return 0;
}

static int fake_copy(void *ctx, uintptr_t va, const void *src, size_t len)
{
	struct fake_vm *vm = ctx;
	int err = log_call(vm, 'c', va, len, 0, src);

	if (err)
		return err;
	assert_true(va >= SPACE_BASE && va + len <= SPACE_BASE + SPACE_SIZE);
	for (uintptr_t a = va & ~(PAGE_SIZE - 1); a < va + len; a += PAGE_SIZE)
		assert_int_not_equal(vm->rights[(a - SPACE_BASE) / PAGE_SIZE],
				     0);
	memcpy(vm->mem + (va - SPACE_BASE), src, len);
	return 0;
}

static void test_load_records_calls(void **state)
{
	struct fake_vm *vm = calloc(1, sizeof(*vm));
	struct elf_info info;
	size_t size;
	uint8_t *b = load("three.elf", &size);

	(void)state;
	assert_non_null(vm);
	parse_good(b, size, &info);
	/* Poison memory: map() must be what zeroes it. */
	memset(vm->mem, 0xa5, sizeof(vm->mem));
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), 0);

	assert_int_equal(vm->ncalls, 2 * info.nseg);
	for (unsigned i = 0; i < info.nseg; i++) {
		const struct elf_segment *s = &info.seg[i];
		const struct call *m = &vm->calls[2 * i];
		const struct call *c = &vm->calls[2 * i + 1];
		uintptr_t lo = s->vaddr & ~(PAGE_SIZE - 1);
		uintptr_t hi = (s->vaddr + s->memsz + PAGE_SIZE - 1) &
			       ~(PAGE_SIZE - 1);

		assert_int_equal(m->what, 'm');
		assert_int_equal(m->va, lo);
		assert_int_equal(m->len, hi - lo);
		assert_int_equal(m->rights, s->rights);
		assert_int_equal(c->what, 'c');
		assert_int_equal(c->va, s->vaddr);
		assert_int_equal(c->len, s->filesz);
		assert_ptr_equal(c->src, b + s->offset);
		/* File bytes, then zeros to the end of the last page. */
		assert_memory_equal(vm->mem + (s->vaddr - SPACE_BASE),
				    b + s->offset, s->filesz);
		for (uintptr_t a = s->vaddr + s->filesz; a < hi; a++)
			assert_int_equal(vm->mem[a - SPACE_BASE], 0);
		for (uintptr_t a = lo; a < s->vaddr; a++)
			assert_int_equal(vm->mem[a - SPACE_BASE], 0);
	}
	/* The rights of every mapped page, as three.ld laid them out. */
	assert_int_equal(vm->rights[0], VM_R | VM_X);
	assert_int_equal(vm->rights[1], VM_R);
	assert_int_equal(vm->rights[2], VM_R | VM_W);
	assert_int_equal(vm->rights[3], VM_R | VM_W); /* the bss spills */
	assert_int_equal(vm->rights[4], 0);
	free(b);
	free(vm);
}

/* A segment without file bytes is mapped and not copied. */
static void test_load_bss_only(void **state)
{
	struct fake_vm *vm = calloc(1, sizeof(*vm));
	struct elf_info info;
	size_t size;
	uint8_t *b = load_hello(&size);

	(void)state;
	assert_non_null(vm);
	SET_PH(b, DATA_PH, p_filesz, 0);
	parse_good(b, size, &info);
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), 0);
	assert_int_equal(vm->ncalls, 3);
	assert_int_equal(vm->calls[2].what, 'm');
	assert_int_equal(vm->calls[2].va, 0x11000);
	assert_int_equal(vm->calls[2].len, 0x2000);
	free(b);
	free(vm);
}

static void test_load_stops_at_first_error(void **state)
{
	struct elf_info info;
	size_t size;
	uint8_t *b = load("three.elf", &size);

	(void)state;
	parse_good(b, size, &info);
	for (unsigned at = 1; at <= 2 * info.nseg; at++) {
		struct fake_vm *vm = calloc(1, sizeof(*vm));

		assert_non_null(vm);
		vm->fail_at = at;
		vm->fail_err = at % 2 ? -ENOMEM : -EFAULT;
		assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm),
				 vm->fail_err);
		assert_int_equal(vm->ncalls, at);
		free(vm);
	}
	free(b);
}

/* An elf_info that elf_parse() could not have made is refused unused. */
static void test_load_refuses_bad_info(void **state)
{
	struct fake_vm *vm = calloc(1, sizeof(*vm));
	struct elf_info good, info;
	size_t size;
	uint8_t *b = load("hello.elf", &size);

	(void)state;
	assert_non_null(vm);
	parse_good(b, size, &good);

	assert_int_equal(elf_load(NULL, b, fake_map, fake_copy, vm), -EINVAL);
	assert_int_equal(elf_load(&good, NULL, fake_map, fake_copy, vm),
			 -EINVAL);
	assert_int_equal(elf_load(&good, b, NULL, fake_copy, vm), -EINVAL);
	assert_int_equal(elf_load(&good, b, fake_map, NULL, vm), -EINVAL);

	info = good;
	info.nseg = 0;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info.nseg = ELF_MAX_SEGMENTS + 1;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info = good;
	info.seg[1].rights = VM_W | VM_X;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info = good;
	info.seg[1].rights = 0;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info = good;
	info.seg[1].vaddr = 0xffffffc000000000;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info = good;
	info.seg[1].memsz = SIZE_MAX;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	info = good;
	info.seg[1].filesz = info.seg[1].memsz + 1;
	assert_int_equal(elf_load(&info, b, fake_map, fake_copy, vm), -EINVAL);
	/* Nothing was mapped for any of them. */
	assert_int_equal(vm->ncalls, 0);
	free(b);
	free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_match_readelf),
		cmocka_unit_test(test_hello_layout),
		cmocka_unit_test(test_unaligned_image),
		cmocka_unit_test(test_refused_fixtures),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_segment_fields),
		cmocka_unit_test(test_rights),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_every_header_byte),
		cmocka_unit_test(test_random_damage),
		cmocka_unit_test(test_segment_count),
		cmocka_unit_test(test_load_records_calls),
		cmocka_unit_test(test_load_bss_only),
		cmocka_unit_test(test_load_stops_at_first_error),
		cmocka_unit_test(test_load_refuses_bad_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
