/* SPDX-License-Identifier: MIT */
/*
 * The portable kernel's start: entered on the boot hart once the
 * architecture has memory, page tables and the console, on the hart's
 * guarded idle stack. It applies the boot command line, starts the other
 * harts and the tick, starts the kernel monitor and any crash test asked
 * for, and becomes the idle loop.
 */
#include <axolotl/errno.h>
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/crashtest.h>
#include <kernel/kmon.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/alarm.h>
#include <kernel/smp.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/tunable.h>

static void print_line(const char *line, void *ctx)
{
	(void)ctx;
	pr_info("%s\n", line);
}

static void set_console_level(int64_t level)
{
	printk_set_console_level((int)level);
}

static void apply_boot_parameters(void)
{
	cmdline_init(boot_platform.bootargs);
	if (boot_platform.bootargs[0])
		pr_info("cmdline: %s\n", boot_platform.bootargs);
	cmdline_apply_tunables();
	printk_set_console_level((int)tunable_get(TUNABLE_LOGLEVEL));
	tunable_set_hook(TUNABLE_LOGLEVEL, set_console_level);
	syscall_set_fastpath(tunable_get(TUNABLE_IPC_FASTPATH));
	tunable_set_hook(TUNABLE_IPC_FASTPATH, syscall_set_fastpath);
}

static void start_this_cpu(void)
{
	struct cpu *c = this_cpu();

	sched_init_cpu(c->id, boot_info.idle_stack_lo[c->id],
		       boot_info.idle_stack_top[c->id]);
	timer_init_cpu();
	arch_enable_interrupt_sources();
	__atomic_store_n(&c->state, CPU_ONLINE, __ATOMIC_RELEASE);
	arch_irq_enable();
}

static void start_crash_test(void)
{
	const char *name = cmdline_get("crashtest");
	int err;

	if (!name)
		return;
	err = crashtest_start(name);
	if (err)
		pr_err("crashtest: cannot run '%s': %s (see 'crash list')\n",
		       name, err == -ENOENT ? "no such test" : "no thread");
}

void __noreturn kernel_main(void)
{
	struct page_stats ps;

	sched_init();
	apply_boot_parameters();
	devtree_print(&boot_platform, print_line, NULL);
	start_this_cpu();
	pr_info("smp: %u of %u harts online\n", smp_boot_secondaries(), ncpus);
	page_get_stats(&ps);
	pr_info("memory: %zu KiB free of %zu KiB\n", ps.free * 4, ps.total * 4);
	proc_init();
	alarm_init();
	pr_notice("Axolotl: boot complete in %llu ms\n",
		  (unsigned long long)uptime_ms());
	start_crash_test();
	boot_procs_start();
	kmon_start();
	sched_idle_loop();
}

void __noreturn secondary_main(void)
{
	plat_init_cpu(this_cpu()->id);
	start_this_cpu();
	sched_idle_loop();
}
