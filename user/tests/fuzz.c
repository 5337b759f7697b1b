/* SPDX-License-Identifier: MIT */
/*
 * fuzz: random IPC traps and kernel calls with hostile arguments.
 *
 * The start argument says what to do: its low 32 bits seed the xorshift
 * generator (0: a fixed default) and its high 32 bits are the number of
 * calls (0: 100000). Each call picks an operation among every IPC
 * operation (and invalid ones) and every kernel call (and numbers out of
 * range), with arguments drawn from random 64-bit values, kernel
 * addresses, NULL, unaligned and wrapping addresses, lengths near 2^64,
 * and its own buffers.
 *
 * It must survive, so it never asks for what would legitimately end it or
 * the system: no KC_EXIT, KC_REBOOT, or KC_CRASHTEST with a real name; no
 * receive; blocking sends only to endpoints that name no process (or to
 * itself, which the kernel must refuse as a deadlock); kill, destroy,
 * start and scheduling only of its own children or of dead endpoints;
 * and whatever could write its own memory (mapping, clearing, copying
 * into itself) only inside a scratch buffer, a far zone it maps itself,
 * or a range no correct kernel accepts. Children are only started while
 * their memory holds nothing but zero pages, so they fault at once.
 *
 * Every trap goes through axo_ipc_regcheck(). A call is "unexpected" when
 * the kernel breaks the ABI: a register other than t0 and a0..a7 changed,
 * a result that is neither 0 nor a negative errno, a kernel reply not from
 * ENDPOINT_KERNEL, a send or notify that changed a0..a7, or success of a
 * call that must fail (invalid operation or kernel call, a dead endpoint,
 * W|X, a range outside user space, a debug write over 256 bytes). Every
 * 10000 calls it also checks that its own text and read-only data are
 * unchanged, that the guards around the scratch buffer are intact and that
 * it is still itself, and prints
 *
 *	fuzz: 10000 calls, 0 unexpected
 *
 * At the end it frees what it made (children, grants, the far zone, its
 * alarm) and prints "fuzz: 100000 calls done" and exits 0, or, if anything
 * was unexpected, "fuzz: <n> calls, <m> unexpected (FAIL)" and exits 1.
 * The first unexpected calls are printed in full.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <axo.h>
#include <axolotl/errno.h>

#define DEFAULT_CALLS 100000UL
#define DEFAULT_SEED 0x2545f4914f6cdd1dULL
#define PROGRESS_EVERY 10000UL
#define MAX_REPORTS 20

#define PAGE 4096UL
#define KERNEL_IMAGE 0xffffffff80200000UL
#define KERNEL_DIRECT_MAP 0xffffffc000000000UL
#define SV39_USER_TOP 0x4000000000UL /* end of the lower half */
#define ERRNO_MAX 4095

#define SCRATCH_SIZE (4 * PAGE)
#define GUARD_WORDS (PAGE / 8)
#define FAR_PAGES 16
#define CHILD_BASE 0x10000UL
#define CHILD_WINDOW (1UL << 20)
#define MAX_CHILDREN 4
#define MAX_STALE 16
#define MAX_GRANTS 48 /* more than the kernel gives: some fail -ENOSPC */
#define LONG_NAME 200

/* ---- randomness ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool one_in(uint64_t n)
{
	return below(n) == 0;
}

/* ---- state ---- */

/* The only memory of its own the kernel may be asked to write. */
static struct {
	uint64_t pre[GUARD_WORDS];
	uint8_t scratch[SCRATCH_SIZE];
	uint64_t post[GUARD_WORDS];
} zone __attribute__((aligned(4096)));

static char long_name[LONG_NAME]; /* no NUL inside: filled with 'x' */
static const char *const child_names[] = { "fz0", "fz1", "fz2", "fz3" };
static const char *const tunable_names[] = { "kernel.tick_hz", "kernel.panic",
					     "fuzz.nothing", "" };
static const char bogus_name[] = "fuzz.nothing";

static endpoint_t self, parent;
static uintptr_t far_zone; /* FAR_PAGES pages it may map and unmap */

