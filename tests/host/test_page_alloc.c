/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the physical page allocator. "Physical memory" is an
 * aligned heap arena (host arch_phys_to_virt is the identity): every page
 * can be allocated and then allocation fails, frees give pages back,
 * contiguous runs honour their alignment, double and stray frees are
 * refused and counted, reserved regions are never handed out, metadata
 * avoids regions reserved first, and a random workload keeps the
 * statistics consistent with a shadow model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <axolotl/errno.h>
#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>

#include "host_arch.h"

#define ARENA_PAGES 512
#define ARENA_SIZE (ARENA_PAGES * PAGE_SIZE)
#define ARENA_ALIGN (1UL << 20)

static unsigned char *arena;
static paddr_t base;

static int setup(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < MAX_CPUS; i++)
		cpus[i].id = i;
	printk_reset();
	host_console_reset();
	page_alloc_init();
	arena = aligned_alloc(ARENA_ALIGN, ARENA_SIZE);
	assert_non_null(arena);
	memset(arena, 0x5a, ARENA_SIZE); /* not zero: allocations must zero */
	base = (paddr_t)(uintptr_t)arena;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static paddr_t page_addr(size_t i)
{
	return base + i * PAGE_SIZE;
}

static bool page_is_zero(paddr_t pa, size_t npages)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)pa;
	size_t i;

	for (i = 0; i < npages * PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

static void assert_consistent(const struct page_stats *st)
{
	assert_int_equal(st->total, st->free + st->used + st->reserved);
}

/* Pages of metadata a range of n pages needs. */
static size_t meta_pages(size_t n)
{
	size_t words = (n + 63) / 64;

	return (2 * words * 8 + n * sizeof(uintptr_t) + PAGE_SIZE - 1) /
	       PAGE_SIZE;
}

static void test_add_range_stats(void **state)
{
	struct page_stats st;

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	page_get_stats(&st);
	assert_int_equal(st.total, ARENA_PAGES);
	assert_int_equal(st.reserved, meta_pages(ARENA_PAGES));
	assert_int_equal(st.free, ARENA_PAGES - meta_pages(ARENA_PAGES));
	assert_int_equal(st.used, 0);
	assert_int_equal(st.failed_allocs, 0);
	assert_int_equal(st.bad_frees, 0);

	page_alloc_ready();
	assert_true(page_alloc_is_ready());
	assert_non_null(strstr(host_console,
			       "page_alloc: 512 pages (2 MiB) in 1 range(s)"));
}

static void test_exhaust_and_free(void **state)
{
	static paddr_t got[ARENA_PAGES];
	struct page_stats st0, st;
	size_t n = 0, i, j;
	paddr_t pa;

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	page_get_stats(&st0);

	while ((pa = page_alloc()) != 0) {
		assert_true(n < ARENA_PAGES);
		assert_true(IS_ALIGNED(pa, PAGE_SIZE));
		assert_true(pa >= base && pa < base + ARENA_SIZE);
		assert_true(page_is_zero(pa, 1));
		memset((void *)(uintptr_t)pa, 0xee, PAGE_SIZE);
		got[n++] = pa;
	}
	assert_int_equal(n, st0.free);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_true(got[i] != got[j]);

	page_get_stats(&st);
	assert_int_equal(st.free, 0);
	assert_int_equal(st.used, n);
	assert_int_equal(st.failed_allocs, 1);
	assert_consistent(&st);
	assert_int_equal(page_alloc_contig(1, 1), 0);

	for (i = 0; i < n; i++)
		assert_int_equal(page_free(got[i]), 0);
	page_get_stats(&st);
	assert_int_equal(st.free, st0.free);
	assert_int_equal(st.used, 0);
	assert_int_equal(st.bad_frees, 0);

	/* freed pages come back zeroed although they were dirtied */
	pa = page_alloc();
	assert_true(pa != 0);
	assert_true(page_is_zero(pa, 1));
}

static void test_contig_alignment(void **state)
{
	static const size_t cases[][2] = {
		{ 1, 1 },   { 2, 1 },	{ 3, 0 },   { 8, 8 }, { 5, 16 },
		{ 16, 64 }, { 1, 128 }, { 32, 32 }, { 7, 3 },
	};
	paddr_t runs[ARRAY_SIZE(cases)];
	struct page_stats st0, st;
	unsigned i, j;

	(void)state;
	/* start the range off any large alignment */
	assert_int_equal(page_alloc_add_range(page_addr(3), base + ARENA_SIZE),
			 0);
	page_get_stats(&st0);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = cases[i][0], align = cases[i][1] ? cases[i][1] : 1;
		paddr_t pa = page_alloc_contig(n, cases[i][1]);

		assert_true(pa != 0);
		assert_int_equal((pa >> PAGE_SHIFT) % align, 0);
		assert_true(page_is_zero(pa, n));
		memset((void *)(uintptr_t)pa, (int)i + 1, n * PAGE_SIZE);
		runs[i] = pa;
	}
	/* no two runs overlap: each still holds its own fill */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const unsigned char *p =
			(const unsigned char *)(uintptr_t)runs[i];

		for (j = 0; j < cases[i][0] * PAGE_SIZE; j++)
			assert_int_equal(p[j], i + 1);
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(page_free_contig(runs[i], cases[i][0]), 0);
	page_get_stats(&st);
	assert_int_equal(st.free, st0.free);

	/* impossible requests fail and are counted */
	assert_int_equal(page_alloc_contig(ARENA_PAGES, 1), 0);
	assert_int_equal(page_alloc_contig(0, 1), 0);
	assert_int_equal(page_alloc_contig(1, 1UL << 40), 0);
	assert_int_equal(page_alloc_contig((size_t)-1, 1), 0);
	page_get_stats(&st);
	assert_int_equal(st.failed_allocs, 4);
	assert_int_equal(st.free, st0.free);
}

