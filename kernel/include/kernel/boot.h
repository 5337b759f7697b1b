/* SPDX-License-Identifier: MIT */
/* What the architecture's boot code hands to the portable kernel. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <kernel/config.h>
#include <kernel/devtree.h>

struct boot_info {
	paddr_t dtb_pa;
	size_t dtb_size;
	unsigned cpu_dt_index[MAX_CPUS]; /* cpu index -> platform harts[] */
	uintptr_t idle_stack_lo[MAX_CPUS];
	uintptr_t idle_stack_top[MAX_CPUS];
};

extern struct platform_info boot_platform;
extern struct boot_info boot_info;

/* Entered once on the boot hart, on its guarded idle stack. */
void __noreturn kernel_main(void);
/* Entered on each other hart, on its idle stack. */
void __noreturn secondary_main(void);

#endif