static struct child {
	endpoint_t ep;
	bool dirty;   /* something but zero pages may be in its memory */
	bool started; /* it may be dead by now */
} children[MAX_CHILDREN];
static unsigned nchildren;

static endpoint_t stale[MAX_STALE]; /* endpoints of ended children */
static unsigned nstale, stale_next;

static axo_grant_t grants[MAX_GRANTS];
static unsigned ngrants;

static unsigned long calls, unexpected_count;

extern const char __axo_image_start[], __axo_rodata_end[];

/* ---- values ---- */

static uintptr_t scratch_addr(void)
{
	return (uintptr_t)zone.scratch;
}

static uint64_t random_errno_like(void)
{
	return (uint64_t) - (int64_t)below(ERRNO_MAX + 1);
}

/* Anything: used where no value can hurt the fuzzer. */
static uint64_t hostile(void)
{
	switch (below(16)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL - below(8192);
	case 2:
		return 0x7fffffffffffffffULL - below(4);
	case 3:
		return 0x8000000000000000ULL + below(4);
	case 4:
		return KERNEL_IMAGE + below(1 << 20);
	case 5:
		return KERNEL_DIRECT_MAP + below(1UL << 28);
	case 6:
		return SV39_USER_TOP - PAGE + below(2 * PAGE);
	case 7:
		return below(300);
	case 8:
		return PAGE * below(32);
	case 9:
		return scratch_addr() + below(SCRATCH_SIZE);
	case 10:
		return rnd() & 0xffff;
	case 11:
		return random_errno_like();
	case 12:
		return 1ULL << below(64);
	default:
		return rnd();
	}
}

/* A length: small, page-sized, or absurd. */
static uint64_t any_len(void)
{
	switch (below(6)) {
	case 0:
		return 0;
	case 1:
		return 1 + below(64);
	case 2:
		return PAGE * (1 + below(4));
	case 3:
		return ~0ULL - below(PAGE);
	case 4:
		return 1ULL << (20 + below(44));
	default:
		return hostile();
	}
}

/*
 * A non-empty range no kernel may accept as user memory: it starts in
 * the kernel half, runs past the end of the lower half, or wraps.
 */
static void bad_range(uint64_t *va, uint64_t *len)
{
	switch (below(4)) {
	case 0:
		*va = KERNEL_IMAGE + PAGE * below(64);
		*len = PAGE * (1 + below(4));
		break;
	case 1:
		*va = KERNEL_DIRECT_MAP + PAGE * below(1 << 16);
		*len = 1 + below(2 * PAGE);
		break;
	case 2:
		*va = SV39_USER_TOP - PAGE * (1 + below(4));
		*len = PAGE * (5 + below(4));
		break;
	default:
		*va = ~0ULL - PAGE * below(16) - (PAGE - 1);
		*len = PAGE * (17 + below(16));
		break;
	}
}

/*
 * An address that is not user memory at all (kernel half, the hole
 * between the halves, or the very top), so no byte from it can be.
 */
static uint64_t bad_ptr(void)
{
	switch (below(4)) {
	case 0:
		return KERNEL_IMAGE + below(1 << 20);
	case 1:
		return KERNEL_DIRECT_MAP + below(1UL << 30);
	case 2:
		return SV39_USER_TOP + below(1UL << 36);
	default:
		return ~0ULL - below(PAGE);
	}
}

/* A range in the far zone, usually page-aligned, always inside it. */
static void far_range(uint64_t *va, uint64_t *len)
{
	uint64_t first = 1 + below(FAR_PAGES - 2);
	uint64_t pages = 1 + below(FAR_PAGES - 1 - first);

	*va = far_zone + first * PAGE;
	*len = pages * PAGE;
	if (one_in(4)) {
		*va += below(PAGE);
		*len -= PAGE;
		*len += below(PAGE);
	}
}

/* A range inside the scratch buffer. */
static void scratch_range(uint64_t *va, uint64_t *len, bool page_aligned)
{
	if (page_aligned) {
		uint64_t first = below(SCRATCH_SIZE / PAGE);

		*va = scratch_addr() + first * PAGE;
		*len = PAGE * (1 + below(SCRATCH_SIZE / PAGE - first));
	} else {
		uint64_t off = below(SCRATCH_SIZE);

		*va = scratch_addr() + off;
		*len = below(SCRATCH_SIZE - off + 1);
	}
}

