"""bench/run.py's own arithmetic: a ratio is taken pair by pair, beside its baseline."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "bench" / "run.py"


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # for its dataclasses
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["bench_run"]


def test_a_ratio_is_paired_with_a_baseline_run_beside_it(bench, monkeypatch):
    """A machine fast for the first command of every round and three times slower for the
    rest (a neighbour waking up): the ratios stay the true ones (plan 2x hello, the late
    command 1.5x plan), which comparing each command's own median would miss (6x)."""
    cost = {"hello": 0.01, "plan": 0.02, "late": 0.03}
    calls: list[str] = []
    warm_ups, per_round = 3, 5  # hello; hello+plan; plan+late

    def timed(case, round_number):
        calls.append(case.name)
        position = (len(calls) - 1 - warm_ups) % per_round
        load = 1 if len(calls) > warm_ups and position == 0 else 3
        return cost[case.name] * load, cost[case.name] * load * 0.9  # wall, CPU

    monkeypatch.setattr(bench.Case, "timed", timed)
    measured = [bench.Case("hello", [["x"]]),
                bench.Case("plan", [["x"]], "hello", 2.0),
                bench.Case("late", [["x"]], "plan", 1.2)]
    bench.run_rounds(measured, 4, wall=True)
    assert calls[:warm_ups] == ["hello", "plan", "late"]
    rounds = [calls[warm_ups + n * per_round:warm_ups + (n + 1) * per_round] for n in range(4)]
    assert rounds[0] == ["hello", "hello", "plan", "plan", "late"]  # baseline first
    assert rounds[1] == ["hello", "plan", "hello", "late", "plan"]  # then last
    plan, late = measured[1], measured[2]
    assert plan.ratio == pytest.approx(2.0) and late.ratio == pytest.approx(1.5)
    assert plan.median / measured[0].median == pytest.approx(6.0)  # what pairing avoids
    lines = bench.report(measured)
    assert lines[1].endswith("2.00x hello  ok  [2.00-2.00]")
    assert lines[2].endswith("1.50x plan  OVER 1.2x  [1.50-1.50]")


def test_ratios_are_of_cpu_time_unless_wall_is_asked_for(bench, monkeypatch):
    """Waiting for a core (the wall time of a busy machine) does not move a CPU ratio."""
    wait = iter([0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.5, 0.0, 0.5])

    def timed(case, round_number):
        cpu = {"hello": 0.01, "plan": 0.02}[case.name]
        return cpu + next(wait), cpu

    monkeypatch.setattr(bench.Case, "timed", timed)
    measured = [bench.Case("hello", [["x"]]), bench.Case("plan", [["x"]], "hello", 2.0)]
    bench.run_rounds(measured, 3)
    assert measured[1].ratios == pytest.approx([2.0, 2.0, 2.0])
