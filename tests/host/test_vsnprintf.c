/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the kernel's text runtime: ksnprintf/kvsnprintf against
 * the host libc's snprintf over many combinations of flags, widths,
 * precisions, length modifiers and values; kstrtoull/kstrtoll; strlcpy;
 * and kernel/lib/string.c, which the host library leaves out, compiled
 * here under other names (k_memcpy, ...) and compared with libc.
 */

/* kernel/lib/string.c under k_ names, so that it does not replace libc. */
#define memcpy k_memcpy
#define memmove k_memmove
#define memset k_memset
#define memcmp k_memcmp
#define memchr k_memchr
#define strlen k_strlen
#define strnlen k_strnlen
#define strcmp k_strcmp
#define strncmp k_strncmp
#define strchr k_strchr
#define strrchr k_strrchr
#include "../../kernel/lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <axolotl/errno.h>
#include <kernel/kprintf.h>

/* ---- ksnprintf against snprintf ---- */

static unsigned long checks;

/* Format with both and compare text and return value. */
#define CHECK(fmt, ...)                                                     \
	do {                                                                \
		char k_[512], c_[512];                                      \
		int kn_ = ksnprintf(k_, sizeof(k_), fmt, ##__VA_ARGS__);    \
		int cn_ = snprintf(c_, sizeof(c_), fmt, ##__VA_ARGS__);     \
		if (kn_ != cn_ || strcmp(k_, c_) != 0)                      \
			fail_msg("format \"%s\": kernel \"%s\" (%d), libc " \
				 "\"%s\" (%d)",                             \
				 fmt, k_, kn_, c_, cn_);                    \
		checks++;                                                   \
	} while (0)

static void test_basic(void **state)
{
	(void)state;
	CHECK("hello");
	CHECK("%%");
	CHECK("a%%b%%%%c");
	CHECK("%d %i %u", 42, -42, 42u);
	CHECK("%x %X %o", 0xbeefu, 0xbeefu, 0755u);
	CHECK("%c%c%c", 'a', 'b', 'c');
	CHECK("[%s] [%s]", "abc", "");
	CHECK("%d", 0);
	CHECK("%d %d", INT32_MIN, INT32_MAX);
	CHECK("%u", UINT32_MAX);
	CHECK("%lld %llu", (long long)INT64_MIN,
	      (unsigned long long)UINT64_MAX);
	CHECK("%llx %llo", (unsigned long long)UINT64_MAX,
	      (unsigned long long)UINT64_MAX);
	CHECK("%ld %lu %lx", -1L, ~0UL, ~0UL);
	CHECK("%zu %zd %zx", (size_t)12345, (ssize_t)-5, (size_t)~0UL);
	CHECK("%td %tx", (ptrdiff_t)-77, (ptrdiff_t)77);
	CHECK("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
	CHECK("%hhd %hhu %hhx", 300, 300, 511);
	CHECK("%hd %hu %hx", 70000, 70000, -1);
	CHECK("%5s|%-5s|%.2s|%5.1s|%-5.1s|", "abc", "abc", "abc", "abc", "abc");
	CHECK("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	CHECK("%.*d|%.*d|%*.*d", 5, 42, -1, 42, 8, 4, -42);
	CHECK("%.*s|%.*s", 2, "abcdef", -3, "abcdef");
	CHECK("%#x %#X %#o %#x %#o", 255u, 255u, 8u, 0u, 0u);
	CHECK("%#.0o %.0d %.0x|%5.0d|", 0u, 0, 0u, 0);
	CHECK("%+d %+d % d % d", 5, -5, 5, -5);
	CHECK("%05d|%-5d|%5.3d|%05x", -42, -42, -42, 42u);
	CHECK("%010x|%#010x|%-#10x|", 0xabcu, 0xabcu, 0xabcu);
	CHECK("%3c|%-3c|", 'x', 'y');
	CHECK("%s and %s", "one", "two");
	CHECK("%-20s|%20s|", "left", "right");
	CHECK("%.10d|%.20llu", -1, 1ULL);
	CHECK("%100d|", 1);
}

/* The value list every integer combination is tried with. */
static const long long values[] = {
	0,
	1,
	-1,
	7,
	-7,
	42,
	255,
	256,
	-129,
	65535,
	-32769,
	123456789,
	-987654321,
	INT32_MAX,
	INT32_MIN,
	(long long)UINT32_MAX,
	INT64_MAX,
	INT64_MIN,
	0x1234567890abcdefLL,
};

static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "t", "j" };
static const char *const widths[] = { "", "1", "4", "12", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".15", ".*" };
static const char convs[] = "diuxXo";

/* Call f(buf, size, fmt, ...) with v converted to the type len expects,
 * preceded by the '*' arguments that are wanted. */
#define CALL_TYPED(f, buf, size, fmt, nstar, s1, s2, len, sig, v)              \
	({                                                                     \
		int r_;                                                        \
		switch ((len)*2 + (sig)) {                                     \
		case 0:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (unsigned)(v)); \
			break;                                                 \
		case 1:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (int)(v));      \
			break;                                                 \
		case 2:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (unsigned)(unsigned char)(v));                    \
			break;                                                 \
		case 3:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (int)(signed char)(v));                           \
			break;                                                 \
		case 4:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (unsigned)(unsigned short)(v));                   \
			break;                                                 \
		case 5:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (int)(short)(v));                                 \
			break;                                                 \
		case 6:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (unsigned long)(v));                              \
			break;                                                 \
		case 7:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (long)(v));     \
			break;                                                 \
		case 8:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (unsigned long long)(v));                         \
			break;                                                 \
		case 9:                                                        \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (long long)(v));                                  \
			break;                                                 \
		case 10:                                                       \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (size_t)(v));   \
			break;                                                 \
		case 11:                                                       \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (ssize_t)(v));  \
			break;                                                 \
		case 12:                                                       \
		case 13:                                                       \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (ptrdiff_t)(v));                                  \
			break;                                                 \
		case 14:                                                       \
			ARGS(f, buf, size, fmt, nstar, s1, s2,                 \
			     (uintmax_t)(v));                                  \
			break;                                                 \
		default:                                                       \
			ARGS(f, buf, size, fmt, nstar, s1, s2, (intmax_t)(v)); \
			break;                                                 \
		}                                                              \
		r_;                                                            \
	})
