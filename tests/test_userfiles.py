"""A workspace's own files: parsed once per change, cached as JSON inside the workspace only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planner.core import userfiles
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.core.yamlio import Node
from planner.workspace.shop import load_shop

SHOP = "name: 示例店\nsize: large\nbusiness_hours: {start: '08:00', end: '23:00'}\n"


def cache_entry(workspace):
    return workspace / userfiles.CACHE_FOLDER / "shop.yaml.json"


def test_the_parsed_file_is_kept_as_json_with_its_lines(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    first = userfiles.load_yaml_file(tmp_path / "shop.yaml", tmp_path)
    saved = json.loads(cache_entry(tmp_path).read_text(encoding="utf-8"))
    assert set(saved) == {"checksum", "data"}
    second = userfiles.load_yaml_file(tmp_path / "shop.yaml", tmp_path)
    assert second == first and isinstance(second, Node)
    assert second.line_of("business_hours") == 3 and second["business_hours"].line_of("end") == 3


def test_the_cache_is_used_while_the_file_is_unchanged(tmp_path, monkeypatch):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    userfiles.load_yaml_file(tmp_path / "shop.yaml", tmp_path)
    monkeypatch.setattr(userfiles, "parse_yaml", lambda *a: pytest.fail("parsed again"))
    assert userfiles.load_yaml_file(tmp_path / "shop.yaml", tmp_path)["size"] == "large"


def test_an_edited_file_is_parsed_again_and_its_errors_name_the_line(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    load_shop(path, tmp_path)
    path.write_text("name: 示例店\nsize: huge\n", encoding="utf-8")
    with pytest.raises(PlannerError) as caught:
        load_shop(path, tmp_path)
    assert render_error(caught.value).startswith(f"{path}:2: size: ")


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    userfiles.load_yaml_file(tmp_path / "shop.yaml", tmp_path)
    for damage in ("not json", '{"checksum": 1}', '{"checksum": null, "data": 3}'):
        cache_entry(tmp_path).write_text(damage, encoding="utf-8")
        assert load_shop(tmp_path / "shop.yaml", tmp_path).business_hours.end.hour == 23
    assert json.loads(cache_entry(tmp_path).read_text(encoding="utf-8"))["checksum"]


def test_an_alias_is_refused_even_when_a_cache_claims_the_old_text(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    userfiles.load_yaml_file(path, tmp_path)
    path.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    with pytest.raises(PlannerError) as caught:
        userfiles.load_yaml_file(path, tmp_path)
    assert caught.value.key == "error.yaml-alias"


def test_no_cache_without_a_workspace(tmp_path):
    """A shop file given with --shop outside any workspace: nothing is written beside it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "shop.yaml").write_text(SHOP, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "planner", "plan", "--shop",
                          str(folder / "shop.yaml")], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["shop.yaml"]


def test_a_read_only_cache_folder_only_costs_time(tmp_path, monkeypatch):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    assert load_shop(tmp_path / "shop.yaml", tmp_path).name == "示例店"
    assert not cache_entry(tmp_path).exists()
