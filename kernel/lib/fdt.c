/* SPDX-License-Identifier: MIT */
/*
 * A validating, read-only flattened device tree reader.
 *
 * Every access goes through read_token(), which bounds the token, a node
 * name or a property value by the structure block, and string_at(), which
 * bounds a property name by the strings block. fdt_check() runs the same
 * reader over the whole tree once and adds the structural rules (one root,
 * balanced nodes, properties before subnodes, a depth limit, FDT_END), so
 * that the navigation functions can rely on them; the block sizes they use
 * are re-read from the header and re-checked on every call.
 */
#include <kernel/fdt.h>
#include <kernel/string.h>
#include <axolotl/errno.h>

#define HDR_SIZE_V16 36u /* the header without size_dt_struct */
#define HDR_SIZE_V17 40u
#define RSV_ENTRY_SIZE 16u
#define INT_LIMIT 0x7fffffffu /* offsets must fit an int */

/* Where the blocks of a blob lie; all offsets fit an int. */
struct fdt_view {
	const uint8_t *blob;
	uint32_t total;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsv_off;
};

/* One token of the structure block. */
struct fdt_tok {
	uint32_t tag;
	int next;	  /* offset of the following token */
	const char *name; /* FDT_BEGIN_NODE: the node's name */
	uint32_t len;	  /* FDT_PROP: length of the value */
	uint32_t nameoff; /* FDT_PROP: name offset in the strings block */
};

/* ---- small helpers ---- */

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)fdt_be32(b) << 32 | fdt_be32(b + 4);
}

int fdt_cells(const void *cells, int ncells, uint64_t *out)
{
	const uint8_t *p = cells;
	uint64_t v = 0;
	int i;

	if (ncells < 0 || ncells > FDT_MAX_ADDR_CELLS)
		return -EINVAL;
	for (i = 0; i < ncells; i++) {
		uint32_t c = fdt_be32(p + 4 * i);

		if (i < ncells - 2 && c != 0)
			return -ERANGE;
		v = v << 32 | c;
	}
	*out = v;
	return 0;
}

/* Does the NUL-terminated s equal the n bytes at name? */
static bool str_eq_n(const char *s, const char *name, size_t n)
{
	return strnlen(s, n + 1) == n && memcmp(s, name, n) == 0;
}

static uint32_t align4(uint64_t x)
{
	return (uint32_t)((x + 3) & ~(uint64_t)3);
}

/* Do [a, a + alen) and [b, b + blen) share a byte? */
static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return alen && blen && (uint64_t)a < (uint64_t)b + blen &&
	       (uint64_t)b < (uint64_t)a + alen;
}

static uint32_t hdr(const uint8_t *blob, int field)
{
	return fdt_be32(blob + 4 * field);
}

enum {
	H_MAGIC,
	H_TOTALSIZE,
	H_OFF_STRUCT,
	H_OFF_STRINGS,
	H_OFF_RSV,
	H_VERSION,
	H_LAST_COMP,
	H_BOOT_CPUID,
	H_SIZE_STRINGS,
	H_SIZE_STRUCT
};

/* ---- the header ---- */

static int check_version(const uint8_t *blob, const char **why)
{
	uint32_t version = hdr(blob, H_VERSION);
	uint32_t last_comp = hdr(blob, H_LAST_COMP);

	if (hdr(blob, H_MAGIC) != FDT_MAGIC) {
		*why = "bad magic (not a flattened device tree)";
		return -ENOEXEC;
	}
	if (version < FDT_LAST_COMP) {
		*why = "blob version is older than 16";
		return -ENOEXEC;
	}
	if (last_comp > FDT_VERSION) {
		*why = "blob needs a reader newer than version 17";
		return -ENOEXEC;
	}
	if (last_comp > version) {
		*why = "last_comp_version is newer than version";
		return -EINVAL;
	}
	return 0;
}

static uint32_t header_size(const uint8_t *blob)
{
	return hdr(blob, H_VERSION) >= 17 ? HDR_SIZE_V17 : HDR_SIZE_V16;
}