#define ARGS(f, buf, size, fmt, nstar, s1, s2, v)       \
	(r_ = (nstar) == 0 ? f(buf, size, fmt, v) :     \
	      (nstar) == 1 ? f(buf, size, fmt, s1, v) : \
			     f(buf, size, fmt, s1, s2, v))

static void check_int(const char *fmt, int nstar, int s1, int s2, unsigned len,
		      bool sig, long long v)
{
	char k[256], c[256];
	int kn = CALL_TYPED(ksnprintf, k, sizeof(k), fmt, nstar, s1, s2, len,
			    sig, v);
	int cn = CALL_TYPED(snprintf, c, sizeof(c), fmt, nstar, s1, s2, len,
			    sig, v);

	if (kn != cn || strcmp(k, c) != 0)
		fail_msg("format \"%s\" (stars %d %d) value %lld: kernel "
			 "\"%s\" (%d), libc \"%s\" (%d)",
			 fmt, s1, s2, v, k, kn, c, cn);
	checks++;
}

/* "%" + flags (bit 0 '-', 1 '0', 2 '+', 3 ' ', 4 '#') + the rest. */
static void make_format(char *fmt, size_t size, unsigned flags,
			const char *width, const char *prec, const char *len,
			char conv)
{
	static const char flag_chars[] = "-0+ #";
	size_t n = 0;
	unsigned i;

	fmt[n++] = '%';
	for (i = 0; i < 5; i++)
		if (flags & (1U << i))
			fmt[n++] = flag_chars[i];
	snprintf(fmt + n, size - n, "%s%s%s%c", width, prec, len, conv);
}

