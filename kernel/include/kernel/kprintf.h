/* SPDX-License-Identifier: MIT */
/*
 * Formatted output into a buffer, with ISO C snprintf semantics.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%. Flags: '-' '0' '+' ' ' '#'.
 * Field width and precision as digits or '*'. Length modifiers: hh h l ll
 * z t j. %p prints "0x" and exactly 16 hex digits; a NULL %s prints
 * "(null)" (cut by the precision like any string). There is no floating
 * point and no %n. An unknown conversion is copied to the output as is.
 *
 * The return value is the length the whole output would have, not counting
 * the NUL, even when it did not fit; the buffer is always NUL-terminated
 * when size > 0, and buf may be NULL when size is 0.
 */
#ifndef KERNEL_KPRINTF_H
#define KERNEL_KPRINTF_H

#include <kernel/types.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
