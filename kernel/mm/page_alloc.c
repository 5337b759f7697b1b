/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator: a bitmap per RAM range.
 *
 * There is no allocator beneath this one, so each range carries its own
 * metadata in its first pages that no reserved region covers: a "busy"
 * bitmap (allocated, reserved or metadata), a "reserved" bitmap (reserved
 * or metadata; such pages can never be freed) and one tag word per page.
 * A page is allocated exactly when it is busy and not reserved, which is
 * what page_free checks before it changes anything; that check is what
 * makes double frees and stray frees harmless.
 *
 * Bits past the last page of a range are set in both bitmaps so that a
 * search never returns them; they are not counted anywhere.
 *
 * One spinlock guards everything. Pages are zeroed after the lock is
 * dropped (the page is already ours), and warnings are printed after it is
 * dropped too, so printk never runs under it.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

#define BITS 64
#define PAGE_MASK_ ((paddr_t)PAGE_SIZE - 1)

struct page_range {
	paddr_t base; /* physical address of page 0 */
	size_t npages;
	size_t nfree;
	size_t nreserved;  /* reserved pages, metadata included */
	size_t meta_first; /* metadata pages: [meta_first, +meta_count) */
	size_t meta_count;
	size_t hint; /* bitmap word where the last search succeeded */
	uint64_t *busy;
	uint64_t *rsvd;
	uintptr_t *tags;
};

/* A reserved region, widened to whole pages. */
struct region {
	paddr_t start, end;
};

static struct {
	struct page_range ranges[PAGE_MAX_RANGES];
	unsigned nr_ranges;
	struct region reserved[PAGE_MAX_RESERVED];
	unsigned nr_reserved;
	size_t failed_allocs;
	size_t bad_frees;
	bool ready;
} pg;

static struct spinlock page_lock = SPINLOCK_INIT("page_alloc");

/* ---- bits ---- */

static bool test_bit(const uint64_t *map, size_t i)
{
	return (map[i / BITS] >> (i % BITS)) & 1;
}

static void set_bit(uint64_t *map, size_t i)
{
	map[i / BITS] |= 1ULL << (i % BITS);
}

static void clear_bit(uint64_t *map, size_t i)
{
	map[i / BITS] &= ~(1ULL << (i % BITS));
}

/* Index of the lowest clear bit of w, which must not be all ones. Done by
 * halving rather than __builtin_ctzll, which would need libgcc on RV64
 * without Zbb. */
static unsigned lowest_zero(uint64_t w)
{
	uint64_t x = ~w;
	unsigned n = 0, shift;

	for (shift = 32; shift; shift /= 2) {
		if (!(x & ((1ULL << shift) - 1))) {
			x >>= shift;
			n += shift;
		}
	}
	return n;
}

static size_t map_words(size_t npages)
{
	return (npages + BITS - 1) / BITS;
}

/* ---- ranges ---- */

static paddr_t range_end(const struct page_range *r)
{
	return r->base + ((paddr_t)r->npages << PAGE_SHIFT);
}

static struct page_range *range_of(paddr_t pa)
{
	unsigned i;

	for (i = 0; i < pg.nr_ranges; i++) {
		struct page_range *r = &pg.ranges[i];

		if (pa >= r->base && pa < range_end(r))
			return r;
	}
	return NULL;
}

/* Page indexes of r that [start, end) covers, as [*lo, *hi); false if
 * none. */
static bool intersect(const struct page_range *r, paddr_t start, paddr_t end,
		      size_t *lo, size_t *hi)
{
	paddr_t s = MAX(start, r->base), e = MIN(end, range_end(r));

	if (s >= e)
		return false;
	*lo = (size_t)((s - r->base) >> PAGE_SHIFT);
	*hi = (size_t)((e - r->base) >> PAGE_SHIFT);
	return true;
}

static bool page_allocated(const struct page_range *r, size_t i)
{
	return test_bit(r->busy, i) && !test_bit(r->rsvd, i);
}

/* Reserve the free pages of [lo, hi); reserved ones stay as they are. The
 * caller has checked that none of them is allocated. */
static void reserve_pages(struct page_range *r, size_t lo, size_t hi)
{
	size_t i;

	for (i = lo; i < hi; i++) {
		if (test_bit(r->rsvd, i))
			continue;
		set_bit(r->busy, i);
		set_bit(r->rsvd, i);
		r->nfree--;
		r->nreserved++;
	}
}

