# SPDX-License-Identifier: MIT
"""IPC, privileges and memory from user space: the restricted privilege set
and the kernel's rate-limited EPERM log, grants and safecopy between two
processes, coalescing notifications and the clock's alarm, separate
address spaces at the same virtual addresses, and KC_SCHED_SET. Each test
boots the program(s) of user/tests/ named after it (their header comments
list what they print)."""

import re

from axolotl_qemu import expect_all as shared_expect_all

# Patterns end a line with (?=\n), not $: the console is read while it
# arrives, and $ would match a line cut short at the end of what has come
# so far ("at 0x130" of "at 0x13000"). Lines are not anchored at ^: the
# monitor's prompt "kmon> " may precede a log line on the same line.


# A program's own report of a failed check, a failed program, an oops.
FAILED = (r"[^\n]*(?:\(FAIL\)|exited with status [1-9]\d*|Oops)[^\n]*"
          r"(?=\n)")


def expect_all(m, patterns, timeout=30):
    """axolotl_qemu.expect_all, failing at once on a FAILED line."""
    return shared_expect_all(m, patterns, timeout, fail=FAILED)


def started(m, name):
    """The kernel's line for a boot-image program; returns its endpoint."""
    return int(m.expect(rf"boot: started {name}\[(\d+)\] at 0x[0-9a-f]+ "
                        rf"\(\d+ pages\)").group(1))


def assert_no_failure(m):
    bad = re.search(FAILED, m.output)
    assert not bad, f"failure reported on the console: {bad.group(0)!r}"
    assert "Kernel panic" not in m.output


def test_restricted_is_refused_everything_and_the_log_is_rate_limited(boot):
    m = boot("start=ipc_server,restricted:prev", smp=2)
    server = started(m, "ipc_server")
    ep = started(m, "restricted")
    p = rf"restricted\[{ep}\]: restricted: "
    expect_all(m, [
        p + rf"endpoint {ep}, target {server}(?=\n)",
        p + r"send = -1(?=\n)",
        p + r"notify = -1(?=\n)",
        p + r"vm_map = -1(?=\n)",
        p + r"proc_info = -1(?=\n)",
        p + r"2000 more calls denied(?=\n)",
        p + r"ok(?=\n)",
        rf"ipc_server\[{server}\]: ipc_server: ready, endpoint {server}",
    ])
    m.expect(rf"proc: restricted\[{ep}\] exited with status 0")
    # The four calls, then one per thousand of the 2004 denied in all
    # (sends and kernel calls share the counter).
    expected = [
        ("ipc", f"send {server}", 1),
        ("ipc", f"notify {server}", 2),
        ("kcall", "call vm_map", 3),
        ("kcall", "call proc_info", 4),
        ("kcall", "call proc_info", 1000),
        ("kcall", "call proc_info", 2000),
    ]
    logged = re.findall(rf"\[[ \d.]+\]\[C\d+\] (ipc|kcall): "
                        rf"restricted\[{ep}\] may not (.+): EPERM "
                        rf"\((\d+) denied\)(?=\n)", m.output, re.MULTILINE)
    assert [(w, what, int(n)) for w, what, n in logged] == expected
    assert_no_failure(m)
    # The target was not disturbed: still there, waiting for a message.
    m.sendline("procs")
    m.expect(rf"\]\s+\d+\s+{server}\s+0x4\s+\d+\s+-?\d+\s+\d+ "
             rf"ipc_server(?=\n)")
    m.expect(r"\] 1 processes")


