# SPDX-License-Identifier: MIT
"""Drive Axolotl (or any raw RISC-V image) in QEMU for tests.

A Machine starts

    qemu-system-riscv64 -machine virt -bios default -nographic -no-reboot
        -smp N -m M -kernel build/axolotl.bin -append "ARGS" [extra...]

on a pty, reads its console, and offers pexpect-like calls whose failures
are AssertionErrors that show what was expected and the console lines
around the point where the search started:

    m = Machine(args="loglevel=debug", smp=2)   # started at once
    m.expect(r"Axolotl v\\d+")                 # regex (re.MULTILINE)
    m.expect_exact("login:")                    # plain text
    m.send("ls\\r")                             # or m.sendline("ls")
    m.assert_silent(2.0)                        # prints nothing for 2 s
    assert m.wait_exit(10) == 0                 # QEMU's exit status
    m.output                                    # all console text so far

The console text is normalised: "\\r\\n" (and the "\\r\\r\\n" that QEMU makes
of a guest's "\\r\\n") become "\\n", other lone "\\r" and ANSI escape
sequences are dropped. Everything is also written to a log file.

Time limits: every wait has a timeout (default DEFAULT_TIMEOUT), and each
Machine has a hard wall-clock limit (default WALL_LIMIT seconds from its
start) after which QEMU is killed whatever the test is doing.
AXOLOTL_TIMEOUT_SCALE=2 (say) multiplies every timeout and the wall limit,
for slow machines.

Tests normally use the `boot` fixture from conftest.py, which names the log
after the test and kills every Machine at the end of the test.
"""

import ctypes
import os
import re
import shlex
import signal
import threading
import time
from pathlib import Path

import pexpect

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / "build"
KERNEL = BUILD_DIR / "axolotl.bin"
LOG_DIR = BUILD_DIR / "qemu-logs"
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")

TIMEOUT_SCALE = float(os.environ.get("AXOLOTL_TIMEOUT_SCALE", "1") or 1)
DEFAULT_TIMEOUT = 30.0  # seconds, for expect() and friends
WALL_LIMIT = 120.0  # seconds a Machine may live at most
CONTEXT_LINES = 60  # console lines shown in a failure message

# Options `make run` uses too (see QEMUOPTS in the Makefile).
COMMON_OPTS = ["-global", "virtio-mmio.force-legacy=false"]

__all__ = [
    "Machine",
    "QemuError",
    "BUILD_DIR",
    "KERNEL",
    "LOG_DIR",
    "REPO_ROOT",
    "DEFAULT_TIMEOUT",
    "WALL_LIMIT",
    "normalize_console",
]


class QemuError(AssertionError):
    """A failed expectation about the console or the life of QEMU.

    An AssertionError, so pytest reports it as a test failure; its message
    already carries the console context."""


# ---- console text ---------------------------------------------------------

# CSI sequences (ESC [ ... final), OSC sequences (ESC ] ... BEL or ESC \),
# and two-character escapes (ESC c, ESC 7, ESC =, ...).
_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
)
_EOL_RE = re.compile(r"\r+\n")
# A tail that may be the start of a sequence cut in two by a read.
_PARTIAL_TAIL_RE = re.compile(
    r"(?:\r+|\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[ -/]*)?)\Z"
)


def normalize_console(text):
    """Console text as tests want it: LF line ends, no ANSI escapes."""
    text = _ANSI_RE.sub("", text)
    text = _EOL_RE.sub("\n", text)
    return text.replace("\r", "").replace("\x00", "")


class _Normalizer:
    """normalize_console() over a stream arriving in arbitrary chunks."""

    def __init__(self):
        self._held = ""

    def feed(self, chunk):
        text = self._held + chunk
        m = _PARTIAL_TAIL_RE.search(text)
        cut = m.start() if m else len(text)
        if len(text) - cut > 256:  # not an escape sequence after all
            cut = len(text)
        self._held = text[cut:]
        return normalize_console(text[:cut])

    def flush(self):
        text, self._held = self._held, ""
        return normalize_console(text)


def _describe(patterns):
    if len(patterns) == 1:
        return repr(patterns[0])
    return "any of [" + ", ".join(repr(p) for p in patterns) + "]"