static void test_contig_fragmentation(void **state)
{
	static paddr_t got[ARENA_PAGES];
	size_t n = 0, i;
	paddr_t pa;

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	while ((pa = page_alloc()) != 0)
		got[n++] = pa;
	/* free every other page: lots of free memory, no run of two */
	for (i = 0; i < n; i += 2)
		assert_int_equal(page_free(got[i]), 0);
	assert_true(page_alloc_contig(1, 1) != 0);
	assert_int_equal(page_alloc_contig(2, 1), 0);
	/* freeing a neighbour makes a run */
	for (i = 0; i + 2 < n; i++) {
		if (got[i + 1] == got[i] + PAGE_SIZE &&
		    got[i + 2] == got[i] + 2 * PAGE_SIZE && i % 2 == 0 &&
		    page_free(got[i + 1]) == 0)
			break;
	}
	pa = page_alloc_contig(2, 1);
	assert_true(pa != 0);
}

static void test_double_and_bad_frees(void **state)
{
	struct page_stats st0, st;
	paddr_t pa, run;
	char want[128];

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	pa = page_alloc();
	assert_true(pa != 0);
	assert_int_equal(page_free(pa), 0);
	page_get_stats(&st0);

	/* double free */
	host_console_reset();
	assert_int_equal(page_free(pa), -EINVAL);
	snprintf(want, sizeof(want), "page_free: double free of %#lx from 0x",
		 (unsigned long)pa);
	assert_non_null(strstr(host_console, want));
	page_get_stats(&st);
	assert_int_equal(st.bad_frees, 1);
	assert_int_equal(st.free, st0.free);
	assert_int_equal(st.used, st0.used);

	/* unaligned, outside every range, reserved metadata */
	assert_int_equal(page_free(pa + 8), -EINVAL);
	assert_int_equal(page_free(base + ARENA_SIZE + PAGE_SIZE), -EINVAL);
	assert_non_null(strstr(host_console, "is not in any RAM range"));
	assert_int_equal(page_free(base), -EINVAL); /* metadata page */
	assert_non_null(strstr(host_console, "is reserved"));
	assert_int_equal(page_free_contig(pa, 0), -EINVAL);
	page_get_stats(&st);
	assert_int_equal(st.bad_frees, 5);
	assert_int_equal(st.free, st0.free);

	/* a run with one page already free is refused as a whole */
	run = page_alloc_contig(4, 1);
	assert_true(run != 0);
	assert_int_equal(page_free(run + 2 * PAGE_SIZE), 0);
	page_get_stats(&st0);
	assert_int_equal(page_free_contig(run, 4), -EINVAL);
	page_get_stats(&st);
	assert_int_equal(st.free, st0.free);
	assert_int_equal(st.bad_frees, st0.bad_frees + 1);
	/* the other three pages are still allocated and free one by one */
	assert_int_equal(page_free(run), 0);
	assert_int_equal(page_free(run + PAGE_SIZE), 0);
	assert_int_equal(page_free(run + 3 * PAGE_SIZE), 0);
	/* a run that goes past the end of the range */
	pa = page_alloc();
	assert_int_equal(page_free_contig(pa, ARENA_PAGES), -EINVAL);
	assert_int_equal(page_free(pa), 0);
	page_get_stats(&st);
	assert_int_equal(st.used, 0);
	assert_consistent(&st);
}

