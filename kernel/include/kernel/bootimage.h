/* SPDX-License-Identifier: MIT */
/*
 * The boot image: the first user programs, packed by tools/mkbootimg.py
 * and carried inside the kernel. docs/boot-image.md describes the format
 * byte by byte.
 *
 * bootimage_open() checks the header, the CRC of the entry table and every
 * entry (its name, and that its bytes lie inside the image without
 * overlapping the table or another entry) before anything is handed out;
 * bootimage_entry() and bootimage_find() bound every offset again, so no
 * image can make them point outside it. The programs themselves are not
 * looked at here: each goes through elf_parse() when it is started.
 *
 * All fields are little-endian and read byte by byte: the image needs no
 * particular alignment (though files are 8-aligned relative to its start).
 */
#ifndef KERNEL_BOOTIMAGE_H
#define KERNEL_BOOTIMAGE_H

#include <kernel/types.h>

#define BOOTIMAGE_MAGIC "AXBI"
#define BOOTIMAGE_VERSION 1
#define BOOTIMAGE_HEADER_SIZE 24
#define BOOTIMAGE_ENTRY_SIZE 40
#define BOOTIMAGE_NAME_MAX 16	 /* bytes of name[], NUL included */
#define BOOTIMAGE_MAX_ENTRIES 64 /* NR_PROCS: more could never all run */
#define BOOTIMAGE_ALIGN 8	 /* of each file's offset */
#define BOOTIMAGE_WHY_MAX 96

/* Entry flags. */
#define BOOTIMAGE_START 0x1 /* start the program at boot */
#define BOOTIMAGE_FLAGS_KNOWN BOOTIMAGE_START

/* An opened image; fill it with bootimage_open() only. */
struct bootimage {
	const uint8_t *base;
	size_t size;	/* total_size from the header: what may be read */
	unsigned count; /* entries */
	char why_buf[BOOTIMAGE_WHY_MAX]; /* *why points here on most errors */
};

/* One program of the image. */
struct bootimage_entry {
	char name[BOOTIMAGE_NAME_MAX]; /* NUL-terminated, 1..15 characters */
	const void *data;	       /* the file, inside the image */
	size_t size;		       /* > 0 */
	uint32_t flags;		       /* BOOTIMAGE_F_* */
	uint32_t priv_index; /* the kernel's boot privilege table index */
};

/*
 * Check the image at img, of which at most size bytes may be read (bytes
 * after the header's total_size are ignored), and describe it in *bi.
 * Returns 0, or:
 *   -ENOEXEC  not a boot image (bad magic) or a version this kernel
 *             cannot read;
 *   -E2BIG    more than BOOTIMAGE_MAX_ENTRIES entries;
 *   -EINVAL   anything else malformed, or a NULL argument.
 * On error *why (if why is not NULL) points to a sentence saying what is
 * wrong, in bi->why_buf or a constant; on success it is left alone.
 */
int bootimage_open(const void *img, size_t size, struct bootimage *bi,
		   const char **why);

/* Entry i (0 .. bi->count-1) into *e; false if there is no such entry. */
bool bootimage_entry(const struct bootimage *bi, unsigned i,
		     struct bootimage_entry *e);

/*
 * The entry called name into *e (if e is not NULL): 0, -ENOENT if there is
 * none, or -EINVAL for a NULL bi or name.
 */
int bootimage_find(const struct bootimage *bi, const char *name,
		   struct bootimage_entry *e);

#endif
