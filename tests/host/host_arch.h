/* SPDX-License-Identifier: MIT */
/* What the host architecture stub exposes to unit tests. */
#ifndef HOST_ARCH_H
#define HOST_ARCH_H

#include <kernel/types.h>

#define HOST_CONSOLE_SIZE (1 << 20)
extern char host_console[HOST_CONSOLE_SIZE]; /* all arch_early_putc output */
extern size_t host_console_len;
extern unsigned host_cpu;  /* what arch_cpu_id() returns */
extern ticks_t host_time;  /* what arch_time_now() returns */
void host_console_reset(void);

#endif