static void test_reserve_after_add(void **state)
{
	static paddr_t got[ARENA_PAGES];
	struct page_stats st0, st;
	paddr_t lo = page_addr(100), hi = page_addr(116);
	size_t n = 0, i;
	paddr_t pa;

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	page_get_stats(&st0);
	/* widened outward to whole pages: 16 pages */
	assert_int_equal(page_reserve(lo + 100, hi - 100), 0);
	page_get_stats(&st);
	assert_int_equal(st.reserved, st0.reserved + 16);
	assert_int_equal(st.free, st0.free - 16);
	/* reserving again, or a region outside RAM, costs nothing */
	assert_int_equal(page_reserve(lo, hi), 0);
	assert_int_equal(page_reserve(0x1000, 0x3000), 0);
	page_get_stats(&st);
	assert_int_equal(st.reserved, st0.reserved + 16);

	while ((pa = page_alloc_contig(1, 1)) != 0) {
		assert_false(pa >= lo && pa < hi);
		got[n++] = pa;
	}
	assert_int_equal(n, st0.free - 16);
	/* reserved pages cannot be freed */
	assert_int_equal(page_free(lo), -EINVAL);
	/* nor can pages in use be reserved: all or nothing */
	assert_int_equal(page_reserve(got[0], got[0] + 3 * PAGE_SIZE), -EBUSY);
	assert_non_null(strstr(host_console, "page_reserve:"));
	for (i = 0; i < n; i++)
		assert_int_equal(page_free(got[i]), 0);
	page_get_stats(&st);
	assert_int_equal(st.reserved, st0.reserved + 16);
	assert_consistent(&st);

	/* the metadata at the start of the range cannot be reserved */
	assert_int_equal(page_reserve(base, base + PAGE_SIZE), -EBUSY);
	assert_int_equal(page_reserve(base + 10, base + 5), -EINVAL);
}

static void test_reserve_before_add(void **state)
{
	static paddr_t got[ARENA_PAGES];
	struct page_stats st;
	size_t n = 0, m = meta_pages(ARENA_PAGES), i;
	paddr_t pa;

	(void)state;
	/* firmware at the start of RAM, another hole a little later: the
	 * metadata must go where neither is */
	assert_int_equal(page_reserve(page_addr(0), page_addr(4)), 0);
	assert_int_equal(page_reserve(page_addr(5), page_addr(6)), 0);
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	page_get_stats(&st);
	assert_int_equal(st.total, ARENA_PAGES);
	assert_int_equal(st.reserved, 5 + m);
	assert_int_equal(st.free, ARENA_PAGES - 5 - m);

	while ((pa = page_alloc()) != 0) {
		assert_true(pa >= page_addr(6 + m) || pa == page_addr(4));
		got[n++] = pa;
	}
	assert_int_equal(n, ARENA_PAGES - 5 - m);
	for (i = 0; i < n; i++)
		assert_int_equal(page_free(got[i]), 0);
	/* the metadata really lives at page 6: it is not free to take */
	assert_int_equal(page_free(page_addr(6)), -EINVAL);
}

static void test_ranges(void **state)
{
	struct page_stats st;
	size_t half = ARENA_SIZE / 2;
	unsigned i;

	(void)state;
	/* unaligned ends are shrunk inward */
	assert_int_equal(page_alloc_add_range(base + 1, base + half - 1), 0);
	page_get_stats(&st);
	assert_int_equal(st.total, ARENA_PAGES / 2 - 2);
	/* overlap is refused, a neighbour is fine */
	assert_int_equal(page_alloc_add_range(base, base + PAGE_SIZE * 2),
			 -EINVAL);
	assert_int_equal(page_alloc_add_range(base + half - PAGE_SIZE,
					      base + ARENA_SIZE),
			 0);
	page_get_stats(&st);
	assert_int_equal(st.total, ARENA_PAGES - 1);
	/* empty and inverted ranges */
	assert_int_equal(page_alloc_add_range(base + 5, base + 100), -EINVAL);
	assert_int_equal(page_alloc_add_range(base + ARENA_SIZE, base),
			 -EINVAL);

	/* a one-page range cannot hold its metadata and a page */
	page_alloc_init();
	assert_int_equal(page_alloc_add_range(base, base + PAGE_SIZE), -ENOMEM);
	/* two pages can */
	assert_int_equal(page_alloc_add_range(base, base + 2 * PAGE_SIZE), 0);
	assert_true(page_alloc() == base + PAGE_SIZE);
	assert_int_equal(page_alloc(), 0);

	/* the table of ranges is bounded */
	page_alloc_init();
	for (i = 0; i < PAGE_MAX_RANGES; i++)
		assert_int_equal(page_alloc_add_range(page_addr(4 * i),
						      page_addr(4 * i + 4)),
				 0);
	assert_int_equal(page_alloc_add_range(page_addr(4 * i),
					      page_addr(4 * i + 4)),
			 -ENOSPC);
	page_get_stats(&st);
	assert_int_equal(st.free, 3 * PAGE_MAX_RANGES);
	/* allocation moves on from a full range to the next */
	for (i = 0; i < 3 * PAGE_MAX_RANGES; i++)
		assert_true(page_alloc() != 0);
	assert_int_equal(page_alloc(), 0);
}

