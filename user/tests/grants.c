/* SPDX-License-Identifier: MIT */
/*
 * grants: memory grants and safecopy between two processes. The same
 * program plays both roles, chosen by the start argument:
 *
 *	start=grants:0,grants:prev
 *
 * The first instance (argument 0) is the grantee: it waits for a message
 * from anyone. The second (argument: the grantee's endpoint) is the
 * grantor. The grantor checks that bad grant_create calls are refused,
 * then grants the grantee read access to two pages of its memory (a
 * pattern) and read-write access to a third page, checks that it cannot
 * use its own grant (it is not the grantee), and sends the grant ids in a
 * sendrec. The grantee
 *
 *  - copies both read-only pages and a range across their boundary and
 *    checks the pattern;
 *  - tries to write through the read-only grant (-EPERM);
 *  - tries an offset past the end, a length past the end, a wrapping
 *    length and a wrapping offset (-EINVAL each), and a zero-length copy
 *    at the very end (0);
 *  - names no grant (ids -1, out-of-range index, wrong sequence: -EINVAL)
 *    and a stale grantor endpoint (-EDEADSRCDST);
 *  - copies into its own text and to an unmapped address (-EFAULT);
 *  - writes its own pattern through the read-write grant and reads it
 *    back, then replies.
 *
 * The grantor checks that the grantee's write arrived and that its
 * read-only pages did not change, revokes the read-only grant (a second
 * revoke is -EINVAL), creates a new grant, which takes the freed slot
 * with a new id, and tells the grantee both ids. The old id must fail
 * (-EINVAL) although its slot is in use again, the new one must read the
 * new grant's memory, and the read-write grant must still work. After the
 * reply the grantor exits; the grantee waits until the grantor's endpoint
 * is refused (-EDEADSRCDST). Lines on success (among others):
 *
 *	grants: grantee: read 8192 bytes through a read-only grant
 *	grants: grantee: write through a read-only grant = -1
 *	grants: grantor: grantee's write arrived (4096 bytes)
 *	grants: grantee: revoked id = -22
 *	grants: grantee: grantor gone = -200
 *	grants: grantor ok
 *	grants: grantee ok
 *
 * Each exits 0 on success; any check that fails prints a line ending in
 * "(FAIL)" and the exit status is 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <axo.h>
#include <axolotl/errno.h>

#define PAGE 4096
#define RO_LEN (2 * PAGE)
#define RW_LEN PAGE
#define NEW_LEN PAGE

/* Message types between the two instances. */
#define GRANTS_OFFER 0x4701   /* [0] RO id, [1] RW id, [2] grantor ep */
#define GRANTS_DONE 0x4702    /* reply: [0] the grantee's failures */
#define GRANTS_REVOKED 0x4703 /* [0] revoked id, [1] new id */

static uint8_t ro_buf[RO_LEN] __attribute__((aligned(PAGE)));
static uint8_t rw_buf[RW_LEN] __attribute__((aligned(PAGE)));
static uint8_t new_buf[NEW_LEN] __attribute__((aligned(PAGE)));
static uint8_t local[RO_LEN] __attribute__((aligned(PAGE)));

static const char *role = "?";
static int failures;

static uint8_t ro_byte(size_t i)
{
	return (uint8_t)(i * 7 + 3 + (i >> 8));
}

static uint8_t rw_byte(size_t i)
{
	return (uint8_t)(i ^ 0x5a ^ (i >> 9));
}

static uint8_t new_byte(size_t i)
{
	return (uint8_t)(0xc3 ^ (i * 13));
}

static void check(const char *what, int got, int want)
{
	if (got == want) {
		printf("grants: %s: %s = %d\n", role, what, got);
	} else {
		printf("grants: %s: %s = %d, expected %d (FAIL)\n", role, what,
		       got, want);
		failures++;
	}
}

static void fail(const char *what)
{
	printf("grants: %s: %s (FAIL)\n", role, what);
	failures++;
}

