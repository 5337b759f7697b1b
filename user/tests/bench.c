/* SPDX-License-Identifier: MIT */
/*
 * bench: micro-benchmarks of the kernel's IPC and kernel-call paths, the
 * client half; bench_peer.c is the server. Start both on one hart, the
 * peer first: start=bench_peer,bench:prev (the start argument is the
 * peer's endpoint). tools/run-bench.sh runs it under QEMU and
 * docs/performance.md explains the method and keeps the results.
 *
 * Each operation runs BATCHES batches of ITERS iterations, after a
 * warm-up, in a tight loop of inline ecalls that keep the message in
 * a0..a7 (no libaxo wrapper). Around each batch it reads instret and time
 * in user mode (rdinstret, rdtime; the kernel opens them to user mode
 * with scounteren), subtracts an empty loop measured the same way and
 * divides by the iterations; the median batch is reported. instret
 * counts instructions only under QEMU -icount (in plain TCG it reads the
 * host's cycle counter), and time is wall time only without -icount, so
 * tools/run-bench.sh runs the program twice and takes each number from
 * the run where it means something. The instructions include the few
 * user-mode instructions of the loops (loading t0 and a0, the ecall, for
 * the ping-pongs the peer's loop too): a hand-written caller needs the
 * same.
 *
 *   null_kcall     IPC_KERNEL_CALL KC_NULL
 *   ipc_roundtrip  sendrec to the peer, which receives from anyone and
 *                  answers with replyrecv: two traps, two switches
 *   notify         the notify trap alone, to a peer blocked receiving
 *                  (delivery and wake-up, no switch)
 *   notify_oneway  half of a notify ping-pong: notify, block in receive,
 *                  switch, the other side's receive returns
 *   yield          KC_YIELD with no other process ready to run
 *   yield_switch   half of a KC_YIELD ping-pong with the peer: one
 *                  yield that switches to the other process
 *   ctx_switch     yield_switch - null_kcall: what the scheduler and
 *                  the switch add to a kernel call that does nothing
 *
 * Output: "bench: timebase <hz> Hz", "bench: instret_per_tick <r>" (100
 * under -icount shift=0, where one instruction is one nanosecond), per
 * metric "bench: <m>_instructions <v> instructions" and
 * "bench: <m>_wall <v> ns", a "bench: detail ..." line with the spread of
 * the batches, then "bench: done" and exit 0. If a trap fails it prints
 * "bench: FAIL: ..." and exits 1.
 *
 * bench.h holds the message types and the raw trap both programs use.
 */
#include <stdio.h>
#include <axo.h>

#include "bench.h"

#define ITERS 10000UL
#define WARMUP 1000UL
#define BATCHES 5
#define TIMEBASE_HZ 10000000UL /* QEMU virt; checked against KC_UPTIME */

static inline uint64_t word0(uint32_t type)
{
	return (uint64_t)type << 32;
}

static inline uint64_t rd_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