/*
 * The lowest page index at which count metadata pages of the range
 * [start, start + npages pages) avoid every reserved region, or npages.
 */
static size_t place_metadata(paddr_t start, size_t npages, size_t count)
{
	size_t c = 0;
	bool moved;
	unsigned i;

	do {
		paddr_t lo = start + ((paddr_t)c << PAGE_SHIFT);
		paddr_t hi = lo + ((paddr_t)count << PAGE_SHIFT);

		moved = false;
		for (i = 0; i < pg.nr_reserved; i++) {
			const struct region *g = &pg.reserved[i];

			if (g->start < hi && lo < g->end) {
				/* regions are page-aligned; skip past this */
				if (g->end - start >=
				    ((paddr_t)npages << PAGE_SHIFT))
					return npages;
				c = (size_t)((g->end - start) >> PAGE_SHIFT);
				moved = true;
				break;
			}
		}
		if (c + count > npages)
			return npages;
	} while (moved);
	return c;
}

/* ---- setup ---- */

void page_alloc_init(void)
{
	memset(&pg, 0, sizeof(pg));
	spin_init(&page_lock, "page_alloc");
}

int page_alloc_add_range(paddr_t start, paddr_t end)
{
	struct page_range *r;
	size_t n, words, meta_bytes, m, c, i;
	unsigned k;
	int err = 0;
	void *meta;

	if (end <= start)
		return -EINVAL;
	if (start > ~PAGE_MASK_)
		return -EINVAL; /* rounding up would wrap */
	start = ALIGN_UP(start, (paddr_t)PAGE_SIZE);
	end = ALIGN_DOWN(end, (paddr_t)PAGE_SIZE);
	if (start == 0)
		start = PAGE_SIZE; /* page 0 would look like failure */
	if (end <= start)
		return -EINVAL;
	n = (size_t)((end - start) >> PAGE_SHIFT);
	words = map_words(n);
	meta_bytes = 2 * words * sizeof(uint64_t) + n * sizeof(uintptr_t);
	m = (meta_bytes + PAGE_SIZE - 1) / PAGE_SIZE;

	spin_lock(&page_lock);
	if (pg.nr_ranges == PAGE_MAX_RANGES) {
		err = -ENOSPC;
		goto out;
	}
	for (k = 0; k < pg.nr_ranges; k++) {
		const struct page_range *o = &pg.ranges[k];

		if (start < range_end(o) && o->base < end) {
			err = -EINVAL;
			goto out;
		}
	}
	c = m < n ? place_metadata(start, n, m) : n;
	if (c + m >= n) { /* no room, or no page left beside metadata */
		err = -ENOMEM;
		goto out;
	}

	meta = arch_phys_to_virt(start + ((paddr_t)c << PAGE_SHIFT));
	memset(meta, 0, m * PAGE_SIZE);
	r = &pg.ranges[pg.nr_ranges];
	*r = (struct page_range){
		.base = start,
		.npages = n,
		.nfree = n,
		.meta_first = c,
		.meta_count = m,
		.busy = meta,
		.rsvd = (uint64_t *)meta + words,
		.tags = (uintptr_t *)((uint64_t *)meta + 2 * words),
	};
	for (i = n; i < words * BITS; i++) {
		set_bit(r->busy, i);
		set_bit(r->rsvd, i);
	}
	reserve_pages(r, c, c + m);
	for (k = 0; k < pg.nr_reserved; k++) {
		size_t lo, hi;

		if (intersect(r, pg.reserved[k].start, pg.reserved[k].end, &lo,
			      &hi))
			reserve_pages(r, lo, hi);
	}
	pg.nr_ranges++;
out:
	spin_unlock(&page_lock);
	return err;
}

