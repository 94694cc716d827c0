"""The hostile files of tests/test_hostile_files.py, and the worst cases within the limits,
timed by hand: ``python bench/hostile_files.py``.

Each command runs under /usr/bin/time, whose %M is the command's own peak RSS (see
bench/hostile_output.py). Every file goes to `roster import`, workbooks to `import
checklist` too.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_hostile_files as cases

from planner.core import limits

MiB = cases.MiB
HEADER = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode()
                  for name in ["部门", "姓名", "编号", "状态"])


def zipped(parts: dict[str, bytes]) -> bytes:
    return cases.raw_zip(cases.honest(parts))


def with_part(name: str, data: bytes, strings: bool = False) -> bytes:
    parts = cases.workbook_parts()
    if strings:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", cases.SST_TYPE + b"</Types>")
    parts[name] = data
    return zipped(parts)


def sheet(body: bytes, head: bytes = b"") -> bytes:
    return (b"<worksheet " + cases.NS + b">" + head + b"<sheetData><row>" + HEADER + b"</row>"
            + body + b"</sheetData></worksheet>")


def files() -> dict[str, bytes]:
    rng = random.Random(15)
    filler = os.urandom(limits.MAX_IMPORT_FILE_BYTES)
    formats = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"/>'
                       % rng.getrandbits(16)
                       for _ in range((limits.MAX_PARSED_BYTES - 200 * 1024) // 54))
    styles = cases.workbook_parts()["xl/styles.xml"].replace(b'<cellXfs count="1">',
                                                            b"<cellXfs>" + formats)
    return {
        "sheet bomb 256 MiB": cases.sheet_bomb(256 * MiB),
        "shared-strings bomb 256 MiB": cases.strings_bomb(256 * MiB),
        "1 MB bomb of 1 GiB": cases.sheet_bomb(1024 * MiB),
        "headers lie (50 KB for 256 MiB)": cases.sheet_bomb(256 * MiB, declared=50_000),
        "packed 924:1 (2 MiB)": cases.sheet_bomb(2 * MiB),
        "1,009 parts": zipped({**cases.workbook_parts(), **{
            f"xl/media/x{i}.bin": b"" for i in range(limits.MAX_WORKBOOK_PARTS)}}),
        "65,000 parts (10 MB of directory)": cases.raw_zip(
            [(f"{i:x}", b"", 0, 0) for i in range(65_000)]),
        "over the file size": cases.raw_zip([*cases.honest(cases.workbook_parts()), (
            "xl/media/photo.bin", filler, len(filler), zlib.crc32(filler))]),
        "row 1,048,576 of XFD": with_part("xl/worksheets/sheet1.xml", sheet(
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            b'<dimension ref="A1:XFD1048576"/>')),
        "elements beyond the limit": with_part("xl/worksheets/sheet1.xml", sheet(b"".join(
            b'<x a="%x"/>' % i for i in range(limits.MAX_SHEET_ELEMENTS + 1)))),
        "worst within: elements at the limit": with_part("xl/worksheets/sheet1.xml", sheet(
            b"".join(b'<x a="%x"/>' % rng.getrandbits(16)
                     for _ in range(limits.MAX_SHEET_ELEMENTS - 30)))),
        "worst within: styles under the budget": with_part("xl/styles.xml", styles),
        "old .xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088),
        "web page": "\ufeff<!DOCTYPE html><html><table><tr><td>部门</td></tr>".encode(),
        "csv: over the file size": "部门,姓名,手机\n".encode()
        + "一线客服,张伟,13800138000\n".encode() * (limits.MAX_IMPORT_FILE_BYTES // 30),
        "csv: Big5": cases.BIG5.encode("big5"),
        "csv: Latin-1": cases.LATIN1.encode("latin-1"),
    }


def timed(label: str, *args: object, cwd: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER315_")}
    environment["LANG"] = "C.UTF-8"
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", sys.executable, "-m",
                           "planner", *map(str, args), "--lang", "en"], cwd=cwd,
                          env=environment, capture_output=True, text=True)
    message, measured = done.stderr.rsplit("TIME ", 1)
    seconds, kilobytes = measured.split()
    message = " ".join(line for line in message.splitlines()
                       if not line.startswith("Command exited"))
    print(f"{label:48s} exit {done.returncode}  {float(seconds):5.2f} s  "
          f"{int(kilobytes) / 1024:6.1f} MB  {message.strip()[:70]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        subprocess.run([sys.executable, "-m", "planner", "init", "ws", "--size", "small"],
                       cwd=folder, check=True, capture_output=True)
        ws = folder / "ws"
        for label, data in files().items():
            name = "file.csv" if label.startswith("csv") else "file.xlsx"
            (ws / name).write_bytes(data)
            timed(f"{label}: roster import", "roster", "import", name, "--replace", cwd=ws)
            if name.endswith(".xlsx"):
                timed(f"{label}: import checklist", "import", "checklist", name, cwd=ws)


if __name__ == "__main__":
    main()
