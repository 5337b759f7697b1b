/* SPDX-License-Identifier: MIT */
/*
 * stdio for picolibc's tinystdio, and the end of a process.
 *
 * tinystdio writes through a FILE the application defines; here stdin,
 * stdout and stderr are one stream whose put hook collects a line and
 * sends it to the kernel log with KC_DEBUG_WRITE when it sees '\n' or
 * when the line reaches the call's limit (256 bytes). So each printf'd
 * line is one kernel log line, and printf, puts and friends all work
 * unchanged. Reading gives end-of-file: there is no input yet.
 *
 * _exit() (what exit(), abort() and a return from main end in) flushes a
 * partial line and makes KC_EXIT. axo_panic() is the assert helper.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <axo.h>

#define LINE_MAX_BYTES 256 /* KC_DEBUG_WRITE's limit */

static char line[LINE_MAX_BYTES];
static size_t line_len;

void axo_stdio_flush(void)
{
	if (line_len)
		kc_debug_write(line, line_len);
	line_len = 0;
}

static int axo_put(char c, FILE *f)
{
	(void)f;
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		axo_stdio_flush();
	return (unsigned char)c;
}

static int axo_get(FILE *f)
{
	(void)f;
	return _FDEV_EOF;
}

static int axo_flush(FILE *f)
{
	(void)f;
	axo_stdio_flush();
	return 0;
}

static FILE axo_stdio =
	FDEV_SETUP_STREAM(axo_put, axo_get, axo_flush, _FDEV_SETUP_RW);

FILE *const stdin = &axo_stdio;
FILE *const stdout = &axo_stdio;
FILE *const stderr = &axo_stdio;

void _exit(int status)
{
	axo_stdio_flush();
	kc_exit(status);
}

void axo_panic(const char *fmt, ...)
{
	va_list ap;

	axo_stdio_flush();
	fputs("panic: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(AXO_PANIC_STATUS);
}
