#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Every test of Axolotl, run by `make check` once the kernel is built:
#
#   build    the kernel (make all; already done by `make check`)  1 test
#   host     cmocka unit tests on the host (make check-host)      N tests
#   format   clang-format on every tracked C file (make check-format) 1 test
#   qemu     pytest tests in QEMU (make check-qemu)               N tests
#
# Every stage runs even when an earlier one failed (except that the QEMU
# tests need the kernel). The last line printed is the summary,
#
#   checks: X passed, Y failed[, Z skipped]
#
# and the exit status is 1 if anything failed or a stage could not run.
# Results and logs: build/results/ (host.txt, host/*.log, qemu.xml,
# summary.txt) and build/qemu-logs/. PYTEST_ARGS is passed on to pytest.
# CHECK_STAGE_TIMEOUT (seconds, default 900) limits each stage.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

export RESULTS_DIR="$ROOT/build/results"
PYTHON=/usr/bin/python3
# `make check` runs this script as a plain command, so the jobserver of a
# `make -jN check` is not open here: drop it from MAKEFLAGS (keeping any
# VAR=value given to make) and use our own -j for the builds.
if [[ -n ${MAKEFLAGS:-} ]]; then
	MAKEFLAGS=$(sed -E -e 's/(^| )--jobserver-(auth|fds)=[^ ]*//g' \
		-e 's/(^| )-j[0-9]*( |$)/\1\2/g' -e 's/^([a-zA-Z]*)j([a-zA-Z]*)( |$)/\1\2\3/' \
		<<<"$MAKEFLAGS")
	export MAKEFLAGS
fi
MAKE_CMD=(make --no-print-directory)
JOBS=(-j"$(nproc 2>/dev/null || echo 2)")
STAGE_TIMEOUT=${CHECK_STAGE_TIMEOUT:-900}
# Keep the tree clean: no __pycache__ from pytest's module imports.
export PYTHONDONTWRITEBYTECODE=1

mkdir -p "$RESULTS_DIR"
rm -f "$RESULTS_DIR/host.txt" "$RESULTS_DIR/qemu.xml" "$RESULTS_DIR/summary.txt"

total_passed=0
total_failed=0
total_skipped=0
problems=()    # stages that could not run or ended oddly
stage_lines=() # one line per stage for the recap
nstages=4
stage_no=0
t_all=$SECONDS

begin() { # NAME DESCRIPTION
	stage_no=$((stage_no + 1))
	stage=$1
	t_stage=$SECONDS
	echo
	echo "==> [$stage_no/$nstages] $stage: $2"
}

# NAME PASSED FAILED SKIPPED [NOTE]
finish() {
	local p=$2 f=$3 s=$4 note=${5:-}
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
	local line
	line="$p passed, $f failed"
	((s > 0)) && line+=", $s skipped"
	[[ -n $note ]] && line+=" ($note)"
	line=$(printf '%-7s %s [%ds]' "$1:" "$line" $((SECONDS - t_stage)))
	stage_lines+=("$line")
	echo "<== $line"
}

# Run a command with the stage time limit; its status is returned.
run() {
	timeout --kill-after=30 "$STAGE_TIMEOUT" "$@"
}

timeout_note() { # STATUS
	if (($1 == 124 || $1 == 137)); then
		echo "timed out after ${STAGE_TIMEOUT}s"
	else
		echo "exit status $1"
	fi
}

# ---- 1. the kernel ---------------------------------------------------------
begin build "the kernel (make all)"
run "${MAKE_CMD[@]}" "${JOBS[@]}" all
rc=$?
if ((rc == 0)); then
	finish build 1 0 0
	kernel_ok=1
else
	finish build 0 1 0 "$(timeout_note $rc)"
	kernel_ok=0
fi

# ---- 2. host unit tests ----------------------------------------------------
begin host "unit tests on the host with sanitizers (make check-host)"
run "${MAKE_CMD[@]}" "${JOBS[@]}" check-host
rc=$?
if [[ -f "$RESULTS_DIR/host.txt" ]]; then
	count() { # KEY: its number in host.txt, 0 if absent
		local v
		v=$(sed -n -E "s/^$1=([0-9]+)\$/\1/p" "$RESULTS_DIR/host.txt")
		echo "${v:-0}"
	}
	passed=$(count passed)
	failed=$(count failed)
	skipped=$(count skipped)
	note=""
	if ((rc != 0 && failed == 0)); then
		failed=1
		note="$(timeout_note $rc) with no test failed"
		problems+=("host: $note")
	fi
	finish host "$passed" "$failed" "$skipped" "$note"
