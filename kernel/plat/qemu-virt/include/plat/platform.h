/* SPDX-License-Identifier: MIT */
/*
 * The board: QEMU's virt machine. Its devices (UART, PLIC) are set up from
 * the device tree's description; nothing here assumes their addresses.
 */
#ifndef PLAT_PLATFORM_H
#define PLAT_PLATFORM_H

#include <kernel/devtree.h>

/* Map and initialise the console UART and the PLIC. */
void plat_init(const struct platform_info *p);
/* Per-hart PLIC setup (threshold); call on each hart once it is up. */
void plat_init_cpu(unsigned cpu);

#endif
