/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator.
 *
 * Free RAM is handed over as ranges; each range keeps a bitmap of busy
 * pages, a bitmap of reserved pages and one tag word per page in metadata
 * pages taken from the range itself. Allocations return zeroed pages by
 * physical address; 0 means failure.
 *
 * Setup, in any order before pages are used:
 *	page_alloc_init();			(optional at boot: static state)
 *	page_alloc_add_range(start, end);	for each RAM bank
 *	page_reserve(start, end);		for each reserved region
 *	page_alloc_ready();			prints a summary
 * A reserved region recorded before a range is added is avoided when the
 * range's metadata is placed; one recorded after it must not overlap the
 * metadata (it then fails with -EBUSY), so reserving first is the safest
 * order. Regions outside every range are remembered but cost nothing.
 *
 * Freeing a page that is not allocated (double free, reserved page, no such
 * RAM, unaligned address) changes nothing: it is reported with pr_err,
 * counted in bad_frees and returns -EINVAL. All functions take one
 * spinlock and may be called from any hart, with interrupts on or off.
 */
#ifndef KERNEL_PAGE_ALLOC_H
#define KERNEL_PAGE_ALLOC_H

#include <kernel/types.h>

#define PAGE_MAX_RANGES 16   /* RAM ranges that can be added */
#define PAGE_MAX_RESERVED 32 /* reserved regions that are remembered */

struct page_stats {
	size_t total;	      /* pages in all ranges */
	size_t free;	      /* pages that page_alloc may return */
	size_t used;	      /* pages allocated now */
	size_t reserved;      /* reserved pages, allocator metadata included */
	size_t failed_allocs; /* allocations that returned 0 */
	size_t bad_frees;     /* frees of pages that were not allocated */
};

/* Forget all ranges, reservations and counters. */
void page_alloc_init(void);
/*
 * Add free RAM [start, end), shrunk inward to whole pages (page 0 is left
 * out: address 0 means failure). Returns 0,
 * -EINVAL if no whole page is left or it overlaps a range already added,
 * -ENOSPC when PAGE_MAX_RANGES are in use, -ENOMEM if the range cannot
 * hold its own metadata.
 */
int page_alloc_add_range(paddr_t start, paddr_t end);
/*
 * Mark [start, end), widened outward to whole pages, as never to be
 * allocated. Returns 0, -EINVAL for an empty region, -ENOSPC when
 * PAGE_MAX_RESERVED regions are remembered, -EBUSY if part of it is
 * allocated or holds allocator metadata (then nothing is reserved).
 */
int page_reserve(paddr_t start, paddr_t end);
/* Setup is complete; logs the totals. */
void page_alloc_ready(void);
bool page_alloc_is_ready(void);

/* One zeroed page, or 0. */
paddr_t page_alloc(void);
/*
 * npages physically contiguous zeroed pages starting at a multiple of
 * align_pages pages (0 or 1: any page), or 0.
 */
paddr_t page_alloc_contig(size_t npages, size_t align_pages);
/* Free one page / npages pages from pa; 0 or -EINVAL (see above). */
int page_free(paddr_t pa);
int page_free_contig(paddr_t pa, size_t npages);

/*
 * A word stored with each allocated page for its owner (kmalloc keeps
 * its slab pointers here); 0 after page_alloc. Both return -EINVAL if pa
 * is not the address of an allocated page.
 */
int page_set_tag(paddr_t pa, uintptr_t tag);
int page_get_tag(paddr_t pa, uintptr_t *tag);

void page_get_stats(struct page_stats *st);

#endif
