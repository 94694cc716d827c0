"""The shipped data files: every message bilingual, the YAML parse cache, the README."""

import re
from importlib.resources import files
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.yamlio import Node, parse_yaml

README = Path(__file__).resolve().parent.parent / "README.md"


def message_files():
    folder = files("planner.templates") / "messages"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))


@pytest.mark.parametrize("name", message_files())
def test_every_message_has_both_languages_and_same_placeholders(name):
    text = (files("planner.templates") / "messages" / name).read_text(encoding="utf-8")
    for key, entry in parse_yaml(text, name).items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        placeholders = [set(re.findall(r"(?<!\{)\{(\w+)\}", entry[lang])) for lang in ("zh", "en")]
        assert placeholders[0] == placeholders[1], key


def test_message_keys_are_unique_across_files():
    seen = {}
    for name in message_files():
        text = (files("planner.templates") / "messages" / name).read_text(encoding="utf-8")
        for key in parse_yaml(text, name):
            assert key not in seen, f"{key} in {name} and {seen[key]}"
            seen[key] = name


def test_parse_cache_round_trips_lines_and_survives_damage(monkeypatch, tmp_path):
    cache = tmp_path / "c"
    monkeypatch.setenv("PLANNER315_CACHE", str(cache))
    text = "a: 1\nb:\n  c: [x, y]\n"
    first = parse_yaml(text, "f.yaml")
    [entry] = list((cache / "yaml").iterdir())
    second = parse_yaml(text, "f.yaml")
    assert second == first == {"a": 1, "b": {"c": ["x", "y"]}}
    assert isinstance(second, Node) and second.line_of("b") == 2 and second["b"].line == 3
    entry.write_bytes(b"garbage")
    assert parse_yaml(text, "f.yaml") == first
    monkeypatch.setenv("PLANNER315_CACHE", "")
    assert parse_yaml("z: 3\n", "g.yaml") == {"z": 3}
    assert len(list((cache / "yaml").iterdir())) == 1


def test_a_users_file_keeps_one_cache_entry_however_often_it_changes(monkeypatch, tmp_path):
    from planner.core.yamlio import load_yaml_file

    cache = tmp_path / "c"
    monkeypatch.setenv("PLANNER315_CACHE", str(cache))
    shop = tmp_path / "shop.yaml"
    for n in range(5):
        shop.write_text(f"name: shop {n}\n", encoding="utf-8")
        assert load_yaml_file(shop) == {"name": f"shop {n}"}
        assert load_yaml_file(shop) == {"name": f"shop {n}"}  # from the cache
    assert len(list((cache / "yaml").iterdir())) == 1


def test_errors_are_not_cached(monkeypatch, tmp_path):
    from planner.core.errors import PlannerError

    monkeypatch.setenv("PLANNER315_CACHE", str(tmp_path / "c"))
    for _ in range(2):
        with pytest.raises(PlannerError):
            parse_yaml("a: 1\na: 2\n", "dup.yaml")


def test_readme_mentions_every_command():
    readme = README.read_text(encoding="utf-8")
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        assert f"planner315 {name}" in readme or f"`{name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert f"{name} {sub}" in readme or f"`{sub}`" in readme, f"{name} {sub}"
