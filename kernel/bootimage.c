/* SPDX-License-Identifier: MIT */
/*
 * The boot image reader: finds the first user programs inside the image
 * that tools/mkbootimg.py packed and the kernel carries.
 *
 * The image is built at the same time as the kernel, but it is still read
 * as if it were hostile: a stale or damaged image must fail at boot with a
 * sentence saying what is wrong, never make the kernel read outside it.
 * bootimage_open() therefore checks everything up front (the header, the
 * CRC-32 of header and entry table, and each entry: its name, flags, and
 * that its bytes are inside the image, 8-aligned, after the table and
 * apart from every other entry); the accessors bound every offset once
 * more. docs/boot-image.md describes the format.
 */
#include <kernel/bootimage.h>
#include <kernel/kprintf.h>
#include <kernel/string.h>
#include <axolotl/errno.h>

/* Offsets in the header and in one entry (docs/boot-image.md). */
#define H_MAGIC 0
#define H_VERSION 4
#define H_COUNT 8
#define H_TOTAL_SIZE 12
#define H_TABLE_CRC 16
#define H_RESERVED 20
#define E_NAME 0
#define E_OFFSET 16
#define E_SIZE 20
#define E_FLAGS 24
#define E_PRIV 28
#define E_RESERVED 32

_Static_assert(BOOTIMAGE_HEADER_SIZE % BOOTIMAGE_ALIGN == 0 &&
		       BOOTIMAGE_ENTRY_SIZE % BOOTIMAGE_ALIGN == 0,
	       "the table ends 8-aligned whatever the count");

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/*
 * CRC-32 as zlib and Python's zlib.crc32 compute it (reflected polynomial
 * 0xedb88320, all ones in and out). Bit by bit: the table is at most a few
 * KiB and is checked once per boot, which does not pay for a lookup table.
 * crc is the value so far (0 to start).
 */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

/* CRC-32 of the first len bytes with the table_crc field read as zero. */
static uint32_t table_crc(const uint8_t *img, size_t len)
{
	static const uint8_t zero[4];
	uint32_t crc;

	crc = crc32_update(0, img, H_TABLE_CRC);
	crc = crc32_update(crc, zero, sizeof(zero));
	return crc32_update(crc, img + H_TABLE_CRC + 4, len - H_TABLE_CRC - 4);
}

static const uint8_t *entry_at(const uint8_t *base, unsigned i)
{
	return base + BOOTIMAGE_HEADER_SIZE + (size_t)i * BOOTIMAGE_ENTRY_SIZE;
}

/* Record why the image is refused; returns err for a one-line return. */
static int fail(struct bootimage *bi, const char **why, int err,
		const char *fmt, ...) __printf(4, 5);

static int fail(struct bootimage *bi, const char **why, int err,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(bi->why_buf, sizeof(bi->why_buf), fmt, ap);
	va_end(ap);
	if (why)
		*why = bi->why_buf;
	return err;
}

