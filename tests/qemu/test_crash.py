# SPDX-License-Identifier: MIT
"""Every crash test gives its specific report and its specific next state
(carries on, halts, or reboots) under the relevant kernel.panic and
kernel.panic_on_oops settings. See docs/crash-tests.md."""

import re

import pytest

from kernel_syms import address

BOOTED = r"Axolotl: boot complete in \d+ ms"


def carries_on(m, name, killed_seen=False):
    """The crash test's thread died, the rest of the system did not."""
    if not killed_seen:
        m.expect(rf"note: thread crashtest\[\d+\] killed by the oops on CPU \d")
    m.expect(rf"crashtest: {name} done; the system is still running")
    m.sendline("uptime")
    m.expect(r"up \d+\.\d{3} s")


def halts(m, message):
    m.expect(re.escape(f"---[ end Kernel panic - not syncing: {message} ]---"))
    m.expect(r"panic: kernel\.panic=0: all harts halted[^\n]*\n")
    m.assert_silent(2)


def reboots(m, setting):
    m.expect(re.escape(f"panic: rebooting now (kernel.panic={setting})"))
    assert m.wait_exit(15) == 0


def oops_header(m, cause, function, context="thread"):
    m.expect(rf"Oops: {re.escape(cause)} \[#1\]")
    m.expect(rf"CPU: \d PID: \d+ Comm: \S+ Context: {context}")
    m.expect(rf"epc is at {function}\+0x[0-9a-f]+/0x[0-9a-f]+")
    return m.expect(r"Faulting address \(stval\): ([0-9a-f]{16})")


def full_report(m, function):
    """Registers, a symbolized backtrace through the crash-test thread
    entry, and the instruction bytes."""
    m.expect(rf"epc : [0-9a-f]{{16}} {function}\+")
    m.expect(r"^.*t6 : [0-9a-f]{16}", )
    m.expect(r"status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}")
    m.expect(r"Call Trace:")
    m.expect(rf"\[<[0-9a-f]{{16}}>\] {function}\+")
    m.expect(r"\[<[0-9a-f]{16}>\] crashtest_thread\+")
    m.expect(r"Code:( [0-9a-f]{4})+ \([0-9a-f]{4}\)")
    m.expect(r"---\[ end trace [0-9a-f]{16} \]---")


def start(boot, name, extra="", smp=4):
    m = boot(f"crashtest={name} {extra}".strip(), smp=smp)
    m.expect(BOOTED)
    m.expect(rf"crashtest: running {name}:")
    return m


def test_panic_halts(boot):
    m = start(boot, "PANIC")
    m.expect(r"Kernel panic - not syncing: crashtest PANIC")
    m.expect(r"\[<[0-9a-f]{16}>\] ct_panic\+")
    halts(m, "crashtest PANIC")


def test_panic_reboots_after_timeout(boot):
    m = start(boot, "PANIC", "panic=1")
    m.expect(r"Kernel panic - not syncing: crashtest PANIC")
    m.expect(r"Rebooting in 1 seconds\.\.")
    reboots(m, 1)


def test_panic_reboots_at_once(boot):
    m = start(boot, "PANIC", "panic=-1")
    m.expect(r"Kernel panic - not syncing: crashtest PANIC")
    reboots(m, -1)


def test_bug_names_file_and_line(boot):
    m = start(boot, "BUG")
    m.expect(r"kernel BUG at kernel/crashtest\.c:\d+!")
    oops_header(m, "Kernel BUG", "ct_bug")
    full_report(m, "ct_bug")
    carries_on(m, "BUG")


def test_null_dereference_oopses_and_carries_on(boot):
    m = start(boot, "EXCEPTION")
    stval = oops_header(m, "Store/AMO page fault", "ct_exception")
    assert int(stval.group(1), 16) == 0
    full_report(m, "ct_exception")
    carries_on(m, "EXCEPTION")


def test_null_dereference_with_panic_on_oops(boot):
    m = start(boot, "EXCEPTION", "panic_on_oops=1")
    oops_header(m, "Store/AMO page fault", "ct_exception")
    m.expect(r"Kernel panic - not syncing: Fatal exception\n")
    halts(m, "Fatal exception")


def test_null_dereference_with_panic_on_oops_reboots(boot):
    m = start(boot, "EXCEPTION", "panic_on_oops=1 panic=-1")
    oops_header(m, "Store/AMO page fault", "ct_exception")
    m.expect(r"Kernel panic - not syncing: Fatal exception\n")
    reboots(m, -1)


def test_illegal_instruction(boot):
    m = start(boot, "ILLEGAL_INSN")
    oops_header(m, "Illegal instruction", "arch_crash_illegal_insn")
    m.expect(r"Code:( [0-9a-f]{4})+ \(0000\)")
    carries_on(m, "ILLEGAL_INSN")


def test_write_to_rodata_faults(boot):
    m = start(boot, "WRITE_RO")
    stval = oops_header(m, "Store/AMO page fault", "ct_write_ro")
    assert int(stval.group(1), 16) == address("ro_word")
    lo, hi = address("__rodata_start"), address("__rodata_end")
    assert lo <= int(stval.group(1), 16) < hi
    carries_on(m, "WRITE_RO")


def test_executing_data_faults(boot):
    m = start(boot, "EXEC_DATA")
    stval = oops_header(m, "Instruction page fault", r"0x[0-9a-f]+|\S+")
    assert int(stval.group(1), 16) == address("data_code")
    carries_on(m, "EXEC_DATA")


