/* SPDX-License-Identifier: MIT */
/*
 * The kernel's freestanding string and memory routines.
 *
 * The standard functions are declared exactly as ISO C declares them, so
 * this header can sit next to a host libc's <string.h> in unit tests: on the
 * target kernel/lib/string.c defines them, on the host libc does. The
 * compiler may also emit calls to memcpy/memset/memmove/memcmp by itself
 * (structure copies, zeroing loops), which is another reason they must
 * exist with these exact names and signatures.
 *
 * strlcpy and the kstrto* parsers are not in every libc, so they live in
 * kernel/lib/kstrto.c, which is built for both the target and the host.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <kernel/types.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copy src into dst (size bytes), always NUL-terminated when size > 0.
 * Returns strlen(src); a result >= size means the copy was truncated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

/*
 * Parse the whole of s as an integer. base is 2..36, or 0 to accept a
 * "0x"/"0X" prefix for hexadecimal and decimal otherwise; base 16 also
 * accepts the prefix. One leading '+' (or '-' for kstrtoll) is allowed; no
 * whitespace, no trailing characters.
 * Returns 0 and stores the value, -EINVAL for an empty string, a bad digit
 * or a bad base, -ERANGE when the value does not fit. *out is written only
 * on success.
 */
int kstrtoull(const char *s, int base, unsigned long long *out);
int kstrtoll(const char *s, int base, long long *out);

#endif
