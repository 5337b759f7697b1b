# SPDX-License-Identifier: MIT
"""Boot: every hart count and memory size, the device tree, the command
line, the early trap vector, and W^X of the kernel image."""

import subprocess

import pytest

from axolotl_qemu import REPO_ROOT

BOOTED = r"Axolotl: boot complete in \d+ ms"


@pytest.mark.parametrize("smp,mem,mib", [
    (1, "128M", 128), (2, "256M", 256), (4, "256M", 256), (8, "2G", 2048),
])
def test_boots_every_hart(boot, smp, mem, mib):
    m = boot(smp=smp, mem=mem)
    m.expect(r"Axolotl booting on hart \d+")
    m.expect(rf"memory: 0x80000000\.\.0x[0-9a-f]+ \({mib} MiB\)")
    m.expect(rf"harts: {smp}, timebase 10000000 Hz")
    m.expect(rf"smp: {smp} of {smp} harts online")
    m.expect(BOOTED)
    m.expect_exact("kmon> ")
    # Every hart takes timer ticks and answers a cross-call.
    if smp > 1:
        m.sendline("ipi")
        me = int(m.expect(r"ipi: from CPU(\d) to the \d+ others").group(1))
        for cpu in range(smp):
            if cpu != me:
                m.expect(rf"ipi: CPU{cpu} answered in \d+ us")
    m.sendline("cpus")
    for cpu in range(smp):
        m.expect(rf"CPU{cpu} hart \d+ online ticks [1-9]\d* ")


def test_kernel_mapping_is_w_xor_x(boot):
    m = boot(smp=1)
    m.expect(r"mmu: W\^X verified: text r-x, rodata r--, data rw-, "
             r"image r-- in the direct map; 9 boot-stack guard pages unmapped")
    m.expect(BOOTED)


def test_devices_come_from_the_device_tree(boot):
    m = boot(smp=2)
    m.expect(r"uart: ns16550a at 0x10000000 irq 10, clock 3686400 Hz")
    m.expect(r"plic: 0xc000000, 96 sources")
    m.expect(r"clint: clint at 0x2000000")
    for slot in range(8):
        m.expect(rf"virtio{slot}: 0x1000{slot + 1}000 irq {slot + 1}")
    m.expect(r"pci: ecam 0x30000000\.\.0x3fffffff \(256 MiB\)")
    m.expect(BOOTED)


def test_command_line_sets_tunables_and_reports_mistakes(boot):
    m = boot("panic=7 panic_on_oops=1 no_such_thing=3 tick_hz=abc", smp=1)
    m.expect(r"cmdline: panic=7 panic_on_oops=1 no_such_thing=3 tick_hz=abc")
    m.expect(r"unknown parameter 'no_such_thing'")
    m.expect(r"tick_hz=abc: invalid number")
    m.expect_exact("kmon> ")
    m.sendline("sysctl kernel.panic")
    m.expect(r"kernel\.panic = 7")
    m.sendline("sysctl kernel.panic_on_oops")
    m.expect(r"kernel\.panic_on_oops = 1")
    m.sendline("sysctl kernel.tick_hz")
    m.expect(r"kernel\.tick_hz = 100")


def test_out_of_range_boot_value_is_ignored(boot):
    m = boot("panic=99999", smp=1)
    m.expect(r"panic=99999: out of range")
    m.expect_exact("kmon> ")
    m.sendline("sysctl kernel.panic")
    m.expect(r"kernel\.panic = 0")


def dumped_dtb(tmp_path, smp=2, mem="256M"):
    dtb = tmp_path / "virt.dtb"
    subprocess.run(["qemu-system-riscv64", "-machine", f"virt,dumpdtb={dtb}",
                    "-smp", str(smp), "-m", mem, "-bios", "default",
                    "-nographic"], check=True, capture_output=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb)],
                         check=True, capture_output=True, text=True).stdout
    return dts


def compile_dts(tmp_path, dts, name):
    src = tmp_path / f"{name}.dts"
    out = tmp_path / f"{name}.dtb"
    src.write_text(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out),
                    str(src)], check=True)
    return out


def test_device_tree_without_memory_stops_with_a_reason(boot, tmp_path):
    import re
    dts = dumped_dtb(tmp_path)
    dts = re.sub(r"\tmemory@80000000 \{.*?\};\n", "", dts, flags=re.S)
    dtb = compile_dts(tmp_path, dts, "nomem")
    m = boot(smp=2, extra=["-dtb", str(dtb)])
    m.expect(r"Axolotl: cannot boot: device tree: no /memory node with a reg property")
    m.expect(r"Axolotl: powering off")
    assert m.wait_exit(10) == 0


def test_device_tree_reserved_memory_is_not_allocated(boot, tmp_path):
    dts = dumped_dtb(tmp_path)
    dts = dts.replace("\tcpus {", "\treserved-memory {\n"
                      "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
                      "\t\tranges;\n\t\tcarveout@88000000 {\n"
                      "\t\t\treg = <0x0 0x88000000 0x0 0x1000000>;\n"
                      "\t\t\tno-map;\n\t\t};\n\t};\n\tcpus {", 1)
    dtb = compile_dts(tmp_path, dts, "resv")
    m = boot(smp=2, extra=["-dtb", str(dtb)])
    m.expect(r"reserved: 0x88000000\.\.0x88ffffff \(16 MiB\)")
    m.expect(BOOTED)
    m.expect_exact("kmon> ")
    m.sendline("free")
    line = m.expect(r"pages: total (\d+) free (\d+) used (\d+) reserved (\d+)\s")
    assert int(line.group(4)) >= 4096, "the 16 MiB carve-out is not reserved"


def test_fault_before_the_trap_handler_is_reported(boot):
    image = REPO_ROOT / "build" / "axolotl-earlyfault.bin"
    m = boot(smp=1, kernel=image)
    m.expect(r"Axolotl: trap before the kernel's trap handler was installed")
    # A load page fault (13) at address 8, at a kernel text address.
    m.expect(r"scause 000000000000000d  sepc ffffffff802[0-9a-f]{5}  "
             r"stval 0000000000000008")
    assert m.wait_exit(10) == 0
