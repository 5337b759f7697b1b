/* SPDX-License-Identifier: MIT */
/*
 * printk: the kernel log ring and console output.
 *
 * Each line of a message becomes one variable-length record in a ring of
 * LOG_RING_SIZE bytes; when a new record does not fit, the oldest ones are
 * dropped (and counted). Positions in the ring are 64-bit byte counts that
 * only grow, so "used" is tail - head and a reader's remembered position
 * is still valid exactly when it is >= head. A record never straddles the
 * end of the buffer: the unused end is covered by a wrap marker instead.
 *
 * Two locks: ring_lock guards the ring, console_lock serialises the sinks
 * so that lines from different harts do not interleave. Lines are written
 * to the console directly from the formatted message, not re-read from the
 * ring, so a console line appears even if the ring was busted.
 *
 * In emergency mode (oops, panic) a lock is only tried for a bounded time;
 * after that the holder is presumed stopped and printk goes ahead without
 * it. Every header read back from the ring is therefore validated, so a
 * record half-written by a stopped hart cannot send a walk astray.
 */
#include <axolotl/errno.h>
#include <kernel/arch.h>
#include <kernel/config.h>
#include <kernel/kprintf.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

/* ---- the ring ---- */

#define LOG_MAGIC 0x4c47 /* "LG" */
#define REC_ALIGN 8

/* One record: this header, then text_len bytes of text (no NUL). */
struct log_hdr {
	uint16_t size; /* whole record, multiple of REC_ALIGN; 0: wrap marker */
	uint16_t text_len;
	uint8_t level;
	uint8_t cpu;
	uint16_t magic; /* LOG_MAGIC, also in a wrap marker */
	uint64_t seq;
	uint64_t ts_us; /* microseconds of arch_time_now() */
};

#define REC_MAX ALIGN_UP(sizeof(struct log_hdr) + LOG_LINE_MAX, REC_ALIGN)

_Static_assert(sizeof(struct log_hdr) % REC_ALIGN == 0, "header alignment");
_Static_assert(LOG_RING_SIZE % REC_ALIGN == 0, "ring size alignment");
_Static_assert(LOG_RING_SIZE >= 2 * REC_MAX, "ring too small for a line");
_Static_assert(REC_MAX <= 0xffff, "record size must fit in 16 bits");
_Static_assert(LOG_LINE_MAX < PRINTK_MSG_MAX, "line longer than a message");
_Static_assert(MAX_CPUS <= 256, "cpu number must fit in 8 bits");

static uint8_t log_buf[LOG_RING_SIZE] __aligned(REC_ALIGN);

static struct {
	uint64_t head;	    /* position of the oldest record or marker */
	uint64_t tail;	    /* position the next record goes to */
	uint64_t first_seq; /* seq of the record at head; next_seq if empty */
	uint64_t next_seq;
	uint64_t dropped;
	/* A record start known to hold hint_seq, valid while head <= hint_pos
	 * <= tail; lets sequential readers avoid walking from head. */
	uint64_t hint_pos;
	uint64_t hint_seq;
} ring;

static struct spinlock ring_lock = SPINLOCK_INIT("log_ring");
static struct spinlock console_lock = SPINLOCK_INIT("console");

/* ---- console and settings ---- */

typedef void (*sink_fn)(const char *s, size_t n);

static sink_fn sinks[CONSOLE_MAX_SINKS];
static unsigned nr_sinks;
static int console_level = CONSOLE_LOGLEVEL_DEFAULT;

/* ---- emergency mode ---- */

static unsigned emergency; /* nesting depth; nonzero means emergency */
static unsigned long emergency_spins = PRINTK_EMERGENCY_SPINS_DEFAULT;
static unsigned long busted;

/* Which holding of a lock we last gave up on, so as not to wait again. */
struct bust_note {
	bool valid;
	int32_t owner_cpu;
	uintptr_t taken_at;
	uint32_t taken_seq;
};

static struct bust_note ring_bust, console_bust;

static bool same_holder(const struct spinlock *l, const struct bust_note *bn)
{
	return bn->valid && READ_ONCE(l->locked) &&
	       READ_ONCE(l->owner_cpu) == bn->owner_cpu &&
	       READ_ONCE(l->taken_at) == bn->taken_at &&
	       READ_ONCE(l->taken_seq) == bn->taken_seq;
}

