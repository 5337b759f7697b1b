/* SPDX-License-Identifier: MIT */
/*
 * Memory grants (kernel/grant.c): creating, checking and revoking grants,
 * ids that go stale, the exact grantee, access rights, ranges that would
 * overflow or leave user space, a full table, and revoking everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <axolotl/errno.h>
#include <axolotl/kcall.h>
#include <kernel/arch.h>
#include <kernel/grant.h>

#include "host_arch.h"

#define RW (GRANT_READ | GRANT_WRITE)

static struct proc *owner, *grantee, *other;

static struct proc *mkproc(unsigned slot, uint32_t gen)
{
	struct proc *p = &proc_table[slot];

	memset(p, 0, sizeof(*p));
	p->slot = slot;
	p->gen = gen;
	p->ep = ENDPOINT(slot, gen);
	grant_init(p);
	return p;
}

static void free_slot(struct proc *p)
{
	grant_revoke_all(p);
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
	owner = mkproc(1, 0);
	grantee = mkproc(2, 4);
	other = mkproc(3, 0);
	return 0;
}

static void test_create_check_revoke(void **state)
{
	grant_id_t id;
	vaddr_t addr = 0;

	(void)state;
	assert_int_equal(grant_count(owner), 0);
	id = grant_create(owner, grantee->ep, 0x10000, 0x2000, RW);
	assert_true(id >= 0);
	assert_int_equal(grant_count(owner), 1);

	assert_int_equal(grant_check(owner, id, grantee, 0, 0x2000, GRANT_READ,
				     &addr),
			 0);
	assert_int_equal(addr, 0x10000);
	assert_int_equal(grant_check(owner, id, grantee, 0x100, 0x10,
				     GRANT_WRITE, &addr),
			 0);
	assert_int_equal(addr, 0x10100);
	assert_int_equal(grant_check(owner, id, grantee, 0x1fff, 1, RW, &addr),
			 0);
	assert_int_equal(addr, 0x11fff);
	/* A zero-length copy at the very end is inside. */
	assert_int_equal(grant_check(owner, id, grantee, 0x2000, 0, GRANT_READ,
				     &addr),
			 0);
	assert_int_equal(addr, 0x12000);
	/* The address out-parameter is optional. */
	assert_int_equal(
		grant_check(owner, id, grantee, 0, 1, GRANT_READ, NULL), 0);

	assert_int_equal(grant_revoke(owner, id), 0);
	assert_int_equal(grant_count(owner), 0);
	addr = 0x5a5a;
	assert_int_equal(grant_check(owner, id, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(addr, 0x5a5a); /* untouched on failure */
	assert_int_equal(grant_revoke(owner, id), -EINVAL);
}

static void test_ids_are_distinct_and_nonnegative(void **state)
{
	grant_id_t ids[NR_GRANTS];
	unsigned i, j;

	(void)state;
	for (i = 0; i < NR_GRANTS; i++) {
		ids[i] = grant_create(owner, grantee->ep, 0x1000 * (i + 1),
				      0x10, GRANT_READ);
		assert_true(ids[i] >= 0);
		for (j = 0; j < i; j++)
			assert_true(ids[i] != ids[j]);
	}
	/* Each id names its own range. */
	for (i = 0; i < NR_GRANTS; i++) {
		vaddr_t addr;

		assert_int_equal(grant_check(owner, ids[i], grantee, 4, 4,
					     GRANT_READ, &addr),
				 0);
		assert_int_equal(addr, 0x1000 * (i + 1) + 4);
	}
}

static void test_stale_id_after_reuse(void **state)
{
	grant_id_t old, fresh;
	vaddr_t addr;

	(void)state;
	old = grant_create(owner, grantee->ep, 0x20000, 0x100, RW);
	assert_true(old >= 0);
	assert_int_equal(grant_revoke(owner, old), 0);
	/* The same slot, reused: a new id, and the old one stays dead. */
	fresh = grant_create(owner, grantee->ep, 0x30000, 0x100, RW);
	assert_true(fresh >= 0);
	assert_true(fresh != old);
	assert_int_equal(grant_check(owner, old, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(grant_revoke(owner, old), -EINVAL);
	assert_int_equal(grant_count(owner), 1);
	assert_int_equal(
		grant_check(owner, fresh, grantee, 0, 1, GRANT_READ, &addr), 0);
	assert_int_equal(addr, 0x30000);
	/* Many rounds: never the same id twice. */
	for (unsigned i = 0; i < 100; i++) {
		grant_id_t next;

		assert_int_equal(grant_revoke(owner, fresh), 0);
		next = grant_create(owner, grantee->ep, 0x30000, 0x100, RW);
		assert_true(next > fresh);
		fresh = next;
	}
}

static void test_bad_ids(void **state)
{
	grant_id_t id;
	vaddr_t addr;

	(void)state;
	id = grant_create(owner, grantee->ep, 0x20000, 0x100, RW);
	assert_true(id >= 0);
	static const grant_id_t bad[] = {
		-1,	   -EINVAL, INT64_MIN,
		NR_GRANTS, 0xff,    (grant_id_t)1 << 62,
		INT64_MAX,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(grant_check(owner, bad[i], grantee, 0, 1,
					     GRANT_READ, &addr),
				 -EINVAL);
		assert_int_equal(grant_revoke(owner, bad[i]), -EINVAL);
	}
	/* The right index with a seq never issued. */
	assert_int_equal(grant_check(owner, id + (1 << 8), grantee, 0, 1,
				     GRANT_READ, &addr),
			 -EINVAL);
	/* A slot never used. */
	assert_int_equal(grant_check(owner, id + 1, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	/* Someone else's table. */
	assert_int_equal(grant_check(other, id, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(grant_revoke(other, id), -EINVAL);
	assert_int_equal(grant_count(owner), 1);
	/* Missing processes. */
	assert_int_equal(grant_check(NULL, id, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, NULL, 0, 1, GRANT_READ, &addr),
			 -EINVAL);
	assert_int_equal(grant_revoke(NULL, id), -EINVAL);
}

static void test_only_the_exact_grantee(void **state)
{
	grant_id_t id;
	struct proc *successor;
	endpoint_t old_ep = grantee->ep;
	vaddr_t addr;

	(void)state;
	id = grant_create(owner, grantee->ep, 0x20000, 0x100, RW);
	assert_true(id >= 0);
	assert_int_equal(grant_check(owner, id, other, 0, 1, GRANT_READ, &addr),
			 -EPERM);
	assert_int_equal(grant_check(owner, id, owner, 0, 1, GRANT_READ, &addr),
			 -EPERM);

	/* The grantee ends; a new process takes its slot. */
	free_slot(grantee);
	successor = mkproc(grantee->slot, grantee->gen);
	assert_ptr_equal(successor, grantee);
	assert_int_not_equal(successor->ep, old_ep);
	assert_int_equal(grant_check(owner, id, successor, 0, 1, GRANT_READ,
				     &addr),
			 -EPERM);
	/* A new grant to a dead endpoint is refused. */
	assert_int_equal(grant_create(owner, old_ep, 0x20000, 0x100, RW),
			 -EDEADSRCDST);
	assert_int_equal(grant_create(owner, ENDPOINT(40, 0), 0x20000, 0x100,
				      RW),
			 -EDEADSRCDST);
	assert_int_equal(grant_create(owner, ENDPOINT(NR_PROCS, 0), 0x20000,
				      0x100, RW),
			 -EDEADSRCDST);
	assert_int_equal(grant_count(owner), 1);
}

static void test_grantee_must_be_a_process(void **state)
{
	static const endpoint_t bad[] = {
		ENDPOINT_ANY,	 ENDPOINT_NONE,	    ENDPOINT_SELF,
		ENDPOINT_KERNEL, ENDPOINT_HARDWARE, ENDPOINT_CLOCK,
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(grant_create(owner, bad[i], 0x20000, 1, RW),
				 -EINVAL);
	assert_int_equal(grant_create(NULL, grantee->ep, 0x20000, 1, RW),
			 -EINVAL);
	assert_int_equal(grant_count(owner), 0);
}

static void test_access(void **state)
{
	grant_id_t ro, wo, rw;
	vaddr_t addr;

	(void)state;
	ro = grant_create(owner, grantee->ep, 0x20000, 0x100, GRANT_READ);
	wo = grant_create(owner, grantee->ep, 0x30000, 0x100, GRANT_WRITE);
	rw = grant_create(owner, grantee->ep, 0x40000, 0x100, RW);
	assert_true(ro >= 0 && wo >= 0 && rw >= 0);

	assert_int_equal(
		grant_check(owner, ro, grantee, 0, 1, GRANT_READ, &addr), 0);
	assert_int_equal(grant_check(owner, ro, grantee, 0, 1, GRANT_WRITE,
				     &addr),
			 -EPERM);
	assert_int_equal(grant_check(owner, ro, grantee, 0, 1, RW, &addr),
			 -EPERM);
	assert_int_equal(
		grant_check(owner, wo, grantee, 0, 1, GRANT_WRITE, &addr), 0);
	assert_int_equal(grant_check(owner, wo, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EPERM);
	assert_int_equal(
		grant_check(owner, rw, grantee, 0, 1, GRANT_READ, &addr), 0);
	assert_int_equal(
		grant_check(owner, rw, grantee, 0, 1, GRANT_WRITE, &addr), 0);
	assert_int_equal(grant_check(owner, rw, grantee, 0, 1, RW, &addr), 0);

	/* Asking for no access, or an unknown one, is a bad request. */
	assert_int_equal(grant_check(owner, rw, grantee, 0, 1, 0, &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, rw, grantee, 0, 1, 4, &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, rw, grantee, 0, 1, GRANT_READ | 8,
				     &addr),
			 -EINVAL);

	/* Creating with no access, or an unknown bit, is refused. */
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, 0),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, 4),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, RW | 4),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, ~0u),
			 -EINVAL);
	assert_int_equal(grant_count(owner), 3);
}

static void test_create_ranges(void **state)
{
	(void)state;
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 0, RW),
			 -EINVAL);
	/* Below user space. */
	assert_int_equal(grant_create(owner, grantee->ep, 0, 0x10, RW),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, USER_BASE - 1, 0x10,
				      RW),
			 -EINVAL);
	/* Past its top, or ending past it. */
	assert_int_equal(grant_create(owner, grantee->ep, USER_TOP, 1, RW),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, USER_TOP - 1, 2, RW),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, 0xffffffc000000000, 1,
				      RW),
			 -EINVAL);
	/* addr + len wraps around. */
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, SIZE_MAX,
				      RW),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000,
				      SIZE_MAX - 0x1ffff, RW),
			 -EINVAL);
	assert_int_equal(grant_create(owner, grantee->ep, UINT64_MAX, 2, RW),
			 -EINVAL);
	assert_int_equal(grant_count(owner), 0);

	/* The edges themselves are fine. */
	assert_true(grant_create(owner, grantee->ep, USER_BASE, 1, RW) >= 0);
	assert_true(grant_create(owner, grantee->ep, USER_TOP - 1, 1, RW) >= 0);
	assert_true(grant_create(owner, grantee->ep, USER_BASE,
				 USER_TOP - USER_BASE, RW) >= 0);
	assert_int_equal(grant_count(owner), 3);
}

