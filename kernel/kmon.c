/* SPDX-License-Identifier: MIT */
/*
 * The kernel monitor. One thread reads console lines (the UART interrupt
 * fills a ring and wakes it) and runs commands from a table. Each command
 * checks its arguments and prints usage on a mistake.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/crashtest.h>
#include <kernel/irq.h>
#include <kernel/kmalloc.h>
#include <kernel/kmon.h>
#include <kernel/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/procmgr.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/tunable.h>

#define LINE_MAX 128
#define ARGS_MAX 8

struct command {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

static const struct command commands[];

/* Echo and prompt: whole, under the console lock, never inside a log line. */
static void kmon_puts(const char *s)
{
	struct spinlock *lock = printk_console_lock();

	spin_lock(lock);
	printk_emergency_puts(s);
	spin_unlock(lock);
}

static int usage(const char *name)
{
	for (unsigned i = 0; commands[i].name; i++)
		if (strcmp(commands[i].name, name) == 0)
			printk(LOG_ERR, "usage: %s %s\n", name,
			       commands[i].usage);
	return 2;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; commands[i].name; i++)
		printk(LOG_NOTICE, "  %-8s %s\n", commands[i].name,
		       commands[i].usage);
	return 0;
}

static int cmd_crash(int argc, char **argv)
{
	int err;

	if (argc != 2)
		return usage(argv[0]);
	if (strcmp(argv[1], "list") == 0) {
		const struct crashtest *t;

		for (unsigned i = 0; (t = crashtest_at(i)); i++)
			printk(LOG_NOTICE, "  %-18s %s\n", t->name, t->what);
		return 0;
	}
	err = crashtest_start(argv[1]);
	if (err == -ENOENT) {
		printk(LOG_ERR,
		       "crash: no test called '%s' (try 'crash list')\n",
		       argv[1]);
		return 1;
	}
	return err ? 1 : 0;
}

static void show_tunable(const struct tunable *t)
{
	printk(LOG_NOTICE, "%s = %lld\n", t->name, (long long)tunable_value(t));
}

static int cmd_sysctl(int argc, char **argv)
{
	char *eq;
	int id, err;

	if (argc != 2)
		return usage(argv[0]);
	if (strcmp(argv[1], "-a") == 0) {
		const struct tunable *t;

		for (unsigned i = 0; (t = tunable_at(i)); i++)
			show_tunable(t);
		return 0;
	}
	eq = strchr(argv[1], '=');
	if (!eq) {
		id = tunable_lookup(argv[1]);
		if (id < 0) {
			printk(LOG_ERR, "sysctl: unknown tunable '%s'\n",
			       argv[1]);
			return 1;
		}
		show_tunable(tunable_at((unsigned)id));
		return 0;
	}
	*eq = '\0';
	err = tunable_set(argv[1], eq + 1);
	if (err) {
		printk(LOG_ERR, "sysctl: %s=%s: %s\n", argv[1], eq + 1,
		       err == -ENOENT ? "unknown tunable" :
		       err == -ERANGE ? "out of range" :
					"not a valid value");
		return 1;
	}
	show_tunable(tunable_at((unsigned)tunable_lookup(argv[1])));
	return 0;
}

/* dmesg [-l LEVEL]: the kernel log ring, oldest first, up to LEVEL. */
static int cmd_dmesg(int argc, char **argv)
{
	struct log_record_view rec;
	uint64_t seq = 0;
	long long level = LOG_DEBUG;
	char line[LOG_LINE_MAX + 64];

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		if (kstrtoll(argv[2], 10, &level) || level < 0 ||
		    level > LOG_DEBUG)
			return usage(argv[0]);
	} else if (argc != 1) {
		return usage(argv[0]);
	}
	while (log_next(&seq, &rec)) {
		if (rec.level > level)
			continue;
		log_format_line(&rec, line, sizeof(line)); /* ends in \n */
		kmon_puts(line);
	}
	return 0;
}

static int cmd_free(int argc, char **argv)
{
	struct page_stats ps;
	struct kmalloc_stats ks;

	if (argc != 1)
		return usage(argv[0]);
	page_get_stats(&ps);
	kmalloc_get_stats(&ks);
	printk(LOG_NOTICE,
	       "pages: total %zu free %zu used %zu reserved %zu kstack %zu\n",
	       ps.total, ps.free, ps.used, ps.reserved, arch_kstack_pages());
	printk(LOG_NOTICE, "kmalloc: %zu bytes in %zu objects\n",
	       ks.bytes_in_use, ks.objects_in_use);
	return 0;
}

/* start NAME [ARG]: run a program of the boot image. */
static int cmd_start(int argc, char **argv)
{
	long long arg = 0;
	endpoint_t ep;

	if (argc < 2 || argc > 3 || (argc == 3 && kstrtoll(argv[2], 0, &arg)))
		return usage(argv[0]);
	ep = boot_procs_run(argv[1], (uint64_t)arg);
	if (ep < 0) {
		printk(LOG_ERR, "start: %s: error %d\n", argv[1], ep);
		return 1;
	}
	return 0;
}

/* procs: the process table. */
static int cmd_procs(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	printk(LOG_NOTICE, "  slot endpoint rts  prio cpu pages name\n");
	for (unsigned i = 0; i < NR_PROCS; i++) {
		struct proc *p = &proc_table[i];

		if (READ_ONCE(p->rts) & RTS_SLOT_FREE)
			continue;
		printk(LOG_NOTICE, "  %4u %8d %#4x %4u %3d %5zu %s\n", i, p->ep,
		       p->rts, p->prio, p->thread ? p->thread->cpu : -1,
		       p->vm ? arch_vm_pages(p->vm) : 0, p->name);
	}
	printk(LOG_NOTICE, "%u processes\n", proc_count());
	return 0;
}

