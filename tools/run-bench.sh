#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The micro-benchmarks of `make bench`: boots the kernel image twice in
# QEMU on one hart with start=bench_peer,bench:prev (user/tests/bench.c
# and bench_peer.c), once with -icount shift=0,sleep=off, where the
# guest's rdinstret counts instructions, and once in plain TCG, where its
# rdtime is wall time. Each console is captured to build/bench/<run>.log
# until "bench: done" (or a failure, or BENCH_TIMEOUT seconds, default
# 120), then QEMU is killed. It builds nothing: the Makefile target
# depends on the kernel image.
#
# Output, one line per metric, "<metric> <value> <unit>":
#
#   boot_complete          the kernel's "boot complete" line (icount run:
#                          its timestamp in instructions, 1 ns each)
#   boot_complete_wall     the same line's "in N ms" in the TCG run
#   <op>                   instructions per operation (icount run)
#   <op>_wall              ns per operation (TCG run)
#
# for op in null_kcall ipc_roundtrip notify notify_oneway yield
# yield_switch ctx_switch (bench.c describes each), preceded by "#" lines
# naming the QEMU version, commit and date. The same lines are saved in
# build/bench/results.txt. With --markdown it prints the rows of the table
# in docs/performance.md instead.
#
# Exit status 0 if every metric was found; otherwise 1 with a message on
# stderr saying what failed (see the log it names).
#
# Environment: QEMU (default qemu-system-riscv64), KBIN (default
# build/axolotl.bin), BENCH_TIMEOUT, BENCH_DIR (default build/bench),
# BENCH_ARGS (more kernel command line, e.g. ipc_fastpath=0 to measure
# the IPC slow path alone).

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

QEMU=${QEMU:-qemu-system-riscv64}
KBIN=${KBIN:-build/axolotl.bin}
TIMEOUT=${BENCH_TIMEOUT:-120}
DIR=${BENCH_DIR:-build/bench}
BOOTARGS="start=bench_peer,bench:prev${BENCH_ARGS:+ $BENCH_ARGS}"
OPS="null_kcall ipc_roundtrip notify notify_oneway yield yield_switch ctx_switch"
MARKDOWN=0

die() {
	echo "run-bench: $*" >&2
	exit 1
}

case "${1:-}" in
"") ;;
--markdown) MARKDOWN=1 ;;
*) die "usage: tools/run-bench.sh [--markdown]" ;;
esac

[[ -f $KBIN ]] || die "no kernel image $KBIN: run make first"
command -v "$QEMU" >/dev/null || die "$QEMU not found (make deps installs it)"
mkdir -p "$DIR" || die "cannot create $DIR"

