/* SPDX-License-Identifier: MIT */
/*
 * Loading static ELF64 RISC-V executables into a user address space.
 *
 * The images come from the boot image (and later from file servers) and are
 * trusted for nothing. elf_parse() reads only the ELF header and the program
 * header table, checks every field the loader relies on against the file's
 * size and the user half of the address space, and fills a struct elf_info
 * that says exactly what to map where. elf_load() then does the mapping and
 * copying through two callbacks, so this file neither allocates nor knows
 * how an address space is built; it is the same code on the target and in
 * the host tests.
 *
 * What is accepted (docs/boot-image.md lists every check): ELFCLASS64,
 * little-endian, EV_CURRENT, ELFOSABI_NONE, EM_RISCV, ET_EXEC, the lp64
 * soft-float ABI (user mode runs with the FPU off), 1 to ELF_MAX_SEGMENTS
 * non-empty PT_LOAD segments inside [USER_BASE, USER_TOP) that do not share
 * a page, each readable, writable or executable but never writable and
 * executable, and an entry point in the file bytes of an executable
 * segment. PT_INTERP and PT_DYNAMIC are refused (static executables only);
 * other program header types are ignored.
 *
 * Every field is read byte by byte as little-endian, so the image may sit
 * at any alignment and the host tests behave like the target.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <kernel/types.h>

/* ---- the file format (ELF-64 Object File Format 1.5, RISC-V psABI) ---- */
typedef uint64_t Elf64_Addr;
typedef uint64_t Elf64_Off;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef uint64_t Elf64_Xword;

#define EI_NIDENT 16

/* The ELF header, as stored (little-endian here). */
typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

/* One program header, as stored. */
typedef struct {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

#define ELF64_SHDR_SIZE 64 /* sizeof(Elf64_Shdr); section headers unused */

_Static_assert(sizeof(Elf64_Ehdr) == 64, "the ELF64 header is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == 56, "an ELF64 phdr is 56 bytes");

/* e_ident[] */
#define EI_MAG0 0
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_ABIVERSION 8
#define ELFMAG "\177ELF"
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFOSABI_NONE 0

#define ET_EXEC 2
#define EM_RISCV 243
#define EV_CURRENT 1
#define PN_XNUM 0xffff /* e_phnum: the real count is in section 0 */

/* RISC-V e_flags */
#define EF_RISCV_RVC 0x0001
#define EF_RISCV_FLOAT_ABI 0x0006 /* 0 soft, 2 single, 4 double, 6 quad */
#define EF_RISCV_RVE 0x0008
#define EF_RISCV_TSO 0x0010

/* p_type */
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3

/* p_flags */
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* ---- the loader ---- */
#define ELF_MAX_SEGMENTS 8 /* PT_LOAD segments; more are refused */
#define ELF_WHY_MAX 96	   /* room for one formatted reason */

/* One PT_LOAD segment, checked. */
struct elf_segment {
	uintptr_t vaddr; /* where the first file byte goes (not page-aligned) */
	size_t memsz;	 /* bytes of memory from vaddr; > 0 */
	size_t filesz;	 /* bytes copied from the file; <= memsz */
	size_t offset;	 /* where they are in the file */
	unsigned rights; /* VM_R | VM_W | VM_X, never VM_W with VM_X */
};

/* What elf_parse() found: everything elf_load() and the caller need. */
struct elf_info {
	uintptr_t entry; /* first instruction, in an executable segment */
	unsigned nseg;	 /* 1 .. ELF_MAX_SEGMENTS, in program header order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	/*
	 * [lowest, highest) covers every segment, page-rounded: the caller
	 * places the stack and the heap outside it.
	 */
	uintptr_t lowest, highest;
	char why_buf[ELF_WHY_MAX]; /* *why points here on most errors */
};

/*
 * Check the ELF executable at image (size bytes, any alignment) and
 * describe it in *out. Only the first size bytes are ever read.
 *
 * Returns 0, or:
 *   -ENOEXEC  not an executable this kernel runs: shorter than an ELF
 *             header, not ELF, not ELF64 little-endian RISC-V, not
 *             ET_EXEC, another float ABI, RVE or Ztso, or dynamically
 *             linked (PT_INTERP, PT_DYNAMIC);
 *   -E2BIG    more than ELF_MAX_SEGMENTS PT_LOAD segments;
 *   -EINVAL   anything else malformed (a field out of range, a table or
 *             segment beyond the file, W and X together, overlapping
 *             segments, an entry point outside executable code), or a
 *             NULL argument.
 * On error *why (if why is not NULL) points to a sentence saying exactly
 * what is wrong, such as "segment 1 is writable and executable" (segments
 * are numbered like program headers, as readelf -l numbers them); it lives
 * in out->why_buf, or is a constant. On success *why is left alone. *out is
 * fully written on success and undefined after an error.
 */
int elf_parse(const void *image, size_t size, struct elf_info *out,
	      const char **why);

/*
 * Build the program described by info, which elf_parse() made from this
 * same image. For each segment in order: map(ctx, va, len, rights) with the
 * page-rounded range of the segment, which must give fresh zero-filled
 * pages (so .bss needs nothing more); then, if it has file bytes,
 * copy(ctx, vaddr, image + offset, filesz), which must write into those
 * pages even when rights lack VM_W. Both return 0 or a negative errno.
 *
 * Returns 0, -EINVAL for a NULL argument or an info that cannot have come
 * from elf_parse(), or the first error of map() or copy(); then nothing
 * more is called, and the caller undoes what was mapped (typically by
 * destroying the whole address space).
 */
int elf_load(const struct elf_info *info, const void *image,
	     int (*map)(void *ctx, uintptr_t va, size_t len, unsigned rights),
	     int (*copy)(void *ctx, uintptr_t va, const void *src, size_t len),
	     void *ctx);

#endif
