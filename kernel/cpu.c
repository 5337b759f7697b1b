/* SPDX-License-Identifier: MIT */
/* The per-hart table. Which entry is "this" hart is the architecture's call. */
#include <kernel/cpu.h>

struct cpu cpus[MAX_CPUS];
unsigned ncpus = 1;