QEMU_PID=
cleanup() {
	if [[ -n $QEMU_PID ]]; then
		kill "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_qemu NAME [QEMU OPTION...]: boot, capture the console into
# $DIR/NAME.log until the benchmark ends; non-zero (with a message) if it
# did not end with "bench: done".
run_qemu() {
	local name=$1 log="$DIR/$1.log" start now why=""
	shift
	# The image is copied so that a rebuild during the run cannot change
	# it under QEMU's feet.
	cp "$KBIN" "$DIR/$name.bin" || die "cannot copy $KBIN"
	: >"$log"
	"$QEMU" -machine virt -bios default -nographic -no-reboot -smp 1 \
		-m 256M -kernel "$DIR/$name.bin" -append "$BOOTARGS" "$@" \
		</dev/null >"$log" 2>&1 &
	QEMU_PID=$!
	start=$SECONDS
	while :; do
		if grep -q 'bench: done' "$log"; then
			break
		elif grep -q 'bench: FAIL' "$log"; then
			why=$(grep -m1 'bench: FAIL' "$log" | sed 's/.*bench: FAIL: //')
		elif grep -q 'user fault: bench' "$log"; then
			why=$(grep -m1 'user fault: bench' "$log" | sed 's/.*user fault: //')
			if grep -q 'user fault: bench.*Illegal instruction' "$log"; then
				why="$why (rdinstret/rdtime trap in user mode: is scounteren set?)"
			fi
		elif grep -qE 'Kernel panic|Oops|panic:' "$log"; then
			why="the kernel crashed: $(grep -m1 -E 'Kernel panic|Oops|panic:' "$log")"
		elif grep -q 'boot: .*bench.*: cannot start\|no program .bench' "$log"; then
			why="bench did not start: $(grep -m1 'boot: .*bench' "$log")"
		elif ! kill -0 "$QEMU_PID" 2>/dev/null; then
			why="QEMU exited before the benchmark ended"
		fi
		now=$SECONDS
		if [[ -z $why ]] && ((now - start >= TIMEOUT)); then
			why="no 'bench: done' after ${TIMEOUT} s"
		fi
		if [[ -n $why ]]; then
			cleanup
			QEMU_PID=
			echo "run-bench: $name run failed: $why" >&2
			echo "run-bench: console log: $log (last lines below)" >&2
			tail -n 15 "$log" | sed 's/^/    /' >&2
			return 1
		fi
		sleep 0.2
	done
	cleanup
	QEMU_PID=
	echo "$name: $((SECONDS - start)) s" >>"$DIR/runtime.txt"
	return 0
}

: >"$DIR/runtime.txt"
run_qemu icount -icount shift=0,sleep=off || exit 1
run_qemu tcg || exit 1

# value LOG KEY: the value of "bench: KEY <value> <unit>" in LOG.
value() {
	awk -v key="$2" '
		{ sub(/\r$/, "") }
		{
			for (i = 1; i < NF; i++)
				if ($i == "bench:" && $(i + 1) == key) {
					v = $(i + 2)
				}
		}
		END { if (v != "") print v }' "$1"
}

ICOUNT_LOG="$DIR/icount.log"
TCG_LOG="$DIR/tcg.log"

ratio=$(value "$ICOUNT_LOG" instret_per_tick)
[[ -n $ratio ]] || die "no instret_per_tick line in $ICOUNT_LOG"
# Under -icount shift=0 one instruction takes 1 ns of the virtual clock,
# so 100 instret per 10 MHz tick proves rdinstret counts instructions.
awk -v r="$ratio" 'BEGIN { exit !(r >= 99 && r <= 101) }' ||
	die "instret is not counting instructions under -icount (instret_per_tick $ratio, expected 100): see $ICOUNT_LOG"

results=()
add() { results+=("$1 $2 $3"); }

# The kernel's "boot complete" line: [   s.micros][C0] Axolotl: boot complete in N ms
boot_us=$(awk '/Axolotl: boot complete in/ {
		s = $0; sub(/^[^[]*\[ */, "", s); sub(/\].*/, "", s)
		split(s, p, "."); print p[1] * 1000000 + p[2]; exit }' "$ICOUNT_LOG")
boot_ms=$(sed -n 's/.*Axolotl: boot complete in \([0-9]*\) ms.*/\1/p' "$TCG_LOG" | head -n 1)
[[ -n $boot_us && -n $boot_ms ]] || die "no 'boot complete' line in $ICOUNT_LOG or $TCG_LOG"
add boot_complete "$((boot_us * 1000))" instructions
add boot_complete_wall "$boot_ms" ms

for op in $OPS; do
	insn=$(value "$ICOUNT_LOG" "${op}_instructions")
	wall=$(value "$TCG_LOG" "${op}_wall")
	[[ -n $insn ]] || die "no ${op}_instructions line in $ICOUNT_LOG"
	[[ -n $wall ]] || die "no ${op}_wall line in $TCG_LOG"
	add "$op" "$(awk -v v="$insn" 'BEGIN { printf "%.0f", v }')" instructions
	add "${op}_wall" "$(awk -v v="$wall" 'BEGIN { printf "%.0f", v }')" ns
done

qemu_version=$("$QEMU" --version | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
	commit="$commit (with uncommitted changes)"
fi
date=$(date -u +%Y-%m-%d)

{
	echo "# $qemu_version"
	echo "# commit $commit, $date; qemu -smp 1, icount: -icount shift=0,sleep=off"
	printf '%s\n' "${results[@]}"
} >"$DIR/results.txt"

if ((MARKDOWN)); then
	# One row per operation: | op | instructions | wall ns |
	echo "Results of $date, commit $commit, $qemu_version:"
	echo
	echo "| metric | instructions (icount) | wall time (TCG) |"
	echo "|---|---:|---:|"
	echo "| boot to \"boot complete\" | $((boot_us * 1000)) | $boot_ms ms |"
	for op in $OPS; do
		i=$(printf '%s\n' "${results[@]}" | awk -v k="$op" '$1 == k { print $2 }')
		w=$(printf '%s\n' "${results[@]}" | awk -v k="${op}_wall" '$1 == k { print $2 }')
		echo "| \`$op\` | $i | $w ns |"
	done
else
	cat "$DIR/results.txt"
fi