static int check_totalsize(const uint8_t *blob, size_t max_size,
			   const char **why)
{
	uint32_t total = hdr(blob, H_TOTALSIZE);

	if (total < header_size(blob)) {
		*why = "totalsize is smaller than the header";
		return -EINVAL;
	}
	if (total > max_size) {
		*why = "totalsize exceeds the buffer (blob truncated?)";
		return -E2BIG;
	}
	if (total > INT_LIMIT) {
		*why = "totalsize is larger than 2 GiB";
		return -E2BIG;
	}
	return 0;
}

/*
 * A version 16 header has no size_dt_struct: the structure block then runs
 * to the next block or to totalsize, and FDT_END marks its real end.
 */
static uint32_t v16_struct_size(const uint8_t *blob)
{
	uint32_t off = hdr(blob, H_OFF_STRUCT);
	uint32_t end = hdr(blob, H_TOTALSIZE);
	uint32_t strings = hdr(blob, H_OFF_STRINGS);
	uint32_t rsv = hdr(blob, H_OFF_RSV);

	if (strings > off && strings < end)
		end = strings;
	if (rsv > off && rsv < end)
		end = rsv;
	return (end - off) & ~3u;
}

static int check_struct_block(const uint8_t *blob, struct fdt_view *v,
			      const char **why)
{
	uint32_t hsize = header_size(blob);

	v->struct_off = hdr(blob, H_OFF_STRUCT);
	if (v->struct_off < hsize) {
		*why = "structure block overlaps the header";
		return -EINVAL;
	}
	if (v->struct_off % 4) {
		*why = "structure block is not 4-byte aligned";
		return -EINVAL;
	}
	if (v->struct_off >= v->total) {
		*why = "structure block starts past totalsize";
		return -EINVAL;
	}
	if (hsize == HDR_SIZE_V16) {
		v->struct_size = v16_struct_size(blob);
		return 0;
	}
	v->struct_size = hdr(blob, H_SIZE_STRUCT);
	if (v->struct_size > v->total - v->struct_off) {
		*why = "structure block extends past totalsize";
		return -EINVAL;
	}
	if (v->struct_size % 4) {
		*why = "structure block size is not a multiple of 4";
		return -EINVAL;
	}
	return 0;
}

static int check_strings_block(const uint8_t *blob, struct fdt_view *v,
			       const char **why)
{
	v->strings_off = hdr(blob, H_OFF_STRINGS);
	v->strings_size = hdr(blob, H_SIZE_STRINGS);
	if (v->strings_off < header_size(blob)) {
		*why = "strings block overlaps the header";
		return -EINVAL;
	}
	if (v->strings_off > v->total) {
		*why = "strings block starts past totalsize";
		return -EINVAL;
	}
	if (v->strings_size > v->total - v->strings_off) {
		*why = "strings block extends past totalsize";
		return -EINVAL;
	}
	if (overlaps(v->struct_off, v->struct_size, v->strings_off,
		     v->strings_size)) {
		*why = "structure and strings blocks overlap";
		return -EINVAL;
	}
	return 0;
}

static int check_rsv_offset(const uint8_t *blob, struct fdt_view *v,
			    const char **why)
{
	v->rsv_off = hdr(blob, H_OFF_RSV);
	if (v->rsv_off < header_size(blob)) {
		*why = "memory reservation block overlaps the header";
		return -EINVAL;
	}
	if (v->rsv_off % 8) {
		*why = "memory reservation block is not 8-byte aligned";
		return -EINVAL;
	}
	if (v->rsv_off > v->total) {
		*why = "memory reservation block starts past totalsize";
		return -EINVAL;
	}
	return 0;
}

/* The header alone, blob known to hold at least max_size bytes. */
static int check_header(const void *blob, size_t max_size, struct fdt_view *v,
			const char **why)
{
	int err;

	if (!blob) {
		*why = "no blob (NULL pointer)";
		return -EINVAL;
	}
	if (max_size < HDR_SIZE_V17) {
		*why = "buffer is smaller than an FDT header";
		return -E2BIG;
	}
	v->blob = blob;
	err = check_version(v->blob, why);
	if (!err)
		err = check_totalsize(v->blob, max_size, why);
	if (err)
		return err;
	v->total = hdr(v->blob, H_TOTALSIZE);
	err = check_struct_block(v->blob, v, why);
	if (!err)
		err = check_strings_block(v->blob, v, why);
	if (!err)
		err = check_rsv_offset(v->blob, v, why);
	return err;
}

