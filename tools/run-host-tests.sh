#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tools/run-host-tests.sh BIN...
#
# Run cmocka host unit test binaries (built by `make check-host`), show
# their output, and add up what cmocka reports:
#
#   [  PASSED  ] N test(s).
#   [  FAILED  ] N test(s), listed below:
#   [  SKIPPED ] N test(s), listed below:
#
# summed over every group of every binary. A binary that crashes, times
# out, or exits non-zero without a FAILED line counts as one failed test
# more. Prints `host: N passed, M failed[, K skipped]` last, writes the same
# numbers to $RESULTS_DIR/host.txt (default build/results) for
# tools/run-checks.sh, and exits 1 if anything failed.
#
# Each binary's output is also kept in $RESULTS_DIR/host/<name>.log.
# HOST_TEST_TIMEOUT (seconds, default 300) limits each binary.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$ROOT/build/results}
TIMEOUT=${HOST_TEST_TIMEOUT:-300}

mkdir -p "$RESULTS_DIR/host"
rm -f "$RESULTS_DIR/host.txt"

# cmocka's plain-text report on stdout, whatever the caller's environment.
export CMOCKA_MESSAGE_OUTPUT=STDOUT
unset CMOCKA_XML_FILE
# Sanitizers: stop at the first error with a clear report; leaks count.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
skipped=0
broken=() # binaries that failed without cmocka saying which test

# Sum the N of every "[  WORD  ] N test(s)" summary line in a log.
sum_of() {
	local word=$1 log=$2
	sed -n -E "s/^\[ +$word +\] ([0-9]+) test\(s\).*/\1/p" "$log" |
		awk '{ s += $1 } END { print s + 0 }'
}

if (($# == 0)); then
	echo "host: no host test binaries given (no tests/host/test_*.c yet?)"
fi

for bin in "$@"; do
	name=$(basename "$bin")
	log="$RESULTS_DIR/host/$name.log"
	echo "---- $bin"
	if [[ ! -x "$bin" ]]; then
		echo "host: $bin: not an executable file" | tee "$log"
		failed=$((failed + 1))
		broken+=("$name (missing)")
		continue
	fi
	timeout --kill-after=10 "$TIMEOUT" "$bin" </dev/null 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}

	p=$(sum_of PASSED "$log")
	f=$(sum_of FAILED "$log")
	s=$(sum_of SKIPPED "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))

	if ((status != 0 && f == 0)); then
		# A crash (sanitizer abort, signal), a timeout, or a failure
		# cmocka did not list: one failed test more.
		case $status in
		124 | 137) why="timed out after ${TIMEOUT}s" ;;
		*) why="exit status $status" ;;
		esac
		((status > 128 && status != 137)) && why="killed by signal $((status - 128))"
		last_run=$(sed -n -E 's/^\[ RUN +\] (.*)/\1/p' "$log" | tail -n 1)
		[[ -n $last_run ]] && why+=" (last test started: $last_run)"
		echo "host: $name: $why and no cmocka FAILED line: counted as 1 failed"
		failed=$((failed + 1))
		broken+=("$name: $why")
	elif ((status == 0 && p + f + s == 0)); then
		echo "host: $name: exited 0 but cmocka reported no tests"
	fi
done

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"

{
	echo "passed=$passed"
	echo "failed=$failed"
	echo "skipped=$skipped"
} >"$RESULTS_DIR/host.txt"

if ((${#broken[@]} > 0)); then
	printf 'host: broken binary: %s\n' "${broken[@]}"
fi
echo "host: $summary"
((failed == 0))
