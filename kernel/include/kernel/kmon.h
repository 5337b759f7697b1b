/* SPDX-License-Identifier: MIT */
/*
 * The kernel monitor: a small command line on the console, for as long as
 * the kernel itself owns the UART (a user-space console driver and shell
 * replace it later). It shows the kernel's state and runs crash tests.
 */
#ifndef KERNEL_KMON_H
#define KERNEL_KMON_H

/* Start the monitor thread if the console can take input. */
void kmon_start(void);
/* Run one command line; returns 0 on success, else a positive status. */
int kmon_execute(char *line);

#endif
