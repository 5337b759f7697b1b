# SPDX-License-Identifier: MIT
"""Tests of the QEMU test harness itself, without the Axolotl kernel.

A tiny S-mode program, assembled here with the cross toolchain, talks to
OpenSBI through the legacy SBI console calls: it prints a few lines (one
with an ANSI escape, one with CR LF), waits for a key, and then

    'h'        prints "got: h" and halts (interrupts off, wfi forever)
    'r'        asks SBI SRST for a cold reboot (QEMU exits: -no-reboot)
    any other  prints "got: <key>", "bye" and asks SRST to shut down

so these tests exercise expect(), send(), assert_silent(), wait_exit(),
the failure messages and the time limits against a real QEMU + OpenSBI,
and check that the toolchain, QEMU and its firmware are installed.
"""

import os
import re
import shutil
import subprocess
import time

import pytest

from axolotl_qemu import Machine, QemuError, _Normalizer, normalize_console

CROSS = os.environ.get("CROSS", "riscv64-unknown-elf-")

SELFTEST_S = r"""
	.section .text
	.globl	_start
_start:
	la	a0, banner
	call	puts
wait_key:
	li	a7, 2			/* legacy console_getchar */
	li	a6, 0
	ecall
	bltz	a0, wait_key		/* -1: nothing typed yet */
	mv	s1, a0
	la	a0, got
	call	puts
	mv	a0, s1
	call	putc
	li	a0, '\n'
	call	putc
	li	t0, 'h'
	beq	s1, t0, halt
	li	t0, 'r'
	beq	s1, t0, reboot
	la	a0, bye
	call	puts
	li	a0, 0			/* SRST type: shutdown */
	j	reset
reboot:
	li	a0, 1			/* SRST type: cold reboot */
reset:
	li	a1, 0			/* reason: none */
	li	a7, 0x53525354		/* "SRST" */
	li	a6, 0			/* sbi_system_reset */
	ecall
halt:
	csrci	sstatus, 2
1:	wfi
	j	1b

/* a0: NUL-terminated string. SBI calls keep every register but a0, a1. */
puts:
	mv	t1, a0
1:	lbu	a0, 0(t1)
	beqz	a0, 2f
	li	a7, 1			/* legacy console_putchar */
	li	a6, 0
	ecall
	addi	t1, t1, 1
	j	1b
2:	ret

putc:
	li	a7, 1
	li	a6, 0
	ecall
	ret

	.section .rodata
banner:
	.ascii	"selftest: hello from S-mode\r\n"
	.ascii	"\033[1mselftest: bold\033[0m\n"
	.ascii	"line-a\r\nline-b\n"
	.asciz	"selftest: press a key\n"
got:	.asciz	"got: "
bye:	.asciz	"selftest: bye\n"
"""


@pytest.fixture(scope="session")
def image(tmp_path_factory):
    """The program above as a raw binary, linked where OpenSBI (QEMU's
    `-bios default`) jumps: 0x80200000."""
    for tool in ("as", "ld", "objcopy"):
        if shutil.which(CROSS + tool) is None:
            pytest.fail(f"{CROSS}{tool} not found: run tools/setup-deps.sh")
    d = tmp_path_factory.mktemp("selftest")
    src, obj, elf, img = (d / n for n in ("t.S", "t.o", "t.elf", "t.bin"))
    src.write_text(SELFTEST_S)
    # .S through the compiler driver, for the C comments.
    steps = [
        [CROSS + "gcc", "-march=rv64imac_zicsr", "-mabi=lp64", "-c", str(src), "-o", str(obj)],
        [CROSS + "ld", "-Ttext=0x80200000", "-e", "_start", "-o", str(elf), str(obj)],
        [CROSS + "objcopy", "-O", "binary", str(elf), str(img)],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stderr}"
    return img


# ---- console text, no QEMU ------------------------------------------------


def test_normalize_console():
    assert normalize_console("a\r\r\nb\r\nc\n") == "a\nb\nc\n"
    assert normalize_console("\x1b[1;31mred\x1b[0m \x1b]0;title\x07x\x1bc") == "red x"
    assert normalize_console("50%\r100%\n") == "50%100%\n"


def test_normalizer_handles_split_sequences():
    raw = "one\r\r\ntwo \x1b[32mgreen\x1b[0m\r\nthree\x1b]0;t\x07\r\n"
    want = normalize_console(raw)
    for size in (1, 2, 3, 7):
        n = _Normalizer()
        out = "".join(n.feed(raw[i : i + size]) for i in range(0, len(raw), size))
        assert out + n.flush() == want, f"chunks of {size}"


# ---- against QEMU + OpenSBI -----------------------------------------------


def test_expect_send_and_exit(boot, image):
    m = boot(kernel=image)
    m.expect(r"OpenSBI v\d+\.\d+")
    m.expect_exact("selftest: hello from S-mode")
    m.expect_exact("selftest: press a key")
    m.send("x")
    got = m.expect(r"^got: (.)$")
    assert got.group(1) == "x"
    hit = m.expect(["never printed", r"selftest: (b)ye"])
    assert m.match_index == 1 and hit.group(1) == "b"
    assert m.wait_exit(15) == 0
    out = m.output
    assert "line-a\nline-b\n" in out
    assert "\nselftest: bold\n" in out
    assert "\r" not in out and "\x1b" not in out
    assert not m.alive


