"""Running the real command on hostile input: in its own process, with its wall time and its
peak memory measured, and the saved state fingerprinted before and after.

The bounds the hostile-input tests hold every case to (the issue's, with room for a slow CI
machine on the time side only: memory is not noisy).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKBOOK_SECONDS, WORKBOOK_MB = 20, 300  # a hostile workbook or oversized file
YAML_SECONDS, YAML_MB = 5, 200  # a YAML bomb
TABLE_SECONDS = 5  # a table holding one very long value


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def message_lines(self) -> list[str]:
        """stderr's non-empty lines (a one-line error has exactly one)."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_cli(*args: object, cwd: Path, timeout: float = 60, env: dict[str, str] | None = None,
            stdin: str = "") -> Outcome:
    """`python -m planner ARGS` in `cwd`: its exit code, output, wall time and peak RSS (from
    wait4, so only this child counts). Killed, and the test failed, after `timeout`."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PLANNER315_")}
    environment.update({"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **(env or {})})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as given:
        given.write(stdin.encode())
        given.seek(0)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "planner", *map(str, args)],
                                   cwd=cwd, env=environment, stdin=given, stdout=out,
                                   stderr=err)
        status, usage = _wait(process, started + timeout, args)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Outcome(os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                       err.read().decode("utf-8", "replace"), seconds,
                       usage.ru_maxrss / 1024)  # Linux reports kilobytes


def _wait(process: subprocess.Popen, deadline: float, args: tuple) -> tuple[int, Any]:
    """Reap the child ourselves (wait4 gives its own rusage; Popen.wait would not)."""
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must know
            return status, usage
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            process.returncode = -9
            raise AssertionError(f"planner315 {' '.join(map(str, args))}: still running "
                                 "at its time limit")
        time.sleep(0.005)


def fingerprint(folder: Path) -> dict[str, str]:
    """A digest of every file under `folder` (the workspace's cache aside: it is a copy of
    what the files say, and may be refreshed by any command)."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and "cache" not in relative.parts:
            digests[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests
