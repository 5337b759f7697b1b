/* SPDX-License-Identifier: MIT */
/*
 * The tunable registry. Every knob is one row of tunables[] below: names,
 * type, range, default, description and the current value all live there,
 * so adding a knob means adding an enum id in <kernel/tunable.h> and a row
 * here (see docs/tunables.md). Readers use tunable_get(), a plain READ_ONCE
 * of an aligned 64-bit value; writers range-check and then store under
 * tunable_lock, so a value is never half-written or out of range.
 */
#include <axolotl/errno.h>
#include <kernel/config.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/tunable.h>

#define INT_TUNABLE(n, a, lo, hi, d, text)                                     \
	{                                                                      \
		.name = (n), .alias = (a), .type = TUNABLE_INT64, .min = (lo), \
		.max = (hi), .def = (d), .desc = (text), .value = (d)          \
	}
#define BOOL_TUNABLE(n, a, d, text)                                        \
	{                                                                  \
		.name = (n), .alias = (a), .type = TUNABLE_BOOL, .min = 0, \
		.max = 1, .def = (d), .desc = (text), .value = (d)         \
	}

/*
 * INT_TUNABLE(full name, alias, min, max, default, description)
 * BOOL_TUNABLE(full name, alias, default, description)
 */
static struct tunable tunables[] = {
	[TUNABLE_PANIC] = INT_TUNABLE(
		"kernel.panic", "panic", -3600, 3600, 0,
		"after a panic: 0 halt, N>0 reboot after N s, N<0 reboot now"),
	[TUNABLE_PANIC_ON_OOPS] = BOOL_TUNABLE(
		"kernel.panic_on_oops", "panic_on_oops", 0,
		"panic on a kernel oops instead of killing the thread"),
	[TUNABLE_TICK_HZ] = INT_TUNABLE(
		"kernel.tick_hz", "tick_hz", 10, 1000, TICK_HZ_DEFAULT,
		"timer interrupts per second on each hart"),
	[TUNABLE_LOGLEVEL] =
		INT_TUNABLE("kernel.printk_level", "loglevel", 0, 8,
			    CONSOLE_LOGLEVEL_DEFAULT,
			    "the console shows messages with level < this"),
	[TUNABLE_IPC_FASTPATH] = BOOL_TUNABLE(
		"kernel.ipc_fastpath", "ipc_fastpath", 1,
		"IPC fast path for sendrec and replyrecv (0: slow path only)"),
};

_Static_assert(ARRAY_SIZE(tunables) == TUNABLE_COUNT,
	       "every enum tunable_id needs a row in tunables[]");

static struct spinlock tunable_lock = SPINLOCK_INIT("tunable");

int64_t tunable_get(enum tunable_id id)
{
	if ((unsigned)id >= TUNABLE_COUNT)
		return 0;
	return READ_ONCE(tunables[id].value);
}

int64_t tunable_value(const struct tunable *t)
{
	return READ_ONCE(t->value);
}

const struct tunable *tunable_at(unsigned i)
{
	return i < TUNABLE_COUNT ? &tunables[i] : NULL;
}

int tunable_lookup(const char *name)
{
	unsigned i;

	if (!name)
		return -ENOENT;
	for (i = 0; i < TUNABLE_COUNT; i++) {
		const struct tunable *t = &tunables[i];

		if (!t->name)
			continue; /* a hole in the table: no such id */
		if (strcmp(t->name, name) == 0 ||
		    (t->alias && strcmp(t->alias, name) == 0))
			return (int)i;
	}
	return -ENOENT;
}

int tunable_set_id(enum tunable_id id, int64_t value)
{
	struct tunable *t;
	void (*hook)(int64_t);

	if ((unsigned)id >= TUNABLE_COUNT || !tunables[id].name)
		return -ENOENT;
	t = &tunables[id];
	if (value < t->min || value > t->max)
		return -ERANGE;

	spin_lock(&tunable_lock);
	WRITE_ONCE(t->value, value);
	hook = t->on_change;
	spin_unlock(&tunable_lock);

	/* Outside the lock, so that a hook may read or set tunables. */
	if (hook)
		hook(value);
	return 0;
}

int tunable_set_hook(enum tunable_id id, void (*on_change)(int64_t value))
{
	if ((unsigned)id >= TUNABLE_COUNT || !tunables[id].name)
		return -ENOENT;
	spin_lock(&tunable_lock);
	tunables[id].on_change = on_change;
	spin_unlock(&tunable_lock);
	return 0;
}

static bool tunable_word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return true;
	return false;
}

/* Text to a number for t: 0, -EINVAL or -ERANGE (beyond int64). */
static int tunable_parse(const struct tunable *t, const char *s, int64_t *out)
{
	static const char *const yes[] = { "", "y", "yes", "on", "true", NULL };
	static const char *const no[] = { "n", "no", "off", "false", NULL };
	long long v;
	int err;

	if (t->type == TUNABLE_BOOL) {
		if (tunable_word_in(s, yes)) {
			*out = 1;
			return 0;
		}
		if (tunable_word_in(s, no)) {
			*out = 0;
			return 0;
		}
	}
	err = kstrtoll(s, 0, &v);
	if (err)
		return err == -ERANGE ? -ERANGE : -EINVAL;
	*out = (int64_t)v;
	return 0;
}

int tunable_set(const char *name, const char *value)
{
	int id = tunable_lookup(name);
	int64_t v;
	int err;

	if (id < 0)
		return id;
	if (!value)
		return -EINVAL;
	err = tunable_parse(&tunables[id], value, &v);
	if (err)
		return err;
	return tunable_set_id((enum tunable_id)id, v);
}

void tunable_reset_defaults(void)
{
	unsigned i;

	spin_lock(&tunable_lock);
	for (i = 0; i < TUNABLE_COUNT; i++)
		WRITE_ONCE(tunables[i].value, tunables[i].def);
	spin_unlock(&tunable_lock);
}
