/* SPDX-License-Identifier: MIT */
/*
 * kmalloc: size-class slabs on top of the page allocator.
 *
 * A slab is one page of equal objects described by a struct slab: magic,
 * class, a bitmap with a set bit for every free object, and links for its
 * class's list of partly used slabs. Full slabs are on no list; a slab
 * that becomes empty is returned to the page allocator at once.
 *
 * Where the header lives depends on the class. Up to 256 bytes it sits at
 * the start of the page (costing at most one object's worth of space);
 * from 512 bytes on it would cost half or more of the page, so it is a
 * small object allocated from the header class instead, and the objects
 * fill the whole page. Either way the page's tag in the page allocator
 * (page_set_tag) points at the header, marked TAG_SLAB. A large allocation
 * is tagged TAG_LARGE with its page count in the upper bits.
 *
 * The tag is what makes kfree safe: page_get_tag fails for a page that
 * is not allocated, a page with no kmalloc tag was not ours, and the
 * slab's bitmap tells a live object from a freed one. Nothing is written
 * until all of that has been checked.
 *
 * One spinlock guards the slab lists and counters; the page allocator's
 * lock nests inside it. printk is only called after it is dropped.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/kmalloc.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

#define SLAB_MAGIC 0x51ab51abU
#define MAP_WORDS ((PAGE_SIZE / KMALLOC_MIN_CLASS + 63) / 64)
#define ONPAGE_MAX 256 /* largest class with its header in the page */

#define TAG_SLAB 1UL
#define TAG_LARGE 2UL
#define TAG_MASK 0xfUL
#define TAG_SHIFT 4

struct slab {
	uint32_t magic; /* SLAB_MAGIC while the slab is live */
	uint16_t cls;	/* index into classes[] */
	uint16_t nr_objs;
	uint16_t nr_free;
	struct slab *prev, *next;     /* on the class's partial list */
	char *page;		      /* the slab page */
	char *objs;		      /* object 0 */
	uint64_t free_map[MAP_WORDS]; /* bit i set: object i is free */
};

/* On-page headers keep the objects after them 16-byte aligned. */
#define HDR_SPACE ALIGN_UP(sizeof(struct slab), 16)

/* The class off-page headers are allocated from. */
#define HDR_CLASS 3 /* 128 bytes */

_Static_assert(sizeof(struct slab) <= (16U << HDR_CLASS), "header class");
_Static_assert((16 << HDR_CLASS) <= ONPAGE_MAX,
	       "headers must come from an on-page class");
_Static_assert((16 << (KMALLOC_NR_CLASSES - 1)) == KMALLOC_MAX_CLASS,
	       "class table");

struct kclass {
	struct slab *partial; /* slabs with free and used objects */
	struct kmalloc_class_stats st;
};

static struct {
	struct kclass classes[KMALLOC_NR_CLASSES];
	size_t failed;
	size_t bad_frees;
	size_t large_objects;
	size_t large_pages;
	size_t slab_headers;
} km;

static struct spinlock km_lock = SPINLOCK_INIT("kmalloc");

static size_t class_size(unsigned cls)
{
	return (size_t)KMALLOC_MIN_CLASS << cls;
}

static unsigned class_of(size_t size)
{
	unsigned cls = 0;

	while (class_size(cls) < size)
		cls++;
	return cls;
}

/* ---- slab lists ---- */