/*
 * Take a printk lock. Outside emergency mode this is spin_lock(). In
 * emergency mode give up after emergency_spins tries, at once if this hart
 * holds the lock (we are reporting a fault inside printk) or if it is the
 * same holding that timed out before. Interrupts are off on return either
 * way; returns whether the lock was taken, for plock_release().
 */
static bool plock_acquire(struct spinlock *l, struct bust_note *bn)
{
	unsigned long i;

	if (!__atomic_load_n(&emergency, __ATOMIC_ACQUIRE)) {
		spin_lock(l);
		return true;
	}
	if (!spin_held(l) && !same_holder(l, bn)) {
		/* read-only spinning between attempts keeps each round cheap
		 * and leaves the cache line alone */
		for (i = 0;; i++) {
			if (!READ_ONCE(l->locked) && spin_trylock(l))
				return true;
			if (i >= READ_ONCE(emergency_spins))
				break;
			arch_cpu_relax();
		}
	}
	bn->owner_cpu = READ_ONCE(l->owner_cpu);
	bn->taken_at = READ_ONCE(l->taken_at);
	bn->taken_seq = READ_ONCE(l->taken_seq);
	bn->valid = true;
	__atomic_fetch_add(&busted, 1, __ATOMIC_RELAXED);
	irq_push_off();
	return false;
}

static void plock_release(struct spinlock *l, bool held)
{
	if (held)
		spin_unlock(l);
	else
		irq_pop_off();
}

/* ---- ring internals; all called with ring_lock held (or busted) ---- */

static struct log_hdr *hdr_at(uint64_t pos)
{
	return (struct log_hdr *)(log_buf + pos % LOG_RING_SIZE);
}

/*
 * Whether the header at pos is believable: a record or marker that lies
 * wholly inside the buffer and inside the used part [pos, tail).
 */
static bool hdr_valid(const struct log_hdr *h, uint64_t pos)
{
	uint64_t off = pos % LOG_RING_SIZE;
	uint64_t avail = ring.tail - pos;

	if (h->magic != LOG_MAGIC)
		return false;
	if (h->size == 0)
		return off != 0 && LOG_RING_SIZE - off <= avail;
	return h->size % REC_ALIGN == 0 && h->size <= REC_MAX &&
	       h->text_len <= LOG_LINE_MAX &&
	       h->size >= sizeof(*h) + h->text_len &&
	       off + h->size <= LOG_RING_SIZE && h->size <= avail &&
	       h->level <= LOG_DEBUG;
}

/* Give up on everything in the ring; counted as dropped. */
static void ring_damaged(void)
{
	ring.dropped += ring.next_seq - ring.first_seq;
	ring.head = ring.tail;
	ring.first_seq = ring.next_seq;
}

/* Remove the oldest record or wrap marker; the ring must not be empty. */
static void ring_evict(void)
{
	struct log_hdr *h = hdr_at(ring.head);

	if (!hdr_valid(h, ring.head) || (h->size && h->seq != ring.first_seq)) {
		ring_damaged();
		return;
	}
	if (h->size == 0) {
		ring.head += LOG_RING_SIZE - ring.head % LOG_RING_SIZE;
		return;
	}
	ring.head += h->size;
	ring.first_seq = h->seq + 1;
	ring.dropped++;
}

static void ring_store(uint8_t level, uint8_t cpu, uint64_t ts_us,
		       const char *text, size_t len)
{
	size_t size = ALIGN_UP(sizeof(struct log_hdr) + len, REC_ALIGN);
	uint64_t off = ring.tail % LOG_RING_SIZE;
	size_t pad = off + size > LOG_RING_SIZE ? LOG_RING_SIZE - off : 0;
	struct log_hdr *h;

	/* Each eviction moves head forward (or empties the ring), so this
	 * ends; an empty ring has room since LOG_RING_SIZE >= 2 * REC_MAX. */
	while (LOG_RING_SIZE - (ring.tail - ring.head) < pad + size)
		ring_evict();

	if (pad) {
		/* pad >= REC_ALIGN, so the marker's size and magic fit */
		h = hdr_at(ring.tail);
		h->size = 0;
		h->magic = LOG_MAGIC;
		ring.tail += pad;
	}
	h = hdr_at(ring.tail);
	h->size = (uint16_t)size;
	h->text_len = (uint16_t)len;
	h->level = level;
	h->cpu = cpu;
	h->magic = LOG_MAGIC;
	h->seq = ring.next_seq++;
	h->ts_us = ts_us;
	memcpy(h + 1, text, len);
	ring.tail += size;
}

