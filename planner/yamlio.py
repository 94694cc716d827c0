"""YAML reading that remembers where every value came from.

Mappings come back as `Node` dicts whose `lines` record the line of each key, so that data
errors can name the file, the line and the field. Syntax errors become a `PlannerError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

from planner.errors import PlannerError


class Node(dict):
    """A YAML mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(_BaseLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    mapping = Node()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise PlannerError("error.yaml-duplicate-key", line=key_node.start_mark.line + 1,
                               field=str(key))
        try:
            hash(key)
        except TypeError:
            raise PlannerError("error.yaml-syntax", line=key_node.start_mark.line + 1,
                               detail="unhashable key") from None
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, name: str) -> Any:
    """Parse `text`; errors name `name` and the line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except PlannerError as err:
        raise err.located(file=name) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise PlannerError("error.yaml-syntax", file=name, line=line,
                           detail=err.problem or str(err)) from None
    except yaml.YAMLError as err:
        raise PlannerError("error.yaml-syntax", file=name, detail=str(err)) from None


def read_text_file(path: str | Path) -> str:
    """A user's text file, decoded as UTF-8 (with or without BOM); errors name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlannerError("error.file-missing", file=str(path)) from None
    except IsADirectoryError:
        raise PlannerError("error.file-is-dir", file=str(path)) from None
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise PlannerError("error.file-encoding", file=str(path), line=line) from None


def load_yaml_file(path: str | Path) -> Any:
    return parse_yaml(read_text_file(path), str(path))


def load_resource(package: str, name: str) -> Any:
    """A YAML data file shipped inside the package (checklists/ or templates/)."""
    from importlib.resources import files

    text = (files(package) / name).read_text(encoding="utf-8")
    return parse_yaml(text, name)


def line_of(data: Any, key: Any) -> int | None:
    return data.line_of(key) if isinstance(data, Node) else None
