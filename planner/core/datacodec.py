"""Parsed YAML as JSON and back, losslessly: mappings keep their line numbers and key types,
dates stay dates. For the snapshot of the shipped data and the cache of a workspace's files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.core.yamlio import Node

_MAP, _LINE, _DATE, _DATETIME = "$map", "$line", "$date", "$datetime"


def encode(value: Any) -> Any:
    """`value` (as `planner.core.yamlio.parse_yaml` returns it) as plain JSON data."""
    if isinstance(value, dict):
        lines = value.lines if isinstance(value, Node) else {}
        return {_MAP: [[encode(key), encode(item), lines.get(key)]
                       for key, item in value.items()],
                _LINE: value.line if isinstance(value, Node) else None}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} as JSON")


_PLAIN = frozenset({str, int, float, bool, type(None)})  # what decodes to itself


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, list):
        return [item if item.__class__ in _PLAIN else decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if _DATE in value:
        return dt.date.fromisoformat(value[_DATE])
    if _DATETIME in value:
        return dt.datetime.fromisoformat(value[_DATETIME])
    node = Node()
    node.line = value[_LINE] or 0
    for key, item, line in value[_MAP]:  # most keys and values are text: no call for them
        if key.__class__ not in _PLAIN:
            key = decode(key)
        node[key] = item if item.__class__ in _PLAIN else decode(item)
        if line is not None:
            node.lines[key] = line
    return node