/* The view of a blob that has passed fdt_check(). */
static bool view_of(const void *fdt, struct fdt_view *v)
{
	const char *why;

	return fdt && check_header(fdt, hdr(fdt, H_TOTALSIZE), v, &why) == 0;
}

/* ---- the memory reservation block ---- */

/*
 * The block has no size of its own: it ends with an all-zero entry, which
 * must come before totalsize and before the next block.
 */
static int check_memrsv(const struct fdt_view *v, const char **why)
{
	uint64_t end = v->total, off;
	const char *into = "memory reservation block has no terminating entry";

	if (v->struct_off > v->rsv_off && v->struct_off < end) {
		end = v->struct_off;
		into = "memory reservation block overlaps the structure block";
	}
	if (v->strings_off > v->rsv_off && v->strings_off < end) {
		end = v->strings_off;
		into = "memory reservation block overlaps the strings block";
	}
	if (overlaps(v->rsv_off, 1, v->struct_off, v->struct_size))
		into = "memory reservation block overlaps the structure block";
	else if (overlaps(v->rsv_off, 1, v->strings_off, v->strings_size))
		into = "memory reservation block overlaps the strings block";
	else
		for (off = v->rsv_off; off + RSV_ENTRY_SIZE <= end;
		     off += RSV_ENTRY_SIZE)
			if (fdt_be64(v->blob + off) == 0 &&
			    fdt_be64(v->blob + off + 8) == 0)
				return 0;
	*why = into;
	return -EINVAL;
}

int fdt_get_memreserve(const void *fdt, int idx, uint64_t *addr, uint64_t *size)
{
	struct fdt_view v;
	uint64_t off;
	int i;

	if (!view_of(fdt, &v) || idx < 0)
		return -EINVAL;
	for (i = 0, off = v.rsv_off;; i++, off += RSV_ENTRY_SIZE) {
		uint64_t a, s;

		if (off + RSV_ENTRY_SIZE > v.total)
			return -EINVAL;
		a = fdt_be64(v.blob + off);
		s = fdt_be64(v.blob + off + 8);
		if (a == 0 && s == 0)
			return -ENOENT;
		if (i == idx) {
			*addr = a;
			*size = s;
			return 0;
		}
	}
}

int fdt_num_memreserve(const void *fdt)
{
	uint64_t a, s;
	int n = 0;

	while (fdt_get_memreserve(fdt, n, &a, &s) == 0)
		n++;
	return n;
}

/* ---- tokens ---- */

static int read_name(const struct fdt_view *v, int off, struct fdt_tok *t,
		     const char **why)
{
	const char *name = (const char *)v->blob + v->struct_off + off + 4;
	size_t room = v->struct_size - (uint32_t)off - 4;
	size_t n = strnlen(name, room);

	if (n == room) {
		*why = "node name runs past the structure block";
		return -EINVAL;
	}
	t->name = name;
	t->next = (int)align4((uint64_t)off + 4 + n + 1);
	return 0;
}

static int read_prop(const struct fdt_view *v, int off, struct fdt_tok *t,
		     const char **why)
{
	const uint8_t *p = v->blob + v->struct_off + off;
	uint32_t room = v->struct_size - (uint32_t)off;

	if (room < 12) {
		*why = "property header runs past the structure block";
		return -EINVAL;
	}
	t->len = fdt_be32(p + 4);
	t->nameoff = fdt_be32(p + 8);
	if (t->len > room - 12) {
		*why = "property value runs past the structure block";
		return -EINVAL;
	}
	t->next = (int)align4((uint64_t)off + 12 + t->len);
	return 0;
}

/* Decode the token at off; every byte it covers lies in the block. */
static int read_token(const struct fdt_view *v, int off, struct fdt_tok *t,
		      const char **why)
{
	if (off < 0 || off % 4) {
		*why = "misaligned or negative structure offset";
		return -EINVAL;
	}
	if ((uint32_t)off >= v->struct_size ||
	    v->struct_size - (uint32_t)off < 4) {
		*why = "structure block ends without FDT_END";
		return -EINVAL;
	}
	t->tag = fdt_be32(v->blob + v->struct_off + off);
	t->name = NULL;
	t->next = off + 4;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		return read_name(v, off, t, why);
	case FDT_PROP:
		return read_prop(v, off, t, why);
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return 0;
	default:
		*why = "unknown token in the structure block";
		return -EINVAL;
	}
}

