"""Benchmark: writing 100,000 rows x 10 columns to .xlsx.

Compares our streaming writer (`planner.export.xlsx.write_table`, with its safe-text door on
every cell) against a bare openpyxl write-only loop writing the same cells, and against
pandas.DataFrame.to_excel with the openpyxl and xlsxwriter engines (each skipped when not
installed). Every variant runs in its own subprocess so that wall time and peak RSS are its
own.

Targets: ours <= 1.3x the bare loop, faster than both pandas engines, peak RSS <= 100 MB.

    python bench/bench_export.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

VARIANTS = ("planner", "bare", "pandas-openpyxl", "pandas-xlsxwriter")
HEADERS = ("编号", "姓名", "部门", "手机", "日期", "数量", "金额", "状态", "标题", "备注")
TARGET_RATIO = 1.3
TARGET_RSS_MB = 100


def make_rows(count: int) -> Iterator[list]:
    """The same 10 cells per row for every variant: text, Chinese, phones, dates, numbers.

    Every 500th note starts with '=' so that the safe-text path is exercised too.
    """
    start = dt.date(2027, 2, 25)
    for n in range(count):
        yield [f"C{n:06d}", f"张{n % 97}伟", "客服主管/经理", f"138{n % 100_000_000:08d}",
               (start + dt.timedelta(days=n % 45)).isoformat(), n % 1000, n * 1.25,
               ("未完成", "已完成", "不适用")[n % 3], f"每天复查页面价格、规格与文案 #{n}",
               f"=SUM(A1:A{n})" if n % 500 == 0 else f"note {n}"]


def _write_planner(rows: int, out: str) -> None:
    from planner.export.xlsx import Column, Table, new_workbook, write_table

    wb = new_workbook("bench")
    columns = [Column(h, text=h in ("编号", "手机", "日期")) for h in HEADERS]
    write_table(wb, Table(title="bench", columns=columns, rows=make_rows(rows), total=rows))
    wb.save(out)


def _write_bare(rows: int, out: str) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("bench")
    ws.append(list(HEADERS))
    for row in make_rows(rows):
        ws.append(row)
    wb.save(out)


def _write_pandas(rows: int, out: str, engine: str) -> None:
    import pandas as pd

    frame = pd.DataFrame(make_rows(rows), columns=list(HEADERS))
    frame.to_excel(out, index=False, engine=engine)


def _available(variant: str) -> bool:
    if not variant.startswith("pandas-"):
        return True
    engine = variant.split("-", 1)[1]
    return all(importlib.util.find_spec(name) is not None for name in ("pandas", engine))


def _child(variant: str, rows: int, out: str) -> None:
    """Run one variant in this process and print its time and peak RSS as JSON."""
    import resource

    writers = {"planner": _write_planner, "bare": _write_bare,
               "pandas-openpyxl": lambda r, o: _write_pandas(r, o, "openpyxl"),
               "pandas-xlsxwriter": lambda r, o: _write_pandas(r, o, "xlsxwriter")}
    began = time.perf_counter()
    writers[variant](rows, out)
    seconds = time.perf_counter() - began
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024,
                      "bytes": os.path.getsize(out)}))


def measure(variant: str, rows: int) -> dict | None:
    if not _available(variant):
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / f"{variant}.xlsx")
        done = subprocess.run([sys.executable, __file__, "--child", variant, str(rows), out],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int = 100_000) -> dict[str, dict | None]:
    """Measure every variant, print a table and the ratios; returns the measurements."""
    results = {variant: measure(variant, rows) for variant in VARIANTS}
    print(f"{rows:,} rows x {len(HEADERS)} columns")
    print(f"{'variant':<20}{'seconds':>10}{'peak RSS MB':>14}{'file KB':>10}")
    for variant, result in results.items():
        if result is None:
            print(f"{variant:<20}{'skipped (not installed)':>34}")
        else:
            print(f"{variant:<20}{result['seconds']:>10.2f}{result['peak_rss_mb']:>14.1f}"
                  f"{result['bytes'] / 1024:>10.0f}")
    ours = results["planner"]
    print()
    for variant in VARIANTS[1:]:
        other = results[variant]
        if other is not None:
            print(f"planner / {variant:<18} time x{ours['seconds'] / other['seconds']:.2f}")
    ratio = ours["seconds"] / results["bare"]["seconds"]
    faster = all(ours["seconds"] < r["seconds"] for v, r in results.items()
                 if v.startswith("pandas-") and r is not None)
    print(f"\ntargets: <= {TARGET_RATIO}x bare: {'ok' if ratio <= TARGET_RATIO else 'MISSED'}"
          f" | faster than pandas: {'ok' if faster else 'MISSED'}"
          f" | peak RSS <= {TARGET_RSS_MB} MB: "
          f"{'ok' if ours['peak_rss_mb'] <= TARGET_RSS_MB else 'MISSED'}")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