def test_list_gives_earliest_match(boot, image):
    m = boot(kernel=image, smp=1, mem="64M")
    m.expect(["selftest: press a key", "selftest: hello"])
    assert m.match_index == 1
    m.expect_exact(["press a key", "line-b"])
    assert m.match_index == 1


def test_reboot_makes_qemu_exit(boot, image):
    m = boot(kernel=image)
    m.expect_exact("press a key")
    m.send("r")
    assert m.wait_exit(15) == 0
    assert "got: r" in m.output


def test_halted_machine_is_silent(boot, image):
    m = boot(kernel=image)
    m.expect_exact("press a key")
    m.send("h")
    m.expect_exact("got: h")
    m.assert_silent(1.5)
    assert m.alive


def test_assert_silent_reports_output(boot, image):
    m = boot(kernel=image)
    m.expect_exact("press a key")
    m.assert_silent(0.5, pattern="bye")
    m.send("z")
    with pytest.raises(QemuError) as e:
        m.assert_silent(10, pattern=r"bye", allow_exit=True)
    msg = str(e.value)
    assert "expected silence (nothing matching 'bye') for 10s" in msg
    assert "but the console printed 'selftest: bye'" in msg
    assert "  | got: z\n  | ----8<---- this line ----8<----\n  | selftest: bye" in msg


def test_failed_expect_shows_console(boot, image):
    m = boot(kernel=image)
    m.expect_exact("line-a")
    t0 = time.monotonic()
    with pytest.raises(AssertionError) as e:
        m.expect(r"no such (text|thing)", timeout=1)
    assert time.monotonic() - t0 < 5
    msg = str(e.value)
    assert "'no such (text|thing)'" in msg and "not seen within 1s" in msg
    # the console around the mismatch, with the search start marked
    assert "  | OpenSBI v" in msg or "  | Platform Name" in msg
    assert re.search(
        r"\| line-a\n  \| ----8<---- searched from here on ----8<----\n  \| line-b\n", msg
    ), msg
    assert "selftest: press a key" in msg
    assert "log: build/qemu-logs/test_harness_selftest.test_failed_expect_shows_console.log" in msg
    # the machine is still usable after a failed expectation
    m.send("q")
    m.expect_exact("got: q")


def test_exit_before_match_is_reported_at_once(boot, image):
    m = boot(kernel=image)
    m.expect_exact("press a key")
    m.send("x")
    t0 = time.monotonic()
    with pytest.raises(QemuError) as e:
        m.expect("never printed", timeout=30)
    assert time.monotonic() - t0 < 10
    assert "QEMU exited (exit status 0) before it appeared" in str(e.value)
    assert "selftest: bye" in str(e.value)


def test_wall_limit_kills_qemu(image, tmp_path):
    with Machine(kernel=image, wall_limit=3, log_path=tmp_path / "wall.log") as m:
        m.expect_exact("press a key")
        m.send("h")
        t0 = time.monotonic()
        with pytest.raises(QemuError) as e:
            m.expect("never printed", timeout=60)
        assert time.monotonic() - t0 < 10
        assert "wall-clock limit" in str(e.value)
        assert not m.alive
    log = (tmp_path / "wall.log").read_text()
    assert "got: h" in log and "killed at the wall-clock limit" in log


def test_close_kills_qemu_and_finishes_log(image, tmp_path):
    log_path = tmp_path / "close.log"
    m = Machine(kernel=image, args="a b=c", extra=["-device", "virtio-rng-device"],
                log_path=log_path, name="closer")
    m.expect_exact("press a key")
    pid = m.pid
    m.close()
    m.close()  # twice is fine
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    log = log_path.read_text()
    first = log.splitlines()[0]
    assert first.startswith("### closer: qemu-system-riscv64 -machine virt -bios default")
    assert "-append 'a b=c'" in first and "-device virtio-rng-device" in first
    assert "selftest: press a key\n" in log
    assert log.splitlines()[-1].startswith("### closer: ")


def test_missing_kernel_is_a_clear_failure(tmp_path):
    with pytest.raises(QemuError, match="does not exist"):
        Machine(kernel=tmp_path / "nothing.bin")


def test_relative_kernel_path_is_from_the_tree_top(boot, image):
    import axolotl_qemu

    rel = os.path.relpath(image, axolotl_qemu.REPO_ROOT)
    m = boot(kernel=rel, smp=1)
    m.expect_exact("selftest: press a key")


def test_missing_qemu_is_a_clear_failure(image, tmp_path, monkeypatch):
    import axolotl_qemu

    monkeypatch.setattr(axolotl_qemu, "QEMU", str(tmp_path / "no-qemu-here"))
    with pytest.raises(QemuError, match="could not start"):
        Machine(kernel=image, log_path=tmp_path / "x.log")
