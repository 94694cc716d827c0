"""`planner315 init`: a commented shop.yaml to start a workspace from."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from string import Template

from planner.core.files import atomic_write_text
from planner.core.i18n import t
from planner.workspace.layout import SHOP_FILE


def shop_file_text(*, name: str | None, size: str | None, lang: str) -> str:
    """The shop file template in `lang`, filled in."""
    template = (files("planner.templates") / f"shop.{lang}.yaml.txt").read_text(encoding="utf-8")
    size_line = f"size: {size}" if size else "# size: large"
    counts_prefix = "# "  # a size given wins; without one, the user picks size or counts
    return Template(template).substitute(
        name=_yaml_string(name or t("init.default-name", lang)),
        size_line=size_line,
        counts=counts_prefix,
        lang=lang,
    )


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar, safe for any text the user typed."""
    import json

    return json.dumps(value, ensure_ascii=False)


def write_shop_file(folder: Path, *, name: str | None, size: str | None, lang: str,
                    force: bool = False) -> Path:
    return atomic_write_text(folder / SHOP_FILE, shop_file_text(name=name, size=size, lang=lang),
                             force=force)
