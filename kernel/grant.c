/* SPDX-License-Identifier: MIT */
/*
 * Memory grants (the MINIX safecopy model). A process lists, in its own
 * table of NR_GRANTS slots, byte ranges of its user memory that one other
 * process (the grantee, named by its exact endpoint) may copy from
 * (GRANT_READ) or into (GRANT_WRITE). The kernel copies between processes
 * only inside such a range, after grant_check() said yes.
 *
 * A grant id is seq << GRANT_INDEX_BITS | index. A slot's seq changes
 * every time the slot is freed, so the id of a revoked grant never names
 * the grant that reuses its slot; ids are never negative, so they do not
 * collide with errors. Grants name the grantee's endpoint, generation
 * included: a process that takes over the grantee's slot is not the
 * grantee.
 *
 * Invariants: a slot is in use iff grantee != ENDPOINT_NONE; then access
 * is a nonzero subset of GRANT_READ | GRANT_WRITE, len > 0, and
 * [addr, addr + len) lies inside [USER_BASE, USER_TOP). Everything here is
 * called with ipc_lock held.
 */
#include <axolotl/errno.h>
#include <axolotl/kcall.h>
#include <kernel/grant.h>

#define GRANT_INDEX_BITS 8
#define GRANT_INDEX_MASK ((1u << GRANT_INDEX_BITS) - 1)
#define GRANT_ACCESS_ALL (GRANT_READ | GRANT_WRITE)

_Static_assert(NR_GRANTS <= (1 << GRANT_INDEX_BITS), "index fits the id");

static grant_id_t make_id(unsigned index, uint32_t seq)
{
	return (grant_id_t)seq << GRANT_INDEX_BITS | index;
}

static bool access_valid(unsigned access)
{
	return access != 0 && !(access & ~GRANT_ACCESS_ALL);
}

static bool in_use(const struct grant *g)
{
	return g->grantee != ENDPOINT_NONE;
}

/* Free g; the new seq makes every id issued for it so far stale. */
static void grant_free(struct grant *g)
{
	g->grantee = ENDPOINT_NONE;
	g->addr = 0;
	g->len = 0;
	g->access = 0;
	g->seq++;
}

/* The index of the live grant id names in owner's table, or -EINVAL. */
static int grant_index(const struct proc *owner, grant_id_t id)
{
	const struct grant *g;
	uint64_t seq;
	unsigned index;

	if (!owner || id < 0)
		return -EINVAL;
	index = (unsigned)id & GRANT_INDEX_MASK;
	seq = (uint64_t)id >> GRANT_INDEX_BITS;
	if (index >= NR_GRANTS || seq > UINT32_MAX)
		return -EINVAL;
	g = &owner->grants[index];
	if (!in_use(g) || g->seq != seq)
		return -EINVAL; /* never issued, or revoked */
	return (int)index;
}

void grant_init(struct proc *p)
{
	unsigned i;

	for (i = 0; i < NR_GRANTS; i++)
		grant_free(&p->grants[i]);
}

grant_id_t grant_create(struct proc *owner, endpoint_t grantee, vaddr_t addr,
			size_t len, unsigned access)
{
	struct grant *g;
	unsigned i;

	if (!owner || !access_valid(access) || len == 0)
		return -EINVAL;
	/* [addr, addr + len) inside user space, without overflow. */
	if (addr < USER_BASE || addr >= USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	if (grantee < 0)
		return -EINVAL; /* ENDPOINT_ANY, NONE, ...: not a process */
	if (!proc_lookup(grantee))
		return -EDEADSRCDST;

	for (i = 0; i < NR_GRANTS; i++) {
		g = &owner->grants[i];
		if (in_use(g))
			continue;
		g->grantee = grantee;
		g->addr = addr;
		g->len = len;
		g->access = access;
		return make_id(i, g->seq);
	}
	return -ENOSPC;
}

int grant_revoke(struct proc *owner, grant_id_t id)
{
	int index = grant_index(owner, id);

	if (index < 0)
		return index;
	grant_free(&owner->grants[index]);
	return 0;
}

int grant_check(const struct proc *owner, grant_id_t id,
		const struct proc *caller, size_t offset, size_t len,
		unsigned access, vaddr_t *addr)
{
	const struct grant *g;
	int index;

	if (!caller || !access_valid(access))
		return -EINVAL;
	index = grant_index(owner, id);
	if (index < 0)
		return index;
	g = &owner->grants[index];
	/* The exact incarnation named at creation, not its slot's successor. */
	if (caller->ep != g->grantee)
		return -EPERM;
	if ((g->access & access) != access)
		return -EPERM;
	/* offset + len <= g->len, written so that nothing can overflow. */
	if (offset > g->len || len > g->len - offset)
		return -EINVAL;
	if (addr)
		*addr = g->addr + offset;
	return 0;
}

void grant_revoke_all(struct proc *owner)
{
	unsigned i;

	if (!owner)
		return;
	for (i = 0; i < NR_GRANTS; i++)
		if (in_use(&owner->grants[i]))
			grant_free(&owner->grants[i]);
}

unsigned grant_count(const struct proc *owner)
{
	unsigned i, n = 0;

	if (!owner)
		return 0;
	for (i = 0; i < NR_GRANTS; i++)
		if (in_use(&owner->grants[i]))
			n++;
	return n;
}