/*
 * Where the kernel may write into the fuzzer itself. Sets *must_fail
 * when the range is one no kernel may accept.
 */
static void self_write_range(uint64_t *va, uint64_t *len, bool *must_fail)
{
	switch (below(3)) {
	case 0:
		scratch_range(va, len, one_in(2));
		break;
	case 1:
		far_range(va, len);
		break;
	default:
		bad_range(va, len);
		*must_fail = true;
		break;
	}
}

/* A range in a child: its window, or anywhere at all. */
static void child_range(uint64_t *va, uint64_t *len, bool *must_fail)
{
	switch (below(4)) {
	case 0:
	case 1:
		*va = CHILD_BASE + PAGE * below(CHILD_WINDOW / PAGE - 16);
		*len = PAGE * (1 + below(16));
		if (one_in(4))
			*va += below(PAGE);
		break;
	case 2:
		bad_range(va, len);
		*must_fail = true;
		break;
	default:
		*va = hostile();
		*len = any_len();
		break;
	}
}

/* Memory the kernel may read: own buffers, code, stack, or nonsense. */
static uint64_t readable_ptr(void)
{
	switch (below(5)) {
	case 0:
		return scratch_addr() + below(SCRATCH_SIZE);
	case 1:
		return (uintptr_t)__axo_image_start + below(PAGE);
	case 2:
		return (uintptr_t)__builtin_frame_address(0) - below(512);
	default:
		return hostile();
	}
}

/* A string pointer: valid, unterminated, or not user memory. */
static uint64_t name_ptr(const char *good, bool *bad)
{
	switch (below(5)) {
	case 0:
		return (uintptr_t)good;
	case 1:
		return (uintptr_t)long_name;
	case 2:
		return 0;
	case 3:
		*bad = true;
		return bad_ptr();
	default:
		return hostile();
	}
}

/* ---- endpoints ---- */

static endpoint_t other_gen(endpoint_t ep, int delta)
{
	unsigned gen = (ENDPOINT_GEN(ep) + delta) & ENDPOINT_GEN_MAX;

	return ENDPOINT(ENDPOINT_SLOT(ep), gen);
}

/* An endpoint that names no process. */
static endpoint_t dead_ep(void)
{
	static const endpoint_t specials[] = {
		ENDPOINT_NONE,	   ENDPOINT_ANY,   ENDPOINT_KERNEL,
		ENDPOINT_HARDWARE, ENDPOINT_CLOCK, INT32_MIN,
	};

	switch (below(6)) {
	case 0:
		return specials[below(6)];
	case 1:
		return (endpoint_t)(-7 - (int32_t)below(1000));
	case 2:
		return other_gen(self, one_in(2) ? 1 : -1);
	case 3:
		if (nstale)
			return stale[below(nstale)];
		/* fall through */
	case 4:
		/*
		 * Another generation of a child's slot is dead only while
		 * the child holds the slot: not once it may have ended.
		 */
		if (nchildren) {
			struct child *c = &children[below(nchildren)];

			if (!c->started)
				return other_gen(c->ep, 1);
		}
		/* fall through */
	default:
		/* The ABI has room for 1024 slots; the kernel has far fewer. */
		return ENDPOINT(512 + below(512), below(ENDPOINT_GEN_MAX + 1));
	}
}

static struct child *random_child(void)
{
	return nchildren ? &children[below(nchildren)] : NULL;
}

/* A child of its own (if it has one) or a dead endpoint. */
static endpoint_t child_or_dead(struct child **cp, bool *dead)
{
	struct child *c = one_in(3) ? NULL : random_child();

	*cp = c;
	if (c)
		return c->ep;
	*dead = true;
	return dead_ep();
}

/*
 * Whom a non-blocking operation may reach: anyone but its parent. *mine
 * is set for itself and its children, none of which is ever receiving.
 */
