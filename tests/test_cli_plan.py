import json
import os
import subprocess
import sys

import pytest
from wcwidth import wcswidth

from planner.cli import main


def plan_json(run, *args):
    result = run("plan", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_plan_json_contract(run):
    data = plan_json(run, "--size", "large", "--year", "2027", "--lang", "en")
    assert set(data) >= {"shop", "size", "year", "lang", "phases"}
    assert (data["shop"], data["size"], data["year"], data["lang"]) == (None, "large", 2027, "en")
    assert [p["id"] for p in data["phases"]] == ["prepare", "battle", "aftermath"]
    prepare = data["phases"][0]
    assert (prepare["name"], prepare["start"], prepare["end"]) == (
        "Prepare", "2027-02-25", "2027-03-10")
    item = prepare["items"][0]
    assert set(item) >= {"id", "phase", "category", "owner", "due", "title", "detail"}
    for phase in data["phases"]:
        dues = [item["due"] for item in phase["items"]]
        assert dues == sorted(dues)
        assert all(phase["start"] <= due <= phase["end"] for due in dues)
    assert sum(len(p["items"]) for p in data["phases"]) >= 40


def test_sizes_scale_the_plan(run):
    counts = {}
    for size in ("small", "medium", "large"):
        data = plan_json(run, "--size", size, "--year", "2027")
        counts[size] = sum(len(p["items"]) for p in data["phases"])
        assert all(p["items"] for p in data["phases"])
    assert counts["small"] < counts["medium"] < counts["large"]
    small = plan_json(run, "--size", "small", "--year", "2027")
    assert [(p["start"], p["end"]) for p in small["phases"]] == [
        ("2027-03-06", "2027-03-13"), ("2027-03-14", "2027-03-16"), ("2027-03-17", "2027-03-23")]


@pytest.mark.parametrize(("today", "year"), [("2026-11-24", 2027), ("2027-03-12", 2027),
                                              ("2027-04-11", 2028)])
def test_default_year(run, today, year):
    assert plan_json(run, "--size", "large", "--today", today)["year"] == year


@pytest.mark.parametrize("year", ["1999", "2101", "abc"])
def test_year_out_of_range_is_usage_error(run, year):
    result = run("plan", "--size", "large", "--year", year)
    assert result.exit_code == 2
    assert "--year" in result.output


def test_no_size_is_usage_error_that_says_how(run):
    result = run("plan")
    assert result.exit_code == 2
    assert "--size" in result.output and "planner315 init" in result.output
    assert "Traceback" not in result.output


def test_no_size_message_in_chinese(run):
    result = run("plan", "--lang", "zh")
    assert result.exit_code == 2
    assert "店铺规模" in result.output


def test_table_aligns_chinese(run):
    result = run("plan", "--size", "small", "--year", "2027", "--lang", "zh")
    assert result.exit_code == 0, result.output
    heading, header, rule, *rows = result.output.split("\n\n")[1].splitlines()
    assert heading == "【备战】2027-03-06 至 2027-03-13（8 天，22 项）"
    assert header.split()[:4] == ["截止日期", "负责人", "编号", "事项"]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for row in rows:
        # the id and title columns start at the same display column in every row, however
        # many double-width characters the owner column holds
        id_at = row.index("prepare.")
        assert wcswidth(row[:id_at]) == starts[2], row
        title_at = row.index(" ", id_at) + len(row[row.index(" ", id_at):]) - len(
            row[row.index(" ", id_at):].lstrip())
        assert wcswidth(row[:title_at]) == starts[3], row


def test_markdown(run):
    result = run("plan", "--size", "small", "--year", "2027", "--format", "markdown",
                 "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Shop · 315 readiness plan 2027 · Small shop")
    assert "## [Prepare] 2027-03-06 to 2027-03-13" in result.stdout
    assert "- [ ] **2027-03-" in result.stdout
    assert result.stderr == "Size small: given with --size\n"


def test_language_resolution(run, monkeypatch, shop_file):
    assert plan_json(run, "--size", "small")["lang"] == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert plan_json(run, "--size", "small")["lang"] == "zh"
    shop_file("name: 测试店\nsize: small\nlang: en\n")
    assert plan_json(run)["lang"] == "en"
    monkeypatch.setenv("PLANNER315_LANG", "zh")
    assert plan_json(run)["lang"] == "zh"
    assert plan_json(run, "--lang", "en")["lang"] == "en"
    monkeypatch.setenv("PLANNER315_LANG", "fr")
    result = run("plan")
    assert result.exit_code == 1 and "PLANNER315_LANG" in result.output


def test_shop_file_gives_size_name_and_overrides(run, shop_file, tmp_path):
    path = shop_file(
        "name: 示例旗舰店\ndaily_orders: 2500\nphases:\n  battle: {start: 03-12, end: 03-19}\n")
    data = plan_json(run, "--shop", path, "--year", "2027")
    assert data["shop"] == "示例旗舰店" and data["size"] == "large"
    assert (data["phases"][1]["start"], data["phases"][1]["end"]) == ("2027-03-12", "2027-03-19")
    # --size wins over the shop's figures; the overrides must still fit the smaller tier
    result = run("plan", "--shop", path, "--year", "2027", "--size", "small")
    assert result.exit_code == 1
    assert "shop.yaml:4: phases.battle: overlaps the previous phase 'prepare'" in result.output


def test_full_date_override_applies_to_its_own_year_only(run, shop_file):
    """A YYYY-MM-DD override no longer locks the workspace to its year."""
    shop_file("size: large\nphases:\n  prepare: {start: 2028-02-20}\n")
    assert plan_json(run, "--today", "2026-11-27")["year"] == 2027
    assert plan_json(run, "--year", "2028")["phases"][0]["start"] == "2028-02-20"
    assert plan_json(run, "--year", "2029")["phases"][0]["start"] == "2029-02-25"


def test_overrides_for_several_years_in_one_shop_file(run, shop_file):
    shop_file('size: large\nphases:\n  battle: {start: 03-12, end: 03-20}\n'
              '  "2027": {prepare: {start: 2027-03-01, end: 2027-03-11}}\n'
              '  "2028":\n    prepare: {start: 2028-02-28, end: 2028-03-11}\n')
    dates = {year: [(p["start"], p["end"]) for p in plan_json(run, "--year", year)["phases"]]
             for year in ("2027", "2028", "2029")}
    assert dates["2027"][:2] == [("2027-03-01", "2027-03-11"), ("2027-03-12", "2027-03-20")]
    assert dates["2028"][:2] == [("2028-02-28", "2028-03-11"), ("2028-03-12", "2028-03-20")]
    assert dates["2029"][:2] == [("2029-02-25", "2029-03-10"), ("2029-03-12", "2029-03-20")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("size: huge\n", "shop.yaml:1: size: unknown value 'huge'"),
        ("size: large\ncolour: red\n", "shop.yaml:2: colour: unknown key"),
        ("size: large\nphases:\n  battle: {start: 03-16}\n",
         "shop.yaml:3: phases.battle: the battle phase (2027-03-16 to 2027-03-20) must contain"),
        ("size: large\nphases:\n  prepare: {end: 03-12}\n",
         "shop.yaml:3: phases.prepare: overlaps the next phase 'battle'"),
        ("size: [unclosed\n", "shop.yaml:2: YAML syntax error"),
        ("daily_orders: many\n", "shop.yaml:1: daily_orders: wrong type"),
        ("size: large\nsize: small\n", "shop.yaml:2: size: duplicate key"),
        ("- just\n- a list\n", "shop.yaml: wrong type; expected: a mapping (key: value)"),
        ("size: large\nphases:\n  prepare: {start: 2027-02-30}\n",
         "shop.yaml:3: phases.prepare.start: '2027-02-30' is not a valid date"),
    ],
)
def test_bad_shop_file_is_one_line_error(run, shop_file, text, expected):
    shop_file(text)
    result = run("plan", "--year", "2027", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert expected in lines[0]


def test_missing_and_misencoded_shop_files(run, tmp_path):
    result = run("plan", "--shop", tmp_path / "nope.yaml", "--lang", "en")
    assert result.exit_code == 1 and "nope.yaml: file not found" in result.output
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("name: 示例店\nsize: large\n".encode("gbk"))
    result = run("plan", "--shop", gbk, "--lang", "en")
    assert result.exit_code == 1 and "gbk.yaml:1: the file is not UTF-8" in result.output


def test_checklist_filters_and_details(run):
    result = run("checklist", "--size", "large", "--year", "2027", "--phase", "battle",
                 "--format", "json")
    data = json.loads(result.output)
    assert data["items"] and all(item["phase"] == "battle" for item in data["items"])
    assert all(item["detail"] for item in data["items"])
    result = run("checklist", "--size", "large", "--owner", "warehouse", "--format", "json")
    assert {item["owner"] for item in json.loads(result.output)["items"]} == {"warehouse"}
    result = run("checklist", "--size", "large", "--owner", "ceo")
    assert result.exit_code == 2 and "ceo" in result.output
    table = run("checklist", "--size", "small", "--lang", "zh", "--phase", "prepare")
    assert table.exit_code == 0 and "说明" in table.output


def test_init_writes_commented_shop_file_and_refuses_overwrite(run, tmp_path):
    result = run("init", "ws", "--shop-name", "=HYPERLINK(x)", "--size", "medium",
                 "--lang", "zh")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ws" / "shop.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and "contacts:" in text
    data = plan_json(run, "--workspace", tmp_path / "ws", "--year", "2027")
    assert (data["shop"], data["size"], data["lang"]) == ("=HYPERLINK(x)", "medium", "zh")
    again = run("init", "ws", "--lang", "en")
    assert again.exit_code == 1 and "--force" in again.output
    assert (tmp_path / "ws" / "shop.yaml").read_text(encoding="utf-8") == text
    assert run("init", "ws", "--force", "--lang", "en").exit_code == 0
    assert "My Shop" in (tmp_path / "ws" / "shop.yaml").read_text(encoding="utf-8")


def test_init_without_size_leaves_the_counts_to_fill_in(run, tmp_path):
    result = run("init", "--lang", "en")
    assert result.exit_code == 0
    assert "write size: small|medium|large, or remove the # before daily_orders" in (
        result.stderr)
    text = (tmp_path / "shop.yaml").read_text(encoding="utf-8")
    assert "\n# size: large\n# daily_orders: 300\n# cs_headcount: 6\n" in text
    assert run("plan").exit_code == 2  # no size yet
    (tmp_path / "shop.yaml").write_text(text.replace("# daily_orders: 300", "daily_orders: 300"),
                                        encoding="utf-8")
    result = run("plan", "--year", "2027")
    assert result.exit_code == 0
    assert result.stderr == "Size medium: 300 orders a day ≥ 200\n"
    assert plan_json(run, "--year", "2027")["size"] == "medium"


def test_init_with_size_comments_the_counts_out(run, tmp_path):
    result = run("init", "--size", "small", "--lang", "zh")
    assert result.exit_code == 0 and not result.stderr
    text = (tmp_path / "shop.yaml").read_text(encoding="utf-8")
    assert "\nsize: small\n# daily_orders: 300\n# cs_headcount: 6\n" in text
    assert run("plan").stderr == "店铺规模 small：shop.yaml 中的 size\n"


def test_plan_says_a_small_shop_is_below_every_minimum(run, shop_file):
    shop_file("daily_orders: 30\ncs_headcount: 2\n")
    assert run("plan", "--lang", "en").stderr == (
        "Size small: 30 orders a day < 200 and 2 CS agents < 5\n")
    shop_file("cs_headcount: 25\n")
    assert run("plan", "--lang", "en").stderr == "Size large: 25 CS agents ≥ 20\n"


def test_every_command_has_help_with_example(run):
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        paths = [[name]] + [[name, sub] for sub in getattr(command, "commands", {})]
        for path in paths:
            result = run(*path, "--help")
            assert result.exit_code == 0, path
            assert "Example" in result.output, path
            assert run(*path, "-h").exit_code == 0


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and "planner315" in result.output


def test_importing_cli_is_light():
    code = ("import sys, planner.cli; "
            "heavy = [m for m in ('openpyxl', 'tabulate', 'chinese_calendar') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m(tmp_path):
    out = subprocess.run([sys.executable, "-m", "planner", "plan", "--size", "small",
                          "--format", "json", "--year", "2027"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["year"] == 2027


def test_written_files_get_ordinary_permissions(run, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        assert run("init", "ws").exit_code == 0
        assert (tmp_path / "ws" / "shop.yaml").stat().st_mode & 0o777 == 0o644
        (tmp_path / "ws" / "shop.yaml").chmod(0o600)
        assert run("init", "ws", "--force").exit_code == 0
        assert (tmp_path / "ws" / "shop.yaml").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize("steps", [
    [["plan", "--size", "large"]], [["checklist", "--size", "small"]], [["status"]],
    [["next"]], [["log"]], [["roster"]], [["complaint", "list"]], [["playbook"]],
    [["complaint", "triage", "-c", "quality", "--received", "2026-03-16 10:00"]],
    [["check", "prepare.copy.ad-law"]], [["skip", "prepare.copy.ad-law", "-r", "n/a"]],
    [["check", "prepare.copy.ad-law"], ["uncheck", "prepare.copy.ad-law"], ["undo"]],
    [["complaint", "add", "-c", "quality", "-s", "破损"]],
    [["complaint", "add", "-c", "quality", "-s", "破损"],
     ["complaint", "update", "TS-2026-0001", "--status", "replied"],
     ["complaint", "callback", "TS-2026-0001", "--satisfied", "yes"],
     ["complaint", "show", "TS-2026-0001"]],
    [["init", "other"]],
])
def test_typed_commands_never_load_openpyxl_or_an_unused_driver(tmp_path, steps):
    """What a person types loads neither the workbook library nor a database driver the
    workspace does not use (SQLite's is in the standard library)."""
    (tmp_path / "shop.yaml").write_text(
        "size: small\ncontacts:\n  - {department: warehouse, name: 王磊, mobile: '13900139000'}\n",
        encoding="utf-8")
    code = ("import sys\nfrom planner.cli import main\n"
            f"for args in {steps!r}:\n"
            "    main(args, standalone_mode=False)\n"
            "heavy = ('openpyxl', 'pandas', 'psycopg', 'psycopg2')\n"
            "print([name for name in heavy if name in sys.modules], file=sys.stderr)")
    env = {**os.environ, "PLANNER315_NOW": "2026-03-16 10:00"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_every_option_is_explained_in_both_languages():
    import re

    import click

    def commands():
        for name in main.list_commands(None):
            command = main.get_command(None, name)
            yield name, command
            for sub, subcommand in getattr(command, "commands", {}).items():
                yield f"{name} {sub}", subcommand

    for path, command in commands():
        assert re.search(r"[\u4e00-\u9fff]", command.help or ""), path
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                assert re.search(r"[\u4e00-\u9fff]", param.help), (path, param.name)
