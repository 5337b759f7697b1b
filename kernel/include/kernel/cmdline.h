/* SPDX-License-Identifier: MIT */
/*
 * The boot command line (the device tree's /chosen/bootargs, QEMU -append).
 * cmdline_init() keeps a bounded copy and splits it into parameters;
 * cmdline_apply_tunables() sets the tunables it names and reports anything
 * it does not understand; cmdline_get() answers other modules' questions.
 * The syntax is described in docs/tunables.md.
 *
 * cmdline_init() runs once during early boot, before other harts start;
 * afterwards the parsed parameters are read-only, so the getters need no
 * lock.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/types.h>

#define CMDLINE_MAX 512	      /* bytes kept, the final NUL included */
#define CMDLINE_MAX_PARAMS 64 /* parameters kept; later ones are dropped */

/*
 * Copy bootargs (NULL means empty) and split it into parameters: separated
 * by spaces or tabs, each "key=value" or a bare "key" (value ""); double
 * quotes group spaces into one parameter and are removed (key="a b" has
 * value "a b"). Prints nothing, so it may run before the console is up;
 * problems are reported by cmdline_apply_tunables(). Replaces any earlier
 * command line.
 */
void cmdline_init(const char *bootargs);

/*
 * Set every tunable the command line names (by full name or alias), in
 * order, so the last occurrence wins. Warn (pr_warn) about parameters that
 * are neither tunables nor known to other modules, about invalid or
 * out-of-range values (the tunable keeps its value), and about a command
 * line that was cut or had an unterminated quote. Returns the number of
 * problems reported, 0 if none.
 */
int cmdline_apply_tunables(void);

/* Value of the last parameter called key ("" if bare), or NULL if absent. */
const char *cmdline_get(const char *key);

/* The command line as kept (possibly truncated), for printing. */
const char *cmdline_string(void);

/* Number of parameters kept, and parameter i of them (false if none). */
unsigned cmdline_count(void);
bool cmdline_param(unsigned i, const char **key, const char **value);

#endif
