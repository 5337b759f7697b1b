/* SPDX-License-Identifier: MIT */
/*
 * kvsnprintf and ksnprintf: the kernel's only formatter, used by printk,
 * panic reports and anything that builds text. See <kernel/kprintf.h> for
 * what is supported; the rules follow ISO C so that the host tests can
 * compare every result with the host libc's snprintf (except %p, which is
 * fixed-width here so that addresses line up in reports).
 *
 * Output goes through struct out, which counts every character but stores
 * only what fits, leaving room for the NUL. The formatter allocates
 * nothing and takes no lock, so it is safe in interrupt handlers and on the
 * panic path.
 */
#include <kernel/kprintf.h>

#define F_LEFT 0x01  /* '-': pad on the right */
#define F_ZERO 0x02  /* '0': pad numbers with zeros */
#define F_PLUS 0x04  /* '+': always a sign on signed conversions */
#define F_SPACE 0x08 /* ' ': a space where '+' would be */
#define F_ALT 0x10   /* '#': 0 for octal, 0x for hexadecimal */

#define INT_MAX_ ((int)(~0U >> 1))

enum length {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J
};

struct spec {
	unsigned flags;
	int width; /* 0 when not given */
	int prec;  /* -1 when not given */
	enum length len;
};

struct out {
	char *buf;
	size_t size;
	size_t pos; /* characters produced so far, stored or not */
};

/* %zd reads a size_t-sized signed value as long; that must be the same. */
_Static_assert(sizeof(size_t) == sizeof(long), "size_t is not long-sized");

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

/* n copies of c; beyond the buffer only the count moves, so a huge width
 * costs nothing. */
static void put_fill(struct out *o, char c, size_t n)
{
	while (n && o->pos + 1 < o->size) {
		o->buf[o->pos++] = c;
		n--;
	}
	o->pos += n;
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

static void put_int(struct out *o, const struct spec *sp,
		    unsigned long long mag, bool neg, bool is_signed,
		    unsigned base, bool upper, bool force_prefix)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24]; /* 22 octal digits hold 64 bits */
	char prefix[3];
	size_t nd = 0, np = 0, zeros = 0, len;
	bool is_zero = mag == 0;

	/* An explicit precision of 0 prints no digits for the value 0. */
	if (!(sp->prec == 0 && is_zero)) {
		do {
			digits[nd++] = set[mag % base];
			mag /= base;
		} while (mag);
	}
	if (sp->prec > 0 && (size_t)sp->prec > nd)
		zeros = (size_t)sp->prec - nd;
	/* '#' with octal: raise the precision just enough to lead with 0 */
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 &&
	    (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;

	if (is_signed) {
		if (neg)
			prefix[np++] = '-';
		else if (sp->flags & F_PLUS)
			prefix[np++] = '+';
		else if (sp->flags & F_SPACE)
			prefix[np++] = ' ';
	}
	if (base == 16 && (force_prefix || ((sp->flags & F_ALT) && !is_zero))) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}

	len = np + zeros + nd;
	if (!(sp->flags & F_LEFT) && (size_t)sp->width > len) {
		/* '0' is ignored when a precision is given, as in C */
		if ((sp->flags & F_ZERO) && sp->prec < 0)
			zeros += (size_t)sp->width - len;
		else
			put_fill(o, ' ', (size_t)sp->width - len);
	}
	put_str(o, prefix, np);
	put_fill(o, '0', zeros);
	while (nd)
		put(o, digits[--nd]);
	if ((sp->flags & F_LEFT) && (size_t)sp->width > len)
		put_fill(o, ' ', (size_t)sp->width - len);
}

static void put_padded(struct out *o, const struct spec *sp, const char *s,
		       size_t n)
{
	size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!(sp->flags & F_LEFT))
		put_fill(o, ' ', pad);
	put_str(o, s, n);
	if (sp->flags & F_LEFT)
		put_fill(o, ' ', pad);
}

