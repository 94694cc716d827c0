"""The worst cases of tests/test_hostile_output.py, timed by hand:
``python bench/hostile_output.py``.

Each command runs under /usr/bin/time, whose %M is the command's own peak RSS: the tests'
run_cli reads wait4's, which on Linux also counts the parent's resident size at the fork
(the kernel keeps the pre-exec high-water mark), so under pytest it reports pytest's size
when that is larger.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_hostile_output as cases
from click.testing import CliRunner

from planner.cli import main


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def timed(label: str, *args: object, cwd: Path, env: dict[str, str] | None = None) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER315_")}
    environment.update({"LANG": "C.UTF-8", **cases.ENV, **(env or {})})
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", sys.executable, "-m",
                           "planner", *map(str, args)], cwd=cwd, env=environment,
                          capture_output=True, text=True)
    seconds, kilobytes = done.stderr.rsplit("TIME ", 1)[1].split()
    print(f"{label:48s} exit {done.returncode}  {float(seconds):5.2f} s  "
          f"{int(kilobytes) / 1024:6.1f} MB")


def main_bench() -> None:
    os.environ.update(cases.ENV)
    for length in (20_000, 1_000_000):
        root = Path(tempfile.mkdtemp())
        value = cases.HOSTILE + ("长文本 long words " * length)[:length - len(cases.HOSTILE)]
        ws = cases.damaged_workspace(root, run, value)
        for command in [*cases.LONG_COMMANDS, ("complaint", "show", cases.NUMBER)]:
            timed(f"{length:>9,} {' '.join(command)}", *command, "--workspace", ws, cwd=root)
    root = Path(tempfile.mkdtemp())
    run("init", root / "ws", "--size", "large", "--shop-name", "𠀀" * 200)
    timed("export checklist, 200 four-byte characters", "export", "checklist",
          "--workspace", root / "ws", cwd=root)
    root = Path(tempfile.mkdtemp())
    ws = cases.damaged_workspace(root, run, "x", shop_name="小店")
    hooks = root / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(cases.FULL_DISK, encoding="utf-8")
    for kind in ("checklist", "complaints"):
        timed(f"export {kind} on a full disk", "export", kind, "--workspace", ws, cwd=root,
              env={"PYTHONPATH": str(hooks)})
    timed("plan (an ordinary command)", "plan", "--workspace", ws, cwd=root)


if __name__ == "__main__":
    main_bench()