/* Whether buf[0..len) is byte(first + i) for each i. */
static bool matches(const uint8_t *buf, size_t len, size_t first,
		    uint8_t (*byte)(size_t))
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != byte(first + i))
			return false;
	return true;
}

/* An address the compiler cannot reason about. */
static uintptr_t opaque(uintptr_t a)
{
	asm volatile("" : "+r"(a));
	return a;
}

static endpoint_t other_generation(endpoint_t ep)
{
	return ENDPOINT(ENDPOINT_SLOT(ep),
			(ENDPOINT_GEN(ep) + 1) & ENDPOINT_GEN_MAX);
}

/* ---- the grantee ---- */

static void grantee_first(endpoint_t grantor, axo_grant_t ro, axo_grant_t rw)
{
	static uint8_t mine[RW_LEN];
	int r;

	memset(local, 0, sizeof(local));
	r = kc_safecopy_from(grantor, ro, 0, local, RO_LEN);
	if (r || !matches(local, RO_LEN, 0, ro_byte)) {
		printf("grants: grantee: read through the read-only grant = %d, pattern %s (FAIL)\n",
		       r, r ? "-" : "wrong");
		failures++;
	} else {
		printf("grants: grantee: read %d bytes through a read-only grant\n",
		       RO_LEN);
	}
	memset(local, 0, 64);
	r = kc_safecopy_from(grantor, ro, PAGE - 20, local, 40);
	check("read across the page boundary", r, 0);
	if (!r && !matches(local, 40, PAGE - 20, ro_byte))
		fail("bytes across the page boundary are wrong");

	check("write through a read-only grant",
	      kc_safecopy_to(grantor, ro, 0, local, 16), -EPERM);
	check("offset past the end",
	      kc_safecopy_from(grantor, ro, RO_LEN + 1, local, 0), -EINVAL);
	check("length past the end",
	      kc_safecopy_from(grantor, ro, RO_LEN - 8, local, 16), -EINVAL);
	check("wrapping length",
	      kc_safecopy_from(grantor, ro, 16, local, (size_t)-8), -EINVAL);
	check("wrapping offset",
	      kc_safecopy_from(grantor, ro, (size_t)-8, local, 16), -EINVAL);
	check("zero bytes at the end",
	      kc_safecopy_from(grantor, ro, RO_LEN, local, 0), 0);
	check("grant id -1", kc_safecopy_from(grantor, -1, 0, local, 1),
	      -EINVAL);
	check("grant index 40",
	      kc_safecopy_from(grantor, (ro & ~0xffLL) | 40, 0, local, 1),
	      -EINVAL);
	check("wrong sequence",
	      kc_safecopy_from(grantor, ro + (1 << 8), 0, local, 1), -EINVAL);
	check("stale grantor endpoint",
	      kc_safecopy_from(other_generation(grantor), ro, 0, local, 1),
	      -EDEADSRCDST);
	check("copy into own text",
	      kc_safecopy_from(grantor, ro, 0,
			       (void *)opaque((uintptr_t)grantee_first), 16),
	      -EFAULT);
	check("copy to an unmapped address",
	      kc_safecopy_from(grantor, ro, 0, (void *)opaque(0x10), 16),
	      -EFAULT);

	for (size_t i = 0; i < RW_LEN; i++)
		mine[i] = rw_byte(i);
	check("write through the read-write grant",
	      kc_safecopy_to(grantor, rw, 0, mine, RW_LEN), 0);
	memset(local, 0, RW_LEN);
	r = kc_safecopy_from(grantor, rw, 0, local, RW_LEN);
	check("read back through the read-write grant", r, 0);
	if (!r && !matches(local, RW_LEN, 0, rw_byte))
		fail("read back the wrong bytes");
}

