"""Benchmark: writing 100,000 rows to .xlsx, on synthetic rows and on real register rows.

Synthetic (10 columns): our streaming writer (`planner.export.xlsx.write_table`, with its
safe-text door on every cell) against a bare openpyxl write-only loop writing the same cells,
and against pandas.DataFrame.to_excel with the openpyxl and xlsxwriter engines (each skipped
when not installed).

Register (18 columns, what `export complaints` writes): a workspace seeded with ROWS
complaints; the register sheet written by `write_register_workbook` against a bare openpyxl
write-only loop appending the very same rows (the same `register_rows` from the same
complaints, dates included) with no styles, widths or print setup. Both read the register
from the database the same way, so the ratio is the writer's own cost.

Every variant runs in its own subprocess so that wall time and peak RSS are its own.

Targets: ours <= 1.3x the bare loop on synthetic rows, <= 1.2x on register rows, faster than
both pandas engines, peak RSS <= 100 MB.

    python bench/bench_export.py [ROWS]
    python bench/bench_export.py --register [ROWS]   # the register only
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
REGISTER_VARIANTS = ("register-planner", "register-bare")
HEADERS = ("编号", "姓名", "部门", "手机", "日期", "数量", "金额", "状态", "标题", "备注")
TARGET_RATIO = 1.3
TARGET_REGISTER_RATIO = 1.2
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


def seed_register(folder: Path, rows: int) -> Path:
    """A workspace whose register holds `rows` complaints as people enter them: levels,
    categories, Chinese summaries, buyers and orders, received, deadline and first-response
    times, a few flags and call-backs."""
    from planner.storage.contract import ComplaintRecord
    from planner.storage.sql_register import COLUMNS
    from planner.storage.sqlite import open_store
    from planner.workspace.layout import DB_FILE

    workspace = folder / "ws"
    workspace.mkdir()
    (workspace / "shop.yaml").write_text("name: 示例旗舰店\nsize: large\nlang: zh\n",
                                         encoding="utf-8")
    levels = (("I", 3, "first-taker", "T+1", "quality"),
              ("II", 2, "agent-supervisor", "same-day", "agent-attitude"),
              ("III", 1, "cs-supervisor", "same-day", "price-difference"),
              ("urgent", 0, "cs-supervisor", "3h", "account-security"))
    summaries = ("收到的杯子有裂纹，买家要求退货并赔偿运费", "三天未发货，客服一直没有回复",
                 "满300减50的活动没有自动减价", "买完第二天就降价了，要求退差价",
                 "=SUM(A1:A3) 商品颜色与详情页不符")
    defaults = ComplaintRecord._field_defaults
    callback = json.dumps({"satisfied": True, "by": "张敏", "at": "2027-03-20T10:00:00+08:00",
                           "note": None})

    def complaint(n: int) -> tuple:
        level, priority, handler, rule, category = levels[n % 4]
        day = f"2027-03-{11 + n % 10:02d}"
        flags = json.dumps({"vip": n % 50 == 0, "escalated": False, "from_head_office": False,
                            "sensitive": None, "media_risk": n % 400 == 0})
        values = {
            "number": f"TS-2027-{n + 1:06d}", "year": 2027, "seq": n + 1,
            "category": category, "product": f"CUP-{n % 977:03d}",
            "order_id": f"38{n:012d}", "buyer": f"买家{n % 5000}号",
            "channel": ("wangwang", "12315", "电话")[n % 3], "summary": summaries[n % 5],
            "received": f"{day}T{9 + n % 9:02d}:{n % 60:02d}:00+08:00", "received_day": day,
            "level": level, "priority": priority, "handler": handler, "rule": rule,
            "deadline": f"{day}T18:00:00+08:00", "calendar": "official", "flags": flags,
            "status": ("open", "in-progress", "replied", "resolved", "closed")[n % 5],
            "callback": callback if n % 5 == 4 else None, "created_by": "张敏",
            "campaign": 2027, "issue": f"CUP-{n % 977:03d}", "assignee": f"客服{n % 20}",
            "first_response": None if n % 5 < 2 else f"{day}T17:00:00+08:00",
        }
        return tuple(values[column] if column in values else
                     int(defaults[column]) if isinstance(defaults[column], bool)
                     else defaults[column] for column in COLUMNS)

    with open_store(workspace / DB_FILE, write=True) as store, store.transaction():
        store.db.executemany(f"INSERT INTO complaints ({', '.join(COLUMNS)}) VALUES "
                             f"({', '.join('?' for _ in COLUMNS)})",
                             map(complaint, range(rows)))
        store.db.execute("INSERT INTO complaint_counters (year, last) VALUES (2027, ?)",
                         (rows,))
    return workspace


def _register(workspace: str):
    """The workspace's complaints, policy and language, as `export complaints` reads them."""
    from planner.complaints.register import Search
    from planner.workspace.session import Workspace

    ws = Workspace.open(workspace=workspace)
    desk = ws.desk
    return desk.complaints(Search(include_void=True)), ws.policy, ws.lang


