#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Regenerate the device tree fixtures of the host tests (test_fdt,
# test_devtree). Run from anywhere; writes next to this script.
#
#   qemu-*.dtb  dumped by QEMU's virt machine (-machine virt,dumpdtb=...),
#               cut to the blob's totalsize (QEMU pads the file to 1 MiB).
#               Each dump carries a fresh random /chosen/rng-seed, so
#               regenerating changes those 32 bytes and nothing else.
#   dt-*.dtb    compiled with dtc from dt-*.dts, which edit virt-base.dtsi.
#
# Needs qemu-system-riscv64 (7.2) and dtc.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# dump NAME QEMU-ARGS...: dump QEMU's tree into NAME.dtb
dump() {
	name=$1
	shift
	qemu-system-riscv64 -nographic -bios default \
		-machine "virt,dumpdtb=$tmp/$name.dtb$MACHOPT" "$@" \
		>/dev/null 2>&1
	size=$(od -An -tu4 --endian=big -j4 -N4 "$tmp/$name.dtb" | tr -d ' ')
	head -c "$size" "$tmp/$name.dtb" >"$here/$name.dtb"
	echo "  $name.dtb ($size bytes)"
}

MACHOPT=
dump qemu-smp1-128m -smp 1 -m 128M
dump qemu-smp2-2g -smp 2 -m 2G
dump qemu-smp4-256m -smp 4 -m 256M
dump qemu-smp8-128m -smp 8 -m 128M
dump qemu-smp8-2g -smp 8 -m 2G
dump qemu-smp12-256m -smp 12 -m 256M

# QEMU accepts -append only with -kernel; any file will do for a dump.
printf '\023\000\000\000' >"$tmp/kernel.bin" # one "nop" instruction
dump qemu-smp4-256m-bootargs -smp 4 -m 256M \
	-kernel "$tmp/kernel.bin" -append "panic=5 foo"

MACHOPT=,aclint=on
dump qemu-smp2-aclint -smp 2 -m 256M
MACHOPT=,aia=aplic-imsic
dump qemu-smp2-aia -smp 2 -m 256M

for src in "$here"/dt-*.dts; do
	out=${src%.dts}.dtb
	dtc -q -I dts -O dtb -o "$out" "$src"
	echo "  $(basename "$out") ($(wc -c <"$out") bytes)"
done
