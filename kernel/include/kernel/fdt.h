/* SPDX-License-Identifier: MIT */
/*
 * Read-only access to a flattened device tree (devicetree specification
 * v0.4, blob version 17, readable by version 16 readers).
 *
 * The blob comes from firmware and is trusted for nothing. fdt_check()
 * validates the header and walks the whole structure block once; it must
 * succeed before any other function here is used. The navigation functions
 * still bound every read by the sizes in the header, so a blob that passed
 * fdt_check() can never make them read outside it.
 *
 * Nodes and properties are named by their offset (an int >= 0) inside the
 * structure block. Functions that return an offset return a negative errno
 * instead when there is none (-ENOENT) or the argument is bad (-EINVAL).
 * All multi-byte values in the blob are big-endian; nothing here needs the
 * blob to be aligned in memory.
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include <kernel/types.h>

#define FDT_MAGIC 0xd00dfeedU
#define FDT_VERSION 17	     /* the version this reader is written to */
#define FDT_LAST_COMP 16     /* oldest version whose blobs it reads */
#define FDT_MAX_DEPTH 32     /* nodes nested deeper are rejected */
#define FDT_MAX_ADDR_CELLS 4 /* larger #address-cells are rejected */
#define FDT_MAX_SIZE_CELLS 4 /* larger #size-cells are rejected */

/* Structure block tokens. */
#define FDT_BEGIN_NODE 0x1
#define FDT_END_NODE 0x2
#define FDT_PROP 0x3
#define FDT_NOP 0x4
#define FDT_END 0x9

/* The header as stored; every field big-endian. */
struct fdt_header {
	uint32_t magic;
	uint32_t totalsize;
	uint32_t off_dt_struct;
	uint32_t off_dt_strings;
	uint32_t off_mem_rsvmap;
	uint32_t version;
	uint32_t last_comp_version;
	uint32_t boot_cpuid_phys;
	uint32_t size_dt_strings;
	uint32_t size_dt_struct; /* version 17 and later */
};

/*
 * Validate the blob at 'blob', of which at most max_size bytes may be read.
 * Returns 0, or:
 *   -ENOEXEC  not a device tree (bad magic) or a version it cannot read;
 *   -E2BIG    the blob does not fit in max_size;
 *   -ERANGE   nodes nested deeper than FDT_MAX_DEPTH;
 *   -EINVAL   anything else malformed.
 * On error, *why (if why is not NULL) is set to a constant sentence saying
 * precisely what is wrong; on success it is left alone.
 */
int fdt_check(const void *blob, size_t max_size, const char **why);

/* A short description of an errno returned by this module. */
const char *fdt_strerror(int err);

/* Reading big-endian cells at any alignment. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);
/*
 * Combine ncells big-endian cells into *out. Cells above the low two must
 * be zero (else -ERANGE); ncells must be 0..FDT_MAX_ADDR_CELLS.
 */
int fdt_cells(const void *cells, int ncells, uint64_t *out);

/* Header fields of a checked blob. */
uint32_t fdt_totalsize(const void *fdt);
uint32_t fdt_boot_cpuid(const void *fdt);

/* ---- memory reservation block ---- */
int fdt_num_memreserve(const void *fdt);
/* Entry idx (0-based); -ENOENT past the last one. */
int fdt_get_memreserve(const void *fdt, int idx, uint64_t *addr,
		       uint64_t *size);

/* ---- nodes ---- */
int fdt_root(const void *fdt);
/* Next node in document order at any depth; -ENOENT at the end. */
int fdt_next_node(const void *fdt, int node);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
/* The parent (a walk from the root); -ENOENT for the root. */
int fdt_parent(const void *fdt, int node);
/* Node name with its unit address ("serial@10000000"; "" for the root). */
const char *fdt_node_name(const void *fdt, int node);
/*
 * The child of 'parent' called 'name' (name_len bytes, no NUL needed). A
 * name without '@' also matches a child that has a unit address.
 */
int fdt_subnode(const void *fdt, int parent, const char *name, int name_len);
/*
 * Look up "/a/b@1/c", or an alias from /aliases ("serial0", "serial0/x").
 * The _n form reads only len bytes of path.
 */
int fdt_path_offset(const void *fdt, const char *path);
int fdt_path_offset_n(const void *fdt, const char *path, int len);
/* The node whose "phandle" (or "linux,phandle") is ph. */
int fdt_node_by_phandle(const void *fdt, uint32_t ph);
/* The node's own phandle; 0 if it has none. */
uint32_t fdt_get_phandle(const void *fdt, int node);
/* The first node after 'after' (-1: from the root) with this compatible. */
int fdt_find_compatible(const void *fdt, int after, const char *compat);

/* ---- properties ---- */
int fdt_first_prop(const void *fdt, int node);
int fdt_next_prop(const void *fdt, int prop);
/* Value, name and length of the property at offset prop; NULL if bad. */
const void *fdt_prop_at(const void *fdt, int prop, const char **name, int *len);
/*
 * Value of the node's property 'name'; NULL if absent. *len (if len is not
 * NULL) is the value's length, or -ENOENT when absent.
 */
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len);
/* 0, -ENOENT if absent, -EINVAL if the length is wrong. */
int fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out);
/* Accepts one or two cells. */
int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out);
/* A NUL-terminated string (the first, for a string list). */
int fdt_prop_string(const void *fdt, int node, const char *name,
		    const char **out);
/* Does the string list (len bytes) contain exactly s? */
bool fdt_stringlist_contains(const char *list, int len, const char *s);
bool fdt_node_is_compatible(const void *fdt, int node, const char *compat);
/* status absent, "okay" or "ok". */
bool fdt_node_is_available(const void *fdt, int node);

/* ---- addresses ---- */
/*
 * #address-cells / #size-cells that 'node' gives its children (defaults 2
 * and 1). -EINVAL if the property is malformed or above the limits.
 */
int fdt_address_cells(const void *fdt, int node);
int fdt_size_cells(const void *fdt, int node);
/*
 * Entry idx of the node's "reg", decoded with its parent's cells (_cells
 * form: with the cells given). -ENOENT if there is no such entry, -EINVAL
 * if reg is not a whole number of entries, -ERANGE if a value does not fit
 * 64 bits or base + size wraps.
 */
int fdt_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size);
int fdt_reg_cells(const void *fdt, int node, int ac, int sc, int idx,
		  uint64_t *base, uint64_t *size);

#endif