def _write_register_planner(workspace: str, out: str) -> None:
    from planner.export.complaints import write_register_workbook

    complaints, policy, lang = _register(workspace)
    write_register_workbook(Path(out), complaints, lang, policy=policy, shop="示例旗舰店",
                            year=2027, force=True)


def _write_register_bare(workspace: str, out: str) -> None:
    from openpyxl import Workbook

    from planner.core.clock import to_shanghai
    from planner.export.complaints import FIELDS, register_rows

    complaints, policy, lang = _register(workspace)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("register")
    ws.append(list(FIELDS))
    for row in register_rows(complaints, policy, lang):
        # the one thing openpyxl cannot do itself: times as Shanghai wall-clock time
        ws.append([to_shanghai(v).replace(tzinfo=None) if isinstance(v, dt.datetime) else v
                   for v in row])
    wb.save(out)


def _available(variant: str) -> bool:
    if not variant.startswith("pandas-"):
        return True
    engine = variant.split("-", 1)[1]
    return all(importlib.util.find_spec(name) is not None for name in ("pandas", engine))


def _child(variant: str, rows: int, out: str, workspace: str | None = None) -> None:
    """Run one variant in this process and print its time and peak RSS as JSON."""
    import resource

    writers = {"planner": _write_planner, "bare": _write_bare,
               "register-planner": lambda r, o: _write_register_planner(workspace, o),
               "register-bare": lambda r, o: _write_register_bare(workspace, o),
               "pandas-openpyxl": lambda r, o: _write_pandas(r, o, "openpyxl"),
               "pandas-xlsxwriter": lambda r, o: _write_pandas(r, o, "xlsxwriter")}
    began, cpu = time.perf_counter(), time.process_time()
    writers[variant](rows, out)
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_rss_mb": peak_kb / 1024,
                      "bytes": os.path.getsize(out)}))


def measure(variant: str, rows: int, workspace: Path | None = None,
            rounds: int = 1) -> dict | None:
    """The variant's fastest of `rounds` runs, each in a fresh process."""
    if not _available(variant):
        return None
    runs = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            out = str(Path(folder) / f"{variant}.xlsx")
            args = [sys.executable, __file__, "--child", variant, str(rows), out]
            done = subprocess.run(args + ([str(workspace)] if workspace else []),
                                  capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda result: result["cpu"])


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
    results.update(run_register(rows))
    return results


def run_register(rows: int, rounds: int = 5) -> dict[str, dict]:
    """The register on real rows: ours against the bare loop, best of `rounds` each."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = seed_register(Path(folder), rows)
        # rounds interleaved, so that a busy spell of the machine falls on both variants
        runs: dict[str, list[dict]] = {variant: [] for variant in REGISTER_VARIANTS}
        for _ in range(rounds):
            for variant in REGISTER_VARIANTS:
                runs[variant].append(measure(variant, rows, workspace))
        results = {variant: min(found, key=lambda result: result["cpu"])
                   for variant, found in runs.items()}
    print(f"\nregister: {rows:,} complaints x 18 columns (best of {rounds}; CPU time, which a "
          "busy machine disturbs less than wall time)")
    print(f"{'variant':<20}{'seconds':>10}{'CPU s':>10}{'peak RSS MB':>14}{'file KB':>10}")
    for variant, result in results.items():
        print(f"{variant:<20}{result['seconds']:>10.2f}{result['cpu']:>10.2f}"
              f"{result['peak_rss_mb']:>14.1f}{result['bytes'] / 1024:>10.0f}")
    ratio = results["register-planner"]["cpu"] / results["register-bare"]["cpu"]
    peak = results["register-planner"]["peak_rss_mb"]
    print(f"register-planner / register-bare time x{ratio:.2f}")
    print(f"targets: <= {TARGET_REGISTER_RATIO}x bare on register rows: "
          f"{'ok' if ratio <= TARGET_REGISTER_RATIO else 'MISSED'}"
          f" | peak RSS <= {TARGET_RSS_MB} MB: {'ok' if peak <= TARGET_RSS_MB else 'MISSED'}")
    return results


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4], *sys.argv[5:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--register":
        run_register(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
