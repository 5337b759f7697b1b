/* SPDX-License-Identifier: MIT */
/*
 * The boot command line: a bounded copy of the bootargs, split in place
 * into key/value parameters, then applied to the tunable registry. Bad
 * input never stops the boot: a line too long is cut (and a parameter the
 * cut went through is dropped, so "panic=12" can never become "panic=1"),
 * extra parameters are dropped, and every problem becomes one warning.
 */
#include <axolotl/errno.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/tunable.h>

struct cmdline_param {
	const char *key;
	const char *value;
};

/* Parameters that are not tunables but that some module reads itself. */
static const struct cmdline_known {
	const char *name;
	const char *desc;
} cmdline_known[] = {
	{ "console", "console device (accepted; only the SBI console exists)" },
	{ "crashtest", "run the named crash test after boot" },
};

static char cmdline_raw[CMDLINE_MAX]; /* as given, maybe cut */
static char cmdline_buf[CMDLINE_MAX]; /* split in place */
static struct cmdline_param cmdline_params[CMDLINE_MAX_PARAMS];
static unsigned cmdline_nparams;

/* What cmdline_init() found wrong, for cmdline_apply_tunables(). */
static struct {
	bool truncated;		  /* the line did not fit */
	const char *cut_key;	  /* parameter dropped because the cut hit it */
	bool too_many;		  /* more than CMDLINE_MAX_PARAMS parameters */
	const char *unterminated; /* key of a parameter with an open quote */
} cmdline_issues;

static bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split one parameter starting at *pos (not a space). Quotes are removed
 * by copying the text down over them; the key ends at the first '=', even a
 * quoted one, so that both key="a b" and "key=a b" work. Returns the
 * parameter and advances *pos past it and its separator; *open_quote says
 * whether a quote was left open, *at_end whether the line ended inside the
 * parameter.
 */
static struct cmdline_param cmdline_split_one(char **pos, bool *open_quote,
					      bool *at_end)
{
	char *r = *pos, *w = *pos, *eq = NULL;
	struct cmdline_param p = { .key = *pos };
	bool quote = false;

	while (*r && (quote || !cmdline_is_space(*r))) {
		if (*r == '"') {
			quote = !quote;
			r++;
			continue;
		}
		if (*r == '=' && !eq) /* the first '=', quoted or not */
			eq = w;
		*w++ = *r++;
	}
	*at_end = *r == '\0';
	if (*r)
		r++; /* the separator; w is before it, so it can be overwritten */
	*w = '\0';
	if (eq) {
		*eq = '\0';
		p.value = eq + 1;
	} else {
		p.value = w; /* the empty string */
	}
	*open_quote = quote;
	*pos = r;
	return p;
}

void cmdline_init(const char *bootargs)
{
	bool open_quote = false, at_end = false;
	size_t n;
	char *pos;

	if (!bootargs)
		bootargs = "";
	n = strnlen(bootargs, CMDLINE_MAX - 1);
	memcpy(cmdline_raw, bootargs, n);
	cmdline_raw[n] = '\0';
	memcpy(cmdline_buf, cmdline_raw, n + 1);
	memset(&cmdline_issues, 0, sizeof(cmdline_issues));
	cmdline_issues.truncated = bootargs[n] != '\0';
	cmdline_nparams = 0;

	pos = cmdline_buf;
	for (;;) {
		struct cmdline_param p;

		while (cmdline_is_space(*pos))
			pos++;
		if (!*pos)
			break;
		if (cmdline_nparams == CMDLINE_MAX_PARAMS) {
			cmdline_issues.too_many = true;
			return;
		}
		p = cmdline_split_one(&pos, &open_quote, &at_end);
		if (open_quote)
			cmdline_issues.unterminated = p.key;
		cmdline_params[cmdline_nparams++] = p;
	}

	/*
	 * If the line was cut and its last parameter ran into the cut, that
	 * parameter is incomplete unless the cut fell exactly on a separator.
	 */
	if (cmdline_issues.truncated && cmdline_nparams > 0 && at_end &&
	    (open_quote || !cmdline_is_space(bootargs[n]))) {
		cmdline_nparams--;
		cmdline_issues.cut_key = cmdline_params[cmdline_nparams].key;
		if (open_quote)
			cmdline_issues.unterminated = NULL;
	}
}

static bool cmdline_is_known(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmdline_known); i++)
		if (strcmp(cmdline_known[i].name, key) == 0)
			return true;
	return false;
}

/* Apply one tunable parameter; true if it was a problem (and reported). */
static bool cmdline_apply_one(const struct cmdline_param *p,
			      const struct tunable *t)
{
	int err = tunable_set(p->key, p->value);

	if (!err)
		return false;
	if (err == -EINVAL && !p->value[0])
		pr_warn("cmdline: %s: missing value, keeping %lld\n", p->key,
			(long long)tunable_value(t));
	else if (err == -ERANGE)
		pr_warn("cmdline: %s=%s: out of range %lld..%lld, keeping %lld\n",
			p->key, p->value, (long long)t->min, (long long)t->max,
			(long long)tunable_value(t));
	else
		pr_warn("cmdline: %s=%s: invalid number, keeping %lld\n",
			p->key, p->value, (long long)tunable_value(t));
	return true;
}

int cmdline_apply_tunables(void)
{
	int problems = 0;
	unsigned i;

	if (cmdline_issues.truncated) {
		pr_warn("cmdline: longer than %d bytes, cut\n",
			CMDLINE_MAX - 1);
		problems++;
	}
	if (cmdline_issues.cut_key) {
		pr_warn("cmdline: parameter '%s' was cut, ignored\n",
			cmdline_issues.cut_key);
		problems++;
	}
	if (cmdline_issues.too_many) {
		pr_warn("cmdline: more than %d parameters, the rest ignored\n",
			CMDLINE_MAX_PARAMS);
		problems++;
	}
	if (cmdline_issues.unterminated) {
		pr_warn("cmdline: unterminated quote in '%s'\n",
			cmdline_issues.unterminated);
		problems++;
	}

	for (i = 0; i < cmdline_nparams; i++) {
		const struct cmdline_param *p = &cmdline_params[i];
		int id = tunable_lookup(p->key);

		if (id >= 0) {
			if (cmdline_apply_one(p, tunable_at((unsigned)id)))
				problems++;
		} else if (!cmdline_is_known(p->key)) {
			pr_warn("cmdline: unknown parameter '%s' ignored\n",
				p->key);
			problems++;
		}
	}
	return problems;
}

const char *cmdline_get(const char *key)
{
	unsigned i = cmdline_nparams;

	if (!key)
		return NULL;
	while (i-- > 0)
		if (strcmp(cmdline_params[i].key, key) == 0)
			return cmdline_params[i].value;
	return NULL;
}

const char *cmdline_string(void)
{
	return cmdline_raw;
}

unsigned cmdline_count(void)
{
	return cmdline_nparams;
}

bool cmdline_param(unsigned i, const char **key, const char **value)
{
	if (i >= cmdline_nparams)
		return false;
	if (key)
		*key = cmdline_params[i].key;
	if (value)
		*value = cmdline_params[i].value;
	return true;
}