static bool name_char_ok(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/*
 * name[] must be 1..15 characters of [A-Za-z0-9._-] and then NULs only:
 * the same rule as the tool, so that names print safely and compare with
 * plain strcmp.
 */
static int check_name(struct bootimage *bi, const char **why, unsigned i,
		      const uint8_t *name)
{
	unsigned len = 0, k;

	while (len < BOOTIMAGE_NAME_MAX && name[len])
		len++;
	if (len == 0)
		return fail(bi, why, -EINVAL, "entry %u has an empty name", i);
	if (len == BOOTIMAGE_NAME_MAX)
		return fail(bi, why, -EINVAL,
			    "entry %u: name is not NUL-terminated", i);
	for (k = 0; k < len; k++)
		if (!name_char_ok(name[k]))
			return fail(bi, why, -EINVAL,
				    "entry %u: name has byte 0x%02x, not "
				    "[A-Za-z0-9._-]",
				    i, name[k]);
	for (k = len; k < BOOTIMAGE_NAME_MAX; k++)
		if (name[k])
			return fail(bi, why, -EINVAL,
				    "entry %u (\"%s\"): name is not NUL-padded",
				    i, (const char *)name);
	return 0;
}

/* Entry i alone: its name, fields, and place in the image. */
static int check_entry(struct bootimage *bi, const char **why, unsigned i,
		       uint64_t table_end)
{
	const uint8_t *e = entry_at(bi->base, i);
	const char *name = (const char *)e + E_NAME;
	uint64_t off = rd32(e + E_OFFSET), size = rd32(e + E_SIZE);
	uint32_t flags = rd32(e + E_FLAGS);
	int err;

	err = check_name(bi, why, i, e + E_NAME);
	if (err)
		return err;
	if (flags & ~(uint32_t)BOOTIMAGE_FLAGS_KNOWN)
		return fail(bi, why, -EINVAL,
			    "entry %u (\"%s\") has unknown flags 0x%x", i, name,
			    flags & ~(uint32_t)BOOTIMAGE_FLAGS_KNOWN);
	if (rd64(e + E_RESERVED) != 0)
		return fail(bi, why, -EINVAL,
			    "entry %u (\"%s\"): reserved field is not 0", i,
			    name);
	if (size == 0)
		return fail(bi, why, -EINVAL, "entry %u (\"%s\") is empty", i,
			    name);
	if (off % BOOTIMAGE_ALIGN)
		return fail(bi, why, -EINVAL,
			    "entry %u (\"%s\"): offset 0x%x is not %u-aligned",
			    i, name, (unsigned)off, BOOTIMAGE_ALIGN);
	if (off < table_end)
		return fail(bi, why, -EINVAL,
			    "entry %u (\"%s\"): offset 0x%x is inside the "
			    "header or entry table",
			    i, name, (unsigned)off);
	/* Both are below 2^32, so the sum cannot overflow 64 bits. */
	if (off + size > bi->size)
		return fail(bi, why, -EINVAL,
			    "entry %u (\"%s\"): offset+size 0x%llx is beyond "
			    "total_size 0x%zx",
			    i, name, (unsigned long long)(off + size),
			    bi->size);
	return 0;
}

/* Entries i and j (already checked alone) may not collide. */
static int check_pair(struct bootimage *bi, const char **why, unsigned j,
		      unsigned i)
{
	const uint8_t *a = entry_at(bi->base, j), *b = entry_at(bi->base, i);
	uint64_t a_lo = rd32(a + E_OFFSET), a_hi = a_lo + rd32(a + E_SIZE);
	uint64_t b_lo = rd32(b + E_OFFSET), b_hi = b_lo + rd32(b + E_SIZE);

	/* Names are NUL-terminated within name[] by now. */
	if (strcmp((const char *)a + E_NAME, (const char *)b + E_NAME) == 0)
		return fail(bi, why, -EINVAL,
			    "entries %u and %u are both called \"%s\"", j, i,
			    (const char *)b + E_NAME);
	if (a_lo < b_hi && b_lo < a_hi)
		return fail(bi, why, -EINVAL,
			    "entries %u (\"%s\") and %u (\"%s\") overlap", j,
			    (const char *)a + E_NAME, i,
			    (const char *)b + E_NAME);
	return 0;
}

int bootimage_open(const void *img, size_t size, struct bootimage *bi,
		   const char **why)
{
	const uint8_t *p = img;
	uint32_t version, count, total, crc, want;
	uint64_t table_end;
	unsigned i, j;
	int err;

	if (!bi) {
		if (why)
			*why = "no struct bootimage to fill";
		return -EINVAL;
	}
	bi->base = p;
	bi->size = 0;
	bi->count = 0;
	if (!p)
		return fail(bi, why, -EINVAL, "no image");
	if (size < BOOTIMAGE_HEADER_SIZE)
		return fail(bi, why, -EINVAL,
			    "%zu bytes is shorter than the %u-byte header",
			    size, BOOTIMAGE_HEADER_SIZE);
	if (memcmp(p + H_MAGIC, BOOTIMAGE_MAGIC, 4) != 0)
		return fail(bi, why, -ENOEXEC, "not a boot image (bad magic)");
	version = rd32(p + H_VERSION);
	if (version != BOOTIMAGE_VERSION)
		return fail(bi, why, -ENOEXEC,
			    "version %u; this kernel reads version %u", version,
			    BOOTIMAGE_VERSION);
	count = rd32(p + H_COUNT);
	if (count > BOOTIMAGE_MAX_ENTRIES)
		return fail(bi, why, -E2BIG, "count %u is more than %u entries",
			    count, BOOTIMAGE_MAX_ENTRIES);
	total = rd32(p + H_TOTAL_SIZE);
	if (total > size)
		return fail(bi, why, -EINVAL,
			    "total_size %u is beyond the %zu bytes given",
			    total, size);
	table_end =
		BOOTIMAGE_HEADER_SIZE + (uint64_t)count * BOOTIMAGE_ENTRY_SIZE;
	if (table_end > total)
		return fail(bi, why, -EINVAL,
			    "the table of %u entries ends beyond total_size %u",
			    count, total);
	crc = rd32(p + H_TABLE_CRC);
	want = table_crc(p, table_end);
	if (crc != want)
		return fail(bi, why, -EINVAL,
			    "table_crc 0x%08x does not match the header and "
			    "table (0x%08x)",
			    crc, want);
	if (rd32(p + H_RESERVED) != 0)
		return fail(bi, why, -EINVAL,
			    "the header's reserved field is not 0");

	/*
	 * check_entry() bounds entries by bi->size; bi->count stays 0 until
	 * all are checked, so nothing of a refused image is handed out.
	 */
	bi->size = total;
	for (i = 0; i < count; i++) {
		err = check_entry(bi, why, i, table_end);
		if (err)
			return err;
		for (j = 0; j < i; j++) {
			err = check_pair(bi, why, j, i);
			if (err)
				return err;
		}
	}
	bi->count = count;
	return 0;
}

bool bootimage_entry(const struct bootimage *bi, unsigned i,
		     struct bootimage_entry *e)
{
	const uint8_t *p;
	uint64_t off, size;

	if (!bi || !e || !bi->base || i >= bi->count ||
	    bi->count > BOOTIMAGE_MAX_ENTRIES)
		return false;
	if (BOOTIMAGE_HEADER_SIZE + (uint64_t)bi->count * BOOTIMAGE_ENTRY_SIZE >
	    bi->size)
		return false;
	p = entry_at(bi->base, i);
	off = rd32(p + E_OFFSET);
	size = rd32(p + E_SIZE);
	if (size == 0 || off + size > bi->size)
		return false;

	memcpy(e->name, p + E_NAME, BOOTIMAGE_NAME_MAX);
	e->name[BOOTIMAGE_NAME_MAX - 1] = '\0';
	e->data = bi->base + off;
	e->size = size;
	e->flags = rd32(p + E_FLAGS);
	e->priv_index = rd32(p + E_PRIV);
	return true;
}

int bootimage_find(const struct bootimage *bi, const char *name,
		   struct bootimage_entry *e)
{
	struct bootimage_entry tmp;
	unsigned i;

	if (!bi || !name)
		return -EINVAL;
	for (i = 0; i < bi->count; i++) {
		if (!bootimage_entry(bi, i, &tmp))
			continue;
		if (strcmp(tmp.name, name) == 0) {
			if (e)
				*e = tmp;
			return 0;
		}
	}
	return -ENOENT;
}
