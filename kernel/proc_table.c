/* SPDX-License-Identifier: MIT */
/*
 * The process table and the lock that guards IPC state, and the one
 * function that turns an endpoint into a process: proc_lookup() (an inline
 * in proc.h).
 *
 * An endpoint names one incarnation of a process (slot and generation), so
 * a lookup succeeds only while that very incarnation is alive: once the
 * slot is freed (its rts has RTS_SLOT_FREE) or reused (its ep carries a new
 * generation), every old endpoint fails. This is what lets a sender see a
 * dead or restarted partner as -EDEADSRCDST instead of reaching its
 * successor. Process management (creation, exit) lives in proc.c.
 */
#include <kernel/proc.h>

/*
 * Zeroed (bss) until proc_init() (proc.c) marks every slot free, which it
 * does at boot before any process exists. A static initialiser would make
 * the kernel image some 86 KiB larger for no gain.
 */
struct proc proc_table[NR_PROCS];

/* Guards every (ipc) field of every process and the slots' states. */
struct spinlock ipc_lock = SPINLOCK_INIT("ipc");