static void partial_add(struct kclass *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void partial_del(struct kclass *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

/* ---- slabs; all with km_lock held ---- */

static void *obj_alloc(unsigned cls);
static void obj_release(struct slab *s, size_t idx);

static struct slab *slab_create(unsigned cls)
{
	size_t size = class_size(cls), i;
	paddr_t pa = page_alloc();
	struct slab *s;
	char *page;

	if (!pa)
		return NULL;
	page = arch_phys_to_virt(pa);
	if (size <= ONPAGE_MAX) {
		s = (struct slab *)page;
		s->objs = page + HDR_SPACE;
		s->nr_objs = (uint16_t)((PAGE_SIZE - HDR_SPACE) / size);
	} else {
		s = obj_alloc(HDR_CLASS);
		if (!s) {
			page_free(pa);
			return NULL;
		}
		km.slab_headers++;
		s->objs = page;
		s->nr_objs = (uint16_t)(PAGE_SIZE / size);
	}
	s->magic = SLAB_MAGIC;
	s->cls = (uint16_t)cls;
	s->nr_free = s->nr_objs;
	s->page = page;
	memset(s->free_map, 0, sizeof(s->free_map));
	for (i = 0; i < s->nr_objs; i++)
		s->free_map[i / 64] |= 1ULL << (i % 64);
	page_set_tag(pa, (uintptr_t)s | TAG_SLAB);
	km.classes[cls].st.slabs++;
	return s;
}

static void slab_destroy(struct slab *s)
{
	struct kclass *c = &km.classes[s->cls];
	paddr_t pa = arch_virt_to_phys(s->page);

	partial_del(c, s);
	c->st.slabs--;
	s->magic = 0;
	if (class_size(s->cls) > ONPAGE_MAX) {
		/* the header is an object of an on-page class */
		struct slab *hs =
			(struct slab *)ALIGN_DOWN((uintptr_t)s, PAGE_SIZE);

		km.slab_headers--;
		obj_release(hs, (size_t)((char *)s - hs->objs) /
					class_size(HDR_CLASS));
	}
	page_free(pa);
}

/* Index of the lowest set bit of w, which must not be 0 (no libgcc). */
static unsigned lowest_set(uint64_t w)
{
	unsigned n = 0, shift;

	for (shift = 32; shift; shift /= 2) {
		if (!(w & ((1ULL << shift) - 1))) {
			w >>= shift;
			n += shift;
		}
	}
	return n;
}

/* Take a free object of class cls, making a slab if needed; not zeroed. */
static void *obj_alloc(unsigned cls)
{
	struct kclass *c = &km.classes[cls];
	struct slab *s = c->partial;
	size_t w, i;

	if (!s) {
		s = slab_create(cls);
		if (!s)
			return NULL;
		partial_add(c, s);
	}
	for (w = 0; !s->free_map[w]; w++)
		;
	i = w * 64 + lowest_set(s->free_map[w]);
	s->free_map[w] &= ~(1ULL << (i % 64));
	if (--s->nr_free == 0)
		partial_del(c, s);
	return s->objs + i * class_size(cls);
}

/* Return object idx, known to be in use, to slab s. */
static void obj_release(struct slab *s, size_t idx)
{
	struct kclass *c = &km.classes[s->cls];

	s->free_map[idx / 64] |= 1ULL << (idx % 64);
	if (s->nr_free++ == 0)
		partial_add(c, s);
	if (s->nr_free == s->nr_objs)
		slab_destroy(s);
}

/* ---- the interface ---- */

static void *kmalloc_large(size_t size)
{
	size_t n = size / PAGE_SIZE + (size % PAGE_SIZE != 0);
	paddr_t pa = size > ~(size_t)0 - PAGE_SIZE ? 0 :
						     page_alloc_contig(n, 1);

	spin_lock(&km_lock);
	if (pa) {
		/* pages are zeroed by page_alloc_contig */
		page_set_tag(pa, (uintptr_t)n << TAG_SHIFT | TAG_LARGE);
		km.large_objects++;
		km.large_pages += n;
	} else {
		km.failed++;
	}
	spin_unlock(&km_lock);
	return pa ? arch_phys_to_virt(pa) : NULL;
}

void *kmalloc(size_t size)
{
	unsigned cls;
	void *p;

	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX_CLASS)
		return kmalloc_large(size);

	cls = class_of(size);
	spin_lock(&km_lock);
	p = obj_alloc(cls);
	if (p) {
		km.classes[cls].st.objects_in_use++;
		km.classes[cls].st.allocs++;
	} else {
		km.failed++;
	}
	spin_unlock(&km_lock);
	if (p)
		memset(p, 0, class_size(cls));
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > ~(size_t)0 / size) {
		spin_lock(&km_lock);
		km.failed++;
		spin_unlock(&km_lock);
		return NULL;
	}
	return kmalloc(n * size);
}

