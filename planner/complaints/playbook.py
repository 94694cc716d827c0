"""The answer playbook: customer types, answer scripts and principles, from playbook.yaml.

`load_playbook(lang)` gives plain localized data for the CLI and the notice export; the file
is validated first (a missing translation names the file, line and entry).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from planner.core.errors import Msg, PlannerError

# The YAML helpers are imported inside the functions so that the CLI can take
# CUSTOMER_TYPES from here without loading PyYAML at start-up.
PLAYBOOK_FILE = "playbook.yaml"
TYPE_FIELDS = ("name", "signs", "approach", "how", "words")
CUSTOMER_TYPES = ("aggressive", "quiet", "habitual")
# What an entry of `scripts` is besides an answer script: a handling technique, or a common
# after-sales dispute with its remedies. The notice's reminders quote only the scripts.
SCRIPT_KINDS = ("technique", "dispute")


@cache
def playbook_data() -> dict[str, Any]:
    """The shipped playbook, validated, with every text as ``{zh, en}``."""
    from planner.core.snapshot import load_shipped

    return parse_playbook(load_shipped("planner.templates", PLAYBOOK_FILE), PLAYBOOK_FILE)


def parse_playbook(data: Any, name: str) -> dict[str, Any]:
    """Validate the playbook data read from `name`; returns the same shape, texts stripped."""
    from planner.core.i18n import bilingual
    from planner.core.yamlio import check_choice, line_of

    if not isinstance(data, dict):
        raise PlannerError("error.wrong-type", file=name, expected=Msg("type.mapping"))
    types: list[dict[str, Any]] = []
    for entry in _list(data, "customer_types", name):
        typ = _entry(entry, name, "customer_types", TYPE_FIELDS)
        line, field = line_of(entry, "id"), f"customer_types.{typ['id']}"
        check_choice(typ["id"], CUSTOMER_TYPES, file=name, line=line, field=field)
        if any(known["id"] == typ["id"] for known in types):
            raise PlannerError("error.data-duplicate-id", file=name, line=line, field=field)
        types.append(typ)
    scripts = []
    for entry in _list(data, "scripts", name):
        script = _entry(entry, name, "scripts", ("name",))
        script["kind"] = entry.get("kind")
        if script["kind"] is not None:
            check_choice(script["kind"], SCRIPT_KINDS, file=name, line=line_of(entry, "kind"),
                         field=f"scripts.{script['id']}.kind")
        field = f"scripts.{script['id']}.lines"
        lines = _list(entry, "lines", name, field)
        script["lines"] = [
            bilingual(line, name, getattr(line, "line", None) or line_of(entry, "lines"),
                      f"{field}[{number}]")
            for number, line in enumerate(lines, start=1)]
        scripts.append(script)
    principles = [bilingual(entry, name, getattr(entry, "line", None), f"principles[{number}]")
                  for number, entry in enumerate(_list(data, "principles", name), start=1)]
    return {"customer_types": types, "scripts": scripts, "principles": principles}


def load_playbook(lang: str, customer_type: str | None = None) -> dict[str, Any]:
    """The playbook in `lang` as plain strings.

    ``{"customer_types": [{"id", "name", "signs", "approach", "how", "words"}],
    "scripts": [{"id", "kind", "name", "lines": [...]}], "principles": [...]}`` (`kind`:
    None for an answer script, else one of `SCRIPT_KINDS`). With
    `customer_type`, only that type is listed (scripts and principles stay).
    """
    data = playbook_data()
    types = [{key: value if key == "id" else value[lang] for key, value in entry.items()}
             for entry in data["customer_types"]
             if customer_type is None or entry["id"] == customer_type]
    if customer_type is not None and not types:
        raise PlannerError("error.unknown-value", field="type", value=customer_type,
                           allowed=", ".join(entry["id"] for entry in data["customer_types"]))
    scripts = [{"id": entry["id"], "kind": entry["kind"], "name": entry["name"][lang],
                "lines": [line[lang] for line in entry["lines"]]} for entry in data["scripts"]]
    return {"customer_types": types, "scripts": scripts,
            "principles": [entry[lang] for entry in data["principles"]]}


def _list(data: Any, key: str, name: str, field: str | None = None) -> list[Any]:
    from planner.core.yamlio import line_of

    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list) or not value:
        raise PlannerError("error.data-missing", file=name, line=line_of(data, key),
                           field=field or key)
    return value


def _entry(entry: Any, name: str, key: str, fields: tuple[str, ...]) -> dict[str, Any]:
    from planner.core.i18n import bilingual
    from planner.core.yamlio import line_of

    ident = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(ident, str) or not ident:
        raise PlannerError("error.data-missing", file=name, line=getattr(entry, "line", None),
                           field=f"{key}.id")
    result: dict[str, Any] = {"id": ident}
    for field in fields:
        result[field] = bilingual(entry.get(field), name, line_of(entry, field),
                              f"{key}.{ident}.{field}")
    return result
