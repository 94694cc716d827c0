"""The JSON snapshot of the shipped YAML: current, used only while it matches, never a cache
of a user's files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files

import pytest

from planner.core import snapshot
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.core.yamlio import Node


def test_the_shipped_snapshot_is_up_to_date():
    shipped = (files("planner.core") / snapshot.SNAPSHOT_FILE).read_text(encoding="utf-8")
    assert shipped == snapshot.dumps(snapshot.build()), (
        "the data changed: run `python -m planner.core.snapshot`")


def test_every_shipped_yaml_file_is_in_the_snapshot():
    entries = snapshot.build()
    assert "planner.checklists/items/prepare.yaml" in entries
    assert "planner.templates/policy.yaml" in entries
    assert "planner.templates/messages/core.yaml" in entries
    for entry in entries.values():
        assert set(entry) == {"checksum", "data"}


def test_a_matching_entry_is_read_from_the_snapshot(monkeypatch):
    marker = {"from": "snapshot"}
    text = (files("planner.templates") / "policy.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(snapshot, "_snapshot", lambda: {
        "planner.templates/policy.yaml": {"checksum": snapshot.checksum(text), "data": marker}})
    assert snapshot.load_shipped("planner.templates", "policy.yaml") is marker


def test_an_entry_whose_checksum_no_longer_matches_is_ignored(monkeypatch):
    """An edited file is parsed from its YAML: with its lines, so errors can name them."""
    monkeypatch.setattr(snapshot, "_snapshot", lambda: {
        "planner.templates/policy.yaml": {"checksum": "stale", "data": {"from": "snapshot"}}})
    data = snapshot.load_shipped("planner.templates", "policy.yaml")
    assert isinstance(data, Node) and "categories" in data
    assert data.line_of("categories") > 1


def test_an_edited_item_file_reports_its_own_line(monkeypatch, tmp_path):
    """A broken edit of a shipped file: the stale entry is not used, the error names the line."""
    original = files("planner.checklists") / "items/battle.yaml"
    text = original.read_text(encoding="utf-8") + "\n- not a mapping\n"
    monkeypatch.setattr(snapshot, "files", lambda package: tmp_path if package ==
                        "planner.checklists" else files(package))
    (tmp_path / "items").mkdir()
    (tmp_path / "items/battle.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PlannerError) as caught:
        snapshot.load_shipped("planner.checklists", "items/battle.yaml")
        from planner.campaign.items import parse_items
        from planner.campaign.phases import load_campaign

        parse_items(snapshot.load_shipped("planner.checklists", "items/battle.yaml"),
                    "items/battle.yaml", load_campaign())
    assert render_error(caught.value).startswith(
        f"items/battle.yaml:{text.count(chr(10))}: ")


def test_dates_survive_the_round_trip():
    import datetime as dt

    data = {"a": dt.date(2027, 3, 15), "b": [{"c": "x"}]}
    assert json.loads(snapshot.dumps(data), object_hook=snapshot._decode) == data


def test_keys_that_are_not_text_are_refused():
    with pytest.raises(TypeError):
        snapshot._check_keys({"a": {3: "x"}}, "f.yaml")


def test_commands_write_nothing_to_the_home_folder(tmp_path):
    """No cache of any kind outside the workspace: a run leaves HOME and XDG_CACHE_HOME empty."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    for args in (["plan", "--size", "large"], ["playbook"], ["complaint", "triage", "-c",
                                                             "quality"]):
        subprocess.run([sys.executable, "-m", "planner", *args], env=env, check=True,
                       capture_output=True, cwd=tmp_path)
    assert list(home.iterdir()) == []