def test_grants_and_safecopy_between_two_processes(boot):
    m = boot("start=grants:0,grants:prev", smp=4)
    grantee = started(m, "grants")
    grantor = started(m, "grants")
    ee = rf"grants\[{grantee}\]: grants: grantee: "
    gr = rf"grants\[{grantor}\]: grants: grantor: "
    expect_all(m, [
        rf"grants\[{grantor}\]: grants: grantor ok(?=\n)",
        rf"grants\[{grantee}\]: grants: grantee ok(?=\n)",
        rf"proc: grants\[{grantor}\] exited with status 0",
        rf"proc: grants\[{grantee}\] exited with status 0",
    ])
    ro, rw = map(int, re.search(
        gr + rf"read-only (\d+), read-write (\d+) for {grantee}(?=\n)",
        m.output, re.MULTILINE).groups())
    assert re.search(ee + rf"offer from {grantor}: read-only {ro}, "
                     rf"read-write {rw}(?=\n)", m.output, re.MULTILINE)
    lines = [
        (ee, "read 8192 bytes through a read-only grant"),
        (gr, "grantee's write arrived (4096 bytes)"),
    ]
    results = {
        gr: {
            "grant to ENDPOINT_ANY": -22, "grant of 0 bytes": -22,
            "grant with no access": -22, "grant with unknown access": -22,
            "grant of a wrapping range": -22, "grant of kernel memory": -22,
            "grant to a stale endpoint": -200,
            "revoke of a grant never made": -22,
            "read-only grant": 0, "read-write grant": 0,
            "owner copies from its own grant": -1,
            "revoke": 0, "second revoke": -22, "grant after the revoke": 0,
        },
        ee: {
            "read across the page boundary": 0,
            "write through a read-only grant": -1,
            "offset past the end": -22, "length past the end": -22,
            "wrapping length": -22, "wrapping offset": -22,
            "zero bytes at the end": 0,
            "grant id -1": -22, "grant index 40": -22, "wrong sequence": -22,
            "stale grantor endpoint": -200,
            "copy into own text": -14, "copy to an unmapped address": -14,
            "write through the read-write grant": 0,
            "read back through the read-write grant": 0,
            "revoked id": -22, "new grant in the revoked one's slot": 0,
            "read-write grant still valid": 0, "grantor gone": -200,
        },
    }
    for who, what in lines:
        assert re.search(who + re.escape(what) + "(?=\n)", m.output,
                         re.MULTILINE), what
    for who, cases in results.items():
        for what, err in cases.items():
            assert re.search(who + re.escape(f"{what} = {err}") + "(?=\n)",
                             m.output, re.MULTILINE), what
    # The new grant took the revoked one's slot (index: low 8 bits) with
    # a different id.
    fresh = int(re.search(gr + rf"new id (\d+) reuses the slot of {ro}(?=\n)",
                          m.output, re.MULTILINE).group(1))
    assert fresh != ro and fresh & 0xff == ro & 0xff
    assert_no_failure(m)


def test_notifies_coalesce_and_the_alarm_comes_from_the_clock(boot):
    m = boot("start=notify:0,notify:prev", smp=2)
    receiver = started(m, "notify")
    notifier = started(m, "notify")
    rx = rf"notify\[{receiver}\]: notify: "
    nx = rf"notify\[{notifier}\]: notify: "
    hits = expect_all(m, [
        nx + rf"notifier: 3 notifies sent to {receiver}(?=\n)",
        rx + rf"notification from {notifier}(?=\n)",
        rx + r"alarm from the clock(?=\n)",
        rx + r"3 notifies coalesced into 1(?=\n)",
        nx + r"notifier ok(?=\n)",
        rx + r"receiver ok(?=\n)",
        rf"proc: notify\[{notifier}\] exited with status 0",
        rf"proc: notify\[{receiver}\] exited with status 0",
    ])
    # One process's lines come in its order: one notification, then the
    # clock (no second notification was pending), then the count.
    assert hits[1].start() < hits[2].start() < hits[3].start()
    for what, err in [("notify self", -22), ("notify ENDPOINT_ANY", -22),
                      ("notify a stale endpoint", -200)]:
        line = re.escape(f"notifier: {what} = {err}")
        assert re.search(nx + line + "(?=\n)", m.output, re.MULTILINE), what
    assert re.search(rx + r"receiver: alarm 50 ms = 0(?=\n)", m.output,
                     re.MULTILINE)
    assert len(re.findall(rf"^.*{rx}notification from", m.output,
                          re.MULTILINE)) == 1
    assert_no_failure(m)


def test_same_addresses_separate_memory_and_text_is_read_only(boot):
    m = boot("start=isolation:1,isolation:2", smp=4)
    eps = [started(m, "isolation"), started(m, "isolation")]
    pats = []
    for n, ep in zip((1, 2), eps):
        p = rf"isolation\[{ep}\]: isolation: instance {n}: "
        pats += [p + r"fresh data at (0x[0-9a-f]+)(?=\n)",
                 p + r"own memory intact at (0x[0-9a-f]+)(?=\n)",
                 p + r"writing to own text at (0x[0-9a-f]+)(?=\n)",
                 rf"user fault: isolation\[{ep}\] Store/AMO page fault at pc "
                 rf"0x[0-9a-f]+, address (0x[0-9a-f]+): killed(?=\n)"]
    hits = expect_all(m, pats)
    addr = [int(h.group(1), 16) for h in hits]
    # Both instances used the same data address (and each found its own
    # linked values there, then its own pattern) ...
    assert addr[0] == addr[1] == addr[4] == addr[5]
    # ... and each was killed for the store to its own text, at the
    # address it named, the same in both.
    assert addr[2] == addr[3] == addr[6] == addr[7]
    assert "survived a write to its own text" not in m.output
    assert not re.search(r"proc: isolation\[\d+\] exited", m.output)
    assert_no_failure(m)
    m.sendline("procs")
    m.expect(r"\] 0 processes")