static void test_check_ranges(void **state)
{
	grant_id_t id;
	vaddr_t addr;

	(void)state;
	id = grant_create(owner, grantee->ep, 0x20000, 0x100, RW);
	assert_true(id >= 0);
	assert_int_equal(grant_check(owner, id, grantee, 0, 0x101, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, grantee, 0xff, 2, GRANT_READ,
				     &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, grantee, 0x101, 0, GRANT_READ,
				     &addr),
			 -EINVAL);
	/* offset + len wraps around to something small. */
	assert_int_equal(grant_check(owner, id, grantee, 0x10, SIZE_MAX - 0xf,
				     GRANT_READ, &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, grantee, SIZE_MAX, 2,
				     GRANT_READ, &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, grantee, 1, SIZE_MAX,
				     GRANT_READ, &addr),
			 -EINVAL);
	assert_int_equal(grant_check(owner, id, grantee, SIZE_MAX, SIZE_MAX,
				     GRANT_READ, &addr),
			 -EINVAL);
	/* Permission is decided before the range. */
	assert_int_equal(grant_check(owner, id, other, SIZE_MAX, SIZE_MAX,
				     GRANT_READ, &addr),
			 -EPERM);
	assert_int_equal(grant_check(owner, id, grantee, 0x80, 0x80,
				     GRANT_WRITE, &addr),
			 0);
	assert_int_equal(addr, 0x20080);
}

