# SPDX-License-Identifier: MIT
"""User processes: the boot image, IPC, preemption, isolation, user faults,
hostile kernel calls and the fuzzer (issue 3)."""

import re

import pytest

from axolotl_qemu import expect_all

BOOTED = r"Axolotl: boot complete in \d+ ms"


def started(m, name):
    """The kernel's line for a boot-image program; returns its endpoint."""
    return int(m.expect(rf"boot: started {name}\[(\d+)\] at 0x[0-9a-f]+ "
                        rf"\(\d+ pages\)").group(1))


def test_hello_runs_in_user_space_and_exits(boot):
    m = boot(smp=2)
    ep = started(m, "hello")
    m.expect(rf"hello\[{ep}\]: hello from user space: endpoint {ep}")
    m.expect(rf"proc: hello\[{ep}\] exited with status 0")


def test_ipc_round_trips_and_stale_endpoint(boot):
    m = boot("start=ipc_server,ipc_client:prev", smp=4)
    server = started(m, "ipc_server")
    client = started(m, "ipc_client")
    expect_all(m, [
        rf"ipc_server\[{server}\]: ipc_server: ready, endpoint {server}",
        rf"ipc_client\[{client}\]: ipc_client: 1000 round trips ok"])
    m.expect(rf"ipc_client\[{client}\]: ipc_client: stale endpoint refused")
    m.expect(rf"proc: ipc_client\[{client}\] exited with status 0")


@pytest.mark.parametrize("smp", [1, 4])
def test_infinite_loop_does_not_starve_others(boot, smp):
    spinners = ",".join(["spin"] * smp)
    m = boot(f"start={spinners},hello", smp=smp)
    expect_all(m, [r"hello\[(\d+)\]: hello from user space",
                   r"proc: hello\[\d+\] exited with status 0"])
    assert len(re.findall(r"spin\[\d+\]: spin: spinning", m.output)) == smp
    # The kernel monitor (a kernel thread) still answers, and every
    # spinner is still there.
    m.sendline("procs")
    m.expect(rf"\] {smp} processes")


FAULTS = [
    (0, "Store/AMO page fault", 0x10),
    (1, "Store/AMO page fault", 0xffffffff80200000),
    (2, "Instruction page fault", None),
    (3, "Illegal instruction", None),
    (4, "Store/AMO address misaligned", None),
    (5, "Breakpoint", None),
]


@pytest.mark.parametrize("mode,cause,addr", FAULTS)
def test_user_fault_ends_only_that_process(boot, mode, cause, addr):
    m = boot(f"start=faults:{mode},hello", smp=2)
    ep = started(m, "faults")
    line, _ = expect_all(m, [
        rf"user fault: faults\[{ep}\] {re.escape(cause)} at pc "
        rf"0x([0-9a-f]+), address 0x([0-9a-f]+): killed",
        r"proc: hello\[\d+\] exited with status 0"])
    if addr is not None:
        assert int(line.group(2), 16) == addr
    assert "survived (BUG)" not in m.output
    assert "Oops" not in m.output
    m.sendline("start hello")
    m.expect(r"hello\[\d+\]: hello from user space")


def test_hostile_kernel_call_arguments_are_refused(boot):
    m = boot("start=kcall_abuse", smp=2)
    ep = started(m, "kcall_abuse")
    expected = {
        "debug_write(kernel ptr)": -14, "debug_write(NULL)": -14,
        "debug_write(huge len)": -22, "debug_write(unmapped)": -14,
        "vm_map(W|X)": -22, "vm_map(kernel range)": -22,
        "grant_create(wrapping range)": -22,
        "kernel call KC_COUNT+5": -88, "ipc op 99": -88,
        "send to self": -22, "send to ENDPOINT_ANY": -22,
    }
    m.expect(rf"kcall_abuse\[{ep}\]: kcall_abuse: done")
    for what, err in expected.items():
        assert f"kcall_abuse: {what} = {err}" in m.output, what
    m.expect(rf"proc: kcall_abuse\[{ep}\] exited with status 0")
    assert "Oops" not in m.output


def free_pages(m):
    m.sendline("free")
    line = m.expect(r"pages: total \d+ free (\d+) used (\d+) reserved \d+ "
                    r"kstack (\d+)\n")
    kmalloc = int(m.expect(r"kmalloc: (\d+) bytes in \d+ objects").group(1))
    free, used, kstack = map(int, line.groups())
    return used - kstack, kmalloc