def test_stack_overflow_hits_the_guard_page(boot):
    m = start(boot, "EXHAUST_STACK")
    m.expect(r"Kernel stack overflow: sp [0-9a-f]{16} is below the stack "
             r"[0-9a-f]{16}-[0-9a-f]{16} of crashtest\[\d+\]")
    oops_header(m, "Kernel stack overflow", r"recurse[.\w]*")
    m.expect(r"\[<[0-9a-f]{16}>\] recurse[.\w]*\+")
    carries_on(m, "EXHAUST_STACK")


def test_stack_overflow_with_panic_on_oops(boot):
    m = start(boot, "EXHAUST_STACK", "panic_on_oops=1 panic=-1")
    oops_header(m, "Kernel stack overflow", r"recurse[.\w]*")
    m.expect(r"Kernel panic - not syncing: Fatal exception\n")
    reboots(m, -1)


@pytest.mark.parametrize("setting", ["", "panic_on_oops=0"])
def test_exception_in_interrupt_is_fatal(boot, setting):
    m = start(boot, "EXCEPTION_IN_IRQ", setting)
    oops_header(m, "Store/AMO page fault", "fault_in_tick", "interrupt")
    m.expect(r"\[<[0-9a-f]{16}>\] fault_in_tick\+")
    m.expect(r"\[<[0-9a-f]{16}>\] trap_vector\+")
    m.expect(r"Kernel panic - not syncing: Fatal exception in interrupt")
    halts(m, "Fatal exception in interrupt")


def test_exception_in_interrupt_reboots(boot):
    m = start(boot, "EXCEPTION_IN_IRQ", "panic=-1")
    m.expect(r"Kernel panic - not syncing: Fatal exception in interrupt")
    reboots(m, -1)


def test_exception_in_idle_kills_nothing_but_panics(boot):
    m = start(boot, "EXCEPTION_IN_IDLE")
    oops_header(m, "Store/AMO page fault", "fault_in_idle", "idle")
    m.expect(r"Kernel panic - not syncing: Attempted to kill the idle task!")
    halts(m, "Attempted to kill the idle task!")


def test_oops_in_thread_reports_held_lock_and_carries_on(boot):
    m = start(boot, "OOPS_IN_THREAD")
    oops_header(m, "Store/AMO page fault", "ct_oops_in_thread")
    m.expect(r"note: thread crashtest\[\d+\] killed by the oops on CPU \d")
    m.expect(r"note: it held lock crashtest_lock \(taken at "
             r"ct_oops_in_thread\+0x[0-9a-f]+/0x[0-9a-f]+\); it stays locked")
    m.expect(r"note: it had interrupts off \(depth 1\)")
    carries_on(m, "OOPS_IN_THREAD", killed_seen=True)
    # The other harts and the monitor still work.
    m.sendline("ipi")
    me = int(m.expect(r"ipi: from CPU(\d) to the 3 others").group(1))
    for cpu in range(4):
        if cpu != me:
            m.expect(rf"ipi: CPU{cpu} answered")


def test_fault_inside_oops_panics_without_recursing(boot):
    m = start(boot, "DOUBLE_FAULT")
    m.expect(r"Oops: Store/AMO page fault \[#1\]")
    m.expect(r"Oops: Store/AMO page fault while reporting an oops on CPU \d: "
             r"not recursing")
    m.expect(r"Kernel panic - not syncing: Fault inside the oops handler")
    halts(m, "Fault inside the oops handler")
    assert "[#2]" not in m.output


def test_panic_names_the_hart_that_ignores_the_stop_ipi(boot):
    m = start(boot, "PANIC_STOP_IRQOFF")
    spinner = m.expect(r"crashtest: CPU(\d) spins with interrupts off").group(1)
    m.expect(r"Kernel panic - not syncing: crashtest PANIC_STOP_IRQOFF")
    m.expect(rf"panic: CPU{spinner} did not answer the stop IPI within 1000 ms")
    halts(m, "crashtest PANIC_STOP_IRQOFF")
    # Only the spinning hart is named.
    named = re.findall(r"panic: CPU(\d) did not answer", m.output)
    assert named == [spinner]


def test_panic_stop_irqoff_reboots(boot):
    m = start(boot, "PANIC_STOP_IRQOFF", "panic=-1")
    m.expect(r"panic: CPU\d did not answer the stop IPI")
    reboots(m, -1)


def test_panic_prints_while_another_hart_holds_the_console_lock(boot):
    m = start(boot, "PANIC_CONSOLE_LOCKED")
    holder = m.expect(r"crashtest: CPU(\d) will hold the console lock forever").group(1)
    m.expect(r"Kernel panic - not syncing: crashtest PANIC_CONSOLE_LOCKED")
    m.expect(r"\[<[0-9a-f]{16}>\] ct_panic_console_locked\+")
    m.expect(rf"panic: CPU{holder} did not answer the stop IPI")
    halts(m, "crashtest PANIC_CONSOLE_LOCKED")


def test_unaligned(boot):
    m = start(boot, "UNALIGNED")
    m.expect(r"UNALIGNED: a misaligned load did not trap and read 0x44332211 "
             r"\(correct\)")
    stval = oops_header(m, "Store/AMO address misaligned",
                        "arch_crash_misaligned_atomic")
    assert int(stval.group(1), 16) % 4 == 1
    carries_on(m, "UNALIGNED")


def test_unknown_crash_test_is_reported(boot):
    m = boot("crashtest=NO_SUCH_TEST", smp=1)
    m.expect(r"crashtest: cannot run 'NO_SUCH_TEST': no such test")
    m.expect_exact("kmon> ")
    m.sendline("uptime")
    m.expect(r"up \d+\.\d{3} s")
