"""YAML reading that remembers where every value came from.

Mappings come back as `Node` dicts whose `lines` record the line of each key, so that data
errors can name the file, the line and the field. Syntax errors become a `PlannerError`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from planner.core.errors import Msg, PlannerError


class Node(dict):
    """A YAML mapping that knows its own line and the line of each of its keys (1-based)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


@cache
def _loader() -> type:
    """A safe loader (libyaml's when available) that builds `Node`s; made on first use,
    because importing yaml is a good part of a command's start-up time."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader: Any, node: Any) -> Node:
        loader.flatten_mapping(node)
        mapping = Node()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                raise PlannerError("error.yaml-unhashable-key", line=line) from None
            if key in mapping:
                raise PlannerError("error.yaml-duplicate-key", line=line, field=str(key))
            try:
                mapping[key] = loader.construct_object(value_node, deep=True)
            except PlannerError as err:  # name the key path: phases.battle.start
                err.field = f"{key}.{err.field}" if err.field else str(key)
                raise
            mapping.lines[key] = line
        return mapping

    def construct_timestamp(loader: Any, node: Any) -> Any:
        try:
            return base.construct_yaml_timestamp(loader, node)
        except ValueError:  # looks like a date but is not one, e.g. 2027-02-30
            raise PlannerError("error.yaml-date", line=node.start_mark.line + 1,
                               value=node.value) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def parse_yaml(text: str, name: str) -> Any:
    """Parse `text`; errors name `name` and the line."""
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())
        _check_depth(data, name)
        return data
    except PlannerError as err:
        raise err.located(file=name) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise PlannerError("error.yaml-syntax", file=name, line=line,
                           detail=err.problem or str(err)) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise PlannerError("error.yaml-character", file=name, line=line,
                           character=f"#x{err.character:04x}") from None
    except yaml.YAMLError as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise PlannerError("error.yaml-syntax", file=name, detail=detail) from None
    except RecursionError:  # libyaml allows 1,000 levels, the constructor far fewer
        raise PlannerError("error.yaml-too-deep", file=name, limit=MAX_DEPTH) from None


# No file of ours nests deeper than a few levels (phases.2027.battle.start is four); every
# reader of the data walks it recursively, and Python's stack is about a thousand frames.
MAX_DEPTH = 32


def _check_depth(data: Any, name: str) -> None:
    """Refuse data nested deeper than `MAX_DEPTH` (walked without recursion, once)."""
    level = [data]
    for _ in range(MAX_DEPTH + 1):
        level = [child for node in level if isinstance(node, dict | list)
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, dict | list)]
        if not level:
            return
    deepest = next((node for node in level if isinstance(node, Node)), None)
    raise PlannerError("error.yaml-too-deep", file=name, limit=MAX_DEPTH,
                       line=deepest.line if deepest is not None else None)


def refuse_aliases(text: str, name: str) -> None:
    """A user's file may not use YAML aliases (``*name``): none of our files needs them, and
    nested aliases expand a few hundred bytes into gigabytes (a "billion laughs" bomb). The
    events are read before anything is built, so a bomb is refused in milliseconds."""
    if "*" not in text:
        return  # no alias can be written without an asterisk
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=base):
            if isinstance(event, yaml.AliasEvent):
                raise PlannerError("error.yaml-alias", file=name,
                                   line=event.start_mark.line + 1)
    except yaml.YAMLError:
        return  # a syntax error: the parser proper reports it with its line


def line_of(data: Any, key: Any) -> int | None:
    return data.line_of(key) if isinstance(data, Node) else None


def check_keys(mapping: Any, allowed: Any, *, file: str | None, field: str = "",
               line: int | None = None) -> None:
    """Every key of `mapping` is one of `allowed`; else an error naming the file, the key's
    line (else `line`) and the key under `field`, with the keys allowed."""
    for key in mapping:
        if key not in allowed:
            raise PlannerError("error.unknown-key", file=file,
                               line=line_of(mapping, key) or line,
                               field=f"{field}.{key}" if field else str(key),
                               allowed=", ".join(allowed))


def check_choice(value: Any, allowed: Any, *, file: str | None, line: int | None,
                 field: str) -> Any:
    """`value` if it is one of `allowed` (names, or a mapping's keys); else an error naming
    the file, the line and the field with the values allowed. A list or a mapping where one
    name is expected is a wrong type, never looked up (it cannot be, and must not crash)."""
    if isinstance(value, list | dict | set):
        raise PlannerError("error.wrong-type", file=file, line=line, field=field,
                           expected=Msg("type.one-of", allowed=", ".join(map(str, allowed))))
    if value not in allowed:
        raise PlannerError("error.unknown-value", file=file, line=line, field=field,
                           value=value, allowed=", ".join(map(str, allowed)))
    return value