static endpoint_t nonblocking_target(bool *dead, bool *mine)
{
	endpoint_t ep;

	switch (below(5)) {
	case 0:
		*mine = true;
		return one_in(2) ? self : ENDPOINT_SELF;
	case 1:
		if (nchildren) {
			*mine = true;
			return children[below(nchildren)].ep;
		}
		/* fall through */
	case 2:
		ep = (endpoint_t)rnd();
		/* Random values land on a live generation ~never. */
		return ep == parent ? ENDPOINT_NONE : ep;
	default:
		*dead = true;
		return dead_ep();
	}
}

/*
 * Drop a child from the list. Its endpoint becomes a known-dead one only
 * if it was never started: ending a running process may finish after the
 * kernel call returns, so its endpoint could still answer for a while.
 */
static void forget_child(struct child *c, bool ended)
{
	if (ended) {
		stale[stale_next] = c->ep;
		stale_next = (stale_next + 1) % MAX_STALE;
		if (nstale < MAX_STALE)
			nstale++;
	}
	*c = children[--nchildren];
}

/* ---- one trap ---- */

struct call {
	int op;
	endpoint_t ep;
	message_t m;
	bool must_fail;
};

static void report(const struct call *c, const char *what, long detail)
{
	unexpected_count++;
	if (unexpected_count > MAX_REPORTS)
		return;
	printf("fuzz: unexpected #%lu at call %lu: %s (%#lx): op %d ep %d type %d args %#lx %#lx %#lx %#lx %#lx\n",
	       unexpected_count, calls, what, (unsigned long)detail, c->op,
	       c->ep, c->m.m_type, (unsigned long)c->m.m_u64[0],
	       (unsigned long)c->m.m_u64[1], (unsigned long)c->m.m_u64[2],
	       (unsigned long)c->m.m_u64[3], (unsigned long)c->m.m_u64[4]);
}

/* Make the trap, judge the result; returns it (m_type for kernel calls). */
static int trap(const struct call *c, message_t *reply)
{
	message_t m = c->m;
	unsigned long changed;
	int r;

	calls++;
	changed = axo_ipc_regcheck(c->op, c->ep, &m, &r);
	if (changed)
		report(c, "registers changed", (long)changed);
	if ((c->op == IPC_SEND || c->op == IPC_SENDNB || c->op == IPC_NOTIFY ||
	     (c->op == IPC_REPLYRECV && r != 0)) &&
	    memcmp(&m, &c->m, sizeof(m)))
		report(c, "message changed by a send", r);
	if (c->op == IPC_KERNEL_CALL && r == 0) {
		if (m.m_source != ENDPOINT_KERNEL)
			report(c, "kernel reply from elsewhere", m.m_source);
		r = m.m_type;
	}
	if (r > 0 || r < -ERRNO_MAX)
		report(c, "result is not 0 or -errno", r);
	else if (c->must_fail && r == 0)
		report(c, "accepted", r);
	if (reply)
		*reply = m;
	return r;
}

static void random_message(message_t *m)
{
	uint64_t *w = (uint64_t *)m;

	for (unsigned i = 0; i < IPC_MSG_WORDS; i++)
		w[i] = one_in(2) ? rnd() : hostile();
}

/* ---- IPC operations ---- */

static void fuzz_ipc(void)
{
	static const int invalid_ops[] = { 0, 9, 99, -1, 8, 0x7fffffff };
	static const int blocking_ops[] = { IPC_SEND, IPC_SENDREC,
					    IPC_REPLYRECV };
	struct call c = { 0 };
	bool dead = false, mine = false;

	random_message(&c.m);
	switch (below(8)) {
	case 0:
	case 1:
		c.op = IPC_SENDNB;
		c.ep = nonblocking_target(&dead, &mine);
		c.must_fail = dead || mine;
		break;
	case 2:
	case 3:
		c.op = IPC_NOTIFY;
		c.ep = nonblocking_target(&dead, &mine);
		c.must_fail = dead;
		break;
	case 4:
	case 5:
		/* Blocking: only where it must fail at once (for
		 * replyrecv, in its reply half: nothing is received). */
		c.op = blocking_ops[below(3)];
		if (one_in(32))
			c.ep = one_in(2) ? self : ENDPOINT_SELF;
		else
			c.ep = dead_ep();
		c.must_fail = true;
		break;
	default:
		c.op = one_in(2) ? invalid_ops[below(6)] : (int)rnd();
		if (c.op >= IPC_SEND && c.op <= IPC_REPLYRECV)
			c.op = 99;
		c.ep = (endpoint_t)hostile();
		c.must_fail = true;
		break;
	}
	trap(&c, NULL);
}

