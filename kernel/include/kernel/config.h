/* SPDX-License-Identifier: MIT */
/* Build-time limits of the kernel. Each is a fixed table size somewhere. */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

#define MAX_CPUS 8		/* harts the kernel will bring up */
#define MAX_THREADS 96		/* threads (kernel and user) alive at once */
#define KSTACK_SIZE (16 * 1024) /* each kernel stack, guard page not counted */
#define LOG_RING_SIZE (64 * 1024) /* bytes of kernel log kept */
#define TICK_HZ_DEFAULT 100

#endif
