"""Start-up and throughput benchmarks, run by hand: ``python bench/run.py [--runs N]``.

Every figure is a ratio against a baseline measured in the same run on the same interpreter,
so the numbers compare across machines. Each command runs in a fresh process, as a person
would type it. The commands are run in rounds, one of each per round, and each command that
has a baseline runs next to a run of its baseline of its own (baseline first in one round,
last in the next): its ratio is the median of these paired ratios, and their range is printed
after the verdict ([lowest-highest]) to show how noisy the run was. A ratio is one of CPU
time (the user and system seconds of the finished process, as the kernel counts them), which
other load on the machine barely moves; wall time, which waits for a free core, swings on a
busy 2-core machine (``--wall`` pairs wall times instead). The milliseconds are the median
wall time of each command's own runs.

Ratios: `plan` and `--help` against a Click hello-world (target 2x); the state commands on a
workspace holding five campaign years of 100,000 history rows each and 100,000 complaints
against `plan` (targets 1.2x, and 2x for listing and finding complaints and the daily
report). The table forms people type (`status`, `complaint list`, `checklist`, `log --limit
50`, and `roster` of 1,000 contacts, target 1.5x) run against `plan` too, and `roster import`
of 5,000 contacts (a roster's limit) against a 2 s target. With ``--export ROWS`` it also runs
bench/bench_export.py: our streaming xlsx writer against a bare openpyxl loop and pandas
(install pandas and xlsxwriter to include those).

``--scale`` (e.g. ``--scale 10k,100k,1m``) instead seeds one workspace per size, holding that
many history rows and that many complaints, and prints the time and the peak RSS of each
long command at each size (``log --all`` as a table and as JSON, ``complaint list --all`` as
a table and as JSON, and the forms people type), so that linear time and flat memory are
shown rather than assumed.

``--audit`` instead times `audit copy` over 10,000 and 100,000 generated listings (a title and
a 500-character Chinese description each, one in twenty holding a term) against
``LC_ALL=C grep -F -f TERMS`` over the same file, as a ratio (target 5x), with its peak RSS
(target 150 MB), to show that it grows linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HELLO = """\
import click

@click.command()
def main():
    click.echo("hello")

main()
"""
ROWS = 100_000
YEARS = (2023, 2024, 2025, 2026, 2027)  # campaign years of history, ROWS rows each


@dataclass
class Case:
    name: str
    argvs: list[list[str]]  # run in turn, round after round (e.g. check, then uncheck)
    baseline: str | None = None
    target: float | None = None
    env: dict[str, str] | None = None
    absolute: float | None = None  # a target in seconds instead of a ratio
    cwd: str | None = None
    wall: bool = False  # paired by wall time: a server's work is not in the client's CPU time
    times: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # each run / its baseline's beside it

    def timed(self, round_number: int) -> tuple[float, float]:
        """Wall and CPU seconds of one run (the round picks which of `argvs`)."""
        argv = self.argvs[round_number % len(self.argvs)]
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=self.cwd, env=self.env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{' '.join(argv)} failed ({process.returncode})")
        return elapsed, usage.ru_utime + usage.ru_stime

    def run_once(self, round_number: int) -> tuple[float, float]:
        elapsed, cpu = self.timed(round_number)
        self.times.append(elapsed)
        return elapsed, cpu

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def run_rounds(measured: list[Case], runs: int, wall: bool = False) -> None:
    """One warm-up of each, then `runs` rounds of every case; a case with a baseline is run
    beside a run of the baseline of its own (before it in even rounds, after it in odd ones)
    and the pair's ratio of CPU times (of wall times with `wall`) kept."""
    pick = 0 if wall else 1
    by_name = {case.name: case for case in measured}
    for case in measured:  # one warm-up each: the YAML parse cache, the OS file cache
        case.timed(0)
    for round_number in range(runs):
        for case in measured:
            if case.baseline is None:
                case.run_once(round_number)
                continue
            baseline = by_name[case.baseline]
            if round_number % 2 == 0:
                base = baseline.timed(round_number)
                elapsed = case.run_once(round_number)
            else:
                elapsed = case.run_once(round_number)
                base = baseline.timed(round_number)
            index = 0 if case.wall else pick
            case.ratios.append(elapsed[index] / base[index])


