#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Make sure every Debian package that building, running and testing Axolotl
# needs is installed. Run by `make run`, `make check` and `.ci/run`.
#
#   tools/setup-deps.sh            check, and install what is missing (as root)
#   tools/setup-deps.sh --check    only check; exit 1 if something is missing
#   tools/setup-deps.sh --list     print the package list and exit
#
# When everything is present this is one dpkg-query call and no apt. When
# something is missing: as root it runs apt-get update + apt-get install,
# non-interactively (no stdin, no tty needed); as another user it prints the
# exact sudo command to run and exits 1.
#
# AXOLOTL_SKIP_DEPS=1 skips the whole check (for machines that are not
# Debian but have the tools some other way).

set -euo pipefail

PACKAGES=(
	# Running the kernel: QEMU for riscv64. Its bundled OpenSBI firmware
	# (/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin, what
	# `-bios default` loads) is shipped by qemu-system-data; the opensbi
	# package has the upstream builds as well.
	qemu-system-misc
	qemu-system-data
	opensbi
	# Building it.
	gcc-riscv64-unknown-elf
	binutils-riscv64-unknown-elf
	picolibc-riscv64-unknown-elf
	make
	python3
	device-tree-compiler
	# Host unit tests (built with the host gcc and sanitizers).
	gcc
	libcmocka-dev
	# QEMU tests, run with Debian's /usr/bin/python3.
	python3-pytest
	python3-pexpect
	# Format check, debugging, and `git ls-files` in the Makefile.
	clang-format
	gdb-multiarch
	git
)

FIRMWARE=/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin

say() { printf 'setup: %s\n' "$*"; }

mode=install
case "${1:-}" in
"") ;;
--check) mode=check ;;
--list)
	printf '%s\n' "${PACKAGES[@]}"
	exit 0
	;;
-h | --help)
	sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [--check|--list]" >&2
	exit 2
	;;
esac

if [[ "${AXOLOTL_SKIP_DEPS:-0}" == 1 ]]; then
	say "AXOLOTL_SKIP_DEPS=1: not checking packages"
	exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	say "dpkg-query not found: this script knows only Debian (12)."
	say "Install the equivalents of: ${PACKAGES[*]}"
	say "or set AXOLOTL_SKIP_DEPS=1 if you have them some other way."
	exit 1
fi

# Print the packages of PACKAGES that are not fully installed, one a line.
missing_packages() {
	local status
	# Unknown packages make dpkg-query complain on stderr and exit 1; the
	# packages it does know are still listed on stdout.
	status=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" \
		2>/dev/null || true)
	local p
	for p in "${PACKAGES[@]}"; do
		# A Multi-Arch package can be listed once per architecture; one
		# fully installed copy is enough.
		if ! grep -qxF "$p install ok installed" <<<"$status"; then
			echo "$p"
		fi
	done
}

mapfile -t missing < <(missing_packages)

if ((${#missing[@]} == 0)); then
	if [[ ! -f "$FIRMWARE" ]]; then
		say "warning: $FIRMWARE is missing although its package is installed;"
		say "  try: apt-get install --reinstall qemu-system-data"
	fi
	exit 0
fi

if [[ $mode == check ]]; then
	say "missing ${#missing[@]} packages: ${missing[*]}"
	exit 1
fi

if [[ $(id -u) -ne 0 ]]; then
	say "missing ${#missing[@]} packages: ${missing[*]}"
	say "install them with:"
	echo
	echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
	echo
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg (unattended-upgrades, say) instead of failing.
APT_OPTS=(-q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)

say "installing ${#missing[@]} packages: ${missing[*]}"
start=$SECONDS
if ! apt-get "${APT_OPTS[@]}" update </dev/null; then
	say "apt-get update failed (see above)"
	exit 1
fi
if ! apt-get "${APT_OPTS[@]}" install -y --no-install-recommends \
	"${missing[@]}" </dev/null; then
	say "apt-get install failed (see above)"
	exit 1
fi

mapfile -t still < <(missing_packages)
if ((${#still[@]} > 0)); then
	say "still missing after apt-get install: ${still[*]}"
	exit 1
fi
if [[ ! -f "$FIRMWARE" ]]; then
	say "error: $FIRMWARE is missing after the install"
	exit 1
fi
say "installed ${#missing[@]} packages in $((SECONDS - start))s"
