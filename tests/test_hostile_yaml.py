"""A shop's own YAML files when they are hostile or simply wrong: a list where a name belongs,
a bomb, a file that never ends, a value megabytes long, years the program does not plan for.
Every case: exit 1, one line naming the file (and line and field where there is one), no
traceback, bounded time and memory, and nothing saved."""

from __future__ import annotations

import os

import pytest
from hostile import YAML_MB, YAML_SECONDS, fingerprint, run_cli

from planner.core.errors import PlannerError
from planner.core.i18n import render_error

COMMANDS = (["plan"], ["status"], ["checklist"], ["complaint", "list"], ["next"])
NOT_SCALARS = ("[large]", "{large: 1}", "[[a, b], {c: d}]")


def shop(folder, text: str) -> None:
    (folder / "shop.yaml").write_text(text, encoding="utf-8")


def refused(result, *located: str) -> str:
    """The one line of a refusal, which names every part of `located`."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for part in located:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("value", NOT_SCALARS)
@pytest.mark.parametrize(("key", "line"), [("size", 2), ("lang", 3), ("name", 1),
                                           ("issuer", 4), ("daily_orders", 5)])
def test_a_list_or_mapping_where_one_value_belongs(run, tmp_path, key, line, value):
    values = {"name": "店", "size": "large", "lang": "zh", "issuer": "张敏", "daily_orders": 3}
    values[key] = value
    shop(tmp_path, "".join(f"{name}: {shown}\n" for name, shown in values.items()))
    before = fingerprint(tmp_path)
    for command in COMMANDS:
        message = refused(run(*command, "--lang", "en"), f"shop.yaml:{line}", key)
        assert "wrong type" in message
        assert "[" not in message.split("wrong type")[1] or key == "size"  # no list echoed
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize(("text", "where"), [
    ("phases:\n  battle: {start: [03-11], end: 03-20}\n", "shop.yaml:4"),
    ("phases:\n  battle: {start: {a: 1}, end: 03-20}\n", "shop.yaml:4"),
    ("service:\n  battle: {days: [[mon]], hours: '08:00-20:00'}\n", "shop.yaml:4"),
    ("business_hours: {start: [9], end: '18:00'}\n", "shop.yaml:3"),
])
def test_nested_values_in_the_settings_are_named_not_crashed_on(run, tmp_path, text, where):
    shop(tmp_path, "name: x\nsize: large\n" + text)
    message = refused(run("plan", "--lang", "en"), where)
    assert "{'a'" not in message and "['03" not in message and "[[" not in message


def test_a_policy_with_a_list_where_a_name_belongs(run, tmp_path):
    shop(tmp_path, "name: 店\nsize: small\n")
    (tmp_path / "policy.yaml").write_text(
        "urgent:\n  handler: [cs-manager, shop-owner]\n", encoding="utf-8")
    result = run("complaint", "list", "--lang", "en")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "policy.yaml" in result.output


@pytest.mark.parametrize("bracket", ["[", "{a: "])
def test_nesting_deep_enough_to_exhaust_the_parser(tmp_path, bracket):
    closing = "]" if bracket == "[" else "}"
    shop(tmp_path, f"name: x\nsize: large\nphases: {bracket * 400}1{closing * 400}\n")
    outcome = run_cli("plan", cwd=tmp_path)
    assert outcome.code == 1, outcome.stderr
    assert len(outcome.message_lines) == 1 and "Traceback" not in outcome.stderr
    assert "shop.yaml" in outcome.stderr and "nested more than 32 levels" in outcome.stderr
    assert outcome.seconds < YAML_SECONDS and outcome.peak_mb < YAML_MB


def test_an_alias_bomb_is_refused_within_bounds(tmp_path):
    rows = ["a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']"]
    rows += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
             for i in range(9)]
    shop(tmp_path, "\n".join([*rows, "name: *j", "size: large"]) + "\n")
    outcome = run_cli("status", cwd=tmp_path)
    assert outcome.code == 1 and len(outcome.message_lines) == 1
    assert outcome.seconds < YAML_SECONDS and outcome.peak_mb < YAML_MB
    assert len(outcome.stderr) < 300


@pytest.mark.parametrize("build", ["comment", "scalar", "entries"])
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, build):
    body = {"comment": "# " + "x" * 20_000_000,
            "scalar": "name: '" + "长" * 5_000_000 + "'",
            "entries": "contacts:\n" + "  - {name: a, department: pr}\n" * 500_000}[build]
    shop(tmp_path, f"size: large\n{body}\n")
    before = fingerprint(tmp_path)
    outcome = run_cli("plan", cwd=tmp_path)
    assert outcome.code == 1, outcome.stderr[-300:]
    assert outcome.message_lines == [outcome.message_lines[0]]
    assert "shop.yaml" in outcome.stderr and "larger than 1 MB" in outcome.stderr
    assert outcome.seconds < YAML_SECONDS and outcome.peak_mb < YAML_MB
    assert fingerprint(tmp_path) == before


def test_a_file_just_under_the_limit_is_still_read_within_bounds(tmp_path):
    """The worst a file under the limit can cost: dense flow mappings, a megabyte of them."""
    lines = ["name: x", "size: large", "phases:"]
    lines += [f"  # {'note ' * 14}" for _ in range(2_000)]
    lines += ["service:", "  default: {days: workdays, hours: '09:00-18:00'}"]
    text = "\n".join(lines) + "\n"
    text += "issuer: '" + "x" * (1_000_000 - len(text.encode()) - 20) + "'\n"
    shop(tmp_path, text)
    outcome = run_cli("plan", "--format", "json", cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert outcome.seconds < YAML_SECONDS and outcome.peak_mb < YAML_MB


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_shop_file_that_never_ends(run, tmp_path):
    (tmp_path / "policy.yaml").symlink_to("/dev/zero")
    shop(tmp_path, "name: 店\nsize: small\n")
    outcome = run_cli("complaint", "list", cwd=tmp_path, timeout=YAML_SECONDS * 2)
    assert outcome.code == 1 and len(outcome.message_lines) == 1
    assert "policy.yaml" in outcome.stderr and outcome.peak_mb < YAML_MB


def test_echoed_values_are_short_single_lines_without_controls():
    long_value = "\x1b]0;owned\x07" + "x" * 5_000 + "\nsecond line"
    err = PlannerError("error.unknown-value", file="shop.yaml", line=2, field="size",
                       value=long_value, allowed="small, medium, large")
    message = render_error(err, "en")
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert "\\x1b" in message and len(message) < 200 and "…" in message


def test_a_list_parameter_is_named_by_its_kind():
    err = PlannerError("error.unknown-value", field="size", value=["x"] * 1_000_000,
                       allowed="small")
    assert render_error(err, "en") == "size: unknown value '(a list)'; choose from: small"
    assert "列表" in render_error(err, "zh")


def test_a_hostile_key_is_cut_in_the_location(run, tmp_path):
    shop(tmp_path, f"name: x\nsize: large\n{'k' * 10_000}: 1\n")
    message = refused(run("plan", "--lang", "en"), "shop.yaml:3")
    assert len(message) < 600


@pytest.mark.parametrize(("text", "field"), [
    ("phases:\n  9999:\n    battle: {start: 03-11, end: 03-20}\n", "phases.9999"),
    ("phases:\n  1999:\n    battle: {start: 03-11, end: 03-20}\n", "phases.1999"),
    ("phases:\n  battle: {start: 2101-03-11, end: 03-20}\n", "phases.battle.start"),
    ("phases:\n  battle: {start: 0001-03-11, end: 03-20}\n", "phases.battle.start"),
])
def test_years_outside_the_campaigns_name_file_line_and_field(run, tmp_path, text, field):
    shop(tmp_path, "name: 店\nsize: large\n" + text)
    for lang, words in (("en", "outside 2000-2100"), ("zh", "超出范围")):
        message = refused(run("plan", "--lang", lang), "shop.yaml:4", field)
        assert words in message


def test_holidays_years_outside_the_range_are_located(run, tmp_path):
    shop(tmp_path, "name: 店\nsize: large\n")
    (tmp_path / "holidays.yaml").write_text(
        "2027:\n  days_off: [2027-03-16]\n2101:\n  days_off: [2101-01-01]\n", encoding="utf-8")
    before = fingerprint(tmp_path)
    result = run("complaint", "triage", "-c", "quality", "-r", "2027-03-13 10:00", "--lang", "en")
    refused(result, "holidays.yaml:3", "2101")
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize("args", [
    ["complaint", "add", "-s", "x", "-c", "\x1b[2J" + "c" * 100_000],
    ["complaint", "list", "--status", "\x1b]0;owned\x07" * 5_000],
    ["plan", "--" + "x" * 100_000],
    ["plan", "--size", "\u202e" + "s" * 50_000],
])
def test_usage_errors_echo_what_was_typed_short_and_escaped(run, args):
    result = run(*args, "--lang", "en")
    assert result.exit_code in (1, 2)  # a category is checked by the library, not by Click
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error:") and len(error) < 2_100
    assert not any(char in result.output for char in "\x1b\x07\u202e")
