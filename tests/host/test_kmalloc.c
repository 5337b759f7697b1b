/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kmalloc on top of the page allocator (arena-backed, as in
 * test_page_alloc.c): every size class and large sizes, zeroing and
 * alignment, statistics, pages going back to page_alloc when objects are
 * freed (no leak: page statistics equal before and after), refusal of
 * double, interior and foreign frees, exhaustion, and a random workload
 * checked against a shadow model of live objects and their contents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/config.h>
#include <kernel/cpu.h>
#include <kernel/kmalloc.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>

#include "host_arch.h"

#define ARENA_PAGES 2048 /* 8 MiB */
#define ARENA_SIZE ((size_t)ARENA_PAGES * PAGE_SIZE)
#define ARENA_ALIGN (1UL << 20)

static unsigned char *arena;
static struct page_stats pages_at_start;

static int setup(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < MAX_CPUS; i++)
		cpus[i].id = i;
	printk_reset();
	host_console_reset();
	page_alloc_init();
	kmalloc_init();
	arena = aligned_alloc(ARENA_ALIGN, ARENA_SIZE);
	assert_non_null(arena);
	memset(arena, 0xa5, ARENA_SIZE); /* kmalloc must zero */
	assert_int_equal(page_alloc_add_range((uintptr_t)arena,
					      (uintptr_t)arena + ARENA_SIZE),
			 0);
	page_get_stats(&pages_at_start);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

/* Everything handed back: kmalloc holds nothing, page_alloc is as new. */
static void assert_no_leak(void)
{
	struct kmalloc_stats ks;
	struct page_stats ps;
	unsigned i;

	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bytes_in_use, 0);
	assert_int_equal(ks.objects_in_use, 0);
	assert_int_equal(ks.pages_held, 0);
	assert_int_equal(ks.large_objects, 0);
	assert_int_equal(ks.slab_headers, 0);
	for (i = 0; i < KMALLOC_NR_CLASSES; i++) {
		assert_int_equal(ks.classes[i].objects_in_use, 0);
		assert_int_equal(ks.classes[i].slabs, 0);
	}
	page_get_stats(&ps);
	assert_int_equal(ps.free, pages_at_start.free);
	assert_int_equal(ps.used, pages_at_start.used);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

static unsigned class_index(size_t size)
{
	unsigned i = 0;

	while (((size_t)KMALLOC_MIN_CLASS << i) < size)
		i++;
	return i;
}

static void test_every_class(void **state)
{
	static const size_t sizes[] = { 1,    8,    15,	  16,  17,  31,	 32,
					33,   63,   64,	  65,  100, 128, 129,
					255,  256,  257,  511, 512, 513, 1000,
					1024, 1025, 2047, 2048 };
	struct kmalloc_stats ks;
	unsigned i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t size = sizes[i];
		unsigned cls = class_index(size);
		size_t csize = (size_t)KMALLOC_MIN_CLASS << cls;
		unsigned char *p = kmalloc(size);

		assert_non_null(p);
		assert_true(all_zero(p, csize));
		assert_int_equal((uintptr_t)p % 16, 0);
		if (csize >= 512)
			assert_int_equal((uintptr_t)p % csize, 0);
		/* the whole class size is usable */
		memset(p, 0xff, csize);

		kmalloc_get_stats(&ks);
		assert_int_equal(ks.classes[cls].size, csize);
		assert_int_equal(ks.classes[cls].objects_in_use, 1);
		assert_int_equal(ks.classes[cls].slabs, 1);
		assert_int_equal(ks.objects_in_use, 1);
		assert_int_equal(ks.bytes_in_use, csize);
		assert_int_equal(ks.pages_held, csize > 256 ? 2 : 1);
		assert_int_equal(ks.slab_headers, csize > 256 ? 1 : 0);

		kfree(p);
		assert_no_leak();
		kmalloc_get_stats(&ks);
		assert_true(ks.classes[cls].allocs >= 1);
		assert_int_equal(ks.classes[cls].allocs, ks.classes[cls].frees);
	}
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bad_frees, 0);
	assert_int_equal(ks.failed, 0);
}