def report(measured: list[Case]) -> list[str]:
    """A line per case: its median time, then its paired ratio and verdict with the range of
    the ratios, or its verdict against a target in seconds with the range of its times."""
    lines = []
    for case in measured:
        line = f"{case.name:<44} {case.median * 1000:8.1f} ms"
        if case.baseline:
            verdict = "ok" if case.ratio <= case.target else f"OVER {case.target}x"
            line += (f"  {case.ratio:5.2f}x {case.baseline}  {verdict}"
                     f"  [{min(case.ratios):.2f}-{max(case.ratios):.2f}]")
        elif case.absolute:
            verdict = "ok" if case.median <= case.absolute else f"OVER {case.absolute} s"
            line += (f"  target {case.absolute} s  {verdict}"
                     f"  [{min(case.times):.2f}-{max(case.times):.2f} s]")
        lines.append(line)
    return lines


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "planner", *args]


ROSTER_HEADER = "部门,姓名,职务,手机,座机/分机,旺旺/钉钉,邮箱,值班/班次,升级顺序,备岗\n"


def roster_csv(path: Path, count: int) -> Path:
    """A roster of `count` valid contacts, as a team would keep it."""
    departments = ("客服主管/经理", "仓储部", "运营部", "cs-manager")
    with open(path, "w", encoding="utf-8") as out:
        out.write(ROSTER_HEADER)
        for n in range(count):
            out.write(f"{departments[n % 4]},员工{n},客服专员,138{n:08d},0571-8765{n % 10000:04d},"
                      f"wang{n},u{n}@example.com,03-11~03-15 早班,{n % 3 + 1},员工{n + 1}\n")
    return path