/*
 * Find the oldest record with seq >= seq; returns its position in *pos.
 * A walk that meets a bad header gives up; the next writer to reach that
 * header resets the ring.
 */
static bool ring_find(uint64_t seq, uint64_t *pos_out)
{
	uint64_t pos = ring.head;

	if (seq >= ring.next_seq)
		return false;
	if (ring.hint_pos >= ring.head && ring.hint_pos <= ring.tail &&
	    ring.hint_seq <= seq)
		pos = ring.hint_pos;
	while (pos < ring.tail) {
		struct log_hdr *h = hdr_at(pos);

		if (!hdr_valid(h, pos))
			return false;
		if (h->size == 0) {
			pos += LOG_RING_SIZE - pos % LOG_RING_SIZE;
			continue;
		}
		if (h->seq >= seq) {
			*pos_out = pos;
			return true;
		}
		pos += h->size;
	}
	return false;
}

static void ring_copy_out(uint64_t pos, struct log_record_view *out)
{
	const struct log_hdr *h = hdr_at(pos);
	size_t len = h->text_len; /* <= LOG_LINE_MAX, as hdr_valid checked */

	out->seq = h->seq;
	out->ts_sec = h->ts_us / 1000000;
	out->ts_usec = (uint32_t)(h->ts_us % 1000000);
	out->level = h->level;
	out->cpu = h->cpu;
	out->len = (uint16_t)len;
	memcpy(out->text, h + 1, len);
	out->text[len] = '\0';

	ring.hint_pos = pos + h->size;
	ring.hint_seq = h->seq + 1;
}

/* ---- console output ---- */

/* Write to every sink, or to the firmware console if there is none. */
static void console_write(const char *s, size_t n)
{
	unsigned i, count = READ_ONCE(nr_sinks);

	if (count == 0) {
		while (n--)
			arch_early_putc(*s++);
		return;
	}
	for (i = 0; i < count && i < CONSOLE_MAX_SINKS; i++) {
		sink_fn fn = READ_ONCE(sinks[i]);

		if (fn)
			fn(s, n);
	}
}

static int format_prefix(char *buf, size_t size, uint64_t sec, uint32_t usec,
			 unsigned cpu)
{
	return ksnprintf(buf, size, "[%5llu.%06lu][C%u] ",
			 (unsigned long long)sec, (unsigned long)usec, cpu);
}

/* ---- printk ---- */

static uint64_t now_us(void)
{
	uint64_t t = arch_time_now(), f = arch_time_freq();

	if (f == 0)
		return 0;
	return t / f * 1000000 + t % f * 1000000 / f;
}

/*
 * Take the next line of [*p, end) into *line and *len and move *p past it.
 * Lines end at '\n'; a final '\n' ends the last line rather than starting
 * an empty one, so "a\n" is one line and "" none. Lines are cut to
 * LOG_LINE_MAX.
 */
static bool next_line(const char **p, const char *end, const char **line,
		      size_t *len)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*len = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	if (*len > LOG_LINE_MAX)
		*len = LOG_LINE_MAX;
	return true;
}