/* ---- kernel calls ---- */

#define A(i) c.m.m_u64[i]

static void kcall_unknown(struct call *c)
{
	switch (below(3)) {
	case 0:
		c->m.m_type = KC_COUNT + (int)below(100);
		break;
	case 1:
		c->m.m_type = -1 - (int)below(100);
		break;
	default:
		c->m.m_type = (int)rnd();
		if (c->m.m_type >= 0 && c->m.m_type < KC_COUNT)
			c->m.m_type = KC_COUNT;
		break;
	}
	c->must_fail = true;
}

static void kc_proc_create_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_PROC_CREATE };
	bool bad = false;
	message_t reply;

	if (nchildren < MAX_CHILDREN) {
		A(0) = name_ptr(child_names[nchildren], &bad);
	} else {
		A(0) = bad_ptr();
		bad = true;
	}
	A(1) = one_in(4) ? hostile() : below(4);
	c.must_fail = bad;
	c.ep = (endpoint_t)rnd();
	if (trap(&c, &reply) == 0) {
		endpoint_t ep = (endpoint_t)reply.m_u64[0];

		if (nchildren < MAX_CHILDREN)
			children[nchildren++] = (struct child){ .ep = ep };
		else
			kc_proc_destroy(ep);
	}
}

static void kc_end_child_case(int kc)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = kc };
	struct child *child;
	bool dead = false;
	int r;

	A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
	A(1) = hostile();
	c.must_fail = dead;
	r = trap(&c, NULL);
	if (child && (r == 0 || r == -EDEADSRCDST))
		forget_child(child, !child->started);
}

static void kc_proc_start_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_PROC_START };
	struct child *child;
	bool dead = false;

	A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
	if (child && (child->dirty || !one_in(8))) {
		/* A pc no kernel may accept: it must not run. */
		A(1) = bad_ptr();
		c.must_fail = true;
	} else {
		A(1) = one_in(2) ? CHILD_BASE + below(CHILD_WINDOW) : hostile();
	}
	A(2) = one_in(2) ? hostile() : SV39_USER_TOP - PAGE * below(16);
	A(3) = rnd();
	c.must_fail |= dead;
	if (trap(&c, NULL) == 0 && child)
		child->started = true;
}

/* KC_VM_MAP, KC_VM_UNMAP, KC_VM_CLEAR: [0] ep, [1] va, [2] len, ... */
static void kc_vm_case(int kc)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = kc };
	struct child *child = NULL;
	bool dead = false, bad = false;

	if (one_in(3)) {
		A(0) = (uint64_t)(int64_t)(one_in(2) ? self : ENDPOINT_SELF);
		if (kc == KC_VM_CLEAR && one_in(2))
			scratch_range(&A(1), &A(2), true);
		else if (one_in(2))
			far_range(&A(1), &A(2));
		else {
			bad_range(&A(1), &A(2));
			bad = true;
		}
	} else {
		A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
		child_range(&A(1), &A(2), &bad);
	}
	A(3) = one_in(8) ? hostile() : below(8);
	if (kc == KC_VM_MAP && (A(3) & (VM_W | VM_X)) == (VM_W | VM_X))
		bad = true;
	c.must_fail = dead || (bad && kc != KC_VM_UNMAP);
	trap(&c, NULL);
}

