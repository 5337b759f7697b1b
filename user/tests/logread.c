/* SPDX-License-Identifier: MIT */
/*
 * logread: the kernel calls behind dmesg and sysctl -a, KC_LOG_READ and
 * KC_TUNABLE_LIST, from an ordinary (user privilege) process.
 *
 * It writes a marker line to the log, reads the log back in small pieces
 * and says where the marker was found, reads again with a level filter
 * that must leave the marker (an info line) out, lists the tunables, and
 * tries the arguments the kernel must refuse. Every check prints one
 * "logread: ..." line; the last is "logread: done, N failed".
 */
#include <stdio.h>
#include <string.h>
#include <axolotl/errno.h>
#include <axo.h>

#define LOG_ERR_LEVEL 3
#define LOG_DEBUG_LEVEL 7

static unsigned failed;

static void check(int ok, const char *what, long got)
{
	if (!ok)
		failed++;
	printf("logread: %s: %s (%ld)\n", what, ok ? "ok" : "FAILED", got);
}

/* Whether the log (levels <= level) holds marker, read chunk bytes a call. */
static int log_has(const char *marker, int level, size_t chunk, long *calls)
{
	static char text[64 * 1024];
	char buf[LOG_READ_MAX];
	uint64_t seq = 0;
	size_t used = 0;
	int n;

	*calls = 0;
	while ((n = kc_log_read(&seq, buf, chunk, level)) > 0) {
		(*calls)++;
		if (used + (size_t)n >= sizeof(text))
			used = 0; /* keep the newest text only */
		memcpy(text + used, buf, (size_t)n);
		used += (size_t)n;
	}
	if (n < 0)
		return n;
	text[used] = '\0';
	return strstr(text, marker) != NULL;
}

int main(void)
{
	const char *marker = "logread-marker-7f3a";
	struct axo_tunable t;
	char name[64];
	uint64_t seq = 0;
	long calls;
	unsigned i;
	int r;

	kc_debug_write(marker, strlen(marker));
	r = log_has(marker, LOG_DEBUG_LEVEL, 200, &calls);
	check(r == 1, "marker read back in 200-byte pieces", calls);
	r = log_has(marker, LOG_ERR_LEVEL, LOG_READ_MAX, &calls);
	check(r == 0, "marker filtered out at level 3", r);

	for (i = 0; (r = kc_tunable_list(i, name, sizeof(name), &t)) == 0; i++)
		printf("logread: tunable %s = %lld [%lld..%lld] %s\n", name,
		       (long long)t.value, (long long)t.min, (long long)t.max,
		       t.type == TUNABLE_TYPE_BOOL ? "bool" : "int");
	check(r == -ENOENT && i > 0, "tunable list ends with ENOENT", i);

	r = kc_log_read(&seq, name, 0, LOG_DEBUG_LEVEL);
	check(r == -EINVAL, "zero length refused", r);
	r = kc_log_read(&seq, name, LOG_READ_MAX + 1, LOG_DEBUG_LEVEL);
	check(r == -EINVAL, "oversized length refused", r);
	r = kc_log_read(&seq, name, sizeof(name), 8);
	check(r == -EINVAL, "level 8 refused", r);
	r = kc_log_read(&seq, (char *)0xffffffc000000000UL, 64,
			LOG_DEBUG_LEVEL);
	check(r == -EFAULT, "kernel buffer address refused", r);
	r = kc_tunable_list(0, name, 2, &t);
	check(r == -ENAMETOOLONG, "short name buffer refused", r);
	r = kc_tunable_list(0, (char *)16, sizeof(name), &t);
	check(r == -EFAULT, "NULL-page name buffer refused", r);

	printf("logread: done, %u failed\n", failed);
	return failed ? 1 : 0;
}
