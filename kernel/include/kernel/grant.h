/* SPDX-License-Identifier: MIT */
/*
 * Memory grants (MINIX safecopy): a process grants another a byte range of
 * its own memory, read-only or read-write. A grant id names (slot, seq): a
 * revoked or reused slot fails the check. The kernel copies only inside a
 * grant that names the copier, for the access granted. Called with
 * ipc_lock held.
 */
#ifndef KERNEL_GRANT_H
#define KERNEL_GRANT_H

#include <kernel/proc.h>

typedef int64_t grant_id_t;

/* New grant; returns its id (>= 0) or -EINVAL, -ENOSPC, -EDEADSRCDST. */
grant_id_t grant_create(struct proc *owner, endpoint_t grantee, vaddr_t addr,
			size_t len, unsigned access);
int grant_revoke(struct proc *owner, grant_id_t id);
/*
 * May caller copy len bytes at offset within owner's grant id, with
 * access? On success *addr is the owner's virtual address to copy at.
 * -EPERM (not the grantee, or wrong access), -EINVAL (bad id, revoked,
 * out of range or overflow).
 */
int grant_check(const struct proc *owner, grant_id_t id,
		const struct proc *caller, size_t offset, size_t len,
		unsigned access, vaddr_t *addr);
void grant_revoke_all(struct proc *owner);
/*
 * Empty p's grant table (every slot free, grantee ENDPOINT_NONE) for a new
 * process. Each slot's seq moves on, so no id issued before (by an earlier
 * process in the same slot) names a grant of the new one.
 */
void grant_init(struct proc *p);
/* Grants owner holds now (for leak checks). */
unsigned grant_count(const struct proc *owner);

#endif
