"""The shipped data files: every message bilingual, the YAML parse cache, the README."""

import re
from importlib.resources import files
from pathlib import Path

import pytest

from planner.cli import main
from planner.core.yamlio import parse_yaml

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


def test_readme_mentions_every_command():
    readme = README.read_text(encoding="utf-8")
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        assert f"planner315 {name}" in readme or f"`{name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert f"{name} {sub}" in readme or f"`{sub}`" in readme, f"{name} {sub}"