void vprintk(int level, const char *fmt, va_list ap)
{
	char msg[PRINTK_MSG_MAX];
	char prefix[48];
	const char *p, *end, *line;
	size_t l, len;
	uint64_t ts;
	unsigned cpu;
	int n;
	bool held;

	n = kvsnprintf(msg, sizeof(msg), fmt, ap);
	len = n < 0 ? 0 : MIN((size_t)n, sizeof(msg) - 1);
	if (level < LOG_EMERG)
		level = LOG_EMERG;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	ts = now_us();
	cpu = arch_cpu_id();
	end = msg + len;

	held = plock_acquire(&ring_lock, &ring_bust);
	for (p = msg; next_line(&p, end, &line, &l);)
		ring_store((uint8_t)level, (uint8_t)cpu, ts, line, l);
	plock_release(&ring_lock, held);

	if (level >= READ_ONCE(console_level))
		return;
	n = format_prefix(prefix, sizeof(prefix), ts / 1000000,
			  (uint32_t)(ts % 1000000), cpu);
	held = plock_acquire(&console_lock, &console_bust);
	for (p = msg; next_line(&p, end, &line, &l);) {
		console_write(prefix, (size_t)n);
		console_write(line, l);
		console_write("\n", 1);
	}
	plock_release(&console_lock, held);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

/* ---- console registration and settings ---- */

int console_register(void (*write)(const char *s, size_t n))
{
	int err = 0;
	unsigned i;

	if (!write)
		return -EINVAL;
	spin_lock(&console_lock);
	for (i = 0; i < nr_sinks; i++)
		if (sinks[i] == write)
			err = -EEXIST;
	if (!err && nr_sinks == CONSOLE_MAX_SINKS)
		err = -ENOSPC;
	if (!err) {
		/* publish the slot before the count: lockless readers */
		WRITE_ONCE(sinks[nr_sinks], write);
		__atomic_store_n(&nr_sinks, nr_sinks + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&console_lock);
	return err;
}

int console_unregister(void (*write)(const char *s, size_t n))
{
	int err = -ENOENT;
	unsigned i;

	spin_lock(&console_lock);
	for (i = 0; i < nr_sinks; i++) {
		if (sinks[i] != write)
			continue;
		for (; i + 1 < nr_sinks; i++)
			WRITE_ONCE(sinks[i], sinks[i + 1]);
		WRITE_ONCE(sinks[i], NULL);
		__atomic_store_n(&nr_sinks, nr_sinks - 1, __ATOMIC_RELEASE);
		err = 0;
		break;
	}
	spin_unlock(&console_lock);
	return err;
}

void printk_set_console_level(int level)
{
	WRITE_ONCE(console_level, level);
}

int printk_get_console_level(void)
{
	return READ_ONCE(console_level);
}

/* ---- emergency mode ---- */

void printk_emergency_enter(void)
{
	__atomic_fetch_add(&emergency, 1, __ATOMIC_ACQ_REL);
}

void printk_emergency_exit(void)
{
	unsigned old = __atomic_load_n(&emergency, __ATOMIC_ACQUIRE);

	/* never below zero, even if exits outnumber enters */
	while (old &&
	       !__atomic_compare_exchange_n(&emergency, &old, old - 1, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
}

bool printk_in_emergency(void)
{
	return __atomic_load_n(&emergency, __ATOMIC_ACQUIRE) != 0;
}

void printk_set_emergency_spins(unsigned long spins)
{
	WRITE_ONCE(emergency_spins, spins);
}

unsigned long printk_locks_busted(void)
{
	return __atomic_load_n(&busted, __ATOMIC_RELAXED);
}

void printk_emergency_putc(char c)
{
	console_write(&c, 1);
}

void printk_emergency_puts(const char *s)
{
	console_write(s, strlen(s));
}

struct spinlock *printk_ring_lock(void)
{
	return &ring_lock;
}

struct spinlock *printk_console_lock(void)
{
	return &console_lock;
}

/* ---- reading the ring ---- */

bool log_next(uint64_t *seq, struct log_record_view *out)
{
	uint64_t pos;
	bool found, held;

	held = plock_acquire(&ring_lock, &ring_bust);
	found = ring_find(*seq, &pos);
	if (found) {
		ring_copy_out(pos, out);
		*seq = out->seq + 1;
	}
	plock_release(&ring_lock, held);
	return found;
}

int log_format_line(const struct log_record_view *rec, char *buf, size_t size)
{
	return ksnprintf(buf, size, "[%5llu.%06lu][C%u] %.*s\n",
			 (unsigned long long)rec->ts_sec,
			 (unsigned long)rec->ts_usec, (unsigned)rec->cpu,
			 (int)rec->len, rec->text);
}

/* A line: prefix (at most 5 + 20 digits and punctuation) and text. */
#define LINE_BUF_SIZE (LOG_LINE_MAX + 64)

size_t log_read(uint64_t *seq_cursor, char *buf, size_t len, int max_level)
{
	struct log_record_view rec;
	char line[LINE_BUF_SIZE];
	uint64_t seq = *seq_cursor;
	size_t done = 0;

	while (done < len && log_next(&seq, &rec)) {
		size_t n;

		if (rec.level > max_level) {
			*seq_cursor = seq;
			continue;
		}
		n = MIN((size_t)log_format_line(&rec, line, sizeof(line)),
			sizeof(line) - 1);
		if (n > len - done) {
			if (done)
				break;
			n = len; /* a line longer than buf: return its start */
		}
		memcpy(buf + done, line, n);
		done += n;
		*seq_cursor = seq;
	}
	return done;
}

/* Length of the console line of the record at pos. */
static size_t line_len_at(uint64_t pos)
{
	const struct log_hdr *h = hdr_at(pos);

	return (size_t)format_prefix(NULL, 0, h->ts_us / 1000000,
				     (uint32_t)(h->ts_us % 1000000), h->cpu) +
	       h->text_len + 1;
}

/*
 * Walk [head, tail) calling fn on each record; false if a bad header
 * stopped the walk early.
 */
static bool ring_walk(void (*fn)(uint64_t pos, void *arg), void *arg)
{
	uint64_t pos = ring.head;

	while (pos < ring.tail) {
		struct log_hdr *h = hdr_at(pos);

		if (!hdr_valid(h, pos))
			return false;
		if (h->size == 0) {
			pos += LOG_RING_SIZE - pos % LOG_RING_SIZE;
			continue;
		}
		fn(pos, arg);
		pos += h->size;
	}
	return true;
}

struct tail_scan {
	size_t total;	/* pass 1: bytes of all lines */
	size_t budget;	/* pass 2: bytes still to skip before output */
	uint64_t start; /* pass 2: first seq that fits */
	bool found;
};

static void tail_sum(uint64_t pos, void *arg)
{
	struct tail_scan *t = arg;

	t->total += line_len_at(pos);
}

static void tail_pick(uint64_t pos, void *arg)
{
	struct tail_scan *t = arg;
	size_t n = line_len_at(pos);

	if (t->found)
		return;
	if (t->total <= t->budget) {
		t->start = hdr_at(pos)->seq;
		t->found = true;
		return;
	}
	t->total -= n;
}

void log_dump_tail(size_t bytes, void (*out)(const char *s, size_t n))
{
	struct log_record_view rec;
	struct tail_scan t = { 0 };
	char line[LINE_BUF_SIZE];
	uint64_t seq, end;
	bool held;

	/* Find, under the lock, the oldest record from which on the lines
	 * fit in bytes; then print them with the lock dropped between
	 * records so that out may itself printk. */
	held = plock_acquire(&ring_lock, &ring_bust);
	end = ring.next_seq;
	t.budget = bytes;
	if (ring_walk(tail_sum, &t))
		ring_walk(tail_pick, &t);
	plock_release(&ring_lock, held);
	if (!t.found)
		return;

	seq = t.start;
	while (seq < end && log_next(&seq, &rec) && rec.seq < end) {
		int n = log_format_line(&rec, line, sizeof(line));

		out(line, MIN((size_t)n, sizeof(line) - 1));
	}
}

void log_stats(uint64_t *next_seq, uint64_t *dropped)
{
	bool held = plock_acquire(&ring_lock, &ring_bust);

	if (next_seq)
		*next_seq = ring.next_seq;
	if (dropped)
		*dropped = ring.dropped;
	plock_release(&ring_lock, held);
}

void printk_reset(void)
{
	memset(&ring, 0, sizeof(ring));
	memset(log_buf, 0, sizeof(log_buf));
	memset(sinks, 0, sizeof(sinks));
	nr_sinks = 0;
	console_level = CONSOLE_LOGLEVEL_DEFAULT;
	emergency = 0;
	emergency_spins = PRINTK_EMERGENCY_SPINS_DEFAULT;
	busted = 0;
	memset(&ring_bust, 0, sizeof(ring_bust));
	memset(&console_bust, 0, sizeof(console_bust));
	spin_init(&ring_lock, "log_ring");
	spin_init(&console_lock, "console");
}
