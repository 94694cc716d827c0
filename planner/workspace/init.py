"""`planner315 init`: a commented shop.yaml to start a workspace from."""

from __future__ import annotations

import re
import unicodedata
from importlib.resources import files
from pathlib import Path
from string import Template

from planner.core.errors import PlannerError
from planner.core.files import atomic_write_text
from planner.core.i18n import t
from planner.core.limits import MAX_NAME_CHARS
from planner.core.terminal import BIDI_CONTROLS
from planner.workspace.layout import SHOP_FILE

# Refused in a shop's name: what acts on a terminal or hides in a file name (controls, bidi
# controls, line and paragraph separators), and what is not text at all (a lone surrogate,
# from a command line in another encoding; a noncharacter).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Written as escapes in shop.yaml: what YAML will not read raw, or reads as a line break.
_YAML_RAW = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufefe"
                       "\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


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


def check_shop_name(name: str | None) -> None:
    """Refuse a name no command could show or use safely: one holding a control or bidi
    control character (or no text at all), or one longer than `MAX_NAME_CHARS`."""
    if name is None:
        return
    for position, char in enumerate(name, start=1):
        if (unicodedata.category(char) in _REFUSED_CATEGORIES or char in BIDI_CONTROLS
                or _noncharacter(char)):
            raise PlannerError("error.shop-name-unprintable", field="--shop-name",
                               position=position, char=f"U+{ord(char):04X}")
    if len(name) > MAX_NAME_CHARS:
        raise PlannerError("error.shop-name-too-long", field="--shop-name", length=len(name),
                           limit=MAX_NAME_CHARS)


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar, safe for any text the user typed: every character YAML
    would refuse or read as a line break written as its escape."""
    import json

    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_RAW.sub(_yaml_escape, quoted)


def _yaml_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def write_shop_file(folder: Path, *, name: str | None, size: str | None, lang: str,
                    force: bool = False) -> Path:
    check_shop_name(name)
    name = name.strip() if name else None  # as every command reads it back
    return atomic_write_text(folder / SHOP_FILE, shop_file_text(name=name, size=size, lang=lang),
                             force=force)
