/* SPDX-License-Identifier: MIT */
/*
 * Privilege checks and endpoint lookup in the process table (inlines in
 * kernel/include/kernel/proc.h): who may send to whom, who may make which
 * kernel call, and which endpoints name a live process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <axolotl/ipc.h>
#include <axolotl/kcall.h>
#include <kernel/proc.h>

#include "host_arch.h"

static struct proc *mkproc(unsigned slot, uint32_t gen)
{
	struct proc *p = &proc_table[slot];

	memset(p, 0, sizeof(*p));
	p->slot = slot;
	p->gen = gen;
	p->ep = ENDPOINT(slot, gen);
	return p;
}

static void free_slot(struct proc *p)
{
	p->rts = RTS_SLOT_FREE;
	p->gen++;
	p->ep = ENDPOINT_NONE;
}

static int setup(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < NR_PROCS; i++) {
		memset(&proc_table[i], 0, sizeof(proc_table[i]));
		proc_table[i].slot = i;
		proc_table[i].rts = RTS_SLOT_FREE;
		proc_table[i].ep = ENDPOINT_NONE;
	}
	return 0;
}

static void test_lock_and_free_slots(void **state)
{
	unsigned i;

	(void)state;
	assert_string_equal(ipc_lock.name, "ipc");
	assert_int_equal(ipc_lock.locked, 0);
	assert_int_equal(ipc_lock.owner_cpu, -1);
	/* Free slots are never found, whatever endpoint they last had. */
	for (i = 0; i < NR_PROCS; i++) {
		assert_null(proc_lookup(ENDPOINT(i, 0)));
		proc_table[i].ep = ENDPOINT(i, 0);
		assert_null(proc_lookup(ENDPOINT(i, 0)));
	}
}

static void test_lookup_exact_endpoint(void **state)
{
	struct proc *p = mkproc(5, 3), *q = mkproc(0, 0);
	struct proc *last = mkproc(NR_PROCS - 1, ENDPOINT_GEN_MAX);

	(void)state;
	assert_ptr_equal(proc_lookup(ENDPOINT(5, 3)), p);
	assert_ptr_equal(proc_lookup(ENDPOINT(0, 0)), q);
	assert_ptr_equal(proc_lookup(ENDPOINT(NR_PROCS - 1, ENDPOINT_GEN_MAX)),
			 last);
	assert_true(last->ep > 0);
	/* Another generation of the same slot is not this process. */
	assert_null(proc_lookup(ENDPOINT(5, 2)));
	assert_null(proc_lookup(ENDPOINT(5, 4)));
	assert_null(proc_lookup(ENDPOINT(0, 1)));
	/* Runnable or not, blocked or dying: alive until the slot is free. */
	p->rts = RTS_STOPPED | RTS_RECEIVING | RTS_DYING;
	assert_ptr_equal(proc_lookup(ENDPOINT(5, 3)), p);
}

static void test_lookup_refuses_non_processes(void **state)
{
	static const endpoint_t bad[] = {
		ENDPOINT_ANY,	   ENDPOINT_NONE,     ENDPOINT_SELF,
		ENDPOINT_KERNEL,   ENDPOINT_HARDWARE, ENDPOINT_CLOCK,
		(endpoint_t)-1000, INT32_MIN,
	};
	unsigned i;

	(void)state;
	mkproc(0, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(proc_lookup(bad[i]));
	/* Slots past the table, in any generation. */
	assert_null(proc_lookup(ENDPOINT(NR_PROCS, 0)));
	assert_null(proc_lookup(ENDPOINT((1 << ENDPOINT_SLOT_BITS) - 1, 0)));
	assert_null(proc_lookup(ENDPOINT(NR_PROCS + 5, 7)));
	/* A free slot, even with the matching endpoint left behind. */
	assert_null(proc_lookup(ENDPOINT(9, 0)));
	mkproc(9, 2)->rts = RTS_SLOT_FREE;
	assert_null(proc_lookup(ENDPOINT(9, 2)));
}

static void test_lookup_after_slot_reuse(void **state)
{
	struct proc *p = mkproc(12, 1);
	endpoint_t old = p->ep;

	(void)state;
	assert_ptr_equal(proc_lookup(old), p);
	free_slot(p);
	assert_null(proc_lookup(old));
	p = mkproc(12, 2);
	assert_null(proc_lookup(old));
	assert_ptr_equal(proc_lookup(ENDPOINT(12, 2)), p);
}

static void test_may_send_by_slot(void **state)
{
	struct proc *p = mkproc(1, 0), *a = mkproc(0, 0), *b = mkproc(2, 5);
	struct proc *z = mkproc(NR_PROCS - 1, 0);

	(void)state;
	assert_false(priv_may_send(p, a));
	assert_false(priv_may_send(p, b));
	p->priv.send_to = 1ull << 2 | 1ull << (NR_PROCS - 1);
	assert_false(priv_may_send(p, a));
	assert_true(priv_may_send(p, b));
	assert_true(priv_may_send(p, z));
	/* Rights are per slot: the next process in slot 2 is reachable. */
	b = mkproc(2, 6);
	assert_true(priv_may_send(p, b));
	/* Only p's own table counts, not the destination's. */
	a->priv.send_to_any = true;
	a->priv.send_to = ~0ull;
	assert_false(priv_may_send(p, a));
	assert_true(priv_may_send(a, p));
	p->priv.send_to_any = true;
	assert_true(priv_may_send(p, a));
	assert_false(priv_may_send(NULL, a));
	assert_false(priv_may_send(p, NULL));
}

static void test_may_send_bad_slot(void **state)
{
	struct proc p, weird;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&weird, 0, sizeof(weird));
	p.priv.send_to = ~0ull;
	weird.slot = 64; /* cannot be in a table of <= 64; never shifts by 64 */
	assert_false(priv_may_send(&p, &weird));
	weird.slot = 1000;
	assert_false(priv_may_send(&p, &weird));
	p.priv.send_to_any = true;
	assert_true(priv_may_send(&p, &weird));
}

static void test_may_kcall(void **state)
{
	struct proc *p = mkproc(3, 0);

	(void)state;
	assert_false(priv_may_kcall(p, KC_NULL));
	p->priv.kcalls = 1ull << KC_NULL | 1ull << KC_GETINFO | 1ull << 63;
	assert_true(priv_may_kcall(p, KC_NULL));
	assert_true(priv_may_kcall(p, KC_GETINFO));
	assert_false(priv_may_kcall(p, KC_EXIT));
	assert_true(priv_may_kcall(p, 63));
	p->priv.kcalls = ~0ull;
	assert_false(priv_may_kcall(p, 64));
	assert_false(priv_may_kcall(p, 65));
	assert_false(priv_may_kcall(p, 1000));
	assert_false(priv_may_kcall(p, ~0u));
	assert_false(priv_may_kcall(NULL, KC_NULL));
	/* send_to_any and PRIV_SYS do not grant kernel calls. */
	p->priv.kcalls = 0;
	p->priv.send_to_any = true;
	p->priv.flags = PRIV_SYS;
	assert_false(priv_may_kcall(p, KC_NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lock_and_free_slots, setup),
		cmocka_unit_test_setup(test_lookup_exact_endpoint, setup),
		cmocka_unit_test_setup(test_lookup_refuses_non_processes,
				       setup),
		cmocka_unit_test_setup(test_lookup_after_slot_reuse, setup),
		cmocka_unit_test_setup(test_may_send_by_slot, setup),
		cmocka_unit_test_setup(test_may_send_bad_slot, setup),
		cmocka_unit_test_setup(test_may_kcall, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
