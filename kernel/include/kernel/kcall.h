/* SPDX-License-Identifier: MIT */
/* Kernel calls (<axolotl/kcall.h>): dispatch and the privilege sets. */
#ifndef KERNEL_KCALL_H
#define KERNEL_KCALL_H

#include <axolotl/kcall.h>
#include <kernel/proc.h>

#define PRIV_ID_COUNT 4 /* PRIV_ID_* of <axolotl/kcall.h> */

/* Fill *out with privilege set id; false if there is no such set. */
bool priv_from_id(unsigned id, struct priv *out);
/* Run the kernel call in m for caller; the reply replaces *m. */
void kcall_dispatch(struct proc *caller, message_t *m);
/* Name of kernel call k for reports ("?" if none). */
const char *kcall_name(unsigned k);

#endif
