/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest user program. It asks the kernel who it is
 * (KC_GETINFO) and prints
 *
 *	hello from user space: endpoint <ep>
 *
 * through printf, which proves crt0, the IPC trap, a kernel call and the
 * stdio path to the kernel log. Exits 0, or 1 if KC_GETINFO failed.
 */
#include <stdio.h>
#include <axo.h>

int main(void)
{
	endpoint_t self;
	int r = kc_getinfo(&self, NULL, NULL);

	if (r) {
		printf("hello: getinfo failed: %d\n", r);
		return 1;
	}
	printf("hello from user space: endpoint %d\n", self);
	return 0;
}
