"""A shop's own YAML files (shop, roster, policy, holidays): read, checked, and inside a
workspace parsed once per change.

Loading the YAML library costs a typed command more than all its own work, so the parsed data
of `shop.yaml` and its neighbours is kept in the workspace's ``.planner315/cache/`` folder, as
JSON (never pickled: the cache is data, not code), keyed by a checksum of the file's text. A
file whose text changed is parsed again, so its errors always name its lines; a cache that
cannot be read or written only costs time. Nothing is kept outside the workspace: a cache
folder that is a symbolic link leading out of it is refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.core.datacodec import decode, encode
from planner.core.files import read_text_file
from planner.core.limits import MAX_YAML_BYTES
from planner.core.links import refuse_link_outside
from planner.core.snapshot import checksum
from planner.core.yamlio import parse_yaml, refuse_aliases

CACHE_FOLDER = Path(".planner315") / "cache"


def load_yaml_file(path: str | Path, workspace: Path | None = None, *,
                   max_bytes: int = MAX_YAML_BYTES) -> Any:
    """A user's YAML file, parsed; aliases are refused, and a file over `max_bytes`. Inside
    `workspace` the parsed data is kept in its cache until the file changes."""
    text = read_text_file(path, max_bytes)

    def parse() -> Any:
        refuse_aliases(text, str(path))
        return parse_yaml(text, str(path))

    return cached_parse(Path(path), text, parse, workspace)


def cached_parse(path: Path, text: str, parse: Callable[[], Any], workspace: Path | None
                 ) -> Any:
    """`parse()` of the file `path` with content `text`, from the cache of `workspace` while
    it matches (no workspace: parsed every time)."""
    if workspace is None:
        return parse()
    refuse_link_outside(workspace, CACHE_FOLDER / f"{path.name}.json")
    entry = workspace / CACHE_FOLDER / f"{path.name}.json"
    digest = checksum(text)
    data = _read(entry, digest)
    if data is not None:
        return data
    value = parse()
    _write(entry, digest, value)
    return value


def _read(entry: Path, digest: str) -> Any:
    try:
        saved = json.loads(entry.read_text(encoding="utf-8"))
        if saved["checksum"] == digest:
            return decode(saved["data"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no entry, or a damaged one: parse again
    return None


def _write(entry: Path, digest: str, value: Any) -> None:
    """Best effort: a read-only workspace simply parses every time."""
    import tempfile

    temp = None
    try:
        text = json.dumps({"checksum": digest, "data": encode(value)}, ensure_ascii=False)
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, entry)
    except (OSError, TypeError, ValueError):
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