static void kc_vm_copy_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_VM_COPY };
	struct child *src = NULL, *dst = NULL;
	bool dead = false, bad = false;
	endpoint_t s, d;

	s = one_in(3) ? self : child_or_dead(&src, &dead);
	d = one_in(3) ? self : child_or_dead(&dst, &dead);
	if (d == self || s == self)
		/* The same va in both: keep it where it may write itself. */
		self_write_range(&A(2), &A(3), &bad);
	else
		child_range(&A(2), &A(3), &bad);
	A(0) = (uint64_t)(int64_t)s;
	A(1) = (uint64_t)(int64_t)d;
	if (dst)
		dst->dirty = true;
	c.must_fail = dead || bad;
	trap(&c, NULL);
}

static void kc_vm_write_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_VM_WRITE };
	struct child *child = NULL;
	bool dead = false, bad = false;

	if (one_in(3)) {
		A(0) = (uint64_t)(int64_t)self;
		self_write_range(&A(1), &A(3), &bad);
		A(2) = readable_ptr();
	} else {
		A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
		child_range(&A(1), &A(3), &bad);
		/* Never its own code into a child that might run. */
		A(2) = one_in(2) ? scratch_addr() + below(SCRATCH_SIZE) :
				   hostile();
		if (child)
			child->dirty = true;
	}
	if (one_in(4)) {
		A(2) = bad_ptr();
		bad = true;
	}
	c.must_fail = dead || (bad && A(3) != 0);
	trap(&c, NULL);
}

static void kc_grant_create_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_GRANT_CREATE };
	struct child *child;
	bool dead = false, bad = false;
	message_t reply;

	switch (below(4)) {
	case 0:
		A(0) = (uint64_t)(int64_t)self;
		break;
	case 1:
		A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
		break;
	default:
		A(0) = one_in(2) ? hostile() : (uint64_t)(int64_t)dead_ep();
		break;
	}
	/* Only memory it may be written through: grants name itself too. */
	self_write_range(&A(1), &A(2), &bad);
	A(3) = one_in(8) ? hostile() : below(4);
	c.must_fail = bad;
	if (trap(&c, &reply) == 0 && ngrants < MAX_GRANTS)
		grants[ngrants++] = (axo_grant_t)reply.m_u64[0];
}

static uint64_t some_grant(void)
{
	if (ngrants && !one_in(4))
		return (uint64_t)grants[below(ngrants)];
	return one_in(2) ? hostile() : below(64);
}

static void kc_grant_revoke_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_GRANT_REVOKE };
	unsigned i = ngrants ? (unsigned)below(ngrants) : 0;
	bool mine = ngrants && one_in(2);

	A(0) = mine ? (uint64_t)grants[i] : some_grant();
	if (trap(&c, NULL) == 0 && mine)
		grants[i] = grants[--ngrants];
}

static void kc_safecopy_case(int kc)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = kc };
	struct child *child;
	bool dead = false, bad = false;

	switch (below(3)) {
	case 0:
		A(0) = (uint64_t)(int64_t)self;
		break;
	case 1:
		A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
		break;
	default:
		A(0) = rnd();
		break;
	}
	A(1) = some_grant();
	A(2) = one_in(2) ? below(SCRATCH_SIZE) : hostile();
	if (kc == KC_SAFECOPY_FROM) {
		self_write_range(&A(3), &A(4), &bad);
	} else {
		A(3) = readable_ptr();
		A(4) = one_in(2) ? below(SCRATCH_SIZE) : any_len();
	}
	c.must_fail = dead || (bad && A(4) != 0);
	trap(&c, NULL);
}

static void kc_sched_set_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_SCHED_SET };
	struct child *child;
	bool dead = false;

	A(0) = (uint64_t)(int64_t)child_or_dead(&child, &dead);
	A(1) = one_in(4) ? hostile() : below(20);
	A(2) = one_in(4) ? hostile() : below(200);
	c.must_fail = dead;
	trap(&c, NULL);
}

static void kc_debug_write_case(void)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_DEBUG_WRITE };

	/* Nothing it passes may reach the log (even 0 bytes make a line). */
	switch (below(2)) {
	case 0:
		A(0) = readable_ptr();
		A(1) = 257 + below(1 << 20);
		if (one_in(2))
			A(1) = ~0ULL - below(PAGE);
		c.must_fail = true;
		break;
	default:
		A(0) = bad_ptr();
		A(1) = 1 + below(256);
		c.must_fail = true;
		break;
	}
	trap(&c, NULL);
}

