/* SPDX-License-Identifier: MIT */
/*
 * The kernel object allocator, built on the page allocator.
 *
 * Requests up to KMALLOC_MAX_CLASS bytes come from slabs of power-of-two
 * size classes (16 .. 2048 bytes, one page per slab); larger ones get whole
 * contiguous pages. Memory is always zeroed and at least 16-byte aligned;
 * objects of the 512 to 2048 classes are aligned to their size and large
 * allocations to a page.
 * A slab page whose last object is freed goes straight back to the page
 * allocator, so once every object is freed page_get_stats() shows the same
 * numbers as before.
 *
 * kfree checks its pointer before touching anything: a pointer that is not
 * the start of a live kmalloc object (double free, a stack or static
 * address, the middle of an object) is reported with pr_err, counted in
 * bad_frees and otherwise ignored. All functions may be called from any
 * hart, with interrupts on or off; they never sleep.
 */
#ifndef KERNEL_KMALLOC_H
#define KERNEL_KMALLOC_H

#include <kernel/types.h>

#define KMALLOC_MIN_CLASS 16
#define KMALLOC_MAX_CLASS 2048
#define KMALLOC_NR_CLASSES 8 /* 16, 32, 64, 128, 256, 512, 1024, 2048 */

/* size zeroed bytes, or NULL on failure or for size 0. */
void *kmalloc(size_t size);
/* n * size zeroed bytes; NULL if that overflows. */
void *kcalloc(size_t n, size_t size);
/* Free what kmalloc returned; NULL is ignored. */
void kfree(void *p);

struct kmalloc_class_stats {
	size_t size;	       /* object size of this class */
	size_t objects_in_use; /* objects handed out now */
	size_t slabs;	       /* slab pages held */
	size_t allocs;	       /* kmalloc calls served, ever */
	size_t frees;	       /* kfree calls served, ever */
};

struct kmalloc_stats {
	size_t bytes_in_use;   /* of objects in use, rounded to class/pages */
	size_t objects_in_use; /* small and large */
	size_t pages_held;     /* slab pages and large allocations */
	size_t failed;	       /* kmalloc calls that returned NULL (not
				 * counting size 0) */
	size_t bad_frees;      /* kfree calls that were refused */
	size_t large_objects;  /* in use, larger than KMALLOC_MAX_CLASS */
	size_t large_pages;    /* pages those hold */
	size_t slab_headers;   /* off-page slab headers (internal objects,
				 * not counted above) */
	struct kmalloc_class_stats classes[KMALLOC_NR_CLASSES];
};

void kmalloc_get_stats(struct kmalloc_stats *st);

/*
 * Forget every slab and counter. For unit tests, after page_alloc_init();
 * objects still allocated are leaked.
 */
void kmalloc_init(void);

#endif
