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

from planner.core.errors import PlannerError

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


def parse_yaml(text: str, name: str, *, slot: str | None = None) -> Any:
    """Parse `text`; errors name `name` and the line.

    Parsed results are cached (see `cached`): the data files are the same on every run,
    and parsing them cost more than everything else a command does.
    """
    return cached(text, lambda: _parse(text, name), slot=slot)


def cached(text: str, compute: Callable[[], Any], *, slot: str | None = None) -> Any:
    """`compute()`, remembered on disk for the content `text` (errors are not kept).

    Shipped files are kept under their content. A user's file passes its path as `slot`:
    it gets one entry, replaced when the file changes, so that old versions of a shop's
    files (phone numbers among them) do not pile up. The cache lives in $PLANNER315_CACHE
    (empty turns it off), else $XDG_CACHE_HOME/planner315, else ~/.cache/planner315.
    """
    folder = _cache_folder()
    if folder is None:
        return compute()
    checksum = _checksum(text)
    path = folder / f"{_checksum(slot) if slot else checksum}.pickle"
    hit = _cache_read(path)
    if hit is not None and hit[0] == checksum:
        return hit[1]
    value = compute()
    _cache_write(path, (checksum, value))
    return value


def _cache_folder() -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if folder == "":
        return None
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        folder = os.path.join(base, "planner315")
    return Path(folder) / "yaml"


def _checksum(text: str) -> str:
    """Two independent 32-bit checksums and the length, with the program's version: a false
    match among the few texts a shop has is out of reach, and zlib costs nothing to import
    (hashlib loads OpenSSL)."""
    import zlib

    from planner import __version__

    data = f"{__version__}\0{text}".encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _cache_read(path: Path) -> tuple[str, Any] | None:
    import pickle

    try:
        with open(path, "rb") as stream:
            value = pickle.load(stream)  # our own cache, in the user's own folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return None  # no entry, or an unreadable one: parse again
    return value if isinstance(value, tuple) and len(value) == 2 else None


def _cache_write(path: Path, entry: tuple[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    import pickle
    import tempfile

    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # owner-only
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(entry, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except (OSError, pickle.PicklingError):
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)


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
    """A user's YAML file (shop, roster, policy, holidays), parsed; aliases are refused."""
    text = read_text_file(path)
    refuse_aliases(text, str(path))
    return parse_yaml(text, str(path), slot=str(Path(path).resolve()))


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


def load_resource(package: str, name: str) -> Any:
    """A YAML data file shipped inside the package (checklists/ or templates/)."""
    from importlib.resources import files

    text = (files(package) / name).read_text(encoding="utf-8")
    return parse_yaml(text, name)


def line_of(data: Any, key: Any) -> int | None:
    return data.line_of(key) if isinstance(data, Node) else None
