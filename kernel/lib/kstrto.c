/* SPDX-License-Identifier: MIT */
/*
 * Number parsing (kstrtoull, kstrtoll) and strlcpy.
 *
 * These are not ISO C functions, and the host's libc may lack them (glibc
 * before 2.38 has no strlcpy), so unlike kernel/lib/string.c this file is
 * built for both the target and the host unit tests.
 *
 * The parsers accept the whole string or nothing: a command-line option
 * such as "mem=12q" must be rejected rather than read as 12.
 */
#include <axolotl/errno.h>
#include <kernel/string.h>

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = 0;

	while (src[len])
		len++;
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		size_t i;

		for (i = 0; i < n; i++)
			dst[i] = src[i];
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99; /* larger than any base */
}

/* Parse an unsigned magnitude with no sign; see string.h for the rules. */
static int parse_magnitude(const char *s, int base, unsigned long long *out)
{
	unsigned long long v = 0;

	if (base != 0 && (base < 2 || base > 36))
		return -EINVAL;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = 10;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = digit_value(*s);

		if (d >= base)
			return -EINVAL;
		/* v * base + d must not exceed ULLONG_MAX */
		if (v > (~0ULL - (unsigned)d) / (unsigned)base) {
			/* keep scanning: junk later on is -EINVAL, not -ERANGE */
			for (s++; *s; s++)
				if (digit_value(*s) >= base)
					return -EINVAL;
			return -ERANGE;
		}
		v = v * (unsigned)base + (unsigned)d;
	}
	*out = v;
	return 0;
}

int kstrtoull(const char *s, int base, unsigned long long *out)
{
	unsigned long long v;
	int err;

	if (*s == '+')
		s++;
	err = parse_magnitude(s, base, &v);
	if (err)
		return err;
	*out = v;
	return 0;
}

int kstrtoll(const char *s, int base, long long *out)
{
	/* LLONG_MAX without <limits.h>: all bits but the sign bit */
	const unsigned long long max = ~0ULL >> 1;
	unsigned long long v;
	bool neg = false;
	int err;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	err = parse_magnitude(s, base, &v);
	if (err)
		return err;
	if (neg) {
		/* the magnitude of LLONG_MIN is max + 1 */
		if (v > max + 1)
			return -ERANGE;
		*out = v == max + 1 ? -(long long)max - 1 : -(long long)v;
	} else {
		if (v > max)
			return -ERANGE;
		*out = (long long)v;
	}
	return 0;
}
