"""Start-up and throughput benchmarks, run by hand: ``python bench/run.py``.

Every figure is a ratio against a baseline measured in the same run on the same interpreter,
so the numbers compare across machines. Each command runs in a fresh process, as a person
would type it; the median of several runs is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELLO = """\
import click

@click.command()
def main():
    click.echo("hello")

main()
"""


def median_seconds(argv: list[str], runs: int, cwd: str | None = None,
                   env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=cwd, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "planner", *args]


def report(name: str, seconds: float, baseline: float, target: float | None) -> None:
    ratio = seconds / baseline
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER {target}x")
    print(f"{name:<44} {seconds * 1000:8.1f} ms  {ratio:5.2f}x{verdict}")


def startup(runs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO)
        baseline = median_seconds([sys.executable, str(hello)], runs, cwd=folder)
        print(f"{'click hello-world (baseline)':<44} {baseline * 1000:8.1f} ms  1.00x")
        plan = median_seconds(cli("plan", "--size", "large", "--format", "json"), runs,
                              cwd=folder)
        report("planner315 plan --format json", plan, baseline, 2.0)
        report("planner315 --help", median_seconds(cli("--help"), runs, cwd=folder), baseline,
               2.0)
    return plan


def seeded_workspace(folder: Path, rows: int) -> Path:
    """A large-shop workspace whose history already holds `rows` entries."""
    from planner.store import Change, ItemState, open_store

    workspace = folder / "ws"
    workspace.mkdir()
    (workspace / "shop.yaml").write_text("name: Bench\nsize: large\nlang: zh\n",
                                         encoding="utf-8")
    done = ItemState("done", "bench", "2027-03-01T10:00:00+08:00", None)
    changes = []
    for n in range(rows):  # alternate check/uncheck on a set of ids so the history is real
        subject = f"prepare.bench.item-{n % 500}"
        checked = (n // 500) % 2 == 0
        changes.append(Change(subject, "check" if checked else "uncheck",
                              None if checked else done, done if checked else None))
    with open_store(workspace, write=True) as store:
        store.apply(changes, by="bench", recorded_at="2027-03-01T10:00:00+08:00")
    return workspace


def checkoff(runs: int, plan: float, rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = seeded_workspace(Path(folder), rows)
        env = {**os.environ, "PLANNER315_WORKSPACE": str(workspace)}
        times = []
        for n in range(runs):  # alternate so that every run really writes
            verb = "check" if n % 2 == 0 else "uncheck"
            times.append(median_seconds(cli(verb, "prepare.copy.ad-law"), 1, env=env))
        label = f"check/uncheck, {rows:,} history rows"
        report(label, statistics.median(times), plan, 1.2)
        report(f"status, {rows:,} history rows",
               median_seconds(cli("status", "--format", "json"), runs, env=env), plan, 1.2)
        report(f"next, {rows:,} history rows", median_seconds(cli("next"), runs, env=env),
               plan, 1.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "0")
    print(f"python {sys.version.split()[0]}, median of {args.runs} runs\n")
    plan = startup(args.runs)
    print("\nratios to planner315 plan:")
    checkoff(args.runs, plan)


if __name__ == "__main__":
    main()