def test_fuzzer_on_four_harts_no_oops_no_leak(boot):
    m = boot("start=", smp=4, timeout=120, wall_limit=300)
    m.expect(BOOTED)
    m.expect_exact("kmon> ")
    # Warm up: the same number of processes, so that kernel stacks (kept
    # per thread slot by design) are already mapped before measuring.
    for seed in range(1, 5):
        m.sendline(f"start fuzz {(200 << 32) | seed}")
    for _ in range(4):
        m.expect(r"proc: fuzz\[\d+\] exited with status 0", timeout=60)
    m.assert_silent(1, pattern=r"proc: ")
    before = free_pages(m)
    for seed in range(11, 15):
        m.sendline(f"start fuzz {(25000 << 32) | seed}")
    for _ in range(4):
        m.expect(r"fuzz\[\d+\]: fuzz: 25000 calls done", timeout=240)
        m.expect(r"proc: fuzz\[\d+\] exited with status 0", timeout=30)
    m.assert_silent(1, pattern=r"proc: ")
    after = free_pages(m)
    assert "Oops" not in m.output and "Kernel panic" not in m.output
    assert after == before, f"pages/kmalloc before {before}, after {after}"


def test_user_space_driver_gets_its_interrupts(boot):
    """A driver maps only its own device page (from its privileges, which
    the kernel fills from the device tree) and gets the RTC's interrupt as
    notifications, acknowledging each one."""
    m = boot(smp=2)
    rtc = m.expect(r"rtc: goldfish at 0x([0-9a-f]+) irq (\d+)\n")
    phys, irq = int(rtc.group(1), 16), int(rtc.group(2))
    m.expect(BOOTED)
    m.sendline(f"start rtc_driver {irq << 48 | phys}")
    ep = started(m, "rtc_driver")
    m.expect(rf"rtc_driver\[{ep}\]: rtc_driver: map the UART page = -1, "
             r"subscribe to line 10 = -1")
    m.expect(rf"rtc_driver: RTC at {phys:#x} mapped at 0x[0-9a-f]+, "
             rf"line {irq} subscribed")
    for i in range(1, 4):
        m.expect(rf"rtc_driver: interrupt {i} of 3 received, acknowledged \(0\)")
    m.expect(rf"proc: rtc_driver\[{ep}\] exited with status 0")
    m.sendline("irqs")
    # After the driver exited its line is unregistered; the count stays.
    count = int(m.expect(rf"irq\s+{irq}\s+(?:rtc_driver\s+)?(\d+)\n").group(1))
    assert count >= 3


def test_parent_learns_how_each_child_ended(boot):
    """The pattern of a user-space process manager: create a child with
    the system kernel calls, give it code, start it, and receive the
    kernel's exit notice with the reason and the status or fault cause."""
    m = boot("start=parent", smp=2)
    ep = started(m, "parent")
    expect_all(m, [
        rf"parent\[{ep}\]: parent: child exits\[\d+\] ended: reason 0, status 7",
        r"user fault: faults\[\d+\] Illegal instruction at pc 0x400000",
        rf"parent\[{ep}\]: parent: child faults\[\d+\] ended: reason 1, status 2",
        rf"parent\[{ep}\]: parent: child loops\[\d+\] ended: reason 2",
        rf"parent\[{ep}\]: parent: child waits\[\d+\] ended: reason 2",
        rf"parent\[{ep}\]: parent: ok",
        rf"proc: parent\[{ep}\] exited with status 0"])


def test_log_and_tunables_are_readable_from_user_space(boot):
    """KC_LOG_READ and KC_TUNABLE_LIST (behind dmesg and sysctl -a)."""
    m = boot("start=logread", smp=2)
    ep = started(m, "logread")
    m.expect(rf"logread\[{ep}\]: logread: marker read back in 200-byte "
             rf"pieces: ok \((\d+)\)")
    m.expect(r"logread: marker filtered out at level 3: ok \(0\)")
    m.expect(r"logread: tunable kernel\.panic = 0 \[-3600\.\.3600\] int")
    m.expect(r"logread: tunable kernel\.panic_on_oops = 0 \[0\.\.1\] bool")
    m.expect(r"logread: tunable kernel\.ipc_fastpath = 1 \[0\.\.1\] bool")
    m.expect(r"logread: tunable list ends with ENOENT: ok \(5\)")
    for what in ("zero length refused", "oversized length refused",
                 "level 8 refused", "kernel buffer address refused",
                 "short name buffer refused", "NULL-page name buffer refused"):
        m.expect(rf"logread: {what}: ok \(-\d+\)")
    m.expect(r"logread: done, 0 failed")
    m.expect(rf"proc: logread\[{ep}\] exited with status 0")