static void test_many_objects_per_class(void **state)
{
	enum {
		N = 700
	};
	static unsigned char *objs[N];
	struct kmalloc_stats ks;
	unsigned cls, i;
	size_t k;

	(void)state;
	for (cls = 0; cls < KMALLOC_NR_CLASSES; cls++) {
		size_t size = (size_t)KMALLOC_MIN_CLASS << cls;
		unsigned n = cls < 5 ? N : 60;

		for (i = 0; i < n; i++) {
			objs[i] = kmalloc(size);
			assert_non_null(objs[i]);
			assert_true(all_zero(objs[i], size));
			memset(objs[i], (int)(i & 0xff), size);
		}
		kmalloc_get_stats(&ks);
		assert_int_equal(ks.classes[cls].objects_in_use, n);
		assert_true(ks.classes[cls].slabs > 1);
		/* no object overlaps another: every fill is intact */
		for (i = 0; i < n; i++)
			for (k = 0; k < size; k++)
				assert_int_equal(objs[i][k], i & 0xff);
		/* free in an interleaved order to exercise partial lists */
		for (i = 0; i < n; i += 2)
			kfree(objs[i]);
		for (i = 1; i < n; i += 2)
			kfree(objs[i]);
		assert_no_leak();
	}
}

static void test_large(void **state)
{
	static const size_t sizes[] = { 2049,  4095,  4096,   4097,
					12288, 65536, 1 << 20 };
	struct kmalloc_stats ks;
	struct page_stats ps;
	unsigned i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t pages = (sizes[i] + PAGE_SIZE - 1) / PAGE_SIZE;
		unsigned char *p = kmalloc(sizes[i]);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
		assert_true(all_zero(p, sizes[i]));
		memset(p, 0x11, sizes[i]);
		kmalloc_get_stats(&ks);
		assert_int_equal(ks.large_objects, 1);
		assert_int_equal(ks.large_pages, pages);
		assert_int_equal(ks.pages_held, pages);
		assert_int_equal(ks.bytes_in_use, pages * PAGE_SIZE);
		page_get_stats(&ps);
		assert_int_equal(ps.used, pages);
		kfree(p);
		assert_no_leak();
	}
}

static void test_zero_and_failures(void **state)
{
	struct kmalloc_stats ks;
	void *p;

	(void)state;
	assert_null(kmalloc(0));
	kfree(NULL);
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.failed, 0);
	assert_int_equal(ks.bad_frees, 0);

	assert_null(kmalloc((size_t)-1));
	assert_null(kmalloc(ARENA_SIZE)); /* more than there is */
	assert_null(kcalloc((size_t)1 << 40, (size_t)1 << 40));
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.failed, 3);

	p = kcalloc(10, 24);
	assert_non_null(p);
	assert_true(all_zero(p, 240));
	kfree(p);
	assert_no_leak();
}

static void test_double_free(void **state)
{
	struct kmalloc_stats ks0, ks;
	char *p, *keep, *big;

	(void)state;
	/* in a slab that stays alive: caught by the free bitmap */
	p = kmalloc(40);
	keep = kmalloc(40);
	kfree(p);
	kmalloc_get_stats(&ks0);
	host_console_reset();
	kfree(p);
	assert_non_null(strstr(host_console, "kfree: double free of"));
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bad_frees, 1);
	assert_int_equal(ks.objects_in_use, ks0.objects_in_use);
	assert_int_equal(ks.classes[2].frees, ks0.classes[2].frees);
	/* the slot is still usable exactly once */
	assert_ptr_equal(kmalloc(40), p);
	kfree(p);
	kfree(keep);
	assert_no_leak();

	/* in a slab that went back to page_alloc: the page is not ours */
	p = kmalloc(100);
	kfree(p);
	host_console_reset();
	kfree(p);
	assert_non_null(strstr(host_console, "is not kmalloc memory"));

	/* a large allocation */
	big = kmalloc(3 * PAGE_SIZE);
	kfree(big);
	kfree(big);
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bad_frees, 3);
	assert_no_leak();
}