static inline uint64_t rd_time(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

/* Counter deltas of one batch: instructions retired and time ticks. */
struct sample {
	uint64_t insn, ticks;
};

#define SAMPLE_BEGIN(s)                  \
	do {                             \
		(s).ticks = rd_time();   \
		(s).insn = rd_instret(); \
	} while (0)

#define SAMPLE_END(s)                               \
	do {                                        \
		(s).insn = rd_instret() - (s).insn; \
		(s).ticks = rd_time() - (s).ticks;  \
	} while (0)

static endpoint_t peer;
static long trap_error; /* OR of every trap's result in a loop */
static uint64_t timebase = TIMEBASE_HZ;

/* ---- the measured loops, one batch each ---- */

static __attribute__((noinline)) struct sample run_empty(unsigned long n)
{
	struct sample s;

	SAMPLE_BEGIN(s);
	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
	SAMPLE_END(s);
	return s;
}

static __attribute__((noinline)) struct sample run_null(unsigned long n)
{
	struct regs r = { { 0 } };
	struct sample s;
	long err = 0;

	SAMPLE_BEGIN(s);
	for (unsigned long i = 0; i < n; i++) {
		r.a[0] = word0(KC_NULL);
		err |= trap(IPC_KERNEL_CALL, ENDPOINT_KERNEL, &r);
	}
	SAMPLE_END(s);
	trap_error |= err;
	return s;
}

static __attribute__((noinline)) struct sample run_roundtrip(unsigned long n)
{
	struct regs r = { { 0 } };
	struct sample s;
	long err = 0;

	SAMPLE_BEGIN(s);
	for (unsigned long i = 0; i < n; i++) {
		r.a[0] = word0(BENCH_PING);
		err |= trap(IPC_SENDREC, peer, &r);
	}
	SAMPLE_END(s);
	trap_error |= err;
	return s;
}

/* Tell the peer to run n iterations of a ping-pong; 0 or an error. */
static long command(uint32_t type, unsigned long n)
{
	struct regs r = { { word0(type), n } };
	long err = trap(IPC_SENDREC, peer, &r);

	if (!err && (endpoint_t)(uint32_t)r.a[0] != peer)
		err = -1;
	return err;
}

/* The notify ping-pong (the peer runs notify_loop with the same n). */
static __attribute__((noinline)) struct sample run_notify_pp(unsigned long n)
{
	struct regs r = { { 0 } };
	struct sample s;
	long err = command(BENCH_NOTIFY, n);

	SAMPLE_BEGIN(s);
	for (unsigned long i = 0; i < n; i++) {
		err |= trap(IPC_NOTIFY, peer, &r);
		err |= trap(IPC_RECEIVE, peer, &r);
	}
	SAMPLE_END(s);
	trap_error |= err;
	return s;
}

/*
 * The same ping-pong, but the counters are read around each notify trap
 * only: the sum, less that of run_pairs(), is the cost of the notify
 * call itself (delivery to the blocked peer and its wake-up).
 */
static __attribute__((noinline)) struct sample run_notify_call(unsigned long n)
{
	struct regs r = { { 0 } };
	struct sample s = { 0, 0 }, one;
	long err = command(BENCH_NOTIFY, n);

	for (unsigned long i = 0; i < n; i++) {
		SAMPLE_BEGIN(one);
		err |= trap(IPC_NOTIFY, peer, &r);
		SAMPLE_END(one);
		s.insn += one.insn;
		s.ticks += one.ticks;
		err |= trap(IPC_RECEIVE, peer, &r);
	}
	trap_error |= err;
	return s;
}

/* The baseline of run_notify_call: the reads with nothing between. */
static __attribute__((noinline)) struct sample run_pairs(unsigned long n)
{
	struct sample s = { 0, 0 }, one;

	for (unsigned long i = 0; i < n; i++) {
		SAMPLE_BEGIN(one);
		__asm__ volatile("" ::: "memory");
		SAMPLE_END(one);
		s.insn += one.insn;
		s.ticks += one.ticks;
	}
	return s;
}

static __attribute__((noinline)) struct sample run_yield(unsigned long n)
{
	struct regs r = { { 0 } };
	struct sample s;
	long err = 0;

	SAMPLE_BEGIN(s);
	for (unsigned long i = 0; i < n; i++) {
		r.a[0] = word0(KC_YIELD);
		err |= trap(IPC_KERNEL_CALL, ENDPOINT_KERNEL, &r);
	}
	SAMPLE_END(s);
	trap_error |= err;
	return s;
}

/* The yield ping-pong: the peer yields n times too. */
static struct sample run_yield_pp(unsigned long n)
{
	long err = command(BENCH_YIELD, n);

	trap_error |= err;
	return run_yield(n);
}

/* ---- statistics ---- */

/* Per-operation values of a metric, in tenths, one per batch. */
struct metric {
	const char *name;
	int64_t insn10[BATCHES];
	int64_t ns10[BATCHES];
};

/* Tenths of an instruction (or of a ns) per op: (d - base) / ops. */
static int64_t per_op10(int64_t d, int64_t base, uint64_t ops)
{
	int64_t v = (d - base) * 10;

	return v >= 0 ? (v + (int64_t)ops / 2) / (int64_t)ops :
			-((-v + (int64_t)ops / 2) / (int64_t)ops);
}

static int64_t ticks_to_ns(int64_t ticks)
{
	return ticks * 1000000000LL / (int64_t)timebase;
}

/* Metric m of batch b: (op - base) over ops operations. */
static void record(struct metric *m, unsigned b, struct sample op,
		   struct sample base, uint64_t ops)
{
	m->insn10[b] = per_op10((int64_t)op.insn, (int64_t)base.insn, ops);
	m->ns10[b] = per_op10(ticks_to_ns((int64_t)op.ticks),
			      ticks_to_ns((int64_t)base.ticks), ops);
}

static void sort(int64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static const char *tenths(char *buf, size_t len, int64_t v)
{
	const char *sign = v < 0 ? "-" : "";
	uint64_t a = v < 0 ? (uint64_t)-v : (uint64_t)v;

	snprintf(buf, len, "%s%llu.%llu", sign, (unsigned long long)(a / 10),
		 (unsigned long long)(a % 10));
	return buf;
}

static void report(struct metric *m)
{
	char a[32], b[32], c[32], d[32];

	sort(m->insn10, BATCHES);
	sort(m->ns10, BATCHES);
	printf("bench: %s_instructions %s instructions\n", m->name,
	       tenths(a, sizeof(a), m->insn10[BATCHES / 2]));
	printf("bench: %s_wall %s ns\n", m->name,
	       tenths(a, sizeof(a), m->ns10[BATCHES / 2]));
	printf("bench: detail %s batches %d x %lu: instret %s..%s, ns %s..%s\n",
	       m->name, BATCHES, ITERS, tenths(a, sizeof(a), m->insn10[0]),
	       tenths(b, sizeof(b), m->insn10[BATCHES - 1]),
	       tenths(c, sizeof(c), m->ns10[0]),
	       tenths(d, sizeof(d), m->ns10[BATCHES - 1]));
}

/* ---- the run ---- */

/*
 * The time CSR's frequency, from KC_UPTIME's milliseconds over a short
 * sleep; the QEMU virt value unless the two disagree by more than 5 %.
 */
static void check_timebase(void)
{
	uint64_t ms0 = 0, ms1 = 0, t0, t1, hz;

	kc_uptime(&ms0, NULL);
	t0 = rd_time();
	kc_sleep(100);
	kc_uptime(&ms1, NULL);
	t1 = rd_time();
	if (ms1 <= ms0)
		return;
	hz = (t1 - t0) * 1000 / (ms1 - ms0);
	if (hz < TIMEBASE_HZ / 100 * 95 || hz > TIMEBASE_HZ / 100 * 105)
		timebase = hz;
	printf("bench: timebase %llu Hz\n", (unsigned long long)timebase);
}

static void instret_ratio(void)
{
	struct sample s = run_empty(1000000);
	uint64_t r10 = s.ticks ? s.insn * 10 / s.ticks : 0;

	printf("bench: instret_per_tick %llu.%llu\n",
	       (unsigned long long)(r10 / 10), (unsigned long long)(r10 % 10));
}

enum {
	M_NULL,
	M_ROUNDTRIP,
	M_NOTIFY,
	M_NOTIFY_ONEWAY,
	M_YIELD,
	M_YIELD_SWITCH,
	M_CTX_SWITCH,
	M_COUNT
};

static struct metric metrics[M_COUNT] = {
	[M_NULL] = { .name = "null_kcall" },
	[M_ROUNDTRIP] = { .name = "ipc_roundtrip" },
	[M_NOTIFY] = { .name = "notify" },
	[M_NOTIFY_ONEWAY] = { .name = "notify_oneway" },
	[M_YIELD] = { .name = "yield" },
	[M_YIELD_SWITCH] = { .name = "yield_switch" },
	[M_CTX_SWITCH] = { .name = "ctx_switch" },
};

static void warm_up(void)
{
	run_empty(WARMUP);
	run_null(WARMUP);
	run_roundtrip(WARMUP);
	run_notify_pp(WARMUP);
	run_notify_call(WARMUP);
	run_pairs(WARMUP);
	run_yield(WARMUP);
	run_yield_pp(WARMUP);
}

static void batch(unsigned b)
{
	struct sample empty = run_empty(ITERS);
	struct sample s;

	record(&metrics[M_NULL], b, run_null(ITERS), empty, ITERS);
	record(&metrics[M_ROUNDTRIP], b, run_roundtrip(ITERS), empty, ITERS);
	record(&metrics[M_NOTIFY_ONEWAY], b, run_notify_pp(ITERS), empty,
	       2 * ITERS);
	s = run_notify_call(ITERS);
	record(&metrics[M_NOTIFY], b, s, run_pairs(ITERS), ITERS);
	record(&metrics[M_YIELD], b, run_yield(ITERS), empty, ITERS);
	record(&metrics[M_YIELD_SWITCH], b, run_yield_pp(ITERS), empty,
	       2 * ITERS);
	metrics[M_CTX_SWITCH].insn10[b] =
		metrics[M_YIELD_SWITCH].insn10[b] - metrics[M_NULL].insn10[b];
	metrics[M_CTX_SWITCH].ns10[b] =
		metrics[M_YIELD_SWITCH].ns10[b] - metrics[M_NULL].ns10[b];
}

int main(long arg)
{
	struct regs r = { { word0(BENCH_PING) } };
	long err;

	if (arg <= 0 || arg > INT32_MAX) {
		printf("bench: FAIL: no peer endpoint (start argument %ld); "
		       "boot with start=bench_peer,bench:prev\n",
		       arg);
		return 1;
	}
	peer = (endpoint_t)arg;
	err = trap(IPC_SENDREC, peer, &r);
	if (err || (endpoint_t)(uint32_t)r.a[0] != peer) {
		printf("bench: FAIL: the peer %d does not answer: %ld\n", peer,
		       err);
		return 1;
	}
	check_timebase();
	instret_ratio();
	warm_up();
	for (unsigned b = 0; b < BATCHES; b++)
		batch(b);
	err = command(BENCH_EXIT, 0);
	if (trap_error || err) {
		printf("bench: FAIL: a trap failed (%ld, %ld)\n", trap_error,
		       err);
		return 1;
	}
	for (unsigned m = 0; m < M_COUNT; m++)
		report(&metrics[m]);
	printf("bench: done\n");
	return 0;
}
