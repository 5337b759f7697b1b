/* SPDX-License-Identifier: MIT */
/*
 * Crash tests (our LKDTM): named, deliberate kernel faults, to prove that
 * each one gives its specific report and next state. Selected at boot with
 * crashtest=NAME and, later, from the shell.
 */
#ifndef KERNEL_CRASHTEST_H
#define KERNEL_CRASHTEST_H

#include <kernel/types.h>

struct crashtest {
	const char *name;
	const char *what; /* one line: what it does and what should follow */
	void (*run)(void);
};

/* The test called name (case-sensitive), or NULL. */
const struct crashtest *crashtest_find(const char *name);
const struct crashtest *crashtest_at(unsigned i);
/* Run it in a new kernel thread "crashtest"; 0 or -errno. */
int crashtest_start(const char *name);

#endif
