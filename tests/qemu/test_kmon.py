# SPDX-License-Identifier: MIT
"""The kernel monitor on the console: commands, errors, tunables, device
interrupts through the PLIC, and power off / reboot."""

import pytest

BOOTED = r"Axolotl: boot complete in \d+ ms"


@pytest.fixture
def kmon(boot):
    m = boot(smp=2)
    m.expect(BOOTED)
    m.expect_exact("kmon> ")
    return m


def test_help_lists_every_command(kmon):
    kmon.sendline("help")
    for cmd in ["help", "crash", "sysctl", "free", "cpus", "irqs", "ipi",
                "uptime", "reboot", "poweroff"]:
        kmon.expect(rf"\]\s+{cmd}\s+-? ")


def test_unknown_command_and_bad_arguments(kmon):
    kmon.sendline("frobnicate")
    kmon.expect(r"kmon: unknown command 'frobnicate' \(try 'help'\)")
    kmon.sendline("sysctl")
    kmon.expect(r"usage: sysctl -a \| NAME \| NAME=VALUE")
    kmon.sendline("crash NOT_A_TEST")
    kmon.expect(r"crash: no test called 'NOT_A_TEST'")


def test_sysctl_round_trip_and_range_check(kmon):
    kmon.sendline("sysctl -a")
    for name in ["kernel.panic", "kernel.panic_on_oops", "kernel.tick_hz",
                 "kernel.printk_level", "kernel.ipc_fastpath"]:
        kmon.expect(rf"{name} = -?\d+")
    kmon.sendline("sysctl kernel.panic=42")
    kmon.expect(r"kernel\.panic = 42")
    kmon.sendline("sysctl kernel.panic")
    kmon.expect(r"kernel\.panic = 42")
    kmon.sendline("sysctl kernel.panic=100000")
    kmon.expect(r"sysctl: kernel\.panic=100000: out of range")
    kmon.sendline("sysctl kernel.panic")
    kmon.expect(r"kernel\.panic = 42")
    kmon.sendline("sysctl kernel.nope=1")
    kmon.expect(r"sysctl: kernel\.nope=1: unknown tunable")


def test_tunable_set_at_run_time_changes_panic_outcome(kmon):
    kmon.sendline("sysctl kernel.panic=-1")
    kmon.expect(r"kernel\.panic = -1")
    kmon.sendline("crash PANIC")
    kmon.expect(r"Kernel panic - not syncing: crashtest PANIC")
    kmon.expect(r"panic: rebooting now \(kernel\.panic=-1\)")
    assert kmon.wait_exit(15) == 0


def test_console_input_arrives_through_the_plic(kmon):
    kmon.sendline("irqs")
    before = int(kmon.expect(r"irq  10 uart\s+(\d+)\n").group(1))
    kmon.sendline("uptime")
    kmon.expect(r"up \d+\.\d{3} s")
    kmon.sendline("irqs")
    after = int(kmon.expect(r"irq  10 uart\s+(\d+)\n").group(1))
    # At least one interrupt per line typed since (the UART FIFO may
    # deliver several bytes per interrupt).
    assert after >= before + 2


def test_dmesg_shows_the_log_ring_by_level(boot):
    m = boot("bogus_param=1", smp=1)
    m.expect(BOOTED)
    m.expect_exact("kmon> ")
    m.sendline("dmesg -l 4")
    m.expect(r"\[\s*\d+\.\d{6}\]\[C0\] cmdline: unknown parameter 'bogus_param' ignored")
    m.expect_exact("kmon> ")
    assert "boot complete" not in m.output[m.output.rindex("dmesg -l 4"):]
    m.sendline("dmesg")
    m.expect(r"\]\[C0\] Axolotl booting on hart \d+")
    m.expect(r"\]\[C0\] Axolotl: boot complete")
    m.sendline("dmesg -l nine")
    m.expect(r"usage: dmesg \[-l LEVEL\]")


def test_memory_is_accounted(kmon):
    kmon.sendline("free")
    m = kmon.expect(r"pages: total (\d+) free (\d+) used (\d+) reserved (\d+)\s")
    total, free, used, reserved = map(int, m.groups())
    assert total == free + used + reserved
    assert 60000 < total <= 65536  # 256 MiB of 4 KiB pages, less the image
    kmon.expect(r"kmalloc: \d+ bytes in \d+ objects")


def test_poweroff_ends_qemu_cleanly(kmon):
    kmon.sendline("poweroff")
    kmon.expect(r"kmon: powering off")
    assert kmon.wait_exit(10) == 0


def test_reboot(kmon):
    kmon.sendline("reboot")
    kmon.expect(r"kmon: rebooting")
    assert kmon.wait_exit(10) == 0
