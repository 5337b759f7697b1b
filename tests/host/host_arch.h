/* SPDX-License-Identifier: MIT */
/* What the host architecture stub exposes to unit tests. */
#ifndef HOST_ARCH_H
#define HOST_ARCH_H

#include <kernel/types.h>

#define HOST_CONSOLE_SIZE (1 << 20)
extern char host_console[HOST_CONSOLE_SIZE]; /* all arch_early_putc output */
extern size_t host_console_len;
extern unsigned host_cpu; /* what arch_cpu_id() returns */
extern ticks_t host_time; /* what arch_time_now() returns */
void host_console_reset(void);

/*
 * What ends the (forked) test process when the kernel code would stop the
 * hart, reset the machine or switch threads, none of which the host can
 * do. Without a hook these abort.
 */
enum {
	HOST_EXIT_HALT = 40,
	HOST_EXIT_REBOOT,
	HOST_EXIT_POWEROFF,
	HOST_EXIT_SWITCH,
};
extern void (*host_exit_hook)(int code);
/* The interrupt controller: sources to claim, completions, routes. */
extern unsigned host_irq_pending[16];
extern unsigned host_irq_npending;
extern unsigned host_irq_completed[16];
extern unsigned host_irq_ncompleted;
extern int host_irq_route_cpu[256];
extern bool host_irq_enabled[256];

/* Added to host_time by every arch_time_now() call (0: time stands still). */
extern ticks_t host_time_step;

#endif
