/* SPDX-License-Identifier: MIT */
/* The kernel's side of a trap from user mode (see docs/ipc.md). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <kernel/arch.h>

/*
 * The lean ecall path (docs/traps.md): called by the trap entry for an
 * IPC_KERNEL_CALL, with interrupts off, when only the registers a C call may change, sp, tp and
 * the trap CSRs' sepc and scause are in tf. Completes the calls that need
 * nothing more (a permitted KC_NULL) and returns 0; the entry then steps
 * over the ecall and returns to user mode. Otherwise, and whenever the
 * process must stop in the kernel (a kill or a preemption pending), it
 * returns nonzero having changed nothing.
 */
long syscall_lean(struct trap_frame *tf);
/*
 * Tried first for every ecall, with interrupts still off: the IPC fast
 * path of sendrec and replyrecv (docs/ipc.md). Returns only when it does
 * not apply, having changed nothing; syscall_entry() then runs.
 */
void syscall_fastpath(struct trap_frame *tf);
/* The tunable kernel.ipc_fastpath: 0 sends every call to the slow path. */
void syscall_set_fastpath(int64_t on);
/* An ecall: an IPC operation or a kernel call, per <axolotl/ipc.h>. */
void syscall_entry(struct trap_frame *tf);
/* A fault in user mode: report it in one line and end the process. */
void __noreturn user_fault(struct trap_frame *tf, const char *cause);
/* Last thing before returning to user mode: preemption, pending kill. */
void user_return(struct trap_frame *tf);

#endif
