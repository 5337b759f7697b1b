/* SPDX-License-Identifier: MIT */
/*
 * Other harts: bring-up, a small cross-call facility (run a function on
 * another hart from its software interrupt), and stopping them in a panic.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/types.h>

/* Start every other hart the device tree lists; returns harts online. */
unsigned smp_boot_secondaries(void);
/*
 * Run fn(arg) on cpu in interrupt context. With wait, return after it
 * ran (or -ETIMEDOUT after timeout_ms). 0 or -errno.
 */
int smp_call_on(unsigned cpu, void (*fn)(void *), void *arg, bool wait,
		unsigned timeout_ms);
/* The software-interrupt handler. */
void smp_ipi_interrupt(void);
/*
 * From panic: ask every other online hart to stop, wait up to timeout_ms
 * for each. Returns a mask of harts (cpu indexes) that did not stop.
 */
uint32_t smp_stop_others(unsigned timeout_ms);
unsigned smp_online_count(void);

#endif