def test_sched_set_checks_arguments_and_changes_priority(boot):
    m = boot("start=spin,sched:prev", smp=2)
    spin = started(m, "spin")
    ep = started(m, "sched")
    p = rf"sched\[{ep}\]: sched: "
    expect_all(m, [p + r"ok(?=\n)",
                   rf"proc: sched\[{ep}\] exited with status 0",
                   rf"spin\[{spin}\]: spin: spinning"])
    results = {
        "priority 16": -22, "priority 2^32+12": -22, "quantum 0": -22,
        "quantum 10001 ms": -22, "quantum 2^32+5 ms": -22,
        "stale endpoint": -200, "ENDPOINT_ANY": -200,
        "priority 12 quantum 5": 0, "yield": 0, "sleep 10 ms": 0,
        "priority 3 via ENDPOINT_SELF": 0,
        "another process to priority 14": 0,
    }
    for what, err in results.items():
        assert re.search(p + re.escape(f"{what} = {err}") + "(?=\n)", m.output,
                         re.MULTILINE), what
    lines = ["priority 8 before", "priority 12 quantum 5 ms set",
             "proc_info: priority 12", "priority 3 through ENDPOINT_SELF",
             f"priority 14 set for {spin}"]
    pos = [re.search(p + re.escape(line) + "(?=\n)", m.output, re.MULTILINE)
           for line in lines]
    assert all(pos), lines
    assert [h.start() for h in pos] == sorted(h.start() for h in pos)
    assert_no_failure(m)
    # The kernel's own table agrees: spin now has priority 14.
    m.sendline("procs")
    m.expect(rf"\]\s+\d+\s+{spin}\s+0\s+14\s+-?\d+\s+\d+ spin(?=\n)")


def ipc_path_counts(m):
    """Sum over the harts of the kmon `cpus` counts: (fast, slow,
    resumed)."""
    m.sendline("cpus")
    m.expect(r"CPU0 hart \d+ [^\n]*running[^\n]*(?=\n)")
    m.expect(r"kmon> ")
    lines = re.findall(r"CPU\d+ hart \d+ \w+ ticks \d+ ipis \d+ "
                       r"ipc fast (\d+) slow (\d+) resumed (\d+) running",
                       m.output)
    assert lines, "no cpus lines"
    return tuple(sum(int(line[i]) for line in lines) for i in range(3))


def run_ping_pong(boot, args=""):
    """ipc_server and ipc_client on one hart; the kmon counts after."""
    m = boot(f"start=ipc_server,ipc_client:prev {args}", smp=1)
    client = started(m, "ipc_client")
    m.expect(rf"ipc_client\[{client}\]: ipc_client: 1000 round trips ok")
    m.expect(rf"ipc_client\[{client}\]: ipc_client: stale endpoint refused")
    m.expect(rf"proc: ipc_client\[{client}\] exited with status 0")
    counts = ipc_path_counts(m)
    assert_no_failure(m)
    return counts


def test_ipc_fast_path_in_the_common_case_slow_path_otherwise(boot):
    # One hart: the server is always blocked in its receive when the
    # client calls, and the client in its sendrec when the server
    # answers, so each of the 1000 sendrecs and the 500 replyrecvs can
    # take the fast path (a tick that makes a preemption due sends one to
    # the slow path). The server's 500 plain sends are the slow path's
    # and end waits the fast path began (syscall_resume). The client's
    # two sendrecs to stale endpoints take the slow path, which refuses
    # them.
    fast, slow, resumed = run_ping_pong(boot)
    assert fast >= 1400, (fast, slow, resumed)
    assert slow >= 2, (fast, slow, resumed)
    assert fast + slow >= 1502, (fast, slow, resumed)
    assert resumed >= 450, (fast, slow, resumed)


def test_ipc_slow_path_alone_gives_the_same_results(boot):
    # kernel.ipc_fastpath=0: the same run, every call on the slow path.
    fast, slow, resumed = run_ping_pong(boot, "ipc_fastpath=0")
    assert (fast, resumed) == (0, 0), (fast, slow, resumed)
    assert slow >= 1502, (fast, slow, resumed)


def test_kill_ends_a_wait_the_fast_path_began(boot):
    # parent's child "waits" makes a sendrec to the parent, which already
    # waits for it on this one hart (fast path), takes the request, never
    # answers, and kills the child: the kill wakes it through the slow
    # path (syscall_resume), and it ends with reason KILLED.
    m = boot("start=parent", smp=1)
    ep = started(m, "parent")
    m.expect(rf"parent\[{ep}\]: parent: child waits\[\d+\] ended: "
             r"reason 2")
    m.expect(rf"parent\[{ep}\]: parent: ok")
    fast, slow, resumed = ipc_path_counts(m)
    assert fast >= 1 and resumed >= 1, (fast, slow, resumed)
    # (The child "exits" ends with status 7 on purpose: no FAILED check.)
    assert "Oops" not in m.output and "Kernel panic" not in m.output