/* A name in the strings block, or NULL if it is not inside it. */
static const char *string_at(const struct fdt_view *v, uint32_t nameoff)
{
	const char *s;

	if (nameoff >= v->strings_size)
		return NULL;
	s = (const char *)v->blob + v->strings_off + nameoff;
	if (strnlen(s, v->strings_size - nameoff) == v->strings_size - nameoff)
		return NULL;
	return s;
}

/* ---- the structure block, once through ---- */

struct walk {
	int depth;
	bool seen_root;
	uint32_t prev; /* the previous token other than FDT_NOP */
};

static int check_begin(struct walk *w, const struct fdt_tok *t,
		       const char **why)
{
	if (w->depth == 0 && w->seen_root) {
		*why = "more than one root node";
		return -EINVAL;
	}
	if (w->depth == 0 && t->name[0] != '\0') {
		*why = "root node has a name";
		return -EINVAL;
	}
	if (w->depth > 0 && t->name[0] == '\0') {
		*why = "node with an empty name";
		return -EINVAL;
	}
	if (strchr(t->name, '/')) {
		*why = "node name contains '/'";
		return -EINVAL;
	}
	if (++w->depth > FDT_MAX_DEPTH) {
		*why = "nodes nested deeper than FDT_MAX_DEPTH (32)";
		return -ERANGE;
	}
	w->seen_root = true;
	return 0;
}

static int check_prop(const struct fdt_view *v, struct walk *w,
		      const struct fdt_tok *t, const char **why)
{
	if (w->depth == 0) {
		*why = "property outside any node";
		return -EINVAL;
	}
	if (w->prev != FDT_BEGIN_NODE && w->prev != FDT_PROP) {
		*why = "property after a subnode";
		return -EINVAL;
	}
	if (t->nameoff >= v->strings_size) {
		*why = "property name offset is past the strings block";
		return -EINVAL;
	}
	if (!string_at(v, t->nameoff)) {
		*why = "property name runs past the strings block";
		return -EINVAL;
	}
	return 0;
}

/* One token of the walk; 1 when FDT_END closes a complete tree. */
static int check_token(const struct fdt_view *v, struct walk *w,
		       const struct fdt_tok *t, const char **why)
{
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		return check_begin(w, t, why);
	case FDT_END_NODE:
		if (w->depth == 0) {
			*why = "FDT_END_NODE without a matching FDT_BEGIN_NODE";
			return -EINVAL;
		}
		w->depth--;
		return 0;
	case FDT_PROP:
		return check_prop(v, w, t, why);
	case FDT_END:
		if (w->depth != 0) {
			*why = "FDT_END inside an unclosed node";
			return -EINVAL;
		}
		if (!w->seen_root) {
			*why = "structure block has no root node";
			return -EINVAL;
		}
		return 1;
	default:
		return 0; /* FDT_NOP */
	}
}

static int check_structure(const struct fdt_view *v, const char **why)
{
	struct walk w = { .depth = 0, .seen_root = false, .prev = FDT_NOP };
	struct fdt_tok t;
	int off = 0;
	int err;

	for (;;) {
		err = read_token(v, off, &t, why);
		if (!err)
			err = check_token(v, &w, &t, why);
		if (err)
			return err < 0 ? err : 0;
		if (t.tag != FDT_NOP)
			w.prev = t.tag;
		off = t.next;
	}
}

int fdt_check(const void *blob, size_t max_size, const char **why)
{
	const char *reason = "unknown error";
	struct fdt_view v;
	int err;

	err = check_header(blob, max_size, &v, &reason);
	if (!err)
		err = check_memrsv(&v, &reason);
	if (!err)
		err = check_structure(&v, &reason);
	if (err && why)
		*why = reason;
	return err;
}

const char *fdt_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case -ENOEXEC:
		return "not a device tree this reader understands";
	case -E2BIG:
		return "device tree does not fit its buffer";
	case -ERANGE:
		return "value out of range";
	case -ENOENT:
		return "not found";
	case -EINVAL:
		return "malformed device tree";
	default:
		return "unexpected error";
	}
}

