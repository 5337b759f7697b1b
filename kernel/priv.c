/* SPDX-License-Identifier: MIT */
/*
 * Privilege checks: may a process send to another, may it make a kernel
 * call. The answers come only from the caller's struct priv, which its
 * creator set; the checks hold no lock of their own and change nothing.
 *
 * Send rights are per destination slot, not per endpoint: a restarted
 * server in the same slot keeps the rights others had to reach it, while
 * the generation in the endpoint still stops messages meant for the old
 * incarnation (proc_lookup).
 */
#include <kernel/proc.h>

#define PRIV_MAP_BITS 64 /* bits in priv.send_to and priv.kcalls */

bool priv_may_send(const struct proc *p, const struct proc *dst)
{
	if (!p || !dst)
		return false;
	if (p->priv.send_to_any)
		return true;
	if (dst->slot >= PRIV_MAP_BITS)
		return false;
	return (p->priv.send_to >> dst->slot) & 1;
}

bool priv_may_kcall(const struct proc *p, unsigned kcall)
{
	if (!p || kcall >= PRIV_MAP_BITS)
		return false;
	return (p->priv.kcalls >> kcall) & 1;
}