/* Every value, and for '*' formats several width/precision arguments. */
static void check_values(const char *fmt, int nstar, unsigned len, bool sig)
{
	static const int star_values[] = { -9, 0, 3, 17 };
	unsigned vi, si;

	for (vi = 0; vi < ARRAY_SIZE(values); vi++)
		for (si = 0; si < (nstar ? 4U : 1U); si++)
			check_int(fmt, nstar, star_values[si],
				  star_values[3 - si], len, sig, values[vi]);
}

static void test_integer_combinations(void **state)
{
	const unsigned nw = ARRAY_SIZE(widths), np = ARRAY_SIZE(precs);
	const unsigned combos = nw * np * ARRAY_SIZE(lens);
	unsigned flags, ci, k;

	(void)state;
	for (flags = 0; flags < 32; flags++) {
		for (ci = 0; convs[ci]; ci++) {
			char conv = convs[ci];
			bool sig = conv == 'd' || conv == 'i';

			/* '#' with a decimal conversion is undefined */
			if ((flags & 16) && (sig || conv == 'u'))
				continue;
			for (k = 0; k < combos; k++) {
				const char *w = widths[k % nw];
				const char *p = precs[k / nw % np];
				unsigned l = k / (nw * np);
				char fmt[32];

				make_format(fmt, sizeof(fmt), flags, w, p,
					    lens[l], conv);
				check_values(fmt,
					     (w[0] == '*') +
						     (p[0] && p[1] == '*'),
					     l, sig);
			}
		}
	}
	/* make sure the loops really ran */
	assert_true(checks > 100000);
}

static void test_strings_and_chars(void **state)
{
	static const char *const strs[] = { "", "a", "hello",
					    "a longer string" };
	static const char *const sfmt[] = {
		"%s",	  "%8s", "%-8s",  "%.0s",    "%.3s",	 "%8.3s",
		"%-8.3s", "%2s", "%.20s", "%20.20s", "%1s|%-1s",
	};
	unsigned i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sfmt); i++) {
		for (j = 0; j < ARRAY_SIZE(strs); j++) {
			char k[128], c[128];
			int kn = ksnprintf(k, sizeof(k), sfmt[i], strs[j],
					   strs[j]);
			int cn = snprintf(c, sizeof(c), sfmt[i], strs[j],
					  strs[j]);

			assert_int_equal(kn, cn);
			assert_string_equal(k, c);
		}
	}
	for (i = 1; i < 256; i++) {
		CHECK("%c", (int)i);
		CHECK("[%4c][%-4c]", (int)i, (int)i);
	}
	/* "(null)" for NULL, cut by the precision like any other string */
	{
		char k[64];
		/* volatile: hide the NULL from gcc's format checks */
		const char *volatile np = NULL;

		assert_int_equal(ksnprintf(k, sizeof(k), "%s", np), 6);
		assert_string_equal(k, "(null)");
		ksnprintf(k, sizeof(k), "[%8s][%-8s][%.3s]", np, np, np);
		assert_string_equal(k, "[  (null)][(null)  ][(nu]");
	}
	/* the precision bounds the read: no NUL needed within it */
	{
		char k[16];
		const char raw[3] = { 'x', 'y', 'z' };

		assert_int_equal(ksnprintf(k, sizeof(k), "%.3s", raw), 3);
		assert_string_equal(k, "xyz");
	}
}

static void test_pointers(void **state)
{
	static const uintptr_t ptrs[] = {
		0, 1, 0xdeadbeef, 0x80200000, 0xffffffc000001234UL, UINTPTR_MAX
	};
	unsigned i;
	char k[64], c[64];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		void *p = (void *)ptrs[i];

		snprintf(c, sizeof(c), "0x%016lx", (unsigned long)ptrs[i]);
		assert_int_equal(ksnprintf(k, sizeof(k), "%p", p), 18);
		assert_string_equal(k, c);

		snprintf(c, sizeof(c), "[  0x%016lx][0x%016lx  ]",
			 (unsigned long)ptrs[i], (unsigned long)ptrs[i]);
		ksnprintf(k, sizeof(k), "[%20p][%-20p]", p, p);
		assert_string_equal(k, c);
	}
}

