/* SPDX-License-Identifier: MIT */
/*
 * restricted: runs with the restricted privilege set (PRIV_ID_RESTRICTED:
 * only KC_NULL, KC_GETINFO, KC_DEBUG_WRITE, KC_EXIT and KC_UPTIME, and no
 * process it may send to) and checks that the kernel refuses everything
 * else with -EPERM. Its start argument is the endpoint of a live process
 * (the test starts ipc_server first), so that a send gets past the
 * endpoint lookup and is refused by the privilege check alone.
 *
 * In this order it makes: a send and a notify to that endpoint, KC_VM_MAP
 * of one page of its own, and KC_PROC_INFO of its own slot, printing
 *
 *	restricted: send = -1
 *	restricted: notify = -1
 *	restricted: vm_map = -1
 *	restricted: proc_info = -1
 *
 * then 2000 more denied calls (sends and KC_PROC_INFO alternately), so
 * that 2004 are denied in all. The kernel's EPERM reports share one
 * counter per process and are rate-limited: the first four are printed,
 * then every thousandth, so the log gets six of them, the last two for
 * KC_PROC_INFO with the counts 1000 and 2000. It also checks that the
 * calls it may make still work. Then it prints
 *
 *	restricted: 2000 more calls denied
 *	restricted: ok
 *
 * and exits 0. Any call that is not refused as expected prints a line
 * ending in "(FAIL)" and the exit status is 1.
 */
#include <stdio.h>
#include <axo.h>
#include <axolotl/errno.h>

#define LOOP_CALLS 2000

static int failures;

static void expect(const char *what, int got, int want)
{
	if (got == want) {
		printf("restricted: %s = %d\n", what, got);
	} else {
		printf("restricted: %s = %d, expected %d (FAIL)\n", what, got,
		       want);
		failures++;
	}
}

int main(long arg)
{
	endpoint_t target = (endpoint_t)arg;
	endpoint_t self = ENDPOINT_NONE;
	unsigned denied = 0, bad = 0;
	uint64_t flags = ~0ULL;
	message_t m;
	int r;

	if (arg <= 0 || arg > INT32_MAX) {
		printf("restricted: no target endpoint (start argument %ld) (FAIL)\n",
		       arg);
		return 2;
	}
	r = kc_getinfo(&self, NULL, &flags);
	if (r || flags != 0) {
		printf("restricted: getinfo = %d, flags %#lx (FAIL)\n", r,
		       (unsigned long)flags);
		return 1;
	}
	printf("restricted: endpoint %d, target %d\n", self, target);

	m = (message_t){ .m_type = 0x5157 };
	expect("send", ipc_send(target, &m), -EPERM);
	expect("notify", ipc_notify(target), -EPERM);
	/* A page of its own space: a user program could map it. */
	expect("vm_map", kc_vm_map(self, 0x40000000, 4096, VM_R | VM_W),
	       -EPERM);
	expect("proc_info", kc_proc_info(ENDPOINT_SLOT(self), NULL), -EPERM);

	for (unsigned i = 0; i < LOOP_CALLS; i++) {
		if (i % 2 == 0) {
			m = (message_t){ .m_type = (int32_t)i };
			r = ipc_send(target, &m);
		} else {
			r = kc_proc_info(ENDPOINT_SLOT(self), NULL);
		}
		if (r == -EPERM)
			denied++;
		else if (++bad <= 5) /* a few lines, not thousands */
			printf("restricted: call %u = %d, expected %d (FAIL)\n",
			       i, r, -EPERM);
	}
	if (denied != LOOP_CALLS) {
		printf("restricted: %u of %d calls denied (FAIL)\n", denied,
		       LOOP_CALLS);
		failures++;
	} else {
		printf("restricted: %u more calls denied\n", denied);
	}

	/* What it may do still works. */
	if (kc_null() != 0 || kc_uptime(NULL, NULL) != 0) {
		printf("restricted: an allowed kernel call failed (FAIL)\n");
		failures++;
	}
	if (failures)
		return 1;
	printf("restricted: ok\n");
	return 0;
}