static void kc_string_case(int kc)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = kc };
	bool bad = false;
	const char *good = kc == KC_TUNABLE_GET ? tunable_names[below(4)] :
						  bogus_name;

	A(0) = name_ptr(good, &bad);
	/* Never a real name for these two. */
	if (kc != KC_TUNABLE_GET && A(0) == (uintptr_t)long_name)
		A(0) = (uintptr_t)bogus_name;
	if (kc != KC_TUNABLE_GET && A(0) != (uintptr_t)bogus_name && !bad) {
		A(0) = bad_ptr();
		bad = true;
	}
	A(1) = hostile();
	c.must_fail = bad;
	trap(&c, NULL);
}

static void fuzz_kcall(void)
{
	struct call c = { .op = IPC_KERNEL_CALL };
	int kc = (int)below(KC_COUNT + 2);

	c.ep = (endpoint_t)hostile(); /* t1 means nothing to kernel calls */
	c.m.m_type = kc;
	for (unsigned i = 0; i < IPC_MSG_WORDS - 1; i++)
		A(i) = hostile();

	switch (kc) {
	case KC_NULL:
	case KC_YIELD:
	case KC_UPTIME:
	case KC_MEM_INFO:
		break;
	case KC_GETINFO: {
		message_t reply;

		if (trap(&c, &reply) == 0 && (endpoint_t)reply.m_u64[0] != self)
			report(&c, "getinfo: another endpoint",
			       (long)reply.m_u64[0]);
		return;
	}
	case KC_DEBUG_WRITE:
		kc_debug_write_case();
		return;
	case KC_SLEEP:
		A(0) = one_in(16) ? 1 : 0;
		break;
	case KC_PROC_CREATE:
		kc_proc_create_case();
		return;
	case KC_PROC_START:
		kc_proc_start_case();
		return;
	case KC_PROC_DESTROY:
	case KC_KILL:
		kc_end_child_case(kc);
		return;
	case KC_VM_MAP:
	case KC_VM_UNMAP:
	case KC_VM_CLEAR:
		kc_vm_case(kc);
		return;
	case KC_VM_COPY:
		kc_vm_copy_case();
		return;
	case KC_VM_WRITE:
		kc_vm_write_case();
		return;
	case KC_MMIO_MAP:
		A(0) = one_in(2) ? bad_ptr() : PAGE * below(1 << 20);
		A(1) = any_len();
		break;
	case KC_IRQ_CTL:
		A(0) = one_in(4) ? hostile() : below(6);
		A(1) = one_in(4) ? hostile() : below(128);
		break;
	case KC_GRANT_CREATE:
		kc_grant_create_case();
		return;
	case KC_GRANT_REVOKE:
		kc_grant_revoke_case();
		return;
	case KC_SAFECOPY_FROM:
	case KC_SAFECOPY_TO:
		kc_safecopy_case(kc);
		return;
	case KC_SCHED_SET:
		kc_sched_set_case();
		return;
	case KC_ALARM:
		A(0) = one_in(2) ? below(1000) : hostile();
		break;
	case KC_PROC_INFO:
		A(0) = one_in(2) ? below(80) : hostile();
		/* Not a slot however the kernel reads the word. */
		c.must_fail = (uint32_t)A(0) >= (1u << ENDPOINT_SLOT_BITS);
		break;
	case KC_TUNABLE_GET:
	case KC_TUNABLE_SET:
	case KC_CRASHTEST:
		kc_string_case(kc);
		return;
	case KC_LOG_READ:
		/* From the start at every level: there is always a line. */
		A(0) = one_in(4) ? hostile() : 0;
		A(3) = one_in(4) ? hostile() : 7;
		self_write_range(&A(1), &A(2), &c.must_fail);
		c.must_fail &= A(0) == 0 && A(3) == 7;
		break;
	case KC_TUNABLE_LIST:
		A(0) = one_in(4) ? hostile() : below(8);
		self_write_range(&A(1), &A(2), &c.must_fail);
		c.must_fail &= A(0) < 4 && A(2) >= 32;
		break;
	case KC_EXIT:
	case KC_REBOOT:
	default:
		/* Never end itself or the system: an unknown call instead. */
		kcall_unknown(&c);
		break;
	}
	trap(&c, NULL);
}