else
	if ((rc == 124 || rc == 137)); then
		note="$(timeout_note $rc), no results"
	else
		note="did not run: $(timeout_note $rc), building the host tests failed?"
	fi
	problems+=("host: $note")
	finish host 0 1 0 "$note"
fi

# ---- 3. format -------------------------------------------------------------
begin format "clang-format --dry-run on tracked C files (make check-format)"
flog="$RESULTS_DIR/format.log"
run "${MAKE_CMD[@]}" check-format >"$flog" 2>&1
rc=$?
if ((rc == 0)); then
	tail -n 1 "$flog"
	finish format 1 0 0
else
	# clang-format prints every violation with its source line: show
	# which files differ and the start of their diffs instead.
	mapfile -t bad < <(sed -n -E 's/^([^ :]+\.[ch]):[0-9]+:[0-9]+: (error|warning): code should be clang-formatted.*/\1/p' "$flog" |
		uniq -c | awk '{ print $2 " (" $1 " places)" }')
	if ((${#bad[@]} > 0)); then
		echo "format: ${#bad[@]} files do not match .clang-format:"
		printf '  %s\n' "${bad[@]}"
		echo "format: the changes 'make format' would make (first 60 lines):"
		for f in "${bad[@]}"; do
			f=${f%% *}
			clang-format "$f" | diff -u "$f" - | sed -e "1s|^--- .*|--- $f|" -e "2s|^+++ .*|+++ $f (formatted)|"
		done | head -n 60
	else
		tail -n 20 "$flog"
	fi
	echo "format: full output in build/results/format.log"
	finish format 0 1 0 "run 'make format' to fix"
fi

# ---- 4. QEMU tests ---------------------------------------------------------
# pytest's JUnit XML: one <testcase> a test, holding <failure>, <error> or
# <skipped> unless it passed. A test can appear twice (a failure, then an
# error in its teardown): count it once, failed.
junit_counts() {
	"$PYTHON" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET

status = {}
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    key = (case.get("classname"), case.get("name"))
    tags = {child.tag for child in case}
    if tags & {"failure", "error"}:
        s = 2
    elif "skipped" in tags:
        s = 1
    else:
        s = 0
    status[key] = max(status.get(key, 0), s)
values = list(status.values())
print(values.count(0), values.count(2), values.count(1))
EOF
}

begin qemu "tests in QEMU with pytest (make check-qemu)"
if ((kernel_ok == 0)); then
	echo "qemu: not run: the kernel did not build"
	problems+=("qemu: not run, the kernel did not build")
	finish qemu 0 1 0 "not run: no kernel"
else
	xml="$RESULTS_DIR/qemu.xml"
	run "${MAKE_CMD[@]}" check-qemu \
		PYTEST_ARGS="${PYTEST_ARGS:-} --junitxml=$xml"
	rc=$?
	# make exits 2 for any failed recipe, so pytest's own status is not
	# seen here: the XML tells what happened.
	if [[ -f $xml ]] && counts=$(junit_counts "$xml"); then
		read -r passed failed skipped <<<"$counts"
		note=""
		if ((rc == 124 || rc == 137)); then
			failed=$((failed + 1))
			note=$(timeout_note $rc)
			problems+=("qemu: $note")
		elif ((rc != 0 && failed == 0)); then
			if ((passed + skipped == 0)); then
				note="no tests collected"
			else
				failed=$((failed + 1))
				note="pytest failed ($(timeout_note $rc)) with no test failed"
				problems+=("qemu: $note")
			fi
		fi
		finish qemu "$passed" "$failed" "$skipped" "$note"
	else
		if ((rc == 124 || rc == 137)); then
			note="$(timeout_note $rc), no results"
		else
			note="did not run: $(timeout_note $rc)"
		fi
		problems+=("qemu: $note")
		finish qemu 0 1 0 "$note"
	fi
fi

# ---- summary ---------------------------------------------------------------
summary="$total_passed passed, $total_failed failed"
((total_skipped > 0)) && summary+=", $total_skipped skipped"

echo
echo "==> summary ($((SECONDS - t_all))s)"
printf '    %s\n' "${stage_lines[@]}"
if ((${#problems[@]} > 0)); then
	printf '    problem: %s\n' "${problems[@]}"
fi
echo "    logs: build/results/, build/qemu-logs/"
printf '%s\n' "${stage_lines[@]}" "checks: $summary" >"$RESULTS_DIR/summary.txt"
echo "checks: $summary"

((total_failed == 0 && ${#problems[@]} == 0))