uint32_t fdt_totalsize(const void *fdt)
{
	return hdr(fdt, H_TOTALSIZE);
}

uint32_t fdt_boot_cpuid(const void *fdt)
{
	return hdr(fdt, H_BOOT_CPUID);
}

/* ---- nodes ---- */

/* The token at off, which must be tag; false if it is not. */
static bool token_is(const struct fdt_view *v, int off, uint32_t tag,
		     struct fdt_tok *t)
{
	const char *why;

	return read_token(v, off, t, &why) == 0 && t->tag == tag;
}

/* The first token at or after off that is not FDT_NOP; -EINVAL if bad. */
static int skip_nops(const struct fdt_view *v, int off, struct fdt_tok *t)
{
	const char *why;

	for (;;) {
		if (read_token(v, off, t, &why))
			return -EINVAL;
		if (t->tag != FDT_NOP)
			return off;
		off = t->next;
	}
}

/*
 * From the node at off, the next FDT_BEGIN_NODE in document order. *depth
 * goes up by one for it and down by one for each FDT_END_NODE passed;
 * -ENOENT once it would drop below zero or at FDT_END.
 */
static int next_node_depth(const struct fdt_view *v, int off, int *depth)
{
	struct fdt_tok t;

	if (!token_is(v, off, FDT_BEGIN_NODE, &t))
		return -EINVAL;
	for (;;) {
		off = skip_nops(v, t.next, &t);
		if (off < 0)
			return off;
		if (t.tag == FDT_BEGIN_NODE) {
			++*depth;
			return off;
		}
		if (t.tag == FDT_END)
			return -ENOENT;
		if (t.tag == FDT_END_NODE && --*depth < 0)
			return -ENOENT;
	}
}

int fdt_root(const void *fdt)
{
	struct fdt_view v;
	struct fdt_tok t;
	int off;

	if (!view_of(fdt, &v))
		return -EINVAL;
	off = skip_nops(&v, 0, &t);
	if (off < 0 || t.tag != FDT_BEGIN_NODE)
		return -EINVAL;
	return off;
}

int fdt_next_node(const void *fdt, int node)
{
	struct fdt_view v;
	int depth = INT_LIMIT / 2; /* never drops below zero */

	if (!view_of(fdt, &v))
		return -EINVAL;
	return next_node_depth(&v, node, &depth);
}

int fdt_first_child(const void *fdt, int node)
{
	struct fdt_view v;
	int depth = 0;

	if (!view_of(fdt, &v))
		return -EINVAL;
	return next_node_depth(&v, node, &depth);
}

int fdt_next_sibling(const void *fdt, int node)
{
	struct fdt_view v;
	int depth = 1;

	if (!view_of(fdt, &v))
		return -EINVAL;
	do {
		node = next_node_depth(&v, node, &depth);
	} while (node >= 0 && depth > 1);
	return node;
}

int fdt_parent(const void *fdt, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	struct fdt_view v;
	int depth = 0;
	int off = fdt_root(fdt);

	if (off < 0 || !view_of(fdt, &v))
		return -EINVAL;
	if (off == node)
		return -ENOENT;
	stack[0] = off;
	for (;;) {
		off = next_node_depth(&v, off, &depth);
		if (off < 0 || off > node || depth > FDT_MAX_DEPTH)
			return -EINVAL;
		stack[depth] = off;
		if (off == node)
			return stack[depth - 1];
	}
}

const char *fdt_node_name(const void *fdt, int node)
{
	struct fdt_view v;
	struct fdt_tok t;

	if (!view_of(fdt, &v) || !token_is(&v, node, FDT_BEGIN_NODE, &t))
		return NULL;
	return t.name;
}

/* Does node name cname match the first n bytes of name? */
static bool name_matches(const char *cname, const char *name, size_t n)
{
	if (!cname || strnlen(cname, n) != n || memcmp(cname, name, n) != 0)
		return false;
	if (cname[n] == '\0')
		return true;
	return cname[n] == '@' && !memchr(name, '@', n);
}