int page_reserve(paddr_t start, paddr_t end)
{
	paddr_t bad = 0;
	size_t i, lo, hi;
	unsigned k;
	int err = 0;

	if (end <= start)
		return -EINVAL;
	start = ALIGN_DOWN(start, (paddr_t)PAGE_SIZE);
	/* widen the end, unless that would wrap past the top */
	end = end > ~PAGE_MASK_ ? ~PAGE_MASK_ :
				  ALIGN_UP(end, (paddr_t)PAGE_SIZE);
	if (end <= start)
		return -EINVAL;

	spin_lock(&page_lock);
	if (pg.nr_reserved == PAGE_MAX_RESERVED) {
		err = -ENOSPC;
		goto out;
	}
	/* Check everything first so that a failure reserves nothing. */
	for (k = 0; k < pg.nr_ranges && !err; k++) {
		struct page_range *r = &pg.ranges[k];

		if (!intersect(r, start, end, &lo, &hi))
			continue;
		for (i = lo; i < hi; i++) {
			bool meta = i >= r->meta_first &&
				    i < r->meta_first + r->meta_count;

			if (meta || page_allocated(r, i)) {
				bad = r->base + ((paddr_t)i << PAGE_SHIFT);
				err = -EBUSY;
				break;
			}
		}
	}
	if (err)
		goto out;
	for (k = 0; k < pg.nr_ranges; k++)
		if (intersect(&pg.ranges[k], start, end, &lo, &hi))
			reserve_pages(&pg.ranges[k], lo, hi);
	pg.reserved[pg.nr_reserved++] = (struct region){ start, end };
out:
	spin_unlock(&page_lock);
	if (err == -EBUSY)
		pr_err("page_reserve: %#lx..%#lx: page %#lx is already in use\n",
		       (unsigned long)start, (unsigned long)end,
		       (unsigned long)bad);
	return err;
}

void page_alloc_ready(void)
{
	struct page_stats st;

	page_get_stats(&st);
	spin_lock(&page_lock);
	pg.ready = true;
	spin_unlock(&page_lock);
	pr_info("page_alloc: %zu pages (%zu MiB) in %u range(s), %zu free, %zu reserved\n",
		st.total, st.total >> (20 - PAGE_SHIFT), pg.nr_ranges, st.free,
		st.reserved);
}

bool page_alloc_is_ready(void)
{
	return READ_ONCE(pg.ready);
}

/* ---- allocation ---- */

/* Take one free page of r; its index in *idx. */
static bool alloc_one(struct page_range *r, size_t *idx)
{
	size_t words = map_words(r->npages), k;

	if (!r->nfree)
		return false;
	for (k = 0; k < words; k++) {
		size_t w = (r->hint + k) % words;

		if (r->busy[w] != ~0ULL) {
			*idx = w * BITS + lowest_zero(r->busy[w]);
			r->hint = w;
			return true;
		}
	}
	return false; /* unreachable while nfree is right */
}

/* Find n free pages of r in a row, starting at a pfn that is a multiple
 * of align; the first index in *idx. */
static bool alloc_run(struct page_range *r, size_t n, size_t align, size_t *idx)
{
	uint64_t base_pfn = r->base >> PAGE_SHIFT;
	size_t i, j;

	if (r->nfree < n)
		return false;
	i = (size_t)((align - base_pfn % align) % align);
	while (i < r->npages && r->npages - i >= n) {
		for (j = 0; j < n; j++)
			if (test_bit(r->busy, i + j))
				break;
		if (j == n) {
			*idx = i;
			return true;
		}
		/* no run can contain page i + j: go to the next aligned
		 * index after it */
		i += j + 1;
		i += (size_t)((align - (base_pfn + i) % align) % align);
	}
	return false;
}

paddr_t page_alloc_contig(size_t npages, size_t align_pages)
{
	paddr_t pa = 0;
	size_t idx = 0, i;
	unsigned k;

	if (align_pages == 0)
		align_pages = 1;
	spin_lock(&page_lock);
	for (k = 0; k < pg.nr_ranges && npages; k++) {
		struct page_range *r = &pg.ranges[k];
		bool ok = npages == 1 && align_pages == 1 ?
				  alloc_one(r, &idx) :
				  alloc_run(r, npages, align_pages, &idx);

		if (!ok)
			continue;
		for (i = idx; i < idx + npages; i++) {
			set_bit(r->busy, i);
			r->tags[i] = 0;
		}
		r->nfree -= npages;
		pa = r->base + ((paddr_t)idx << PAGE_SHIFT);
		break;
	}
	if (!pa)
		pg.failed_allocs++;
	spin_unlock(&page_lock);

	if (pa)
		memset(arch_phys_to_virt(pa), 0, npages * PAGE_SIZE);
	return pa;
}

