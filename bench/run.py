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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "0")
    print(f"python {sys.version.split()[0]}, median of {args.runs} runs\n")
    startup(args.runs)


if __name__ == "__main__":
    main()