def seeded_workspace(folder: Path) -> Path:
    """A large-shop workspace whose history holds ROWS check-offs in each of five campaign
    years and whose register holds ROWS complaints (most closed, a few hundred still open)."""
    from planner.core.clock import parse_datetime
    from planner.storage.contract import Change, ComplaintRecord, ItemState
    from planner.storage.sql_register import COLUMNS
    from planner.storage.sqlite import open_store
    from planner.workspace.layout import DB_FILE

    workspace = folder / "ws"
    workspace.mkdir()
    (workspace / "shop.yaml").write_text("name: Bench\nsize: large\nlang: zh\n",
                                         encoding="utf-8")
    at = parse_datetime("2027-03-01 10:00")
    done = ItemState("done", "bench", at, None)
    changes = []
    for n in range(ROWS):  # alternate check/uncheck on a set of ids so the history is real
        subject = f"prepare.bench.item-{n % 500}"
        checked = (n // 500) % 2 == 0
        changes.append(Change(subject, "check" if checked else "uncheck",
                              None if checked else done, done if checked else None))
    flags = json.dumps({"vip": False, "escalated": False, "from_head_office": False,
                        "sensitive": None, "media_risk": False})
    levels = (("I", 3, "first-taker", "T+1"), ("II", 2, "agent-supervisor", "same-day"),
              ("III", 1, "cs-supervisor", "same-day"))

    def complaint(n: int) -> tuple:
        level, priority, handler, rule = levels[n % 3]
        day = f"2027-03-{11 + n % 10:02d}"
        values = {
            "number": f"TS-2027-{n + 1:06d}", "year": 2027, "seq": n + 1,
            "category": "quality", "product": f"SKU-{n % 977}", "order_id": str(n),
            "buyer": f"buyer {n}", "channel": "wangwang",
            "summary": "杯子破损" if n % 997 == 0 else "bench complaint",
            "received": f"{day}T10:00:00+08:00", "received_day": day, "level": level,
            "priority": priority, "handler": handler, "rule": rule,
            "deadline": f"{day}T18:00:00+08:00", "calendar": "official", "flags": flags,
            "status": "open" if n % 500 == 0 else "closed", "callback": None,
            "created_by": "bench", "campaign": 2027, "issue": f"SKU-{n % 977}",
            "assignee": f"agent {n % 20}",
            "first_response": None if n % 500 == 0 else f"{day}T12:00:00+08:00",
        }
        defaults = ComplaintRecord._field_defaults
        return tuple(values[column] if column in values else
                     int(defaults[column]) if isinstance(defaults[column], bool)
                     else defaults[column] for column in COLUMNS)

    with open_store(workspace / DB_FILE, write=True) as store:
        for year in YEARS:
            store.apply(changes, year=year, by="bench", recorded_at=at.replace(year=year))
        with store.transaction():
            db = store.db
            db.executemany(f"INSERT INTO complaints ({', '.join(COLUMNS)}) VALUES "
                           f"({', '.join('?' for _ in COLUMNS)})", map(complaint, range(ROWS)))
            db.execute("INSERT INTO complaint_counters (year, last) VALUES (2027, ?)", (ROWS,))
    return workspace


def cases(folder: Path) -> list[Case]:
    hello = folder / "hello.py"
    hello.write_text(HELLO)
    workspace = seeded_workspace(folder)
    # As installed: imports come from compiled bytecode (pip writes it), so allow it here.
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**plain, "PLANNER315_WORKSPACE": str(workspace),
           "PLANNER315_NOW": "2027-03-21 09:00"}
    rows = f"{len(YEARS)} x {ROWS:,}"
    roster_ws = folder / "roster-ws"
    roster_ws.mkdir()
    (roster_ws / "shop.yaml").write_text("name: Bench\nsize: large\nlang: zh\n", encoding="utf-8")
    subprocess.run(cli("roster", "import", str(roster_csv(folder / "c1k.csv", 1_000))),
                   check=True, cwd=roster_ws, env=plain, stdout=subprocess.DEVNULL)
    big_roster = roster_csv(folder / "c5k.csv", 5_000)  # the limit, MAX_CONTACTS
    roster_env = {**plain, "PLANNER315_WORKSPACE": str(roster_ws)}
    import_ws = folder / "import-ws"  # its own: `roster` keeps showing 1,000 contacts
    import_ws.mkdir()
    (import_ws / "shop.yaml").write_text("name: Bench\nsize: large\nlang: zh\n", encoding="utf-8")
    import_env = {**plain, "PLANNER315_WORKSPACE": str(import_ws)}
    return [
        Case("click hello-world", [[sys.executable, str(hello)]], env=plain, cwd=str(folder)),
        Case("plan --format json", [cli("plan", "--size", "large", "--format", "json")],
             "click hello-world", 2.0, env=plain, cwd=str(folder)),
        Case("--help", [cli("--help")], "click hello-world", 2.0, env=plain, cwd=str(folder)),
        Case(f"check / uncheck ({rows} history rows)",
             [cli("check", "prepare.copy.ad-law"), cli("uncheck", "prepare.copy.ad-law")],
             "plan --format json", 1.2, env),
        Case(f"status --format json ({rows} rows)", [cli("status", "--format", "json")],
             "plan --format json", 1.2, env),
        Case(f"next ({rows} rows)", [cli("next", "--format", "json")], "plan --format json",
             1.2, env),
        Case(f"complaint add ({ROWS:,} complaints)",
             [cli("complaint", "add", "-c", "quality", "-s", "bench", "-p", "SKU-X",
                  "--received", "2027-03-21 08:00")], "plan --format json", 1.2, env),
        Case(f"complaint list --overdue ({ROWS:,})",
             [cli("complaint", "list", "--overdue", "--format", "json")],
             "plan --format json", 2.0, env),
        Case(f"complaint list --text ({ROWS:,})", [cli("complaint", "list", "--text", "破损")],
             "plan --format json", 2.0, env),
        Case(f"complaint list --order ({ROWS:,})", [cli("complaint", "list", "--order", "4242")],
             "plan --format json", 2.0, env),
        Case(f"complaint report --day ({ROWS:,})",
             [cli("complaint", "report", "--day", "2027-03-15")], "plan --format json", 2.0,
             env),
        Case(f"complaint edit ({ROWS:,})",
             [cli("complaint", "edit", "TS-2027-000501", "--vip"),
              cli("complaint", "edit", "TS-2027-000501", "--no-vip")],
             "plan --format json", 1.2, env),
        Case(f"complaint reply ({ROWS:,})",
             [cli("complaint", "reply", "TS-2027-000001", "--at", "2027-03-20 09:00")],
             "plan --format json", 1.2, env),
        # the table forms people type
        Case(f"status ({rows} rows)", [cli("status")], "plan --format json", 1.2, env),
        Case(f"complaint list ({ROWS:,}, first 50)", [cli("complaint", "list")],
             "plan --format json", 2.0, env),
        Case("checklist", [cli("checklist")], "plan --format json", 1.2, env),
        Case(f"log --limit 50 ({rows} rows)", [cli("log", "--limit", "50")],
             "plan --format json", 1.2, env),
        Case("roster (1,000 contacts)", [cli("roster")], "plan --format json", 1.5, roster_env),
        Case("roster import (5,000 contacts)",
             [cli("roster", "import", str(big_roster))], absolute=2.0, env=import_env),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="rounds (default 15)")
    parser.add_argument("--wall", action="store_true",
                        help="pair wall times instead of CPU times (on a quiet machine)")
    parser.add_argument("--export", type=int, default=0, metavar="ROWS",
                        help="also benchmark exporting ROWS rows (the issue uses 100000)")
    parser.add_argument("--scale", type=sizes, default=None, metavar="SIZES",
                        help="instead: time and peak RSS of the long commands at each size, "
                             "e.g. 10k,100k,1m")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="instead: check, complaint add and status on PostgreSQL (the "
                             "database at URL) against the same on SQLite, by wall time")
    parser.add_argument("--audit", action="store_true",
                        help="instead: audit copy of 10,000 and 100,000 generated listings "
                             "against grep -F")
    args = parser.parse_args()
    if args.audit:
        audit_bench(min(args.runs, 3))
        return
    if args.scale:
        scale(args.scale)
        return
    if args.postgres:
        postgres_bench(args.postgres, args.runs)
        return
    clock = "wall" if args.wall else "CPU"
    print(f"python {sys.version.split()[0]}, median of {args.runs} interleaved rounds; "
          f"ratios of {clock} time paired with a baseline run beside each command, "
          f"[their range]\n")
    with tempfile.TemporaryDirectory() as folder:
        measured = cases(Path(folder))
        run_rounds(measured, args.runs, wall=args.wall)
    for line in report(measured):
        print(line)
    if args.export:
        sys.path.insert(0, str(Path(__file__).parent))
        import bench_export

        print()
        bench_export.run(args.export)


