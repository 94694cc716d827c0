"""YAML reading that remembers where every value came from.

Mappings come back as `Node` dicts whose `lines` record the line of each key, so that data
errors can name the file, the line and the field. Syntax errors become a `PlannerError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

CACHE_ENV = "PLANNER315_CACHE"


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
                raise PlannerError("error.yaml-syntax", line=line,
                                   detail="unhashable key") from None
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


def _parse(text: str, name: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
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


def parse_yaml(text: str, name: str) -> Any:
    """Parse `text`; errors name `name` and the line.

    Parsed results are cached by content (see `cached`): the data files are the same on
    every run, and parsing them cost more than everything else a command does.
    """
    return cached(text, lambda: _parse(text, name))


def cached(text: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, remembered on disk under the content of `text` (errors are not kept).

    The cache lives in $PLANNER315_CACHE (empty turns it off), else
    $XDG_CACHE_HOME/planner315, else ~/.cache/planner315.
    """
    path = _cache_file(text)
    if path is not None:
        hit = _cache_read(path)
        if hit is not None:
            return hit[0]
    value = compute()
    if path is not None:
        _cache_write(path, value)
    return value


def _cache_file(text: str) -> Path | None:
    import zlib

    from planner import __version__

    folder = os.environ.get(CACHE_ENV)
    if folder == "":
        return None
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        folder = os.path.join(base, "planner315")
    # Two independent 32-bit checksums and the length: a false hit between the few texts a
    # shop has is out of reach, and zlib costs nothing to import (hashlib loads OpenSSL).
    data = f"{__version__}\0{text}".encode()
    key = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"
    return Path(folder) / "yaml" / f"{key}.pickle"


def _cache_read(path: Path) -> tuple[Any] | None:
    import pickle

    try:
        with open(path, "rb") as stream:
            value = pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return None  # no entry, or an unreadable one: parse again
    return value if isinstance(value, tuple) and len(value) == 1 else None


def _cache_write(path: Path, data: Any) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((data,), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except (OSError, pickle.PicklingError):
        pass


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
