"""Running the real command on hostile input: in its own process, with its wall time and its
peak memory measured, and the saved state fingerprinted before and after.

The bounds the hostile-input tests hold every case to (the issue's, with room for a slow CI
machine on the time side only: memory is not noisy).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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


# The command runs under a small launcher that reaps it and writes its rusage to a file. On
# Linux a child's ru_maxrss starts from the memory of the process it was forked from (exec
# keeps the high-water mark): forked straight from a pytest process of a few hundred MB, the
# command would seem that large. The launcher is small, so what it passes on is noise.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_cli(*args: object, cwd: Path, timeout: float = 60, env: dict[str, str] | None = None,
            stdin: str = "") -> Outcome:
    """`python -m planner ARGS` in `cwd`: its exit code, output, wall time and peak RSS.
    Killed, and the test failed, after `timeout`."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PLANNER315_")}
    environment.update({"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **(env or {})})
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "rusage"
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        command = [sys.executable, "-c", _LAUNCHER, str(report), sys.executable, "-m",
                   "planner", *map(str, args)]
        started = time.perf_counter()
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(command, cwd=cwd, env=environment,
                                       stdin=subprocess.PIPE, stdout=stdout, stderr=stderr,
                                       start_new_session=True)
            try:
                process.communicate(stdin.encode(), timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise AssertionError(f"planner315 {' '.join(map(str, args))}: still running "
                                     f"after {timeout} s") from None
        seconds = time.perf_counter() - started
        code, peak_kb = map(int, report.read_text().split())
        return Outcome(code, out.read_bytes().decode("utf-8", "replace"),
                       err.read_bytes().decode("utf-8", "replace"), seconds,
                       peak_kb / 1024)  # Linux reports kilobytes


def fingerprint(folder: Path) -> dict[str, str]:
    """A digest of every file under `folder` (the workspace's cache aside: it is a copy of
    what the files say, and may be refreshed by any command)."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and "cache" not in relative.parts:
            digests[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests
