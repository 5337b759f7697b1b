# SPDX-License-Identifier: MIT
"""pytest glue for the QEMU tests: the `boot` fixture and failure reports.

    def test_banner(boot):
        m = boot("loglevel=debug", smp=2)
        m.expect(r"Axolotl")

boot(args="", smp=4, mem="256M", extra=None, **kw) starts a Machine (see
axolotl_qemu.py; kw goes to it: kernel=, timeout=, wall_limit=, ...). All
machines of a test write to build/qemu-logs/<module>.<test>.log and are
killed when the test ends, pass or fail. When a test fails, its report
shows the last console lines of each machine and the log's path.
"""

import re
import subprocess
from pathlib import Path

import pytest

from axolotl_qemu import (
    CONTEXT_LINES,
    KERNEL,
    LOG_DIR,
    QEMU,
    REPO_ROOT,
    Machine,
    QemuError,
)


def log_name(item):
    """build/qemu-logs/<this>.log for a test item."""
    name = f"{Path(str(item.fspath)).stem}.{item.name}"
    return re.sub(r"[^A-Za-z0-9_.,=+\[\]-]+", "_", name)[:200]


@pytest.fixture
def boot(request):
    """A function that starts a Machine; every one is killed at test end."""
    machines = []
    request.node._axolotl_machines = machines
    log_path = LOG_DIR / f"{log_name(request.node)}.log"

    def start(args="", smp=4, mem="256M", extra=None, **kw):
        n = len(machines) + 1
        kw.setdefault("name", request.node.name + ("" if n == 1 else f"#{n}"))
        kw.setdefault("log_path", log_path)
        kw.setdefault("log_mode", "w" if n == 1 else "a")
        m = Machine(args=args, smp=smp, mem=mem, extra=extra, **kw)
        machines.append(m)
        return m

    yield start

    errors = []
    for m in machines:
        try:
            m.close()
        except Exception as e:  # keep killing the others
            errors.append(f"{m.name}: {e!r}")
    if errors:
        raise RuntimeError("could not stop QEMU: " + "; ".join(errors))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    told = call.excinfo is not None and isinstance(call.excinfo.value, QemuError)
    if told and rep.failed:
        # The short summary (-r) and JUnit's message attribute use the
        # "crash message": keep it to the first line. (On CI pytest would
        # repeat the whole console excerpt there.) The full message stays
        # in the traceback above it.
        crash = getattr(rep.longrepr, "reprcrash", None)
        if crash is not None and isinstance(getattr(crash, "message", None), str):
            crash.message = crash.message.split("\n", 1)[0]
    machines = getattr(item, "_axolotl_machines", None)
    if not machines or not rep.failed or call.when == "teardown":
        return
    # A QemuError's message already holds the console around the mismatch.
    for m in machines:
        log = Machine._rel(m.log_path)
        if told:
            rep.sections.append((f"QEMU {m.name}", f"console log: {log}"))
        else:
            rep.sections.append(
                (
                    f"QEMU {m.name}: last {CONTEXT_LINES} console lines",
                    f"{m.context()}\nconsole log: {log}",
                )
            )


def pytest_report_header(config):
    try:
        ver = subprocess.run(
            [QEMU, "--version"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()[0]
    except Exception as e:
        ver = f"{QEMU}: not runnable ({e})"
    kernel = Machine._rel(KERNEL) if KERNEL.is_file() else f"{KERNEL} (missing)"
    return [f"qemu: {ver}", f"kernel: {kernel}", f"logs: {Machine._rel(LOG_DIR)}/"]


__all__ = ["boot", "log_name", "REPO_ROOT"]