# --- --postgres ----------------------------------------------------------------------------

def postgres_bench(url: str, runs: int) -> None:
    """The seeded workspace (ROWS history rows a year, ROWS complaints) on SQLite and, copied
    with `db copy --to`, on PostgreSQL: each command's wall time on PostgreSQL paired with the
    same command on SQLite (target 1.5x, the server on loopback)."""
    print(f"python {sys.version.split()[0]}, median of {runs} interleaved rounds; ratios of "
          "wall time, PostgreSQL paired with SQLite, [their range]\n")
    with tempfile.TemporaryDirectory() as folder:
        workspace = seeded_workspace(Path(folder))
        plain = {k: v for k, v in os.environ.items()
                 if k not in ("PYTHONDONTWRITEBYTECODE", "PLANNER315_DATABASE_URL")}
        sqlite_env = {**plain, "PLANNER315_WORKSPACE": str(workspace),
                      "PLANNER315_NOW": "2027-03-21 09:00"}
        subprocess.run(cli("db", "copy", "--to", url, "--replace"), check=True,
                       env=sqlite_env, stdout=subprocess.DEVNULL)
        shared_env = {**sqlite_env, "PLANNER315_DATABASE_URL": url}
        commands = {
            "check / uncheck": [cli("check", "prepare.copy.ad-law"),
                                cli("uncheck", "prepare.copy.ad-law")],
            "complaint add": [cli("complaint", "add", "-c", "quality", "-s", "bench", "-p",
                                  "SKU-X", "--received", "2027-03-21 08:00")],
            "status --format json": [cli("status", "--format", "json")],
            "status": [cli("status")],
        }
        measured = []
        for name, argvs in commands.items():
            base = Case(f"{name} (SQLite)", argvs, env=sqlite_env)
            measured += [base, Case(f"{name} (PostgreSQL)", argvs, base.name, 1.5,
                                    env=shared_env, wall=True)]
        run_rounds(measured, runs, wall=True)
    for line in report([case for case in measured if case.baseline]):
        print(line)


# --- --scale -----------------------------------------------------------------------------

def sizes(text: str) -> list[int]:
    """10k,100k,1m -> [10000, 100000, 1000000]."""
    units = {"k": 1_000, "m": 1_000_000}
    found = []
    for part in text.lower().split(","):
        part = part.strip().replace("_", "")
        found.append(int(float(part[:-1]) * units[part[-1]]) if part[-1] in units
                     else int(part))
    return found


def scaled_workspace(folder: Path, count: int) -> Path:
    """A workspace of one campaign holding `count` history rows and `count` complaints,
    written straight into the tables (the store's own writes check every change)."""
    from planner.storage.sql_register import COLUMNS
    from planner.storage.sqlite import open_store
    from planner.workspace.layout import DB_FILE

    workspace = folder / f"ws-{count}"
    workspace.mkdir()
    (workspace / "shop.yaml").write_text("name: Bench\nsize: large\nlang: zh\n",
                                         encoding="utf-8")
    done = json.dumps({"status": "done", "by": "bench", "at": "2027-03-01T10:00:00+08:00",
                       "note": None})

    def entry(n: int) -> tuple:
        checked = (n // 500) % 2 == 0
        return (n + 1, f"2027-03-{1 + n % 20:02d}T10:00:00+08:00", f"agent {n % 20}",
                "check" if checked else "uncheck", f"prepare.bench.item-{n % 500}",
                None if checked else done, done if checked else None,
                "杯子破损，补发" if n % 7 == 0 else None, None, 2027, "")

    with open_store(workspace / DB_FILE, write=True) as store, store.transaction():
        db = store.db
        db.executemany("INSERT INTO history (txn, recorded_at, by, action, subject, old, "
                       "new, note, reverts, year, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?)", map(entry, range(count)))
        db.executemany(f"INSERT INTO complaints ({', '.join(COLUMNS)}) VALUES "
                       f"({', '.join('?' for _ in COLUMNS)})",
                       map(complaint_row, range(count)))
        db.execute("INSERT INTO complaint_counters (year, last) VALUES (2027, ?)", (count,))
    return workspace


def complaint_row(n: int) -> tuple:
    from planner.storage.contract import ComplaintRecord
    from planner.storage.sql_register import COLUMNS

    level, priority, handler, rule = (("I", 3, "first-taker", "T+1"),
                                      ("II", 2, "agent-supervisor", "same-day"),
                                      ("III", 1, "cs-supervisor", "same-day"))[n % 3]
    day = f"2027-03-{11 + n % 10:02d}"
    values = {
        "number": f"TS-2027-{n + 1:07d}", "year": 2027, "seq": n + 1, "category": "quality",
        "product": f"SKU-{n % 977}", "order_id": str(n), "buyer": f"buyer {n}",
        "channel": "wangwang", "summary": "收到的杯子有裂纹，外包装也破损了" if n % 3 == 0
        else "bench complaint", "received": f"{day}T10:00:00+08:00", "received_day": day,
        "level": level, "priority": priority, "handler": handler, "rule": rule,
        "deadline": f"{day}T18:00:00+08:00", "calendar": "official",
        "flags": json.dumps({"vip": False, "escalated": False, "from_head_office": False,
                             "sensitive": None, "media_risk": False}),
        "status": "open" if n % 500 == 0 else "closed", "callback": None, "created_by": "bench",
        "campaign": 2027, "issue": f"SKU-{n % 977}", "assignee": f"agent {n % 20}",
        "first_response": None if n % 500 == 0 else f"{day}T12:00:00+08:00",
    }
    defaults = ComplaintRecord._field_defaults
    return tuple(values[column] if column in values else
                 int(defaults[column]) if isinstance(defaults[column], bool)
                 else defaults[column] for column in COLUMNS)


SCALED = (  # (label, argv): the long forms, then the forms people type
    ("log --all", ["log", "--all"]),
    ("log --format json", ["log", "--format", "json"]),
    ("complaint list --all", ["complaint", "list", "--all"]),
    ("complaint list --format json", ["complaint", "list", "--format", "json"]),
    ("log", ["log"]),
    ("complaint list", ["complaint", "list"]),
    ("status", ["status"]),
)


# --- --audit --------------------------------------------------------------------------------

# Common characters of shop copy: a description drawn from them reads as no term at all.
COPY_CHARS = ("的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主发年动同"
              "工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二"
              "理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天四日那")
# One listing in twenty holds a term somewhere in its description, as a shop's would; the
# innocent words around them (最近, 第一次, 唯一性) are there in every listing's title.
FINDING_EVERY = 20
PLANTED = ("最佳", "顶级", "销量第一", "特供", "秒杀", "降血压", "全网最低价", "美白")
INNOCENT = ("最近上新", "第一次购买", "唯一性溯源", "最后一天", "首次")


def listings_csv(path: Path, count: int, description_chars: int = 500) -> Path:
    """`count` listings: an id, a title and a Chinese description of `description_chars`."""
    import random

    rng = random.Random(315)
    with open(path, "w", encoding="utf-8") as out:
        out.write("商品ID,标题,详情\n")
        for n in range(count):
            text = "".join(rng.choices(COPY_CHARS, k=description_chars))
            if n % FINDING_EVERY == 0:
                at = rng.randrange(description_chars)
                text = text[:at] + PLANTED[n // FINDING_EVERY % len(PLANTED)] + text[at:]
            out.write(f"{600000000000 + n},宝贝{n} {INNOCENT[n % len(INNOCENT)]},{text}\n")
    return path


def terms_file(path: Path) -> Path:
    """The shipped term list, one per line, for grep -F."""
    from planner.audit.terms import load_terms

    path.write_text("\n".join(term.term for term in load_terms().terms) + "\n",
                    encoding="utf-8")
    return path


def audit_bench(runs: int, counts: tuple[int, ...] = (10_000, 100_000)) -> None:
    """`audit copy` against `LC_ALL=C grep -F -f TERMS` over the same listings, the best of
    `runs` each, at each size; with peak RSS. Both write to a file: GNU grep writing to
    /dev/null stops at its first match."""
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    grep_env = {**plain, "LC_ALL": "C"}
    print(f"python {sys.version.split()[0]}; audit copy against grep -F, best of {runs}\n")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        terms = terms_file(Path(folder) / "terms.txt")
        for count in counts:
            listings = listings_csv(Path(folder) / f"listings-{count}.csv", count)
            with open(Path(folder) / "out", "w") as sink:
                grep = min(measured(["grep", "-F", "-f", str(terms), str(listings)], grep_env,
                                    output=sink) for _ in range(runs))
                audit = min(measured(cli("audit", "copy", str(listings), "--format", "json"),
                                     plain, ok=(0, 3), output=sink) for _ in range(runs))
            rows.append((count, listings.stat().st_size, grep, audit))
    print(f"{'listings':>10} {'MB':>6} {'grep -F':>9} {'audit copy':>11} {'ratio':>7} "
          f"{'peak RSS':>9}")
    for count, size, (grep_time, _), (audit_time, rss) in rows:
        ratio = audit_time / grep_time
        verdict = "ok" if ratio <= 5 and rss <= 150 else "OVER (targets 5x, 150 MB)"
        print(f"{count:>10,} {size / 1e6:6.0f} {grep_time:8.2f}s {audit_time:10.2f}s "
              f"{ratio:6.1f}x {rss:7.0f} MB  {verdict}")
    if len(rows) > 1:
        (c0, _, _, (t0, _)), (c1, _, _, (t1, _)) = rows[0], rows[-1]
        print(f"\naudit copy time x{t1 / t0:.1f} for listings x{c1 / c0:.0f}")


def measured(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,),
             output: Any = subprocess.DEVNULL) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one run of `argv`, its output thrown away (or
    written to `output`); an exit code outside `ok` stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode})")
    kilobytes = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return elapsed, kilobytes / 1024


