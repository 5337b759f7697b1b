/* SPDX-License-Identifier: MIT */
/* Kernel calls (<axolotl/kcall.h>): dispatch and the privilege sets. */
#ifndef KERNEL_KCALL_H
#define KERNEL_KCALL_H

#include <axolotl/kcall.h>
#include <kernel/proc.h>

/* Privilege sets a process can be given by index (boot image, creators). */
enum priv_id {
	PRIV_ID_USER = 0,	/* ordinary program */
	PRIV_ID_SYSTEM = 1,	/* system process: every kernel call */
	PRIV_ID_RESTRICTED = 2, /* may only talk to the kernel log and exit */
	PRIV_ID_COUNT
};

/* Fill *out with privilege set id; false if there is no such set. */
bool priv_from_id(unsigned id, struct priv *out);
/* Run the kernel call in m for caller; the reply replaces *m. */
void kcall_dispatch(struct proc *caller, message_t *m);
/* Name of kernel call k for reports ("?" if none). */
const char *kcall_name(unsigned k);

#endif