static void grantee_second(endpoint_t grantor, axo_grant_t old,
			   axo_grant_t fresh, axo_grant_t rw)
{
	int r;

	check("revoked id", kc_safecopy_from(grantor, old, 0, local, 16),
	      -EINVAL);
	memset(local, 0, NEW_LEN);
	r = kc_safecopy_from(grantor, fresh, 0, local, NEW_LEN);
	check("new grant in the revoked one's slot", r, 0);
	if (!r && !matches(local, NEW_LEN, 0, new_byte))
		fail("the new grant shows the wrong memory");
	check("read-write grant still valid",
	      kc_safecopy_from(grantor, rw, 0, local, 16), 0);
}

static int receive_from(endpoint_t src, int type, message_t *m)
{
	int r = ipc_receive(src, m);

	if (r || m->m_type != type ||
	    (src != ENDPOINT_ANY && m->m_source != src)) {
		printf("grants: %s: receive = %d, type %#x from %d, expected type %#x (FAIL)\n",
		       role, r, (unsigned)m->m_type, m->m_source,
		       (unsigned)type);
		return -1;
	}
	return 0;
}

static int reply(endpoint_t to)
{
	message_t m = { .m_type = GRANTS_DONE };
	int r;

	m.m_u64[0] = (uint64_t)failures;
	r = ipc_send(to, &m);
	if (r) {
		printf("grants: grantee: reply = %d (FAIL)\n", r);
		return -1;
	}
	return 0;
}

static int grantee(void)
{
	axo_grant_t ro, rw;
	endpoint_t grantor;
	message_t m;
	int r = 0;

	role = "grantee";
	if (receive_from(ENDPOINT_ANY, GRANTS_OFFER, &m))
		return 1;
	grantor = m.m_source;
	ro = (axo_grant_t)m.m_u64[0];
	rw = (axo_grant_t)m.m_u64[1];
	if ((endpoint_t)m.m_u64[2] != grantor)
		fail("the grantor's endpoint is not the message's source");
	printf("grants: grantee: offer from %d: read-only %lld, read-write %lld\n",
	       grantor, (long long)ro, (long long)rw);
	grantee_first(grantor, ro, rw);
	if (reply(grantor))
		return 1;

	if (receive_from(grantor, GRANTS_REVOKED, &m))
		return 1;
	grantee_second(grantor, (axo_grant_t)m.m_u64[0],
		       (axo_grant_t)m.m_u64[1], rw);
	if (reply(grantor))
		return 1;

	/*
	 * The grantor exits now. Its grants go first, then its endpoint:
	 * until then the copy fails with -EINVAL (or still succeeds).
	 */
	for (int i = 0; i < 300; i++) {
		r = kc_safecopy_from(grantor, rw, 0, local, 16);
		if (r == -EDEADSRCDST || (r && r != -EINVAL))
			break;
		kc_sleep(10);
	}
	check("grantor gone", r, -EDEADSRCDST);
	if (failures)
		return 1;
	printf("grants: grantee ok\n");
	return 0;
}

/* ---- the grantor ---- */

static void create_errors(endpoint_t to)
{
	uintptr_t buf = (uintptr_t)rw_buf;

	check("grant to ENDPOINT_ANY",
	      kc_grant_create(ENDPOINT_ANY, buf, 16, GRANT_READ, NULL),
	      -EINVAL);
	check("grant of 0 bytes", kc_grant_create(to, buf, 0, GRANT_READ, NULL),
	      -EINVAL);
	check("grant with no access", kc_grant_create(to, buf, 16, 0, NULL),
	      -EINVAL);
	check("grant with unknown access",
	      kc_grant_create(to, buf, 16, GRANT_READ | 4, NULL), -EINVAL);
	check("grant of a wrapping range",
	      kc_grant_create(to, buf, (size_t)-16, GRANT_READ, NULL), -EINVAL);
	check("grant of kernel memory",
	      kc_grant_create(to, 0xffffffff80200000UL, 16, GRANT_READ, NULL),
	      -EINVAL);
	check("grant to a stale endpoint",
	      kc_grant_create(other_generation(to), buf, 16, GRANT_READ, NULL),
	      -EDEADSRCDST);
	check("revoke of a grant never made", kc_grant_revoke(5), -EINVAL);
}

