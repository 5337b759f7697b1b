/* SPDX-License-Identifier: MIT */
/*
 * Alarms: a process asks for a notification from ENDPOINT_CLOCK after a
 * number of milliseconds. The tick only compares against the earliest
 * deadline; a kernel thread does the rest (interrupt handlers defer).
 */
#ifndef KERNEL_ALARM_H
#define KERNEL_ALARM_H

#include <kernel/proc.h>

void alarm_init(void);
/* Arm (ms > 0) or cancel (ms == 0) p's alarm. 0 or -errno. */
int alarm_set(struct proc *p, uint64_t ms);
/* From the boot hart's tick. */
void alarm_tick(ticks_t now);

#endif