def scale(counts: list[int]) -> None:
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    print(f"python {sys.version.split()[0]}; time (s) and peak RSS (MB) per size, "
          f"each the fastest of 2 runs\n")
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in SCALED}
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            started = time.perf_counter()
            workspace = scaled_workspace(Path(folder), count)
            print(f"seeded {count:,} history rows and {count:,} complaints in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            env = {**plain, "PLANNER315_WORKSPACE": str(workspace),
                   "PLANNER315_NOW": "2027-03-21 09:00", "COLUMNS": "160"}
            for label, argv in SCALED:
                runs = [measured(cli(*argv), env) for _ in range(2)]
                results[label].append((min(t for t, _ in runs), max(r for _, r in runs)))
            (workspace / "planner315.db").unlink(missing_ok=True)
    head = "".join(f"{f'{count:,}':>22}" for count in counts)
    print(f"\n{'command':<30}{head}")
    for label, _ in SCALED:
        cells = "".join(f"{f'{t:8.2f} s {rss:6.0f} MB':>22}" for t, rss in results[label])
        print(f"{label:<30}{cells}")
    if len(counts) > 1:
        print("\nlargest size against the smallest:")
        for label, _ in SCALED:
            (t0, r0), (t1, r1) = results[label][0], results[label][-1]
            growth = counts[-1] / counts[0]
            print(f"  {label:<28} time x{t1 / t0:7.1f} for rows x{growth:,.0f}; "
                  f"peak RSS {r0:.0f} -> {r1:.0f} MB")


if __name__ == "__main__":
    main()