static int cmd_cpus(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	for (unsigned i = 0; i < ncpus; i++)
		printk(LOG_NOTICE,
		       "CPU%u hart %lu %s ticks %llu ipis %llu ipc fast %llu slow %llu resumed %llu running %s\n",
		       i, (unsigned long)cpus[i].arch.hartid,
		       cpus[i].state == CPU_ONLINE ? "online" : "offline",
		       (unsigned long long)cpus[i].ticks,
		       (unsigned long long)cpus[i].ipis,
		       (unsigned long long)cpus[i].ipc_fast,
		       (unsigned long long)cpus[i].ipc_slow,
		       (unsigned long long)cpus[i].ipc_resumed,
		       cpus[i].current ? cpus[i].current->name : "-");
	return 0;
}

static int cmd_irqs(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	for (unsigned irq = 1; irq < IRQ_MAX; irq++)
		if (irq_count(irq) || irq_name(irq)[0])
			printk(LOG_NOTICE, "irq %3u %-8s %llu\n", irq,
			       irq_name(irq),
			       (unsigned long long)irq_count(irq));
	printk(LOG_NOTICE, "spurious %llu\n",
	       (unsigned long long)irq_spurious_count());
	return 0;
}

static void ipi_ping(void *arg)
{
	*(volatile unsigned *)arg = arch_cpu_id();
}

/* Cross-call every other hart and time the answer. */
static int cmd_ipi(int argc, char **argv)
{
	int failed = 0;

	if (argc != 1)
		return usage(argv[0]);
	printk(LOG_NOTICE, "ipi: from CPU%u to the %u others\n", arch_cpu_id(),
	       ncpus - 1);
	for (unsigned i = 0; i < ncpus; i++) {
		volatile unsigned who = ~0u;
		ticks_t t0 = arch_time_now();
		int err;

		if (i == arch_cpu_id())
			continue;
		err = smp_call_on(i, ipi_ping, (void *)&who, true, 100);
		if (err || who != i) {
			printk(LOG_ERR, "ipi: CPU%u did not answer (%d)\n", i,
			       err);
			failed = 1;
			continue;
		}
		printk(LOG_NOTICE, "ipi: CPU%u answered in %llu us\n", i,
		       (unsigned long long)((arch_time_now() - t0) * 1000000 /
					    arch_time_freq()));
	}
	return failed;
}

static int cmd_uptime(int argc, char **argv)
{
	uint64_t ms = uptime_ms();

	if (argc != 1)
		return usage(argv[0]);
	printk(LOG_NOTICE, "up %llu.%03llu s\n",
	       (unsigned long long)(ms / 1000),
	       (unsigned long long)(ms % 1000));
	return 0;
}

static int cmd_reset(int argc, char **argv)
{
	bool reboot = strcmp(argv[0], "reboot") == 0;

	if (argc != 1)
		return usage(argv[0]);
	printk(LOG_NOTICE, "kmon: %s\n", reboot ? "rebooting" : "powering off");
	arch_system_reset(reboot);
}

static const struct command commands[] = {
	{ "help", "- list commands", cmd_help },
	{ "crash", "list | NAME - list or run a crash test", cmd_crash },
	{ "sysctl", "-a | NAME | NAME=VALUE - kernel tunables", cmd_sysctl },
	{ "dmesg", "[-l LEVEL] - the kernel log, levels 0 to LEVEL",
	  cmd_dmesg },
	{ "free", "- memory use", cmd_free },
	{ "cpus", "- harts, what they run, IPC fast/slow path counts",
	  cmd_cpus },
	{ "start", "NAME [ARG] - run a program of the boot image", cmd_start },
	{ "procs", "- the process table", cmd_procs },
	{ "irqs", "- device interrupt counts", cmd_irqs },
	{ "ipi", "- cross-call every other hart", cmd_ipi },
	{ "uptime", "- time since boot", cmd_uptime },
	{ "reboot", "- restart the machine", cmd_reset },
	{ "poweroff", "- stop the machine", cmd_reset },
	{ NULL, NULL, NULL },
};

int kmon_execute(char *line)
{
	char *argv[ARGS_MAX];
	int argc = 0;

	for (char *p = line; *p && argc < ARGS_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (argc == 0)
		return 0;
	for (unsigned i = 0; commands[i].name; i++)
		if (strcmp(commands[i].name, argv[0]) == 0)
			return commands[i].run(argc, argv);
	printk(LOG_ERR, "kmon: unknown command '%s' (try 'help')\n", argv[0]);
	return 127;
}

static void read_line(char *buf, size_t len)
{
	size_t n = 0;

	for (;;) {
		char c = arch_console_getc();

		if (c == '\r' || c == '\n') {
			kmon_puts("\n");
			break;
		}
		if ((c == 0x7f || c == '\b') && n > 0) {
			n--;
			kmon_puts("\b \b");
		} else if (c >= ' ' && c < 0x7f && n + 1 < len) {
			char echo[2] = { c, '\0' };

			buf[n++] = c;
			kmon_puts(echo);
		}
	}
	buf[n] = '\0';
}

static void kmon_thread(void *arg)
{
	char line[LINE_MAX];

	(void)arg;
	for (;;) {
		kmon_puts("kmon> ");
		read_line(line, sizeof(line));
		kmon_execute(line);
	}
}

void kmon_start(void)
{
	if (arch_console_input_enable() < 0) {
		pr_info("kmon: no console input; monitor not started\n");
		return;
	}
	if (thread_create("kmon", kmon_thread, NULL) < 0)
		pr_err("kmon: cannot start\n");
}
