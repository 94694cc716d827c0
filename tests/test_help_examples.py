"""Every `Example` line of every command's help runs, in a scratch workspace, without error.

The workspace is a large shop called myshop in the 2027 battle, with a roster (a CS
supervisor 陈主管), seven complaints and the files the examples name. Each example runs in a
fresh copy of it, after the steps it needs first (a solution before its approval...).
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from planner.cli import main

NOW = "2027-03-16 12:00"
CONTACTS_CSV = ("部门,姓名,职务,手机,升级顺序\n"
                "cs-manager,陈主管,客服主管,13800138000,1\n"
                "warehouse,王磊,仓储组长,13900139000,2\n")
COMPLAINTS = [
    ["-c", "quality", "-s", "杯子有裂纹", "--order", "3312", "--buyer", "王女士"],
    ["-c", "after-sale", "-s", "三天未发货"],
    ["-c", "quality", "-s", "盖子漏水", "--vip"],
    ["-c", "quality", "-s", "把手松动", "--vip"],
    ["-c", "after-sale", "-s", "发错颜色"],
    ["-c", "after-sale", "-s", "少发赠品"],
    ["-c", "after-sale", "-s", "少发赠品（重复）"],
]
# Steps an example needs first, by the start of its line.
BEFORE = {
    "complaint approve TS-2027-0001": [
        ["complaint", "propose", "TS-2027-0001", "--solution", "补发"]],
    "complaint callback TS-2027-0001": [
        ["complaint", "update", "TS-2027-0001", "--status", "resolved"]],
    "undo --by 张敏": [["check", "prepare.copy.ad-law", "--by", "张敏"]],
    "uncheck prepare.copy.ad-law": [["check", "prepare.copy.ad-law"]],
    "import checklist checklist.xlsx": [["export", "checklist", "-o", "checklist.xlsx"]],
    "import checklist 315-2027-myshop-checklist.xlsx": [["export", "checklist"]],
    "roster import 联络表.xlsx": [["export", "roster", "-o", "联络表.xlsx"]],
    "roster import 联络表.xlsx --workspace myshop": [
        ["init", "myshop", "--size", "large"]],
    "audit": [["audit", "samples", "."], ["audit", "samples", "exports"]],
    "db copy --from": [["db", "copy", "--to", "postgresql://localhost/team315"]],
}
# The audits exit as a linter does: 3 when they find something, as the samples make them.
FINDINGS_EXIT = {"audit copy", "audit prices", "audit stock", "audit promotions", "audit all"}


def examples():
    """(command path, example line) for every command with help."""
    found = []

    def walk(command, path):
        if isinstance(command, click.Group):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), [*path, name])
        taking = False
        for line in (command.help or "").splitlines():
            text = line.strip()
            if text.startswith("Example"):
                taking = True
            elif taking and text.startswith("planner315 "):
                found.append((" ".join(path) or "planner315", text))
            elif taking and not text:
                taking = False

    walk(main, [])
    return found


EXAMPLES = examples()


def test_every_command_has_an_example():
    from planner.cli import COMMANDS

    assert {path.split()[0] for path, _ in EXAMPLES} >= set(COMMANDS)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examples") / "shop"
    folder.mkdir()
    runner = CliRunner()
    env = {"PLANNER315_NOW": NOW, "PLANNER315_USER": "小王", "PLANNER315_WORKSPACE": None,
           "PLANNER315_LANG": None, "LC_ALL": None, "LANG": "C.UTF-8"}

    def invoke(*args):
        result = runner.invoke(main, [*args, "--workspace", str(folder)], env=env)
        assert result.exit_code == 0, (args, result.output)

    (folder / "shop.yaml").write_text("name: myshop\nsize: large\nlang: zh\nissuer: 张经理\n",
                                      encoding="utf-8")
    (folder / "contacts.csv").write_text(CONTACTS_CSV, encoding="utf-8")
    invoke("roster", "import", str(folder / "contacts.csv"))
    for number, details in enumerate(COMPLAINTS):
        invoke("complaint", "add", *details, "--received", f"2027-03-15 {9 + number}:00")
    return folder


@pytest.mark.parametrize(("command", "line"), EXAMPLES,
                         ids=[f"{command}: {line}" for command, line in EXAMPLES])
def test_help_example_runs(command, line, scratch, tmp_path, monkeypatch):
    here = tmp_path / "shop"
    shutil.copytree(scratch, here)
    monkeypatch.chdir(here)
    monkeypatch.setenv("PLANNER315_NOW", NOW)
    monkeypatch.setenv("PLANNER315_USER", "小王")
    runner = CliRunner()
    words = shlex.split(line)[1:]
    target = None
    if ">" in words:
        words, target = words[:words.index(">")], words[words.index(">") + 1]
    if "--all-shops" in words or any(word.startswith("postgresql://") for word in words):
        # the examples of a shared database run against the test server (tests/pgserver.py)
        from pgserver import empty_database

        url = empty_database()
        monkeypatch.setenv("PLANNER315_DATABASE_URL" if "--all-shops" in words
                           else "PLANNER315_EXAMPLE_URL", url)
        words = [url if word.startswith("postgresql://") else word for word in words]
    for key, steps in BEFORE.items():
        if " ".join(words).startswith(key):
            for step in steps:
                step = [os.environ.get("PLANNER315_EXAMPLE_URL", word)
                        if word.startswith("postgresql://") else word for word in step]
                done = runner.invoke(main, step)
                assert done.exit_code == 0, (step, done.output)
    result = runner.invoke(main, words)
    expected = 3 if " ".join(words[:2]) in FINDINGS_EXIT else 0
    assert result.exit_code == expected, f"{line}\n{result.output}"
    if target:
        Path(target).write_text(result.stdout, encoding="utf-8")