static void test_tags(void **state)
{
	uintptr_t tag = 123;
	paddr_t pa;

	(void)state;
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	pa = page_alloc();
	assert_int_equal(page_get_tag(pa, &tag), 0);
	assert_int_equal(tag, 0);
	assert_int_equal(page_set_tag(pa, 0xabc0), 0);
	assert_int_equal(page_get_tag(pa, &tag), 0);
	assert_int_equal(tag, 0xabc0);
	/* only allocated pages have tags */
	assert_int_equal(page_get_tag(pa + PAGE_SIZE, &tag), -EINVAL);
	assert_int_equal(page_set_tag(base, 1), -EINVAL); /* metadata */
	assert_int_equal(page_get_tag(pa + 16, &tag), -EINVAL);
	assert_int_equal(page_free(pa), 0);
	assert_int_equal(page_get_tag(pa, &tag), -EINVAL);
	/* and a page starts with tag 0 again */
	assert_true(page_alloc() == pa);
	assert_int_equal(page_get_tag(pa, &tag), 0);
	assert_int_equal(tag, 0);
}

/* Random allocations and frees against a shadow map of page owners. */
static void test_random_against_shadow(void **state)
{
	enum {
		SLOTS = 64
	};
	static int owner[ARENA_PAGES]; /* slot + 1, or 0 */
	struct {
		paddr_t pa;
		size_t n;
	} slot[SLOTS] = { { 0, 0 } };
	struct page_stats st0, st;
	size_t used = 0, i, k;
	unsigned step;

	(void)state;
	srand(12345);
	assert_int_equal(page_alloc_add_range(base, base + ARENA_SIZE), 0);
	page_get_stats(&st0);
	for (step = 0; step < 20000; step++) {
		unsigned s = (unsigned)rand() % SLOTS;

		if (slot[s].pa) {
			size_t first = (slot[s].pa - base) / PAGE_SIZE;

			for (k = 0; k < slot[s].n; k++)
				owner[first + k] = 0;
			assert_int_equal(
				page_free_contig(slot[s].pa, slot[s].n), 0);
			used -= slot[s].n;
			slot[s].pa = 0;
		} else {
			size_t n = 1 + (size_t)rand() % 12;
			size_t align = (size_t)1 << (rand() % 4);
			paddr_t pa = page_alloc_contig(n, align);

			if (!pa)
				continue;
			assert_int_equal((pa >> PAGE_SHIFT) % align, 0);
			for (k = 0; k < n; k++) {
				size_t pg = (pa - base) / PAGE_SIZE + k;

				assert_int_equal(owner[pg], 0);
				owner[pg] = (int)s + 1;
			}
			slot[s].pa = pa;
			slot[s].n = n;
			used += n;
		}
		if (step % 500 == 0) {
			page_get_stats(&st);
			assert_int_equal(st.used, used);
			assert_int_equal(st.free, st0.free - used);
			assert_consistent(&st);
		}
	}
	for (i = 0; i < SLOTS; i++)
		if (slot[i].pa)
			assert_int_equal(
				page_free_contig(slot[i].pa, slot[i].n), 0);
	page_get_stats(&st);
	assert_int_equal(st.free, st0.free);
	assert_int_equal(st.bad_frees, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_range_stats, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exhaust_and_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contig_alignment, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contig_fragmentation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_and_bad_frees,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve_after_add, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reserve_before_add, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_shadow,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
