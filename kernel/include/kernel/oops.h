/* SPDX-License-Identifier: MIT */
/*
 * What the kernel does when it breaks: oops (report, then end only the
 * faulting thread where that is safe) and panic (report, stop every hart,
 * run the notifiers, then halt or reboot as kernel.panic says).
 * docs/oops-and-panic.md has the decision table.
 */
#ifndef KERNEL_OOPS_H
#define KERNEL_OOPS_H

#include <kernel/arch.h>
#include <kernel/bug.h>

/* A kernel-mode exception: report it and decide. Returns only if fixed. */
void oops(struct trap_frame *tf, const char *cause);
void oops_bug(struct trap_frame *tf, const struct bug_entry *bug);
void __noreturn oops_stack_overflow(struct trap_frame *tf);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
/* True once any hart has begun to panic. */
bool panic_in_progress(void);

/* Called by panic() after the other harts are stopped, in order. */
typedef void (*panic_notifier_fn)(const char *reason);
int panic_notifier_register(panic_notifier_fn fn);

/* Crash-test hook: make the next oops report fault (DOUBLE_FAULT). */
extern bool oops_inject_fault;

/* Print one backtrace line per frame, as "Call Trace:" does. */
void show_backtrace(const struct trap_frame *tf);

#endif
