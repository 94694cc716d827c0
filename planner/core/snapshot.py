"""The shipped YAML data, read at start-up from a JSON snapshot generated from it.

Parsing the YAML of the checklists, policy, playbook and messages costs more than everything
else a typed command does; reading the same data as JSON costs little. The snapshot holds, for
every shipped YAML file, a checksum of its text and its data. At run time an entry is used only
while its checksum matches the file beside it: an edited file is parsed from its YAML, so a
change is never hidden and its errors still name the file and the line.

Regenerate after editing the data: ``python -m planner.core.snapshot`` (a test fails while the
snapshot is out of date). Only the program's own files go through here; a user's files are
parsed on every run and never cached.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from planner.core.yamlio import parse_yaml

SNAPSHOT_FILE = "snapshot.json"
# Where the shipped YAML lives: package -> the file patterns of its data.
SHIPPED = {"planner.checklists": ("*.yaml", "items/*.yaml"),
           "planner.templates": ("*.yaml", "messages/*.yaml")}
_DATE_TAG = "$date"


def checksum(text: str) -> str:
    """Two independent 32-bit checksums and the length: a false match between a file and its
    edited self is out of reach, and zlib costs nothing to import (hashlib loads OpenSSL)."""
    data = text.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


@cache
def _snapshot() -> dict[str, Any]:
    try:
        text = (files("planner.core") / SNAPSHOT_FILE).read_text(encoding="utf-8")
        return json.loads(text, object_hook=_decode)
    except (OSError, ValueError):
        return {}  # no snapshot, or a damaged one: every file is parsed from its YAML


def load_shipped(package: str, name: str) -> Any:
    """The data of the shipped YAML file `name` in `package`: from the snapshot while it
    matches the file, else parsed (errors name `name` and the line)."""
    text = (files(package) / name).read_text(encoding="utf-8")
    entry = _snapshot().get(f"{package}/{name}")
    if entry is not None and entry["checksum"] == checksum(text):
        return entry["data"]
    return parse_yaml(text, name)


def build() -> dict[str, Any]:
    """A fresh snapshot of every shipped YAML file."""
    snapshot = {}
    for package, patterns in SHIPPED.items():
        folder = Path(str(files(package)))
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                name = path.relative_to(folder).as_posix()
                text = path.read_text(encoding="utf-8")
                data = parse_yaml(text, name)
                _check_keys(data, name)
                snapshot[f"{package}/{name}"] = {"checksum": checksum(text), "data": data}
    return snapshot


def _check_keys(data: Any, name: str) -> None:
    """JSON keys are text: a number or date as a key would come back changed."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise TypeError(f"{name}: the snapshot needs text keys, not {key!r}")
            _check_keys(value, name)
    elif isinstance(data, list):
        for value in data:
            _check_keys(value, name)


def dumps(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, indent=0,
                      default=_encode) + "\n"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {_DATE_TAG: value.isoformat()}
    raise TypeError(f"the snapshot holds no {type(value).__name__}")


def _decode(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE_TAG in mapping:
        return dt.date.fromisoformat(mapping[_DATE_TAG])
    return mapping


def write() -> Path:
    """Regenerate the snapshot file inside the package."""
    from planner.core.files import atomic_write_text

    target = Path(str(files("planner.core"))) / SNAPSHOT_FILE
    return atomic_write_text(target, dumps(build()), force=True)


if __name__ == "__main__":
    print(write())