paddr_t page_alloc(void)
{
	return page_alloc_contig(1, 1);
}

/* ---- freeing ---- */

enum free_error {
	FREE_OK,
	FREE_UNALIGNED,
	FREE_NO_RAM,
	FREE_RESERVED,
	FREE_DOUBLE
};

static int free_pages(paddr_t pa, size_t npages, void *caller)
{
	enum free_error why = FREE_OK;
	struct page_range *r;
	paddr_t bad = pa;
	size_t idx = 0, i;

	spin_lock(&page_lock);
	r = range_of(pa);
	if (!IS_ALIGNED(pa, (paddr_t)PAGE_SIZE) || npages == 0) {
		why = FREE_UNALIGNED;
	} else if (!r) {
		why = FREE_NO_RAM;
	} else {
		idx = (size_t)((pa - r->base) >> PAGE_SHIFT);
		if (r->npages - idx < npages) {
			why = FREE_NO_RAM;
			bad = range_end(r);
		}
		/* check every page before changing any */
		for (i = idx; why == FREE_OK && i < idx + npages; i++) {
			if (page_allocated(r, i))
				continue;
			why = test_bit(r->rsvd, i) ? FREE_RESERVED :
						     FREE_DOUBLE;
			bad = r->base + ((paddr_t)i << PAGE_SHIFT);
		}
	}
	if (why == FREE_OK) {
		for (i = idx; i < idx + npages; i++) {
			clear_bit(r->busy, i);
			r->tags[i] = 0;
		}
		r->nfree += npages;
	} else {
		pg.bad_frees++;
	}
	spin_unlock(&page_lock);

	switch (why) {
	case FREE_OK:
		return 0;
	case FREE_UNALIGNED:
		pr_err("page_free: bad address %#lx (%zu pages) from %p\n",
		       (unsigned long)pa, npages, caller);
		break;
	case FREE_NO_RAM:
		pr_err("page_free: %#lx is not in any RAM range, from %p\n",
		       (unsigned long)bad, caller);
		break;
	case FREE_RESERVED:
		pr_err("page_free: %#lx is reserved, from %p\n",
		       (unsigned long)bad, caller);
		break;
	case FREE_DOUBLE:
		pr_err("page_free: double free of %#lx from %p\n",
		       (unsigned long)bad, caller);
		break;
	}
	return -EINVAL;
}

int page_free_contig(paddr_t pa, size_t npages)
{
	return free_pages(pa, npages, __builtin_return_address(0));
}

int page_free(paddr_t pa)
{
	return free_pages(pa, 1, __builtin_return_address(0));
}

/* ---- tags and stats ---- */

/* The tag slot of the allocated page at pa, or NULL. */
static uintptr_t *tag_slot(paddr_t pa)
{
	struct page_range *r = range_of(pa);
	size_t i;

	if (!r || !IS_ALIGNED(pa, (paddr_t)PAGE_SIZE))
		return NULL;
	i = (size_t)((pa - r->base) >> PAGE_SHIFT);
	return page_allocated(r, i) ? &r->tags[i] : NULL;
}

int page_set_tag(paddr_t pa, uintptr_t tag)
{
	uintptr_t *slot;

	spin_lock(&page_lock);
	slot = tag_slot(pa);
	if (slot)
		*slot = tag;
	spin_unlock(&page_lock);
	return slot ? 0 : -EINVAL;
}

int page_get_tag(paddr_t pa, uintptr_t *tag)
{
	uintptr_t *slot;

	spin_lock(&page_lock);
	slot = tag_slot(pa);
	if (slot)
		*tag = *slot;
	spin_unlock(&page_lock);
	return slot ? 0 : -EINVAL;
}

void page_get_stats(struct page_stats *st)
{
	unsigned k;

	memset(st, 0, sizeof(*st));
	spin_lock(&page_lock);
	for (k = 0; k < pg.nr_ranges; k++) {
		const struct page_range *r = &pg.ranges[k];

		st->total += r->npages;
		st->free += r->nfree;
		st->reserved += r->nreserved;
	}
	st->used = st->total - st->free - st->reserved;
	st->failed_allocs = pg.failed_allocs;
	st->bad_frees = pg.bad_frees;
	spin_unlock(&page_lock);
}