static int sendrec_checked(endpoint_t to, message_t *m)
{
	int r = ipc_sendrec(to, m);

	if (r || m->m_source != to || m->m_type != GRANTS_DONE) {
		printf("grants: grantor: sendrec = %d, reply type %#x from %d (FAIL)\n",
		       r, (unsigned)m->m_type, m->m_source);
		return -1;
	}
	if (m->m_u64[0]) {
		printf("grants: grantor: the grantee had %lu failures (FAIL)\n",
		       (unsigned long)m->m_u64[0]);
		failures++;
	}
	return 0;
}

static int grantor(endpoint_t to)
{
	axo_grant_t ro = -1, rw = -1, fresh = -1;
	endpoint_t self = ENDPOINT_NONE;
	message_t m;
	int r;

	role = "grantor";
	kc_getinfo(&self, NULL, NULL);
	for (size_t i = 0; i < RO_LEN; i++)
		ro_buf[i] = ro_byte(i);
	memset(rw_buf, 0xee, RW_LEN);
	for (size_t i = 0; i < NEW_LEN; i++)
		new_buf[i] = new_byte(i);

	create_errors(to);
	r = kc_grant_create(to, (uintptr_t)ro_buf, RO_LEN, GRANT_READ, &ro);
	check("read-only grant", r, 0);
	r |= kc_grant_create(to, (uintptr_t)rw_buf, RW_LEN,
			     GRANT_READ | GRANT_WRITE, &rw);
	check("read-write grant", r, 0);
	if (r)
		return 1;
	printf("grants: grantor: read-only %lld, read-write %lld for %d\n",
	       (long long)ro, (long long)rw, to);
	check("owner copies from its own grant",
	      kc_safecopy_from(self, ro, 0, local, 16), -EPERM);

	m = (message_t){ .m_type = GRANTS_OFFER };
	m.m_u64[0] = (uint64_t)ro;
	m.m_u64[1] = (uint64_t)rw;
	m.m_u64[2] = (uint64_t)(int64_t)self;
	if (sendrec_checked(to, &m))
		return 1;
	if (matches(rw_buf, RW_LEN, 0, rw_byte))
		printf("grants: grantor: grantee's write arrived (%d bytes)\n",
		       RW_LEN);
	else
		fail("the grantee's write did not arrive");
	if (!matches(ro_buf, RO_LEN, 0, ro_byte))
		fail("the read-only pages changed");

	check("revoke", kc_grant_revoke(ro), 0);
	check("second revoke", kc_grant_revoke(ro), -EINVAL);
	r = kc_grant_create(to, (uintptr_t)new_buf, NEW_LEN, GRANT_READ,
			    &fresh);
	check("grant after the revoke", r, 0);
	/* The lowest free slot: the revoked grant's, with a new sequence. */
	if (!r && ((fresh & 0xff) != (ro & 0xff) || fresh == ro)) {
		printf("grants: grantor: new id %lld, revoked %lld: not the same slot with a new id (FAIL)\n",
		       (long long)fresh, (long long)ro);
		failures++;
	} else if (!r) {
		printf("grants: grantor: new id %lld reuses the slot of %lld\n",
		       (long long)fresh, (long long)ro);
	}
	m = (message_t){ .m_type = GRANTS_REVOKED };
	m.m_u64[0] = (uint64_t)ro;
	m.m_u64[1] = (uint64_t)fresh;
	if (sendrec_checked(to, &m))
		return 1;
	if (failures)
		return 1;
	printf("grants: grantor ok\n");
	return 0;
}

int main(long arg)
{
	if (arg < 0 || arg > INT32_MAX) {
		printf("grants: bad start argument %ld (FAIL)\n", arg);
		return 2;
	}
	return arg ? grantor((endpoint_t)arg) : grantee();
}