static void test_bad_pointers(void **state)
{
	static char static_var[64];
	struct kmalloc_stats ks;
	char stack_var[16];
	char *small, *mid, *big;
	paddr_t pa;

	(void)state;
	small = kmalloc(16);
	mid = kmalloc(600);
	big = kmalloc(2 * PAGE_SIZE);

	host_console_reset();
	kfree(small + 1);  /* interior of an object */
	kfree(small + 16); /* the free neighbour: a "double free" */
	kfree(mid + 8);
	kfree(big + 8);
	kfree(big + PAGE_SIZE); /* second page of a large block */
	/* the on-page slab header in front of the first object */
	kfree((void *)ALIGN_DOWN((uintptr_t)small, PAGE_SIZE));
	assert_non_null(strstr(host_console, "is not the start of an object"));

	kfree(stack_var);
	kfree(static_var);
	/* a page that page_alloc gave to someone else */
	pa = page_alloc();
	kfree((void *)(uintptr_t)pa);
	kfree((void *)(uintptr_t)(pa + 64));

	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bad_frees, 10);
	/* nothing was disturbed */
	assert_int_equal(ks.objects_in_use, 3);
	assert_int_equal(page_free(pa), 0);
	kfree(small);
	kfree(mid);
	kfree(big);
	assert_no_leak();
}

static void test_exhaustion(void **state)
{
	enum {
		MAXOBJ = 200000
	};
	static void *objs[MAXOBJ];
	struct kmalloc_stats ks;
	struct page_stats ps;
	size_t n = 0, i;

	(void)state;
	while (n < MAXOBJ && (objs[n] = kmalloc(256)) != NULL)
		n++;
	assert_true(n < MAXOBJ);
	page_get_stats(&ps);
	assert_int_equal(ps.free, 0);
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.failed, 1);
	assert_int_equal(ks.objects_in_use, n);
	/* the off-page classes and large sizes fail cleanly too */
	assert_null(kmalloc(1024));
	assert_null(kmalloc(8192));
	for (i = 0; i < n; i++)
		kfree(objs[i]);
	assert_no_leak();
	/* and everything works again */
	objs[0] = kmalloc(1024);
	assert_non_null(objs[0]);
	kfree(objs[0]);
	assert_no_leak();
}

/* Random kmalloc/kfree against a shadow model of what should be live. */
static void test_random_against_shadow(void **state)
{
	enum {
		SLOTS = 512,
		STEPS = 60000
	};
	static struct {
		unsigned char *p;
		size_t size;
		unsigned char fill;
	} slot[SLOTS];
	struct kmalloc_stats ks;
	size_t live = 0, bytes = 0, i, k;
	unsigned step;

	(void)state;
	srand(4242);
	memset(slot, 0, sizeof(slot));
	for (step = 0; step < STEPS; step++) {
		unsigned s = (unsigned)rand() % SLOTS;

		if (slot[s].p) {
			/* its contents survived everything since */
			for (k = 0; k < slot[s].size; k++)
				assert_int_equal(slot[s].p[k], slot[s].fill);
			kfree(slot[s].p);
			live--;
			bytes -= slot[s].size > KMALLOC_MAX_CLASS ?
					 ALIGN_UP(slot[s].size, PAGE_SIZE) :
					 (size_t)KMALLOC_MIN_CLASS
						 << class_index(slot[s].size);
			slot[s].p = NULL;
		} else {
			int r = rand() % 100;
			size_t size = r < 90 ? 1 + (size_t)rand() % 300 :
				      r < 98 ? 1 + (size_t)rand() % 2048 :
					       1 + (size_t)rand() % 20000;

			slot[s].p = kmalloc(size);
			assert_non_null(slot[s].p);
			assert_true(all_zero(slot[s].p, size));
			slot[s].size = size;
			slot[s].fill = (unsigned char)(step | 1);
			memset(slot[s].p, slot[s].fill, size);
			live++;
			bytes += size > KMALLOC_MAX_CLASS ?
					 ALIGN_UP(size, PAGE_SIZE) :
					 (size_t)KMALLOC_MIN_CLASS
						 << class_index(size);
		}
		if (step % 1000 == 0) {
			kmalloc_get_stats(&ks);
			assert_int_equal(ks.objects_in_use, live);
			assert_int_equal(ks.bytes_in_use, bytes);
		}
	}
	for (i = 0; i < SLOTS; i++)
		if (slot[i].p)
			kfree(slot[i].p);
	kmalloc_get_stats(&ks);
	assert_int_equal(ks.bad_frees, 0);
	assert_int_equal(ks.failed, 0);
	assert_no_leak();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_class, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_objects_per_class,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_and_failures, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_random_against_shadow,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
