# SPDX-License-Identifier: MIT
"""Addresses of kernel symbols, read from build/axolotl.elf with nm."""

import functools
import os
import subprocess

from axolotl_qemu import REPO_ROOT

ELF = REPO_ROOT / "build" / "axolotl.elf"
NM = os.environ.get("CROSS", "riscv64-unknown-elf-") + "nm"


@functools.lru_cache(maxsize=None)
def symbols():
    out = subprocess.run([NM, "-S", str(ELF)], capture_output=True, text=True,
                         check=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            addr, size, _kind, name = parts
            table[name] = (int(addr, 16), int(size, 16))
        elif len(parts) == 3:
            addr, _kind, name = parts
            table.setdefault(name, (int(addr, 16), 0))
    return table


def address(name):
    return symbols()[name][0]


def section_range(start, end):
    return address(start), address(end)
