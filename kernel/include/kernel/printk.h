/* SPDX-License-Identifier: MIT */
/*
 * The kernel log: printk, the log ring (dmesg) and the console sinks.
 *
 * printk formats a message, splits it at '\n' into lines, stores each line
 * as one record in the log ring and, if its level is below the console
 * level, writes it to every registered console sink as
 *
 *	[sssss.uuuuuu][Cn] text\n
 *
 * (seconds at least 5 wide, microseconds 6 digits, n the hart). printk may
 * be called from any hart, with or without interrupts enabled, and from
 * interrupt handlers; it never allocates memory.
 *
 * Once printk_emergency_enter() has been called (oops, panic), printk no
 * longer waits for ever on its locks: a lock that stays taken for a bounded
 * number of spins is treated as held by a stopped hart and is ignored.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <kernel/spinlock.h>
#include <kernel/types.h>

#define LOG_EMERG 0   /* system is unusable */
#define LOG_ALERT 1   /* action must be taken immediately */
#define LOG_CRIT 2    /* critical conditions */
#define LOG_ERR 3     /* error conditions */
#define LOG_WARNING 4 /* warning conditions */
#define LOG_NOTICE 5  /* normal but significant condition */
#define LOG_INFO 6    /* informational */
#define LOG_DEBUG 7   /* debug-level messages */

#define CONSOLE_LOGLEVEL_DEFAULT 7 /* print levels 0..6 */
#define CONSOLE_MAX_SINKS 4
#define LOG_LINE_MAX 480   /* text bytes kept per line; longer is cut */
#define PRINTK_MSG_MAX 512 /* bytes of one printk message, all lines */
#define PRINTK_EMERGENCY_SPINS_DEFAULT 1000000UL

void printk(int level, const char *fmt, ...) __printf(2, 3);
void vprintk(int level, const char *fmt, va_list ap);

/* A source file may define pr_fmt before including this, e.g. to add a
 * "subsystem: " prefix to every pr_* message it prints. */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...) printk(LOG_EMERG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(LOG_ALERT, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(LOG_CRIT, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(LOG_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(LOG_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(LOG_NOTICE, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(LOG_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(LOG_DEBUG, pr_fmt(fmt), ##__VA_ARGS__)

/* ---- console ---- */

/*
 * Add a console sink; every printed line is passed to each sink, possibly
 * in several pieces. Until the first sink is registered, output goes to
 * arch_early_putc(). A sink is called with the console lock held and
 * interrupts off, so it must not call printk; in emergency mode it may be
 * called without the lock. Returns 0, -EINVAL for NULL, -EEXIST if already
 * registered, -ENOSPC when CONSOLE_MAX_SINKS are registered.
 */
int console_register(void (*write)(const char *s, size_t n));
/* Remove a sink; 0 or -ENOENT. */
int console_unregister(void (*write)(const char *s, size_t n));

/* Lines of level < level reach the console; all levels reach the ring. */
void printk_set_console_level(int level);
int printk_get_console_level(void);

/* ---- emergency mode (oops, panic) ---- */

/*
 * Enter emergency mode (nests): from now on printk waits on a busy lock
 * for at most the emergency spin bound and then goes ahead without it.
 * A lock that this hart already holds is not waited for at all, and a lock
 * still held by the same owner as at the last timeout is not waited for
 * again. A panic never leaves; an oops that the kernel survives leaves with
 * printk_emergency_exit().
 */
void printk_emergency_enter(void);
void printk_emergency_exit(void);
bool printk_in_emergency(void);
/* How long to try a busy lock in emergency mode (arch_cpu_relax() calls). */
void printk_set_emergency_spins(unsigned long spins);
/* How many times emergency mode went ahead without a lock. */
unsigned long printk_locks_busted(void);

/* Raw console output: no lock, no ring, no formatting, no prefix. */
void printk_emergency_putc(char c);
void printk_emergency_puts(const char *s);

/* The two locks, for the oops report and tests; do not take them. */
struct spinlock *printk_ring_lock(void);
struct spinlock *printk_console_lock(void);

/* ---- the log ring ---- */

/* One record as copied out of the ring. */
struct log_record_view {
	uint64_t seq;	 /* 0 for the first record ever, then +1 each */
	uint64_t ts_sec; /* arch_time_now() when printk was called */
	uint32_t ts_usec;
	uint8_t level;		     /* LOG_EMERG .. LOG_DEBUG */
	uint8_t cpu;		     /* hart that called printk */
	uint16_t len;		     /* bytes in text, not counting the NUL */
	char text[LOG_LINE_MAX + 1]; /* NUL-terminated, no '\n' */
};

/*
 * Copy out the oldest record whose sequence number is >= *seq and set *seq
 * to the one after it. Records overwritten before they were read are
 * skipped, so out->seq may be larger than *seq was. Returns false when
 * there is no such record yet. Start with *seq = 0 to read everything.
 */
bool log_next(uint64_t *seq, struct log_record_view *out);

/*
 * Format one record as its console line, with the trailing '\n'; returns
 * the full length as ksnprintf does.
 */
int log_format_line(const struct log_record_view *rec, char *buf, size_t size);

/*
 * Fill buf with whole console lines of the records from *seq_cursor on
 * whose level is <= max_level, advancing *seq_cursor past what was
 * copied. Returns the bytes stored (no NUL is added). If the first line
 * alone is longer than len, its first len bytes are returned so that a
 * reader always makes progress.
 */
size_t log_read(uint64_t *seq_cursor, char *buf, size_t len, int max_level);

/*
 * Pass the newest whole lines of the formatted log, all levels, totalling
 * at most bytes, to out, oldest first (for crash records). out is called
 * without any printk lock held.
 */
void log_dump_tail(size_t bytes, void (*out)(const char *s, size_t n));

/*
 * next_seq: sequence number the next record will get (records ever
 * stored); dropped: records pushed out of the ring by newer ones, or lost
 * to a damaged ring. Either pointer may be NULL.
 */
void log_stats(uint64_t *next_seq, uint64_t *dropped);

/*
 * Forget every record, sink and setting and leave emergency mode: the state
 * at boot. For unit tests; never call it while other harts may printk.
 */
void printk_reset(void);

#endif
