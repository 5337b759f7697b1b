/* SPDX-License-Identifier: MIT */
/*
 * kcall_abuse: make kernel calls and IPC traps that the kernel must
 * refuse, and print what each returned, one line per case:
 *
 *	kcall_abuse: debug_write(kernel ptr) = -14
 *
 * A case the kernel accepted is also reported as
 *
 *	kcall_abuse: <case> succeeded (BUG)
 *
 * At the end it checks that it is still itself (KC_GETINFO) and prints
 * "kcall_abuse: done"; the exit status is the number of cases that
 * succeeded (0 when the kernel refused them all). The exact error of
 * each case is for the test to judge; this program only insists that it
 * is an error. The cases that could block a broken kernel for ever
 * (sends to itself) come last.
 */
#include <stdio.h>
#include <stdint.h>
#include <axo.h>

#define KERNEL_IMAGE 0xffffffff80200000UL
#define SV39_USER_TOP 0x4000000000UL /* end of the lower half */
#define FAR_VA 0x1000000000UL	     /* 64 GiB: nothing is mapped there */

static unsigned bugs;
static char buf[300] = "kcall_abuse: this line must never be printed";

static void report(const char *what, int r)
{
	printf("kcall_abuse: %s = %d\n", what, r);
	if (r >= 0) {
		printf("kcall_abuse: %s succeeded (BUG)\n", what);
		bugs++;
	}
}

/* An address no page is mapped at: below the image, or far above it. */
static uintptr_t unmapped_address(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	static const uintptr_t candidates[] = { 0x8000, FAR_VA,
						0x3f00000000UL };

	for (unsigned i = 0; i < 3; i++) {
		uintptr_t a = candidates[i];

		if (sp < a - 0x100000 || sp > a + 0x100000)
			return a;
	}
	return candidates[1];
}

static int ipc_raw(int op, endpoint_t ep)
{
	message_t m = { .m_type = 0x41425553 }; /* "ABUS" */

	return axo_ipc(op, ep, &m);
}

int main(void)
{
	endpoint_t self = ENDPOINT_NONE, again = ENDPOINT_NONE;
	uintptr_t nowhere = unmapped_address();
	axo_grant_t g;
	int r;

	kc_getinfo(&self, NULL, NULL);

	report("debug_write(kernel ptr)",
	       kc_debug_write((const void *)KERNEL_IMAGE, 16));
	report("debug_write(NULL)", kc_debug_write(NULL, 16));
	report("debug_write(huge len)", kc_debug_write(buf, SIZE_MAX));
	report("debug_write(len 257)", kc_debug_write(buf, 257));
	report("debug_write(unmapped)",
	       kc_debug_write((const void *)nowhere, 16));
	report("debug_write(wrapping range)",
	       kc_debug_write((const void *)(uintptr_t)-16, 32));
	report("debug_write(end of user space)",
	       kc_debug_write((const void *)(SV39_USER_TOP - 8), 16));

	r = kc_vm_map(self, FAR_VA, 4096, VM_R | VM_W | VM_X);
	report("vm_map(W|X)", r);
	if (!r)
		kc_vm_unmap(self, FAR_VA, 4096);
	report("vm_map(kernel range)",
	       kc_vm_map(self, KERNEL_IMAGE, 4096, VM_R));
	report("vm_unmap(kernel range)", kc_vm_unmap(self, KERNEL_IMAGE, 4096));
	report("vm_map(wrapping range)",
	       kc_vm_map(self, (uintptr_t)-4096, 8192, VM_R));

	r = kc_grant_create(self, (uintptr_t)-4096, 8192, GRANT_READ, &g);
	report("grant_create(wrapping range)", r);
	if (!r)
		kc_grant_revoke(g);
	r = kc_grant_create(self, (uintptr_t)buf, SIZE_MAX, GRANT_READ, &g);
	report("grant_create(huge len)", r);
	if (!r)
		kc_grant_revoke(g);
	r = kc_grant_create(self, KERNEL_IMAGE, 4096, GRANT_READ, &g);
	report("grant_create(kernel range)", r);
	if (!r)
		kc_grant_revoke(g);
	r = kc_grant_create(self, (uintptr_t)buf, sizeof(buf), 0x80, &g);
	report("grant_create(bad access)", r);
	if (!r)
		kc_grant_revoke(g);
	report("grant_revoke(bad id)", kc_grant_revoke(0x7fff12345678));
	report("safecopy_from(bad grant)",
	       kc_safecopy_from(self, 0x7fff12345678, 0, buf, 16));

	report("tunable_get(kernel ptr)",
	       kc_tunable_get((const char *)KERNEL_IMAGE, NULL));
	report("tunable_get(NULL)", kc_tunable_get(NULL, NULL));
	report("proc_info(slot 1000000)", kc_proc_info(1000000, NULL));

	report("kernel call KC_COUNT+5",
	       kcall_args(KC_COUNT + 5, NULL, 0, 0, 0, 0, 0, 0, 0));
	report("kernel call -1", kcall_args(-1, NULL, 0, 0, 0, 0, 0, 0, 0));
	report("ipc op 99", ipc_raw(99, self));
	report("ipc op 0", ipc_raw(0, self));
	report("ipc op 7", ipc_raw(7, self));
	report("ipc op -1", ipc_raw(-1, self));
	report("send to ENDPOINT_NONE", ipc_raw(IPC_SEND, ENDPOINT_NONE));
	report("send to ENDPOINT_ANY", ipc_raw(IPC_SEND, ENDPOINT_ANY));
	report("sendnb to ENDPOINT_KERNEL",
	       ipc_raw(IPC_SENDNB, ENDPOINT_KERNEL));
	report("notify ENDPOINT_CLOCK", ipc_raw(IPC_NOTIFY, ENDPOINT_CLOCK));
	report("send to self", ipc_raw(IPC_SEND, self));
	report("sendrec to self", ipc_raw(IPC_SENDREC, self));

	r = kc_getinfo(&again, NULL, NULL);
	if (r || again != self) {
		printf("kcall_abuse: getinfo after abuse: %d, endpoint %d, was %d (BUG)\n",
		       r, again, self);
		bugs++;
	}
	printf("kcall_abuse: done\n");
	return (int)bugs;
}
