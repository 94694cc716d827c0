"""Shell completion (Click's mechanism): scripts for bash, zsh and fish; item ids,
categories, roles, complaint numbers and statuses complete."""

from __future__ import annotations

import pytest
from click.shell_completion import ShellComplete

from planner.cli import main


def complete(words: str, incomplete: str = "") -> list[str]:
    shell = ShellComplete(main, {}, "planner315", "_PLANNER315_COMPLETE")
    return [item.value for item in shell.get_completions(words.split(), incomplete)]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(run, shell):
    result = run(env={"_PLANNER315_COMPLETE": f"{shell}_source"}, prog_name="planner315")
    assert result.exit_code == 0
    assert "_PLANNER315_COMPLETE" in result.output


def test_commands_and_options_complete(run):
    assert "complaint" in complete("", "comp")
    assert "checklist" in complete("", "check")
    assert "--owner" in complete("checklist", "--ow")


def test_values_complete_from_the_workspace(run, shop_file):
    shop_file("size: large\n")
    assert "prepare.copy.ad-law" in complete("check", "prepare.co")
    assert "prepare.copy.ad-law" in complete("log --item", "prepare.co")
    assert complete("complaint add -c", "qual") == ["quality"]
    assert "cs-manager" in complete("complaint list --owner", "cs")
    assert complete("checklist --owner", "ware") == ["warehouse"]
    assert complete("checklist --owner", "仓") == ["仓储部"]
    assert complete("complaint list --status", "re") == ["replied", "resolved"]
    assert complete("complaint update TS-2026-0001 --status", "in") == ["in-progress"]
    assert run("complaint", "add", "-c", "quality", "-s", "x", "--received",
               "2026-11-20 10:00").exit_code == 0
    assert complete("complaint show", "TS") == ["TS-2026-0001"]
    assert complete("complaint update", "ts-2026") == ["TS-2026-0001"]


def test_completion_outside_a_workspace_completes_nothing_quietly(run):
    assert complete("check", "prepare") == []
    assert complete("complaint show", "TS") == []