int fdt_subnode(const void *fdt, int parent, const char *name, int name_len)
{
	int child;

	if (name_len <= 0)
		return -EINVAL;
	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child))
		if (name_matches(fdt_node_name(fdt, child), name,
				 (size_t)name_len))
			return child;
	return child;
}

/* Walk the components of path[0..len) down from node. */
static int walk_path(const void *fdt, int node, const char *path, int len)
{
	int i = 0;

	while (node >= 0 && i < len) {
		int start;

		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && path[i] != '/' && path[i] != '\0')
			i++;
		if (i < len && path[i] == '\0')
			return -EINVAL;
		node = fdt_subnode(fdt, node, path + start, i - start);
	}
	return node;
}

static const void *getprop_n(const void *fdt, int node, const char *name,
			     size_t n, int *len);

/* path[0..len) starts with an alias; resolve it, then walk the rest. */
static int alias_path(const void *fdt, const char *path, int len)
{
	int aliases = fdt_path_offset(fdt, "/aliases");
	const char *target;
	int n = 0;
	int tlen;

	if (aliases < 0)
		return aliases;
	while (n < len && path[n] != '/')
		n++;
	target = getprop_n(fdt, aliases, path, (size_t)n, &tlen);
	if (!target)
		return -ENOENT;
	if (tlen < 2 || target[0] != '/' || target[tlen - 1] != '\0')
		return -EINVAL;
	return walk_path(fdt, walk_path(fdt, fdt_root(fdt), target, tlen - 1),
			 path + n, len - n);
}

int fdt_path_offset_n(const void *fdt, const char *path, int len)
{
	if (!path || len <= 0 || path[0] == '\0')
		return -EINVAL;
	if (path[0] != '/')
		return alias_path(fdt, path, len);
	return walk_path(fdt, fdt_root(fdt), path, len);
}

int fdt_path_offset(const void *fdt, const char *path)
{
	if (!path)
		return -EINVAL;
	return fdt_path_offset_n(fdt, path, (int)strnlen(path, INT_LIMIT));
}

uint32_t fdt_get_phandle(const void *fdt, int node)
{
	uint32_t ph;

	if (fdt_prop_u32(fdt, node, "phandle", &ph) == 0)
		return ph;
	if (fdt_prop_u32(fdt, node, "linux,phandle", &ph) == 0)
		return ph;
	return 0;
}

int fdt_node_by_phandle(const void *fdt, uint32_t ph)
{
	int node;

	if (ph == 0 || ph == 0xffffffffu)
		return -ENOENT;
	for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node))
		if (fdt_get_phandle(fdt, node) == ph)
			return node;
	return node;
}

int fdt_find_compatible(const void *fdt, int after, const char *compat)
{
	int node = after < 0 ? fdt_root(fdt) : fdt_next_node(fdt, after);

	for (; node >= 0; node = fdt_next_node(fdt, node))
		if (fdt_node_is_compatible(fdt, node, compat))
			return node;
	return node;
}

/* ---- properties ---- */

/* The property at or after off (NOPs skipped), if one is there. */
static int prop_from(const struct fdt_view *v, int off, struct fdt_tok *t)
{
	off = skip_nops(v, off, t);
	if (off < 0)
		return off;
	return t->tag == FDT_PROP ? off : -ENOENT;
}

int fdt_first_prop(const void *fdt, int node)
{
	struct fdt_view v;
	struct fdt_tok t;

	if (!view_of(fdt, &v) || !token_is(&v, node, FDT_BEGIN_NODE, &t))
		return -EINVAL;
	return prop_from(&v, t.next, &t);
}

int fdt_next_prop(const void *fdt, int prop)
{
	struct fdt_view v;
	struct fdt_tok t;

	if (!view_of(fdt, &v) || !token_is(&v, prop, FDT_PROP, &t))
		return -EINVAL;
	return prop_from(&v, t.next, &t);
}

const void *fdt_prop_at(const void *fdt, int prop, const char **name, int *len)
{
	struct fdt_view v;
	struct fdt_tok t;
	const char *s;

	if (!view_of(fdt, &v) || !token_is(&v, prop, FDT_PROP, &t))
		return NULL;
	s = string_at(&v, t.nameoff);
	if (!s)
		return NULL;
	if (name)
		*name = s;
	if (len)
		*len = (int)t.len;
	return v.blob + v.struct_off + prop + 12;
}