static void test_truncation(void **state)
{
	static const char *const fmts[] = { "%d-%s-%x", "%-10d|%5s", "%%%c%%" };
	char k[64], c[64];
	size_t size;
	unsigned i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		for (size = 0; size < 24; size++) {
			int kn, cn;

			memset(k, '#', sizeof(k));
			memset(c, '#', sizeof(c));
			kn = ksnprintf(k, size, fmts[i], -1234, "str", 0xfu);
			cn = snprintf(c, size, fmts[i], -1234, "str", 0xfu);
			assert_int_equal(kn, cn);
			/* same bytes, including the untouched ones after */
			assert_memory_equal(k, c, sizeof(k));
		}
	}
	/* size 0 writes nothing and allows NULL */
	assert_int_equal(ksnprintf(NULL, 0, "%s%d", "abc", 12345), 8);
	/* the full length is counted even far beyond the buffer */
	assert_int_equal(ksnprintf(k, 4, "%1000d", 1), 1000);
	assert_string_equal(k, "   ");
}

static int vwrap(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vsnprintf_and_unknown(void **state)
{
	char k[64];

	(void)state;
	assert_int_equal(vwrap(k, sizeof(k), "%s=%d", "x", 5), 3);
	assert_string_equal(k, "x=5");
	/* unknown conversions are copied; a trailing '%' survives */
	vwrap(k, sizeof(k), "a%5qb%");
	assert_string_equal(k, "a%5qb%");
}

/* ---- kstrtoull / kstrtoll ---- */

static void test_kstrtoull(void **state)
{
	unsigned long long v;

	(void)state;
	assert_int_equal(kstrtoull("0", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(kstrtoull("12345", 0, &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(kstrtoull("+7", 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(kstrtoull("0x1F", 0, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(kstrtoull("0X1f", 16, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(kstrtoull("ff", 16, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(kstrtoull("0010", 0, &v), 0); /* decimal, not octal */
	assert_int_equal(v, 10);
	assert_int_equal(kstrtoull("777", 8, &v), 0);
	assert_int_equal(v, 511);
	assert_int_equal(kstrtoull("101", 2, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(kstrtoull("zz", 36, &v), 0);
	assert_int_equal(v, 35 * 36 + 35);
	assert_int_equal(kstrtoull("18446744073709551615", 10, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(kstrtoull("0xffffffffffffffff", 0, &v), 0);
	assert_true(v == UINT64_MAX);

	v = 99;
	assert_int_equal(kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	assert_int_equal(kstrtoull("0x10000000000000000", 0, &v), -ERANGE);
	assert_int_equal(kstrtoull("99999999999999999999999", 0, &v), -ERANGE);
	assert_int_equal(kstrtoull("", 0, &v), -EINVAL);
	assert_int_equal(kstrtoull("+", 0, &v), -EINVAL);
	assert_int_equal(kstrtoull("0x", 0, &v), -EINVAL);
	assert_int_equal(kstrtoull("-1", 0, &v), -EINVAL);
	assert_int_equal(kstrtoull("12a", 10, &v), -EINVAL);
	assert_int_equal(kstrtoull(" 12", 10, &v), -EINVAL);
	assert_int_equal(kstrtoull("12 ", 10, &v), -EINVAL);
	assert_int_equal(kstrtoull("12\n", 10, &v), -EINVAL);
	assert_int_equal(kstrtoull("8", 8, &v), -EINVAL);
	assert_int_equal(kstrtoull("1", 1, &v), -EINVAL);
	assert_int_equal(kstrtoull("1", 37, &v), -EINVAL);
	assert_int_equal(kstrtoull("1", -2, &v), -EINVAL);
	/* junk after an overflowing prefix is still junk */
	assert_int_equal(kstrtoull("99999999999999999999999x", 0, &v), -EINVAL);
	assert_int_equal(v, 99); /* untouched on every error */
}

static void test_kstrtoll(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(kstrtoll("-42", 0, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(kstrtoll("+42", 0, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(kstrtoll("-0x10", 0, &v), 0);
	assert_int_equal(v, -16);
	assert_int_equal(kstrtoll("9223372036854775807", 10, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(kstrtoll("-9223372036854775808", 10, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(kstrtoll("-0", 10, &v), 0);
	assert_int_equal(v, 0);

	v = 5;
	assert_int_equal(kstrtoll("9223372036854775808", 10, &v), -ERANGE);
	assert_int_equal(kstrtoll("-9223372036854775809", 10, &v), -ERANGE);
	assert_int_equal(kstrtoll("-18446744073709551616", 10, &v), -ERANGE);
	assert_int_equal(kstrtoll("-", 10, &v), -EINVAL);
	assert_int_equal(kstrtoll("--1", 10, &v), -EINVAL);
	assert_int_equal(kstrtoll("+-1", 10, &v), -EINVAL);
	assert_int_equal(kstrtoll("1-", 10, &v), -EINVAL);
	assert_int_equal(kstrtoll("", 10, &v), -EINVAL);
	assert_int_equal(v, 5);

	/* agrees with strtoll on everything that fits */
	{
		static const long long samples[] = {
			0,	   1,	     -1, 1000000007, -77777777777LL,
			INT64_MAX, INT64_MIN
		};
		unsigned i;

		for (i = 0; i < ARRAY_SIZE(samples); i++) {
			char s[32];

			snprintf(s, sizeof(s), "%lld", samples[i]);
			assert_int_equal(kstrtoll(s, 10, &v), 0);
			assert_true(v == strtoll(s, NULL, 10));
			snprintf(s, sizeof(s), "%#llx",
				 (unsigned long long)samples[i]);
			if (samples[i] >= 0) {
				assert_int_equal(kstrtoll(s, 0, &v), 0);
				assert_true(v == samples[i]);
			}
		}
	}
}

static void test_strlcpy(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(strlcpy(buf, "abc", sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(strlcpy(buf, "abcdefghij", sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(strlcpy(buf, "", sizeof(buf)), 0);
	assert_string_equal(buf, "");
	buf[0] = 'q';
	assert_int_equal(strlcpy(buf, "abc", 0), 3);
	assert_int_equal(buf[0], 'q'); /* size 0 writes nothing */
	assert_int_equal(strlcpy(buf, "abc", 1), 3);
	assert_string_equal(buf, "");
}

/* ---- kernel/lib/string.c against libc ---- */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_string_memory(void **state)
{
	enum {
		N = 96
	};
	unsigned char a[N + 64], b[N + 64], src[N + 64];
	size_t d, s, n, i;

	(void)state;
	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 37 + 11);

	/* every alignment pair and length, word paths and byte tails */
	for (d = 0; d < 9; d++)
		for (s = 0; s < 9; s++)
			for (n = 0; n < N; n++) {
				memset(a, 0xaa, sizeof(a));
				memset(b, 0xaa, sizeof(b));
				assert_ptr_equal(k_memcpy(a + d, src + s, n),
						 a + d);
				memcpy(b + d, src + s, n);
				assert_memory_equal(a, b, sizeof(a));

				assert_ptr_equal(k_memset(a + d,
							  (int)(n + 0x100), n),
						 a + d);
				memset(b + d, (int)(n + 0x100), n);
				assert_memory_equal(a, b, sizeof(a));
			}

	/* long copies through the unrolled loops, every misalignment */
	{
		static unsigned char big_a[5000], big_b[5000], big_s[5000];

		for (i = 0; i < sizeof(big_s); i++)
			big_s[i] = (unsigned char)(i * 7 + 3);
		for (d = 0; d < 8; d++) {
			for (s = 0; s < 8; s++) {
				memset(big_a, 0, sizeof(big_a));
				memset(big_b, 0, sizeof(big_b));
				k_memcpy(big_a + d, big_s + s, 4099);
				memcpy(big_b + d, big_s + s, 4099);
				assert_memory_equal(big_a, big_b,
						    sizeof(big_a));
				k_memmove(big_a + s, big_a + d, 4000);
				memmove(big_b + s, big_b + d, 4000);
				assert_memory_equal(big_a, big_b,
						    sizeof(big_a));
				k_memset(big_a + d, (int)s, 4001);
				memset(big_b + d, (int)s, 4001);
				assert_memory_equal(big_a, big_b,
						    sizeof(big_a));
			}
		}
	}

	/* memmove with every overlap in both directions */
	for (d = 0; d < 24; d++)
		for (s = 0; s < 24; s++)
			for (n = 0; n < 40; n++) {
				memcpy(a, src, sizeof(a));
				memcpy(b, src, sizeof(b));
				assert_ptr_equal(k_memmove(a + d, a + s, n),
						 a + d);
				memmove(b + d, b + s, n);
				assert_memory_equal(a, b, sizeof(a));
			}

	/* memcmp sign, memchr */
	memcpy(a, src, sizeof(a));
	memcpy(b, src, sizeof(b));
	assert_int_equal(k_memcmp(a, b, sizeof(a)), 0);
	assert_int_equal(k_memcmp(a, b, 0), 0);
	b[50] = 0xff;
	a[50] = 0x01;
	assert_int_equal(sign(k_memcmp(a, b, sizeof(a))),
			 sign(memcmp(a, b, sizeof(a))));
	assert_int_equal(sign(k_memcmp(b, a, sizeof(a))),
			 sign(memcmp(b, a, sizeof(a))));
	assert_ptr_equal(k_memchr(src, src[70], sizeof(src)),
			 memchr(src, src[70], sizeof(src)));
	assert_null(k_memchr(src, src[70], 0));
	assert_ptr_equal(k_memchr(src, 0x1000 + src[3], 10), src + 3);
}

static void test_string_strings(void **state)
{
	static const char *const strs[] = {
		"", "a", "abc", "abd", "ab", "\xff", "\x01", "hello world"
	};
	const char *hay = "one/two/three";
	unsigned i, j;
	size_t n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		assert_int_equal(k_strlen(strs[i]), strlen(strs[i]));
		for (n = 0; n < 14; n++)
			assert_int_equal(k_strnlen(strs[i], n),
					 strnlen(strs[i], n));
		for (j = 0; j < ARRAY_SIZE(strs); j++) {
			assert_int_equal(sign(k_strcmp(strs[i], strs[j])),
					 sign(strcmp(strs[i], strs[j])));
			for (n = 0; n < 5; n++)
				assert_int_equal(
					sign(k_strncmp(strs[i], strs[j], n)),
					sign(strncmp(strs[i], strs[j], n)));
		}
	}
	assert_ptr_equal(k_strchr(hay, '/'), strchr(hay, '/'));
	assert_ptr_equal(k_strrchr(hay, '/'), strrchr(hay, '/'));
	assert_ptr_equal(k_strchr(hay, 'x'), NULL);
	assert_ptr_equal(k_strrchr(hay, 'x'), NULL);
	assert_ptr_equal(k_strchr(hay, '\0'), hay + strlen(hay));
	assert_ptr_equal(k_strrchr(hay, '\0'), hay + strlen(hay));
	assert_ptr_equal(k_strchr(hay, 'o'), hay);
	assert_ptr_equal(k_strrchr(hay, 'o'), strrchr(hay, 'o'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_integer_combinations),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_vsnprintf_and_unknown),
		cmocka_unit_test(test_kstrtoull),
		cmocka_unit_test(test_kstrtoll),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_string_memory),
		cmocka_unit_test(test_string_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