static void test_table_full(void **state)
{
	grant_id_t ids[NR_GRANTS], id;
	unsigned i;

	(void)state;
	for (i = 0; i < NR_GRANTS; i++) {
		ids[i] = grant_create(owner, grantee->ep, 0x20000 + i, 1, RW);
		assert_true(ids[i] >= 0);
	}
	assert_int_equal(grant_count(owner), NR_GRANTS);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, RW),
			 -ENOSPC);
	/* Other processes' tables are separate. */
	assert_true(grant_create(other, grantee->ep, 0x20000, 1, RW) >= 0);
	/* One freed slot makes room for exactly one. */
	assert_int_equal(grant_revoke(owner, ids[17]), 0);
	id = grant_create(owner, grantee->ep, 0x50000, 1, GRANT_READ);
	assert_true(id >= 0);
	assert_true(id != ids[17]);
	assert_int_equal(grant_create(owner, grantee->ep, 0x20000, 1, RW),
			 -ENOSPC);
	assert_int_equal(grant_count(owner), NR_GRANTS);
}

static void test_revoke_all(void **state)
{
	grant_id_t ids[5], kept, id;
	vaddr_t addr;
	unsigned i;

	(void)state;
	for (i = 0; i < 5; i++) {
		ids[i] = grant_create(owner, grantee->ep, 0x20000, 0x10, RW);
		assert_true(ids[i] >= 0);
	}
	kept = grant_create(other, grantee->ep, 0x20000, 0x10, RW);
	assert_true(kept >= 0);
	assert_int_equal(grant_revoke(owner, ids[2]), 0);
	assert_int_equal(grant_count(owner), 4);

	grant_revoke_all(owner);
	assert_int_equal(grant_count(owner), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(grant_check(owner, ids[i], grantee, 0, 1,
					     GRANT_READ, &addr),
				 -EINVAL);
		assert_int_equal(grant_revoke(owner, ids[i]), -EINVAL);
	}
	/* Only the owner's table. */
	assert_int_equal(grant_count(other), 1);
	assert_int_equal(
		grant_check(other, kept, grantee, 0, 1, GRANT_READ, &addr), 0);
	/* The table is usable again, with fresh ids. */
	id = grant_create(owner, grantee->ep, 0x20000, 0x10, RW);
	assert_true(id >= 0);
	for (i = 0; i < 5; i++)
		assert_true(id != ids[i]);
	grant_revoke_all(NULL);
	assert_int_equal(grant_count(NULL), 0);
}