static long long get_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
	case LEN_Z:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long get_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_T:
		/* the unsigned type of ptrdiff_t's width */
		return (unsigned long)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Digits at *p as an int, saturating at INT_MAX. */
static int get_number(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		int d = *(*p)++ - '0';

		v = v > (INT_MAX_ - d) / 10 ? INT_MAX_ : v * 10 + d;
	}
	return v;
}

/*
 * Parse flags, width, precision and length of one conversion; *p points
 * after the '%' and is left at the conversion character.
 */
static void parse_spec(const char **p, struct spec *sp, va_list *ap)
{
	const char *f = *p;

	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	sp->len = LEN_NONE;

	for (;; f++) {
		if (*f == '-')
			sp->flags |= F_LEFT;
		else if (*f == '0')
			sp->flags |= F_ZERO;
		else if (*f == '+')
			sp->flags |= F_PLUS;
		else if (*f == ' ')
			sp->flags |= F_SPACE;
		else if (*f == '#')
			sp->flags |= F_ALT;
		else
			break;
	}

	if (*f == '*') {
		int w = va_arg(*ap, int);

		f++;
		/* a negative width argument means '-' and its magnitude */
		if (w < 0) {
			sp->flags |= F_LEFT;
			w = w == -INT_MAX_ - 1 ? INT_MAX_ : -w;
		}
		sp->width = w;
	} else {
		sp->width = get_number(&f);
	}

	if (*f == '.') {
		f++;
		if (*f == '*') {
			int pr = va_arg(*ap, int);

			f++;
			/* a negative precision argument counts as none */
			sp->prec = pr < 0 ? -1 : pr;
		} else {
			sp->prec = get_number(&f);
		}
	}

	switch (*f) {
	case 'h':
		f++;
		sp->len = LEN_H;
		if (*f == 'h') {
			f++;
			sp->len = LEN_HH;
		}
		break;
	case 'l':
		f++;
		sp->len = LEN_L;
		if (*f == 'l') {
			f++;
			sp->len = LEN_LL;
		}
		break;
	case 'z':
		f++;
		sp->len = LEN_Z;
		break;
	case 't':
		f++;
		sp->len = LEN_T;
		break;
	case 'j':
		f++;
		sp->len = LEN_J;
		break;
	default:
		break;
	}
	*p = f;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	/* Work on a copy so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*fmt) {
		const char *start;
		struct spec sp;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		start = fmt++;
		parse_spec(&fmt, &sp, &args);

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = get_signed(sp.len, &args);
			unsigned long long mag =
				v < 0 ? -(unsigned long long)v :
					(unsigned long long)v;

			put_int(&o, &sp, mag, v < 0, true, 10, false, false);
			break;
		}
		case 'u':
			put_int(&o, &sp, get_unsigned(sp.len, &args), false,
				false, 10, false, false);
			break;
		case 'x':
		case 'X':
			put_int(&o, &sp, get_unsigned(sp.len, &args), false,
				false, 16, *fmt == 'X', false);
			break;
		case 'o':
			put_int(&o, &sp, get_unsigned(sp.len, &args), false,
				false, 8, false, false);
			break;
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(args, void *);

			/* always "0x" and every digit of a 64-bit address */
			sp.prec = 16;
			sp.flags &= ~(unsigned)(F_ZERO | F_ALT);
			put_int(&o, &sp, v, false, false, 16, false, true);
			break;
		}
		case 'c': {
			char c = (char)va_arg(args, int);

			put_padded(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t n = 0;

			if (!s)
				s = "(null)";
			/* never read past the precision: s need not be
			 * NUL-terminated within it */
			while ((sp.prec < 0 || n < (size_t)sp.prec) && s[n])
				n++;
			put_padded(&o, &sp, s, n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			/* a lone '%' at the end: print what there was */
			put_str(&o, start, (size_t)(fmt - start));
			continue;
		default:
			/* unknown: print the whole conversion unchanged */
			put_str(&o, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(args);

	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > (size_t)INT_MAX_ ? INT_MAX_ : (int)o.pos;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
