/* SPDX-License-Identifier: MIT */
/*
 * Freestanding memory and string routines for the target kernel.
 *
 * The host unit-test build leaves this file out and uses libc instead, so
 * everything here must behave exactly like ISO C. memcpy, memmove and
 * memset copy a word at a time when both pointers share an alignment, and
 * byte by byte otherwise: RV64 traps on misaligned accesses (the firmware
 * emulates them, slowly), so no misaligned word access is ever made.
 *
 * GCC recognises byte loops as memset/memcpy patterns and replaces them
 * with calls to those very functions, which here would recurse forever;
 * NO_LIBCALL turns that transformation off for every function below.
 */
#include <kernel/string.h>

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word that may alias any other type, so word copies are always legal. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WSIZE sizeof(word_t)
#define WMASK (WSIZE - 1)

/* Copy n bytes upwards; the regions may overlap only if dst < src. */
static NO_LIBCALL void copy_forward(unsigned char *d, const unsigned char *s,
				    size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		while (n && ((uintptr_t)d & WMASK)) {
			*d++ = *s++;
			n--;
		}
		while (n >= 4 * WSIZE) {
			word_t *wd = (word_t *)d;
			const word_t *ws = (const word_t *)s;

			wd[0] = ws[0];
			wd[1] = ws[1];
			wd[2] = ws[2];
			wd[3] = ws[3];
			d += 4 * WSIZE;
			s += 4 * WSIZE;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WSIZE;
			s += WSIZE;
			n -= WSIZE;
		}
	}
	while (n--)
		*d++ = *s++;
}

/* Copy n bytes downwards, from the ends; for overlaps with dst > src. */
static NO_LIBCALL void copy_backward(unsigned char *d, const unsigned char *s,
				     size_t n)
{
	d += n;
	s += n;
	if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		while (n && ((uintptr_t)d & WMASK)) {
			*--d = *--s;
			n--;
		}
		while (n >= WSIZE) {
			d -= WSIZE;
			s -= WSIZE;
			*(word_t *)d = *(const word_t *)s;
			n -= WSIZE;
		}
	}
	while (n--)
		*--d = *--s;
}

NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/* Forward is safe unless dst starts inside [src, src + n). */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

NO_LIBCALL void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	while (n && ((uintptr_t)p & WMASK)) {
		*p++ = b;
		n--;
	}
	if (n >= WSIZE) {
		/* b replicated into every byte of a word */
		word_t w = (word_t)-1 / 0xff * b;

		while (n >= 4 * WSIZE) {
			word_t *wp = (word_t *)p;

			wp[0] = w;
			wp[1] = w;
			wp[2] = w;
			wp[3] = w;
			p += 4 * WSIZE;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*(word_t *)p = w;
			p += WSIZE;
			n -= WSIZE;
		}
	}
	while (n--)
		*p++ = b;
	return s;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

NO_LIBCALL void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

NO_LIBCALL size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

NO_LIBCALL size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as ISO C requires. */
NO_LIBCALL int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x < *y ? -1 : *x > *y;
}

NO_LIBCALL int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (!*x)
			break;
	}
	return 0;
}

/* The terminating NUL is part of the string: strchr(s, 0) finds it. */
NO_LIBCALL char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

NO_LIBCALL char *strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
