/* SPDX-License-Identifier: MIT */
/*
 * parent: what a process manager does, from user space, with the system
 * kernel calls: create a child, give it memory and code, start it, and
 * learn how it ended from the kernel's exit notice.
 *
 * Four children, each one page of code at 0x400000 and a stack page:
 *   "exits"   li a0,7; KC_EXIT               -> reason EXIT, status 7
 *   "faults"  an all-zero (illegal) word     -> reason FAULT, cause 2
 *   "loops"   an endless loop, then killed   -> reason KILLED
 *   "waits"   a sendrec to the parent, which takes the request and never
 *             answers, then kills it         -> reason KILLED
 * "waits" is killed while it waits for a reply: on one hart the parent
 * already waits in its receive, so the kernel's fast path blocked the
 * child, and the kill ends that wait through the slow path.
 * Prints one line per child and "parent: ok" when all four match.
 */
#include <axolotl/errno.h>
#include <axolotl/kcall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <axo.h>

#define EXIT_NOTICE 0x1001
#define CODE_VA 0x400000UL
#define STACK_VA 0x800000UL

/* KC_EXIT(7) by hand: message word 0 = m_type << 32, word 1 = status. */
static const uint32_t exits_code[] = {
	0x00300513, /* li a0, 3 (KC_EXIT) */
	0x02051513, /* slli a0, a0, 32 */
	0x00700593, /* li a1, 7: the status */
	0x00600293, /* li t0, 6: IPC_KERNEL_CALL */
	0x00000073, /* ecall */
	0x0000006f, /* j . (never reached) */
};
static const uint32_t faults_code[] = { 0x00000000 };
static const uint32_t loops_code[] = { 0x0000006f }; /* j . */
/* sendrec to a0 (the start argument: the parent) with m_type 0. */
static const uint32_t waits_code[] = {
	0x00050313, /* mv t1, a0 */
	0x00300293, /* li t0, 3: IPC_SENDREC */
	0x00000513, /* li a0, 0 */
	0x00000073, /* ecall */
	0x0000006f, /* j . */
};

struct child {
	const char *name;
	const uint32_t *code;
	size_t len;
	int reason;
	int status;
	bool kill;
	bool waits; /* sends to the parent, which receives it first */
};

static const struct child children[] = {
	{ "exits", exits_code, sizeof(exits_code), EXIT_REASON_EXIT, 7, false,
	  false },
	{ "faults", faults_code, sizeof(faults_code), EXIT_REASON_FAULT, 2,
	  false, false },
	{ "loops", loops_code, sizeof(loops_code), EXIT_REASON_KILLED, 0, true,
	  false },
	{ "waits", waits_code, sizeof(waits_code), EXIT_REASON_KILLED, 0, true,
	  true },
};

/* Take the request of child ep (and do not answer it). */
static int take_request(endpoint_t ep)
{
	message_t m;
	int r = ipc_receive(ep, &m);

	if (r || m.m_source != ep) {
		printf("parent: waits: no request (r=%d source %d) (FAIL)\n", r,
		       m.m_source);
		return -1;
	}
	return 0;
}

static int run(const struct child *c)
{
	endpoint_t ep;
	message_t m;
	int r;

	endpoint_t self = ENDPOINT_NONE;

	kc_getinfo(&self, NULL, NULL);
	r = kc_proc_create(c->name,
			   c->waits ? PRIV_ID_USER : PRIV_ID_RESTRICTED, &ep);
	if (!r)
		r = kc_vm_map(ep, CODE_VA, 4096, VM_R | VM_X);
	if (!r)
		r = kc_vm_map(ep, STACK_VA, 4096, VM_R | VM_W);
	if (!r)
		r = kc_vm_write(ep, CODE_VA, c->code, c->len);
	if (!r)
		r = kc_proc_start(ep, CODE_VA, STACK_VA + 4096, self);
	if (!r && c->waits && take_request(ep))
		return -1;
	if (!r && c->kill) {
		kc_sleep(50);
		r = kc_proc_destroy(ep);
	}
	if (r) {
		printf("parent: %s: setting up failed: %d (FAIL)\n", c->name,
		       r);
		return -1;
	}
	r = ipc_receive(ENDPOINT_KERNEL, &m);
	if (r || m.m_source != ENDPOINT_KERNEL || m.m_type != EXIT_NOTICE ||
	    (endpoint_t)m.m_u64[0] != ep) {
		printf("parent: %s: no exit notice (r=%d type %#x) (FAIL)\n",
		       c->name, r, m.m_type);
		return -1;
	}
	printf("parent: child %s[%d] ended: reason %d, status %d\n", c->name,
	       ep, (int)m.m_u64[1], (int)m.m_u64[2]);
	if ((int)m.m_u64[1] != c->reason ||
	    (c->reason != EXIT_REASON_KILLED && (int)m.m_u64[2] != c->status)) {
		printf("parent: %s: expected reason %d status %d (FAIL)\n",
		       c->name, c->reason, c->status);
		return -1;
	}
	return 0;
}

int main(void)
{
	for (unsigned i = 0; i < sizeof(children) / sizeof(children[0]); i++)
		if (run(&children[i]))
			return 1;
	printf("parent: ok\n");
	return 0;
}
