/* SPDX-License-Identifier: MIT */
/*
 * Process life cycle (proc.c): create, start, kill and end user processes,
 * and the kernel side of blocking in IPC. The IPC state machine is ipc.c;
 * the process table itself is proc_table.c.
 */
#ifndef KERNEL_PROCMGR_H
#define KERNEL_PROCMGR_H

#include <kernel/proc.h>
#include <kernel/thread.h>

#define EXIT_NOTICE 0x1001 /* m_type of the message a parent gets */
#define USER_STACK_TOP 0x3fffff0000UL
#define USER_STACK_SIZE (64 * 1024UL) /* with an unmapped guard page below */

void proc_init(void);
/* A new stopped process with its own empty address space, or NULL. */
struct proc *proc_create(const char *name, const struct priv *priv,
			 endpoint_t parent, int *err);
/* Start p running at pc with sp and a0 in a0. 0 or -errno. */
int proc_start(struct proc *p, uintptr_t pc, uintptr_t sp, uintptr_t a0);
/* Ask p to end (reason EXIT_REASON_*); it ends at its next kernel entry. */
int proc_kill(struct proc *p, int reason, int status);
/* End the calling process. Never returns. */
void __noreturn proc_exit(struct proc *p, int status, int reason);
/* The process the calling thread runs, or NULL for a kernel thread. */
static inline struct proc *proc_current(void)
{
	struct thread *t = thread_current();

	return t ? t->proc : NULL;
}
/* With ipc_lock held after IPC_BLOCKED: sleep until the IPC completes. */
int proc_ipc_wait(struct proc *p);
/* Start the boot-image processes (start= or the "start" flag). */
void boot_procs_start(void);
/* Start boot-image program name with a0 = arg; its endpoint or -errno. */
endpoint_t boot_procs_run(const char *name, uint64_t arg);
/* Processes alive now (for leak checks). */
unsigned proc_count(void);

#endif