/* ---- self checks ---- */

static uint64_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t image_checksum(void)
{
	return checksum(__axo_image_start,
			(size_t)(__axo_rodata_end - __axo_image_start));
}

static uint64_t guard_value(unsigned i)
{
	return 0x6775617264000000ULL ^ i; /* "guard" */
}

static void set_guards(void)
{
	for (unsigned i = 0; i < GUARD_WORDS; i++) {
		zone.pre[i] = guard_value(i);
		zone.post[i] = ~guard_value(i);
	}
}

static void self_check(uint64_t image_sum)
{
	struct call c = { .op = IPC_KERNEL_CALL, .m.m_type = KC_GETINFO };
	endpoint_t now = ENDPOINT_NONE;

	for (unsigned i = 0; i < GUARD_WORDS; i++) {
		if (zone.pre[i] != guard_value(i) ||
		    zone.post[i] != ~guard_value(i)) {
			report(&c, "guard around the scratch buffer changed",
			       (long)i);
			set_guards();
			break;
		}
	}
	if (image_checksum() != image_sum)
		report(&c, "own text or read-only data changed", 0);
	if (kc_getinfo(&now, NULL, NULL) || now != self)
		report(&c, "getinfo: another endpoint", now);
}

/* A far zone away from its stack (the kernel chooses where that is). */
static uintptr_t choose_far_zone(void)
{
	static const uintptr_t candidates[] = { 0x1000000000UL, 0x0800000000UL,
						0x1800000000UL };
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	for (unsigned i = 0; i < 3; i++) {
		uintptr_t z = candidates[i];

		if (sp + (1UL << 24) < z ||
		    sp > z + FAR_PAGES * PAGE + (1UL << 24))
			return z;
	}
	return candidates[0];
}

static void cleanup(void)
{
	while (nchildren)
		kc_proc_destroy(children[--nchildren].ep);
	while (ngrants)
		kc_grant_revoke(grants[--ngrants]);
	kc_vm_unmap(self, far_zone, FAR_PAGES * PAGE);
	kc_alarm(0);
}

int main(long arg)
{
	uint64_t seed = (uint64_t)arg & 0xffffffff;
	unsigned long n = (unsigned long)((uint64_t)arg >> 32);
	uint64_t image_sum, free_before = 0, free_after = 0;

	if (!seed)
		seed = DEFAULT_SEED;
	if (!n)
		n = DEFAULT_CALLS;
	rng = seed ^ 0x9e3779b97f4a7c15ULL;
	if (!rng)
		rng = 1;

	if (kc_getinfo(&self, &parent, NULL)) {
		printf("fuzz: getinfo failed\n");
		return 1;
	}
	memset(long_name, 'x', sizeof(long_name));
	memset(zone.scratch, 0xa5, sizeof(zone.scratch));
	set_guards();
	far_zone = choose_far_zone();
	image_sum = image_checksum();
	kc_mem_info(NULL, &free_before, NULL);
	printf("fuzz: seed %#lx, %lu calls, endpoint %d\n", (unsigned long)seed,
	       n, self);

	while (calls < n) {
		unsigned long before = calls;

		if (one_in(4))
			fuzz_ipc();
		else
			fuzz_kcall();
		if (calls / PROGRESS_EVERY != before / PROGRESS_EVERY) {
			self_check(image_sum);
			printf("fuzz: %lu calls, %lu unexpected\n", calls,
			       unexpected_count);
		}
	}
	cleanup();
	self_check(image_sum);
	kc_mem_info(NULL, &free_after, NULL);
	printf("fuzz: free pages %lu before, %lu after\n",
	       (unsigned long)free_before, (unsigned long)free_after);
	if (unexpected_count) {
		printf("fuzz: %lu calls, %lu unexpected (FAIL)\n", calls,
		       unexpected_count);
		return 1;
	}
	printf("fuzz: %lu calls done\n", calls);
	return 0;
}