/* A new process in the owner's slot: no id of its predecessor works. */
static void test_init_makes_old_ids_stale(void **state)
{
	grant_id_t id;
	vaddr_t addr;

	(void)state;
	id = grant_create(owner, grantee->ep, 0x20000, 0x10, RW);
	assert_true(id >= 0);
	free_slot(owner);
	/* As proc.c reuses a slot: the table is not zeroed, but reset. */
	owner->rts = 0;
	owner->ep = ENDPOINT(owner->slot, owner->gen);
	grant_init(owner);
	assert_int_equal(grant_count(owner), 0);
	for (unsigned i = 0; i < NR_GRANTS; i++)
		assert_int_equal(owner->grants[i].grantee, ENDPOINT_NONE);
	assert_int_equal(grant_check(owner, id, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);
	/* Even once the new process fills the same table slot. */
	assert_true(grant_create(owner, grantee->ep, 0x20000, 0x10, RW) >= 0);
	assert_int_equal(grant_check(owner, id, grantee, 0, 1, GRANT_READ,
				     &addr),
			 -EINVAL);

	/* A table never initialised (all zero) is made empty. */
	memset(owner->grants, 0, sizeof(owner->grants));
	grant_init(owner);
	assert_int_equal(grant_count(owner), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_create_check_revoke),
		T(test_ids_are_distinct_and_nonnegative),
		T(test_stale_id_after_reuse),
		T(test_bad_ids),
		T(test_only_the_exact_grantee),
		T(test_grantee_must_be_a_process),
		T(test_access),
		T(test_create_ranges),
		T(test_check_ranges),
		T(test_table_full),
		T(test_revoke_all),
		T(test_init_makes_old_ids_stale),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
