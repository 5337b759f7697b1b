/* SPDX-License-Identifier: MIT */
/*
 * sched: KC_SCHED_SET, from a system process (the boot image gives this
 * program the system privilege set), on itself.
 *
 * It checks that the kernel refuses priority 16 and priority 2^32 + 12
 * (no truncation to 32 bits), quantum 0 and quantum 10001 ms with
 * -EINVAL, and a stale endpoint (its own slot, another generation) and
 * ENDPOINT_ANY with -EDEADSRCDST, and that KC_PROC_INFO still shows the
 * default priority 8 afterwards. Then it sets priority 12 with a 5 ms
 * quantum, reads KC_PROC_INFO of its own slot (word [2] must be 12), makes
 * sure it still runs (yield, sleep), and sets priority 3 through
 * ENDPOINT_SELF. If its start argument is the endpoint of another live
 * process (start=spin,sched:prev), it also sets that process to priority
 * 14 with a 10 ms quantum and checks KC_PROC_INFO of its slot, so that
 * the test can see the change in the kernel monitor's process table too.
 * Lines on success:
 *
 *	sched: priority 16 = -22
 *	...
 *	sched: priority 8 before
 *	sched: priority 12 quantum 5 ms set
 *	sched: proc_info: priority 12
 *	sched: priority 3 through ENDPOINT_SELF
 *	sched: priority 14 set for <ep>		(with an argument)
 *	sched: ok
 *
 * and exit status 0; a failed check prints a line ending in "(FAIL)" and
 * the exit status is 1.
 */
#include <stdio.h>
#include <string.h>
#include <axo.h>
#include <axolotl/errno.h>

#define PRIO_DEFAULT 8

static int failures;

static void check(const char *what, int got, int want)
{
	if (got == want) {
		printf("sched: %s = %d\n", what, got);
	} else {
		printf("sched: %s = %d, expected %d (FAIL)\n", what, got, want);
		failures++;
	}
}

/* KC_SCHED_SET with 64-bit arguments, as the kernel sees them. */
static int sched_set64(endpoint_t ep, uint64_t prio, uint64_t quantum)
{
	return kcall_args(KC_SCHED_SET, NULL, (uint64_t)(int64_t)ep, prio,
			  quantum, 0, 0, 0, 0);
}

/* The priority KC_PROC_INFO reports for process ep; -1 on error. */
static long prio_of(endpoint_t ep)
{
	struct axo_proc_info info = { .ep = ENDPOINT_NONE };
	int r = kc_proc_info(ENDPOINT_SLOT(ep), &info);

	if (r || info.ep != ep) {
		printf("sched: proc_info = %d: endpoint %d, expected %d (FAIL)\n",
		       r, info.ep, ep);
		failures++;
		return -1;
	}
	return (long)info.prio;
}

/* The same for this process, which must be named "sched". */
static long my_prio(endpoint_t self)
{
	struct axo_proc_info info = { .ep = ENDPOINT_NONE };

	if (kc_proc_info(ENDPOINT_SLOT(self), &info) == 0 &&
	    strcmp(info.name, "sched") != 0) {
		printf("sched: proc_info: name '%s', expected 'sched' (FAIL)\n",
		       info.name);
		failures++;
		return -1;
	}
	return prio_of(self);
}

/* Priority 14, quantum 10 ms for another process. */
static void set_other(endpoint_t ep)
{
	long prio;
	int r = kc_sched_set(ep, 14, 10);

	check("another process to priority 14", r, 0);
	prio = prio_of(ep);
	if (!r && prio == 14) {
		printf("sched: priority 14 set for %d\n", ep);
	} else if (prio >= 0) {
		printf("sched: priority of %d is %ld, expected 14 (FAIL)\n", ep,
		       prio);
		failures++;
	}
}

int main(long arg)
{
	endpoint_t self = ENDPOINT_NONE, stale;
	uint64_t flags = 0;
	long prio;
	int r;

	if (kc_getinfo(&self, NULL, &flags) || !(flags & PRIV_SYS)) {
		printf("sched: not a system process (flags %#lx) (FAIL)\n",
		       (unsigned long)flags);
		return 1;
	}
	stale = ENDPOINT(ENDPOINT_SLOT(self),
			 (ENDPOINT_GEN(self) + 1) & ENDPOINT_GEN_MAX);

	check("priority 16", kc_sched_set(self, 16, 5), -EINVAL);
	check("priority 2^32+12", sched_set64(self, (1ULL << 32) | 12, 5),
	      -EINVAL);
	check("quantum 0", kc_sched_set(self, 12, 0), -EINVAL);
	check("quantum 10001 ms", kc_sched_set(self, 12, 10001), -EINVAL);
	check("quantum 2^32+5 ms", sched_set64(self, 12, (1ULL << 32) | 5),
	      -EINVAL);
	check("stale endpoint", kc_sched_set(stale, 12, 5), -EDEADSRCDST);
	check("ENDPOINT_ANY", kc_sched_set(ENDPOINT_ANY, 12, 5), -EDEADSRCDST);

	prio = my_prio(self);
	if (prio == PRIO_DEFAULT) {
		printf("sched: priority %ld before\n", prio);
	} else if (prio >= 0) {
		printf("sched: priority %ld before, expected %d (FAIL)\n", prio,
		       PRIO_DEFAULT);
		failures++;
	}

	r = kc_sched_set(self, 12, 5);
	check("priority 12 quantum 5", r, 0);
	if (!r)
		printf("sched: priority 12 quantum 5 ms set\n");
	prio = my_prio(self);
	if (prio == 12) {
		printf("sched: proc_info: priority %ld\n", prio);
	} else if (prio >= 0) {
		printf("sched: proc_info: priority %ld, expected 12 (FAIL)\n",
		       prio);
		failures++;
	}
	/* It still gets the processor at the lower priority. */
	check("yield", kc_yield(), 0);
	check("sleep 10 ms", kc_sleep(10), 0);

	check("priority 3 via ENDPOINT_SELF",
	      kc_sched_set(ENDPOINT_SELF, 3, 20), 0);
	prio = my_prio(self);
	if (prio == 3) {
		printf("sched: priority 3 through ENDPOINT_SELF\n");
	} else if (prio >= 0) {
		printf("sched: priority %ld after ENDPOINT_SELF, expected 3 (FAIL)\n",
		       prio);
		failures++;
	}
	if (arg > 0 && arg <= INT32_MAX && (endpoint_t)arg != self)
		set_other((endpoint_t)arg);
	if (failures)
		return 1;
	printf("sched: ok\n");
	return 0;
}
