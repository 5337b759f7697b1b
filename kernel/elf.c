/* SPDX-License-Identifier: MIT */
/*
 * The ELF64 loader for user programs: checks a static RISC-V executable
 * and maps its PT_LOAD segments through the caller's callbacks.
 *
 * elf_parse() trusts nothing in the file. It reads the ELF header and the
 * program header table only after checking that they lie inside the given
 * size, computes every end address with overflow checks, and refuses
 * anything the loader could get wrong or that would weaken the process's
 * address space: segments outside [USER_BASE, USER_TOP), writable and
 * executable segments, two segments in one page (each segment gets fresh
 * pages, so a shared page would lose one of them), an entry point that is
 * not in executable code. The checks follow the ELF-64 specification and
 * the RISC-V ELF psABI; docs/boot-image.md lists them.
 *
 * Fields are read byte by byte as little-endian, through the offsets of
 * the Elf64_* structures, so the image needs no alignment and no field is
 * ever read through a misaligned pointer.
 */
#include <kernel/arch.h>
#include <kernel/elf.h>
#include <kernel/kprintf.h>
#include <axolotl/errno.h>
#include <axolotl/kcall.h>

/* Read a little-endian field of n bytes (1..8) at p. */
static uint64_t rd_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Field f of an ELF structure of the given type stored at base. */
#define FIELD(base, type, f) \
	rd_le((base) + offsetof(type, f), sizeof(((type *)0)->f))
#define EH(f) FIELD(ps->image, Elf64_Ehdr, f)
#define PH(ph, f) FIELD(ph, Elf64_Phdr, f)

typedef unsigned long long ull; /* what %llx takes, whatever uint64_t is */

struct elf_parser {
	const uint8_t *image;
	size_t size;
	struct elf_info *out;
	const char **why;
};

/* Record why the image is refused; returns err for a one-line return. */
static int fail(struct elf_parser *ps, int err, const char *fmt, ...)
	__printf(3, 4);