enum kfree_error {
	KFREE_OK,
	KFREE_FOREIGN,
	KFREE_INTERIOR,
	KFREE_DOUBLE
};

void kfree(void *p)
{
	enum kfree_error why = KFREE_OK;
	paddr_t pa, page;
	uintptr_t tag;

	if (!p)
		return;
	pa = arch_virt_to_phys(p);
	page = ALIGN_DOWN(pa, (paddr_t)PAGE_SIZE);

	spin_lock(&km_lock);
	if (page_get_tag(page, &tag) < 0) {
		/* not an allocated page: freed already, or never ours */
		why = KFREE_FOREIGN;
	} else if ((tag & TAG_MASK) == TAG_LARGE) {
		size_t n = tag >> TAG_SHIFT;

		if (pa != page) {
			why = KFREE_INTERIOR;
		} else {
			page_free_contig(page, n);
			km.large_objects--;
			km.large_pages -= n;
		}
	} else if ((tag & TAG_MASK) == TAG_SLAB) {
		struct slab *s = (struct slab *)(tag & ~TAG_MASK);
		size_t size, off, idx;

		if (s->magic != SLAB_MAGIC || s->cls >= KMALLOC_NR_CLASSES) {
			why = KFREE_FOREIGN; /* a stale tag: should not be */
			goto out;
		}
		size = class_size(s->cls);
		off = (size_t)((char *)p - s->objs);
		idx = off / size;
		if ((char *)p < s->objs || off % size || idx >= s->nr_objs) {
			why = KFREE_INTERIOR;
		} else if (s->free_map[idx / 64] & (1ULL << (idx % 64))) {
			why = KFREE_DOUBLE;
		} else {
			struct kclass *c = &km.classes[s->cls];

			c->st.objects_in_use--;
			c->st.frees++;
			obj_release(s, idx);
		}
	} else {
		why = KFREE_FOREIGN; /* someone else's page_alloc page */
	}
out:
	if (why != KFREE_OK)
		km.bad_frees++;
	spin_unlock(&km_lock);

	switch (why) {
	case KFREE_OK:
		break;
	case KFREE_FOREIGN:
		pr_err("kfree: %p is not kmalloc memory (double free?) from %p\n",
		       p, __builtin_return_address(0));
		break;
	case KFREE_INTERIOR:
		pr_err("kfree: %p is not the start of an object, from %p\n", p,
		       __builtin_return_address(0));
		break;
	case KFREE_DOUBLE:
		pr_err("kfree: double free of %p from %p\n", p,
		       __builtin_return_address(0));
		break;
	}
}

void kmalloc_get_stats(struct kmalloc_stats *st)
{
	unsigned i;

	memset(st, 0, sizeof(*st));
	spin_lock(&km_lock);
	for (i = 0; i < KMALLOC_NR_CLASSES; i++) {
		const struct kmalloc_class_stats *cs = &km.classes[i].st;

		st->classes[i] = *cs;
		st->classes[i].size = class_size(i);
		st->objects_in_use += cs->objects_in_use;
		st->bytes_in_use += cs->objects_in_use * class_size(i);
		st->pages_held += cs->slabs;
	}
	st->objects_in_use += km.large_objects;
	st->bytes_in_use += km.large_pages * PAGE_SIZE;
	st->pages_held += km.large_pages;
	st->failed = km.failed;
	st->bad_frees = km.bad_frees;
	st->large_objects = km.large_objects;
	st->large_pages = km.large_pages;
	st->slab_headers = km.slab_headers;
	spin_unlock(&km_lock);
}

void kmalloc_init(void)
{
	memset(&km, 0, sizeof(km));
	spin_init(&km_lock, "kmalloc");
}