def _set_pdeathsig():
    """In the child: die with the test runner even if it is killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # pragma: no cover - only a safety net
        pass


# ---- the machine ----------------------------------------------------------


class Machine:
    """One QEMU virt machine, started by the constructor."""

    def __init__(
        self,
        args="",
        smp=4,
        mem="256M",
        extra=None,
        kernel=None,
        log_path=None,
        log_mode="w",
        name="qemu",
        timeout=DEFAULT_TIMEOUT,
        wall_limit=WALL_LIMIT,
        bios="default",
    ):
        """Start QEMU.

        args: the kernel command line (-append). smp, mem: -smp and -m.
        extra: more QEMU arguments, a list or a shell-quoted string
        (e.g. ["-dtb", "my.dtb"]). kernel: image to boot, default
        build/axolotl.bin. log_path: where to write the console, default
        build/qemu-logs/<name>.log; log_mode "a" appends (the fixture
        does so for a test's second Machine). timeout: default for every
        wait. wall_limit: seconds after which QEMU is killed regardless.
        """
        self.name = name
        self.timeout = float(timeout) * TIMEOUT_SCALE
        self.wall_limit = float(wall_limit) * TIMEOUT_SCALE
        # Relative paths are from the top of the tree, where QEMU runs (so
        # relative paths in `extra`, -dtb say, are from there too).
        self.kernel = REPO_ROOT / kernel if kernel is not None else KERNEL
        if isinstance(extra, str):
            extra = shlex.split(extra)
        self.argv = [
            QEMU,
            "-machine", "virt",
            "-bios", bios,
            "-nographic",
            "-no-reboot",
            "-smp", str(smp),
            "-m", str(mem),
            "-kernel", str(self.kernel),
            "-append", args,
        ] + COMMON_OPTS + [str(a) for a in (extra or [])]

        self._out = ""  # normalised console text
        self._pos = 0  # expect() searches from here
        self._norm = _Normalizer()
        self._eof = False
        self._closed = False
        self._wall_killed = False
        self._killed_at_close = False
        self.exitstatus = None  # QEMU's exit code, once it has exited
        self.signalstatus = None  # or the signal that ended it
        self.match = None  # the last successful match
        self.match_index = None  # which pattern of a list matched

        if not self.kernel.is_file():
            raise QemuError(
                f"kernel image {self.kernel} does not exist "
                f"(build it with `make` at the top of the tree)"
            )

        self.log_path = Path(log_path) if log_path else LOG_DIR / f"{name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, log_mode, encoding="utf-8")
        self._log.write(f"### {name}: {shlex.join(self.argv)}\n")
        self._log.flush()

        self._started = time.monotonic()
        try:
            self._proc = pexpect.spawn(
                self.argv[0],
                self.argv[1:],
                cwd=str(REPO_ROOT),
                encoding="utf-8",
                codec_errors="replace",
                echo=False,
                dimensions=(50, 200),
                preexec_fn=_set_pdeathsig,
            )
        except Exception as e:
            self._closed = True
            self._log.write(f"### {name}: could not start: {e}\n")
            self._log.close()
            raise QemuError(
                f"could not start {QEMU}: {e} (tools/setup-deps.sh installs it)"
            ) from None
        self._wall_timer = threading.Timer(self.wall_limit, self._wall_kill)
        self._wall_timer.daemon = True
        self._wall_timer.start()

    # -- context manager: `with Machine(...) as m:` --------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        state = "running" if self.alive else f"exited({self.exitstatus})"
        return f"<Machine {self.name} {state}>"

    # -- reading -------------------------------------------------------------
    @property
    def output(self):
        """All console text so far (normalised)."""
        self._drain()
        return self._out

    @property
    def pending(self):
        """Console text after the last match (what expect() searches)."""
        self._drain()
        return self._out[self._pos:]

    @property
    def pid(self):
        return self._proc.pid

    @property
    def alive(self):
        return not self._eof and self._proc.isalive()

    def _append(self, text):
        if text:
            self._out += text
            if not self._log.closed:
                self._log.write(text)
                self._log.flush()

    def _read(self, wait):
        """Read what QEMU printed, waiting at most `wait` seconds for it.

        Returns False once QEMU's console is at EOF."""
        if self._eof:
            return False
        try:
            data = self._proc.read_nonblocking(65536, timeout=max(wait, 0))
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            self._eof = True
            self._append(self._norm.flush())
            self._reap(1.0)
            return False
        self._append(self._norm.feed(data))
        return True

    def _drain(self):
        """Take in whatever is already there, without waiting."""
        while not self._eof:
            before = len(self._out) + len(self._norm._held)
            if not self._read(0):
                break
            if len(self._out) + len(self._norm._held) == before:
                break

    def _check_wall(self):
        """Past the wall-clock limit: make sure QEMU is dead."""
        if time.monotonic() >= self._started + self.wall_limit and not self._closed:
            if not self._wall_killed and self._proc.isalive():
                self._wall_kill()
            self._reap(2.0)
            self._drain()

    def _deadline(self, timeout):
        t = self.timeout if timeout is None else float(timeout) * TIMEOUT_SCALE
        return min(time.monotonic() + t, self._started + self.wall_limit), t

    # -- expectations --------------------------------------------------------
    def _search(self, regexes):
        best = None
        for i, rx in enumerate(regexes):
            m = rx.search(self._out, self._pos)
            if m and (best is None or m.start() < best[1].start()):
                best = (i, m)
        return best

    def _expect(self, regexes, shown, timeout, what):
        __tracebackhide__ = True
        deadline, t = self._deadline(timeout)
        start_pos = self._pos
        while True:
            found = self._search(regexes)
            if found:
                self.match_index, self.match = found
                self._pos = self.match.end()
                return self.match
            now = time.monotonic()
            if self._eof:
                self._fail(
                    f"{what} {shown}: QEMU exited ({self._exit_text()}) "
                    f"before it appeared",
                    start_pos,
                )
            if now >= deadline:
                self._check_wall()
                self._fail(f"{what} {shown}: {self._timeout_text(t)}", start_pos)
            self._read(min(deadline - now, 0.25))

    def expect(self, pattern, timeout=None):
        """Wait for a regex (str or compiled; str is re.MULTILINE) or any of
        a list of them. Returns the re.Match of the earliest match in the
        console; self.match_index tells which pattern it was. The next
        expect() searches after this match."""
        __tracebackhide__ = True
        patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
        regexes = [
            p if isinstance(p, re.Pattern) else re.compile(p, re.MULTILINE)
            for p in patterns
        ]
        shown = _describe([getattr(p, "pattern", p) for p in patterns])
        return self._expect(regexes, shown, timeout, "expected")

    def expect_exact(self, text, timeout=None):
        """Like expect(), for plain text (a str or a list of them)."""
        __tracebackhide__ = True
        texts = text if isinstance(text, (list, tuple)) else [text]
        regexes = [re.compile(re.escape(t)) for t in texts]
        return self._expect(regexes, _describe(texts), timeout, "expected")

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit (with -no-reboot it does when the guest
        powers off or resets) and return its exit status; for a QEMU
        killed by a signal, minus the signal number."""
        __tracebackhide__ = True
        deadline, t = self._deadline(timeout)
        start_pos = self._pos
        while not self._eof:
            now = time.monotonic()
            if now >= deadline:
                self._check_wall()
                self._fail(f"expected QEMU to exit: {self._timeout_text(t)}", start_pos)
            self._read(min(deadline - now, 0.25))
        if not self._reap(max(deadline - time.monotonic(), 1.0)):
            self._fail("QEMU closed its console but did not exit", start_pos)
        if self.exitstatus is None:
            return -(self.signalstatus or 0)
        return self.exitstatus

    def assert_silent(self, seconds, pattern=r"\S", allow_exit=False):
        """Assert that nothing matching `pattern` (by default: anything but
        whitespace) is printed for `seconds`, counting what came after the
        last match too. Fails if QEMU exits meanwhile, unless allow_exit."""
        __tracebackhide__ = True
        rx = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.MULTILINE)
        seconds = float(seconds)
        start_pos = self._pos
        end = time.monotonic() + seconds
        if end > self._started + self.wall_limit:
            self._fail(
                f"assert_silent({seconds}) would outlast the wall-clock limit "
                f"of {self.wall_limit:g}s",
                start_pos,
            )
        while True:
            m = rx.search(self._out, self._pos)
            if m:
                first = self._out.rfind("\n", 0, m.start()) + 1
                end = self._out.find("\n", m.end())
                line = self._out[first : end if end >= 0 else len(self._out)]
                self._fail(
                    f"expected silence (nothing matching {rx.pattern!r}) for "
                    f"{seconds:g}s, but the console printed {line.strip()!r}",
                    start_pos,
                    mark=m.start(),
                )
            now = time.monotonic()
            if self._eof and not allow_exit:
                self._fail(
                    f"expected {seconds:g}s of silence, but QEMU exited "
                    f"({self._exit_text()})",
                    start_pos,
                )
            if now >= end or self._eof:
                break
            self._read(min(end - now, 0.25))
        self._pos = len(self._out)

    # -- writing -------------------------------------------------------------
    def send(self, text):
        """Type text on the console (no line end added)."""
        __tracebackhide__ = True
        if not self.alive:
            self._fail(f"cannot send {text!r}: QEMU is not running", self._pos)
        self._proc.send(text)

    def sendline(self, text="", eol="\r"):
        """Type text and Enter (a serial terminal sends CR)."""
        self.send(text + eol)

    # -- ending --------------------------------------------------------------
    def _reap(self, wait):
        """Collect QEMU's exit status; True once it has exited."""
        end = time.monotonic() + wait
        while True:
            try:
                alive = self._proc.isalive()
            except Exception:
                alive = False
            if not alive:
                self.exitstatus = self._proc.exitstatus
                self.signalstatus = self._proc.signalstatus
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(0.02)

    def _wall_kill(self):
        if self._closed:
            return
        self._wall_killed = True
        try:
            self._proc.kill(signal.SIGKILL)
        except Exception:
            pass

    def kill(self):
        """Stop QEMU now (SIGTERM, then SIGKILL)."""
        if self._proc.isalive():
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    self._proc.kill(sig)
                except Exception:
                    pass
                if self._reap(2.0):
                    break
        self._reap(1.0)

    def close(self):
        """Kill QEMU if it still runs, keep the rest of its output, and
        close the log. Safe to call more than once."""
        if self._closed:
            return
        self._drain()
        if self._proc.isalive():
            self._killed_at_close = True
            self.kill()
        self._drain()
        self._closed = True
        self._wall_timer.cancel()
        self._append(self._norm.flush())
        try:
            self._proc.close(force=True)
        except Exception:
            pass
        if self.exitstatus is None and self.signalstatus is None:
            self.exitstatus = self._proc.exitstatus
            self.signalstatus = self._proc.signalstatus
        if not self._log.closed:
            if self._out and not self._out.endswith("\n"):
                self._log.write("\n")
            self._log.write(f"### {self.name}: {self._exit_text()}\n")
            self._log.close()

    # -- failure reports -----------------------------------------------------
    def _exit_text(self):
        if self._wall_killed:
            return f"killed at the wall-clock limit of {self.wall_limit:g}s"
        if self._killed_at_close:
            return "still running at the end, killed"
        if self.signalstatus:
            return f"killed by signal {self.signalstatus}"
        if self.exitstatus is not None:
            return f"exit status {self.exitstatus}"
        return "still running"

    def _timeout_text(self, t):
        if time.monotonic() >= self._started + self.wall_limit - 0.01:
            return (
                f"not seen before the machine's wall-clock limit of "
                f"{self.wall_limit:g}s"
            )
        return f"not seen within {t:g}s"

    def context(self, start_pos=None, mark=None, lines=CONTEXT_LINES):
        """The last `lines` lines of console text, with a marker where the
        failed search started (start_pos) or where an offender is (mark)."""
        text = self._out
        marks = {}
        if start_pos is not None and 0 < start_pos <= len(text):
            marks[start_pos] = "----8<---- searched from here on ----8<----"
        if mark is not None and mark <= len(text):
            marks[mark] = "----8<---- this line ----8<----"
        pieces, last = [], 0
        for at in sorted(marks):
            # The marker goes on a line of its own before the line that
            # holds the position (a position at a line's end: the next one).
            label = marks[at]
            if text[at : at + 1] == "\n":
                at += 1
            at = text.rfind("\n", 0, at) + 1
            if at < last:
                continue
            pieces.append(text[last:at])
            pieces.append(f"{label}\n")
            last = at
        pieces.append(text[last:])
        shown = "".join(pieces).split("\n")
        if shown and shown[-1] == "":
            shown.pop()
        skipped = max(len(shown) - lines, 0)
        shown = shown[skipped:]
        head = f"[... {skipped} earlier lines in the log ...]\n" if skipped else ""
        return head + "\n".join(f"  | {line}" for line in shown)

    def _fail(self, message, start_pos, mark=None):
        __tracebackhide__ = True
        self._drain()
        elapsed = time.monotonic() - self._started
        raise QemuError(
            f"{message}\n"
            f"machine {self.name} ({self._exit_text()}, {elapsed:.1f}s after start), "
            f"log: {self._rel(self.log_path)}\n"
            f"console, last {CONTEXT_LINES} lines:\n"
            f"{self.context(start_pos, mark)}"
        )

    @staticmethod
    def _rel(path):
        try:
            return str(Path(path).resolve().relative_to(REPO_ROOT))
        except ValueError:
            return str(path)


def expect_all(m, patterns, timeout=30, fail=None):
    """Wait until every pattern has appeared on m's console, in any order
    (harts print concurrently). Returns the matches, in the order given.
    With fail, a pattern of failure, stop at once when it appears."""
    found = {}
    while len(found) < len(patterns):
        if fail:
            bad = re.search(fail, m.output)
            assert not bad, f"failure reported on the console: {bad.group(0)!r}"
        for i, p in enumerate(patterns):
            if i not in found:
                hit = re.search(p, m.output, re.MULTILINE)
                if hit:
                    found[i] = hit
        rest = [p for i, p in enumerate(patterns) if i not in found]
        if rest:
            m.expect(rest + ([fail] if fail else []), timeout=timeout)
    return [found[i] for i in range(len(patterns))]