static int fail(struct elf_parser *ps, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(ps->out->why_buf, sizeof(ps->out->why_buf), fmt, ap);
	va_end(ap);
	if (ps->why)
		*ps->why = ps->out->why_buf;
	return err;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Does [off, off+len) lie inside the file? Overflow-safe. */
static bool in_file(const struct elf_parser *ps, uint64_t off, uint64_t len)
{
	return off <= ps->size && len <= ps->size - off;
}

/* e_ident: is this an ELF file of the one kind we run? */
static int check_ident(struct elf_parser *ps)
{
	const uint8_t *id = ps->image;

	if (id[EI_MAG0] != ELFMAG[0] || id[EI_MAG0 + 1] != ELFMAG[1] ||
	    id[EI_MAG0 + 2] != ELFMAG[2] || id[EI_MAG0 + 3] != ELFMAG[3])
		return fail(ps, -ENOEXEC, "not an ELF file (bad magic)");
	if (id[EI_CLASS] != ELFCLASS64)
		return fail(ps, -ENOEXEC, "EI_CLASS %u is not ELFCLASS64",
			    id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return fail(ps, -ENOEXEC,
			    "EI_DATA %u is not ELFDATA2LSB (little-endian)",
			    id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return fail(ps, -ENOEXEC, "EI_VERSION %u is not EV_CURRENT",
			    id[EI_VERSION]);
	if (id[EI_OSABI] != ELFOSABI_NONE)
		return fail(ps, -ENOEXEC, "EI_OSABI %u is not ELFOSABI_NONE",
			    id[EI_OSABI]);
	if (id[EI_ABIVERSION] != 0)
		return fail(ps, -ENOEXEC, "EI_ABIVERSION %u is not 0",
			    id[EI_ABIVERSION]);
	/* Bytes 9..15 are padding that readers must ignore (ELF-64 1.5). */
	return 0;
}

/*
 * e_flags: user mode runs with the FPU off (sstatus.FS = Off) on an RVWMO
 * machine with all 32 integer registers, so only the soft-float ABI
 * without RVE or TSO can run. RVC only tells how code is aligned.
 */
static int check_flags(struct elf_parser *ps, uint32_t flags)
{
	static const char *const float_abi[] = { "soft", "single", "double",
						 "quad" };
	uint32_t known = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI | EF_RISCV_RVE |
			 EF_RISCV_TSO;

	if (flags & ~known)
		return fail(ps, -EINVAL, "e_flags 0x%x has unknown bits 0x%x",
			    flags, flags & ~known);
	if (flags & EF_RISCV_FLOAT_ABI)
		return fail(ps, -ENOEXEC,
			    "e_flags asks for the %s-float ABI; user mode has "
			    "no floating point",
			    float_abi[(flags & EF_RISCV_FLOAT_ABI) >> 1]);
	if (flags & EF_RISCV_RVE)
		return fail(ps, -ENOEXEC,
			    "e_flags asks for RVE (16 registers)");
	if (flags & EF_RISCV_TSO)
		return fail(ps, -ENOEXEC,
			    "e_flags asks for the Ztso memory model");
	return 0;
}

/*
 * The section header table is not used, but a file whose header points it
 * outside the file is damaged, and a damaged file is not trusted.
 */
static int check_section_table(struct elf_parser *ps)
{
	uint64_t shoff = EH(e_shoff);
	uint64_t shnum = EH(e_shnum);
	uint64_t shstrndx = EH(e_shstrndx);

	if (shoff == 0) {
		if (shnum != 0)
			return fail(ps, -EINVAL,
				    "e_shnum is %llu but e_shoff is 0",
				    (ull)shnum);
		return 0;
	}
	if (EH(e_shentsize) != ELF64_SHDR_SIZE)
		return fail(ps, -EINVAL, "e_shentsize %llu is not %u",
			    (ull)EH(e_shentsize), ELF64_SHDR_SIZE);
	/* e_shnum 0 with a table: the count is in section 0, which exists. */
	if (!in_file(ps, shoff, MAX(shnum, 1) * ELF64_SHDR_SIZE))
		return fail(ps, -EINVAL,
			    "e_shoff+e_shnum*e_shentsize beyond the file");
	/* 0xffff (SHN_XINDEX) means the index is in section 0. */
	if (shnum != 0 && shstrndx >= shnum && shstrndx != 0xffff)
		return fail(ps, -EINVAL, "e_shstrndx %llu >= e_shnum %llu",
			    (ull)shstrndx, (ull)shnum);
	return 0;
}

static int check_header(struct elf_parser *ps)
{
	uint64_t phoff = EH(e_phoff), phnum = EH(e_phnum);
	int err;

	err = check_ident(ps);
	if (err)
		return err;
	if (EH(e_type) != ET_EXEC)
		return fail(ps, -ENOEXEC,
			    "e_type %llu is not ET_EXEC (static executables "
			    "only)",
			    (ull)EH(e_type));
	if (EH(e_machine) != EM_RISCV)
		return fail(ps, -ENOEXEC, "e_machine %llu is not EM_RISCV",
			    (ull)EH(e_machine));
	if (EH(e_version) != EV_CURRENT)
		return fail(ps, -ENOEXEC, "e_version %llu is not EV_CURRENT",
			    (ull)EH(e_version));
	err = check_flags(ps, (uint32_t)EH(e_flags));
	if (err)
		return err;
	if (EH(e_ehsize) != sizeof(Elf64_Ehdr))
		return fail(ps, -EINVAL, "e_ehsize %llu is not %zu",
			    (ull)EH(e_ehsize), sizeof(Elf64_Ehdr));
	if (EH(e_phentsize) != sizeof(Elf64_Phdr))
		return fail(ps, -EINVAL, "e_phentsize %llu is not %zu",
			    (ull)EH(e_phentsize), sizeof(Elf64_Phdr));
	if (phnum == 0)
		return fail(ps, -EINVAL, "e_phnum is 0: no program headers");
	if (phnum == PN_XNUM)
		return fail(ps, -EINVAL,
			    "e_phnum is PN_XNUM: extended numbering is not "
			    "supported");
	/* phnum < 2^16, so phnum * 56 cannot overflow. */
	if (!in_file(ps, phoff, phnum * sizeof(Elf64_Phdr)))
		return fail(ps, -EINVAL,
			    "e_phoff+e_phnum*e_phentsize beyond the file");
	return check_section_table(ps);
}

/* VM rights for p_flags. Sv39 has no write-only pages: W implies R. */
static unsigned rights_of(uint32_t pflags)
{
	unsigned r = 0;

	if (pflags & PF_R)
		r |= VM_R;
	if (pflags & PF_W)
		r |= VM_R | VM_W;
	if (pflags & PF_X)
		r |= VM_X;
	return r;
}

/*
 * Check program header i, a PT_LOAD at ph, and add it to out->seg[] unless
 * it is empty. phdr_of[] remembers which program header each segment came
 * from, for the overlap message.
 */
static int add_load(struct elf_parser *ps, unsigned i, const uint8_t *ph,
		    unsigned phdr_of[])
{
	struct elf_info *out = ps->out;
	uint32_t flags = (uint32_t)PH(ph, p_flags);
	uint64_t offset = PH(ph, p_offset), vaddr = PH(ph, p_vaddr);
	uint64_t filesz = PH(ph, p_filesz), memsz = PH(ph, p_memsz);
	uint64_t align = PH(ph, p_align);
	uint64_t lo, hi;
	struct elf_segment *s;
	unsigned j;

	if (flags & ~(uint32_t)(PF_R | PF_W | PF_X))
		return fail(ps, -EINVAL,
			    "segment %u has unknown p_flags bits 0x%x", i,
			    flags & ~(uint32_t)(PF_R | PF_W | PF_X));
	if (!(flags & (PF_R | PF_W | PF_X)))
		return fail(ps, -EINVAL,
			    "segment %u is neither readable, writable nor "
			    "executable",
			    i);
	if ((flags & PF_W) && (flags & PF_X))
		return fail(ps, -EINVAL,
			    "segment %u is writable and executable", i);
	if (filesz > memsz)
		return fail(ps, -EINVAL,
			    "segment %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
			    (ull)filesz, (ull)memsz);
	/* An empty segment maps nothing; where it claims to be is moot. */
	if (memsz == 0)
		return 0;
	if (filesz && !in_file(ps, offset, filesz))
		return fail(ps, -EINVAL,
			    "segment %u: p_offset+p_filesz beyond the file", i);
	/* 0 and 1 mean "no alignment"; the page rule below still holds. */
	if (align > 1 && !is_pow2(align))
		return fail(ps, -EINVAL,
			    "segment %u: p_align 0x%llx is not a power of two",
			    i, (ull)align);
	if (align > 1 && align < PAGE_SIZE)
		return fail(ps, -EINVAL,
			    "segment %u: p_align 0x%llx is smaller than a page",
			    i, (ull)align);
	/* Unsigned wrap-around is harmless: align divides 2^64. */
	if (filesz && align > 1 && (vaddr - offset) % align)
		return fail(ps, -EINVAL,
			    "segment %u: p_vaddr and p_offset differ modulo "
			    "p_align",
			    i);
	if (filesz && (vaddr - offset) % PAGE_SIZE)
		return fail(ps, -EINVAL,
			    "segment %u: p_vaddr and p_offset differ modulo "
			    "the page size",
			    i);
	if (vaddr < USER_BASE)
		return fail(ps, -EINVAL,
			    "segment %u starts at 0x%llx, below USER_BASE", i,
			    (ull)vaddr);
	if (vaddr >= USER_TOP || memsz > USER_TOP - vaddr)
		return fail(ps, -EINVAL,
			    "segment %u: 0x%llx+0x%llx is beyond the user "
			    "address space",
			    i, (ull)vaddr, (ull)memsz);
	if (out->nseg == ELF_MAX_SEGMENTS)
		return fail(ps, -E2BIG, "more than %u PT_LOAD segments",
			    ELF_MAX_SEGMENTS);

	/* USER_TOP is page-aligned, so hi cannot overflow. */
	lo = ALIGN_DOWN(vaddr, PAGE_SIZE);
	hi = ALIGN_UP(vaddr + memsz, PAGE_SIZE);
	for (j = 0; j < out->nseg; j++) {
		const struct elf_segment *t = &out->seg[j];
		uint64_t tlo = ALIGN_DOWN(t->vaddr, PAGE_SIZE);
		uint64_t thi = ALIGN_UP(t->vaddr + t->memsz, PAGE_SIZE);

		if (lo < thi && tlo < hi)
			return fail(ps, -EINVAL,
				    "segments %u and %u overlap (they share a "
				    "page)",
				    phdr_of[j], i);
	}

	phdr_of[out->nseg] = i;
	s = &out->seg[out->nseg++];
	s->vaddr = vaddr;
	s->memsz = memsz;
	s->filesz = filesz;
	s->offset = offset;
	s->rights = rights_of(flags);
	return 0;
}

/* The entry point must be in file bytes of an executable segment. */
static int check_entry(struct elf_parser *ps)
{
	struct elf_info *out = ps->out;
	uint64_t entry = EH(e_entry);
	unsigned i;

	/* Instructions are 2-byte aligned with RVC, 4-byte without. */
	if (entry % ((EH(e_flags) & EF_RISCV_RVC) ? 2 : 4))
		return fail(ps, -EINVAL, "e_entry 0x%llx is misaligned",
			    (ull)entry);
	for (i = 0; i < out->nseg; i++) {
		const struct elf_segment *s = &out->seg[i];

		if ((s->rights & VM_X) && entry >= s->vaddr &&
		    entry - s->vaddr < s->filesz) {
			out->entry = entry;
			return 0;
		}
	}
	return fail(ps, -EINVAL,
		    "e_entry 0x%llx is not in the file bytes of an executable "
		    "segment",
		    (ull)entry);
}

int elf_parse(const void *image, size_t size, struct elf_info *out,
	      const char **why)
{
	struct elf_parser parser = { image, size, out, why };
	struct elf_parser *ps = &parser;
	unsigned phdr_of[ELF_MAX_SEGMENTS];
	uint64_t phoff, phnum, i;
	int err;

	if (!out) {
		if (why)
			*why = "no struct elf_info to fill";
		return -EINVAL;
	}
	out->nseg = 0;
	if (!image)
		return fail(ps, -EINVAL, "no image");
	if (size < sizeof(Elf64_Ehdr))
		return fail(ps, -ENOEXEC,
			    "%zu bytes is shorter than an ELF header", size);
	err = check_header(ps);
	if (err)
		return err;

	phoff = EH(e_phoff);
	phnum = EH(e_phnum);
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = ps->image + phoff + i * sizeof(Elf64_Phdr);
		uint32_t type = (uint32_t)PH(ph, p_type);

		if (type == PT_INTERP || type == PT_DYNAMIC)
			return fail(ps, -ENOEXEC,
				    "segment %u is %s: only static "
				    "executables run",
				    (unsigned)i,
				    type == PT_INTERP ? "PT_INTERP" :
							"PT_DYNAMIC");
		if (type != PT_LOAD)
			continue;
		err = add_load(ps, (unsigned)i, ph, phdr_of);
		if (err)
			return err;
	}
	if (out->nseg == 0)
		return fail(ps, -EINVAL, "no non-empty PT_LOAD segment");
	err = check_entry(ps);
	if (err)
		return err;

	out->lowest = USER_TOP;
	out->highest = 0;
	for (i = 0; i < out->nseg; i++) {
		const struct elf_segment *s = &out->seg[i];

		out->lowest = MIN(out->lowest, ALIGN_DOWN(s->vaddr, PAGE_SIZE));
		out->highest = MAX(out->highest,
				   ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE));
	}
	return 0;
}

/* Could s have come from elf_parse()? Keeps map() inside user space. */
static bool segment_sane(const struct elf_segment *s)
{
	unsigned r = s->rights;

	return s->memsz && s->filesz <= s->memsz && s->vaddr >= USER_BASE &&
	       s->vaddr < USER_TOP && s->memsz <= USER_TOP - s->vaddr &&
	       (r & (VM_R | VM_W | VM_X)) && !(r & ~(VM_R | VM_W | VM_X)) &&
	       !((r & VM_W) && (r & VM_X));
}

int elf_load(const struct elf_info *info, const void *image,
	     int (*map)(void *ctx, uintptr_t va, size_t len, unsigned rights),
	     int (*copy)(void *ctx, uintptr_t va, const void *src, size_t len),
	     void *ctx)
{
	const uint8_t *base = image;
	unsigned i;
	int err;

	if (!info || !image || !map || !copy)
		return -EINVAL;
	if (info->nseg == 0 || info->nseg > ELF_MAX_SEGMENTS)
		return -EINVAL;
	for (i = 0; i < info->nseg; i++)
		if (!segment_sane(&info->seg[i]))
			return -EINVAL;

	for (i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		uintptr_t lo = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uintptr_t hi = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);

		err = map(ctx, lo, hi - lo, s->rights);
		if (err)
			return err;
		if (s->filesz == 0)
			continue;
		err = copy(ctx, s->vaddr, base + s->offset, s->filesz);
		if (err)
			return err;
	}
	return 0;
}
