/* SPDX-License-Identifier: MIT */
/* The periodic tick of each hart (kernel.tick_hz per second). */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/types.h>

void timer_init_cpu(void);
/* The timer trap: count the tick, re-arm, run the tick hook. */
void timer_interrupt(void);
/* Milliseconds since boot (the timebase origin). */
uint64_t uptime_ms(void);
/*
 * A function every tick calls, in interrupt context, on every hart; set by
 * crash tests and (later) the lockup detectors. NULL for none.
 */
extern void (*volatile timer_tick_hook)(void);

#endif