/*
 * fdt_getprop() for a name of n bytes, not necessarily NUL-terminated. One
 * pass over the node's properties with a single view of the blob.
 */
static const void *getprop_n(const void *fdt, int node, const char *name,
			     size_t n, int *len)
{
	struct fdt_view v;
	struct fdt_tok t;
	int off, dummy;

	if (!len)
		len = &dummy;
	*len = -EINVAL;
	if (!view_of(fdt, &v) || !token_is(&v, node, FDT_BEGIN_NODE, &t))
		return NULL;
	*len = -ENOENT;
	for (off = prop_from(&v, t.next, &t); off >= 0;
	     off = prop_from(&v, t.next, &t)) {
		const char *pname = string_at(&v, t.nameoff);

		if (pname && str_eq_n(pname, name, n)) {
			*len = (int)t.len;
			return v.blob + v.struct_off + off + 12;
		}
	}
	return NULL;
}

const void *fdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	return getprop_n(fdt, node, name, strlen(name), len);
}

int fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);

	if (!val)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	*out = fdt_be32(val);
	return 0;
}

int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);

	if (!val)
		return -ENOENT;
	if (len == 4)
		*out = fdt_be32(val);
	else if (len == 8)
		*out = fdt_be64(val);
	else
		return -EINVAL;
	return 0;
}

int fdt_prop_string(const void *fdt, int node, const char *name,
		    const char **out)
{
	int len;
	const char *val = fdt_getprop(fdt, node, name, &len);

	if (!val)
		return -ENOENT;
	if (len < 1 || val[len - 1] != '\0')
		return -EINVAL;
	*out = val;
	return 0;
}

bool fdt_stringlist_contains(const char *list, int len, const char *s)
{
	size_t n = strlen(s);
	int i = 0;

	while (list && i < len) {
		size_t item = strnlen(list + i, (size_t)(len - i));

		if (item == (size_t)(len - i))
			return false; /* unterminated tail */
		if (item == n && memcmp(list + i, s, n) == 0)
			return true;
		i += (int)item + 1;
	}
	return false;
}

bool fdt_node_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	return list && fdt_stringlist_contains(list, len, compat);
}

bool fdt_node_is_available(const void *fdt, int node)
{
	const char *status;
	int err = fdt_prop_string(fdt, node, "status", &status);

	if (err == -ENOENT)
		return true;
	return err == 0 &&
	       (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

/* ---- addresses ---- */

static int cells_prop(const void *fdt, int node, const char *name,
		      uint32_t dflt, uint32_t max)
{
	uint32_t val;
	int err = fdt_prop_u32(fdt, node, name, &val);

	if (err == -ENOENT)
		return (int)dflt;
	if (err)
		return err;
	return val <= max ? (int)val : -EINVAL;
}

int fdt_address_cells(const void *fdt, int node)
{
	return cells_prop(fdt, node, "#address-cells", 2, FDT_MAX_ADDR_CELLS);
}

int fdt_size_cells(const void *fdt, int node)
{
	return cells_prop(fdt, node, "#size-cells", 1, FDT_MAX_SIZE_CELLS);
}

int fdt_reg_cells(const void *fdt, int node, int ac, int sc, int idx,
		  uint64_t *base, uint64_t *size)
{
	const uint8_t *reg;
	int len, entry, err;

	if (ac < 0 || ac > FDT_MAX_ADDR_CELLS || sc < 0 ||
	    sc > FDT_MAX_SIZE_CELLS)
		return -EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	entry = 4 * (ac + sc);
	if (entry == 0 || len % entry)
		return -EINVAL;
	if (idx < 0 || idx >= len / entry)
		return -ENOENT;
	reg += idx * entry;
	err = fdt_cells(reg, ac, base);
	if (!err)
		err = fdt_cells(reg + 4 * ac, sc, size);
	if (!err && *size && *base + (*size - 1) < *base)
		err = -ERANGE;
	return err;
}

int fdt_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	int ac, sc;

	if (parent < 0)
		return -EINVAL;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 0 || sc < 0)
		return -EINVAL;
	return fdt_reg_cells(fdt, node, ac, sc, idx, base, size);
}
