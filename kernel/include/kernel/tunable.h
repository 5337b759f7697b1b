/* SPDX-License-Identifier: MIT */
/*
 * The tunable registry: every run-time knob of the kernel, its range,
 * default and current value, in one table (kernel/tunable.c). Values are set
 * from the boot command line (kernel/cmdline.c) and read anywhere with
 * tunable_get(). docs/tunables.md lists them and explains how to add one.
 */
#ifndef KERNEL_TUNABLE_H
#define KERNEL_TUNABLE_H

#include <kernel/types.h>

/* One id per tunable, in the order of the table in kernel/tunable.c. */
enum tunable_id {
	TUNABLE_PANIC,	       /* kernel.panic */
	TUNABLE_PANIC_ON_OOPS, /* kernel.panic_on_oops */
	TUNABLE_TICK_HZ,       /* kernel.tick_hz */
	TUNABLE_LOGLEVEL,      /* kernel.printk_level */
	TUNABLE_IPC_FASTPATH,  /* kernel.ipc_fastpath */
	TUNABLE_COUNT
};

enum tunable_type {
	TUNABLE_INT64, /* a number in min..max */
	TUNABLE_BOOL,  /* 0 or 1; also y/n, yes/no, on/off, true/false */
};

struct tunable {
	const char *name;  /* full name, "kernel.panic" */
	const char *alias; /* short boot command line name, "panic" */
	enum tunable_type type;
	int64_t min, max; /* inclusive */
	int64_t def;	  /* default */
	const char *desc; /* one line */
	/* Called after each successful set, outside the lock; may be NULL. */
	void (*on_change)(int64_t value);
	int64_t value; /* current: read with tunable_value() */
};

/* Current value of a tunable (0 for an invalid id). Lock-free. */
int64_t tunable_get(enum tunable_id id);

/* Current value of a table entry from tunable_at(). Lock-free. */
int64_t tunable_value(const struct tunable *t);

/*
 * Set a tunable by full name or alias from text: a whole decimal or 0x hex
 * number with an optional sign (kstrtoll base 0); booleans also take y/n,
 * yes/no, on/off, true/false, and "" (a bare flag) for 1. Returns 0,
 * -ENOENT for an unknown name, -EINVAL for text that is not a number,
 * -ERANGE for a number outside min..max (or beyond int64). The value is
 * unchanged on any error.
 */
int tunable_set(const char *name, const char *value);

/* Set a tunable by id. Returns 0, -ENOENT for a bad id, -ERANGE. */
int tunable_set_id(enum tunable_id id, int64_t value);

/* The id of the tunable with this full name or alias, or -ENOENT. */
int tunable_lookup(const char *name);

/* Entry i of the table for listing, or NULL when i >= TUNABLE_COUNT. */
const struct tunable *tunable_at(unsigned i);

/*
 * Install (or with NULL remove) the on_change hook of a tunable, for a
 * module that must act when the value changes (say, re-arm the timer when
 * tick_hz changes). Returns 0 or -ENOENT for a bad id.
 */
int tunable_set_hook(enum tunable_id id, void (*on_change)(int64_t value));

/* Put every tunable back to its default, without calling on_change. */
void tunable_reset_defaults(void);

#endif
