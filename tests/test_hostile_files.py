"""Hostile files from outside: workbook bombs (a sheet, shared strings, a zip whose headers
lie, a 1 MB one unpacking to 1 GiB), files that are no .xlsx under an Excel name, oversized
files, and CSVs in another encoding than the one they would be read in.

Every case runs the real command in a subprocess (`hostile.run_cli`): exit 1, one line naming
the file, within the time and peak memory bounds, and nothing saved changed. The bombs are
made here, as raw zips: a small real workbook's parts, one of them replaced.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import openpyxl
import pytest
from hostile import WORKBOOK_MB, WORKBOOK_SECONDS, fingerprint, run_cli

from planner.core import limits

MiB = 1024 * 1024
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
ROSTER_HEADER = ["部门", "姓名", "手机"]


# --- making the files ----------------------------------------------------------------------------


def repeated_deflate(head: bytes, block: bytes, count: int, tail: bytes) -> bytes:
    """Raw deflate of head + block * count + tail, made in milliseconds: after a full flush
    the compressor starts afresh, so each block compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)]
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    out.append(piece * count)
    out.append(packer.compress(tail) + packer.flush())
    return b"".join(out)


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, declared size, declared CRC) members, written by hand
    so that the headers can say anything."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, data, size, crc in members:
        encoded, offset = name.encode(), body.tell()
        fields = (20, 0, 8, 0, 0, crc, len(data), size, len(encoded))
        body.write(struct.pack("<4s5HLLLHH", b"PK\x03\x04", *fields, 0) + encoded + data)
        directory.write(struct.pack("<4s6HLLLHHHHHLL", b"PK\x01\x02", 20, *fields, 0, 0, 0,
                                    0, 0, offset) + encoded)
    end = struct.pack("<4s4HLLH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      directory.tell(), body.tell(), 0)
    return body.getvalue() + directory.getvalue() + end


def workbook_parts(rows=(ROSTER_HEADER, ["一线客服", "张伟", "13800138000"])) -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def honest(parts: dict[str, bytes]) -> list[tuple[str, bytes, int, int]]:
    return [(name, deflate(data), len(data), zlib.crc32(data)) for name, data in parts.items()]


def bomb(part: str, head: bytes, block: bytes, size: int, tail: bytes,
         declared: int | None = None) -> bytes:
    """A small real workbook whose `part` unpacks to about `size` bytes of repeated `block`
    (its header saying `declared` bytes when given: a lie)."""
    parts = workbook_parts()
    if part == "xl/sharedStrings.xml":
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", SST_TYPE + b"</Types>")
    parts.pop(part, None)
    count = size // len(block)
    real = len(head) + len(block) * count + len(tail)
    data = repeated_deflate(head, block, count, tail)
    # No CRC: every bomb is refused before a part's checksum is compared.
    return raw_zip([*honest(parts), (part, data, declared or real, 0)])


def sheet_bomb(size: int, declared: int | None = None) -> bytes:
    """A roster header, then one cell holding `size` bytes of text."""
    head = (b"<worksheet " + NS + b"><sheetData><row>" + b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in ROSTER_HEADER)
        + b'</row><row><c t="inlineStr"><is><t>')
    return bomb("xl/worksheets/sheet1.xml", head, b"A" * MiB, size,
                b"</t></is></c></row></sheetData></worksheet>", declared)


def strings_bomb(size: int) -> bytes:
    return bomb("xl/sharedStrings.xml", b"<sst " + NS + b">", b"<si><t>ab</t></si>" * 5000,
                size, b"</sst>")


# --- the workspace -------------------------------------------------------------------------------


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    """A workspace with a roster and a check-off saved (the state that must not change)."""
    assert run("init", "ws", "--size", "small").exit_code == 0
    folder = tmp_path / "ws"
    monkeypatch.chdir(folder)
    (folder / "start.csv").write_text("部门,姓名,手机\n一线客服,王芳,13600136000\n",
                                      encoding="utf-8")
    assert run("roster", "import", "start.csv").exit_code == 0
    assert run("check", "prepare.copy.ad-law", "--year", "2027").exit_code == 0
    return folder


def refused(ws, *args, file: str, fragment: str = "") -> str:
    """Run the command on a hostile file: exit 1, one line naming the file, in bounds, and
    the workspace as it was. Returns the line."""
    before = fingerprint(ws)
    outcome = run_cli(*args, "--lang", "en", cwd=ws, timeout=WORKBOOK_SECONDS * 2)
    assert outcome.code == 1, (outcome.stdout, outcome.stderr)
    assert len(outcome.message_lines) == 1, outcome.stderr
    line = outcome.message_lines[0]
    assert file in line and fragment in line and "Traceback" not in outcome.stderr, line
    assert outcome.seconds < WORKBOOK_SECONDS, outcome.seconds
    assert outcome.peak_mb < WORKBOOK_MB, outcome.peak_mb
    assert fingerprint(ws) == before
    return line


def both_importers(ws, name: str, data: bytes, fragment: str = "") -> None:
    (ws / name).write_bytes(data)
    refused(ws, "roster", "import", name, file=name, fragment=fragment)
    refused(ws, "import", "checklist", name, file=name, fragment=fragment)


# --- workbook bombs ------------------------------------------------------------------------------


def test_openpyxl_reads_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.DEFUSEDXML and openpyxl.xml.functions.iterparse.__module__.startswith(
        "defusedxml")


def test_sheet_bomb_is_refused_by_its_declared_size(ws):
    data = sheet_bomb(256 * MiB)
    assert len(data) < 400_000
    both_importers(ws, "sheet-bomb.xlsx", data, "sheet1.xml unpacks to 256")


def test_shared_strings_bomb(ws):
    both_importers(ws, "strings-bomb.xlsx", strings_bomb(256 * MiB), "sharedStrings.xml")


def test_one_megabyte_bomb_of_a_gibibyte(ws):
    data = sheet_bomb(1024 * MiB)
    assert len(data) < 1_200_000
    both_importers(ws, "big-bomb.xlsx", data, "possibly a zip bomb")


def test_headers_that_lie_about_the_size_are_caught_while_inflating(ws):
    data = sheet_bomb(256 * MiB, declared=50_000)
    both_importers(ws, "liar.xlsx", data, "does not unpack to the size or checksum")


def test_a_part_just_over_the_ratio_is_refused(ws):
    # 2 MiB of one repeated row: below the size limits, packed far above the ratio.
    both_importers(ws, "packed.xlsx", sheet_bomb(2 * MiB), "is packed")


def test_parts_read_whole_share_one_budget(ws):
    """Shared strings that pack like real ones (varied text) but beyond what openpyxl may
    read whole: the worst case within the size and ratio limits."""
    import random

    rng = random.Random(15)
    strings = b"".join(b"<si><t>%08x</t></si>" % rng.getrandbits(32)
                       for _ in range((limits.MAX_PARSED_BYTES + MiB) // 22))
    parts = workbook_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", SST_TYPE + b"</Types>")
    parts["xl/sharedStrings.xml"] = b"<sst " + NS + b">" + strings + b"</sst>"
    both_importers(ws, "strings.xlsx", raw_zip(honest(parts)), "read whole")


def test_declared_sheet_size_does_not_pad_rows_to_a_million_cells(ws):
    """A 1 KB sheet declaring A1:XFD1048576, with a header (of a roster and a checklist)
    and its last row at 1,048,576."""
    header = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode()
                      for name in ["部门", "姓名", "编号", "状态"])
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = (
        b"<worksheet " + NS + b'><dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1">' + header + b'</row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    (ws / "tall.xlsx").write_bytes(raw_zip(honest(parts)))
    # (roster import counts the rows itself, and stops at its own row limit first)
    refused(ws, "roster", "import", "tall.xlsx", file="tall.xlsx", fragment="rows")
    refused(ws, "import", "checklist", "tall.xlsx", file="tall.xlsx",
            fragment="more than 250,000 cells")


def test_too_many_parts(ws):
    parts = workbook_parts()
    parts.update({f"xl/media/x{i}.bin": b"" for i in range(limits.MAX_WORKBOOK_PARTS)})
    both_importers(ws, "parts.xlsx", raw_zip(honest(parts)), "parts, more than 1000")


def test_oversized_workbook_and_csv_are_refused_by_size_before_reading(ws):
    import os

    filler = os.urandom(limits.MAX_IMPORT_FILE_BYTES)
    parts = workbook_parts()
    members = [*honest(parts), ("xl/media/photo.bin", filler, len(filler), zlib.crc32(filler))]
    # (roster import says so in its own words, before the workbook door: the same limit)
    both_importers(ws, "big.xlsx", raw_zip(members), "the file is 16.1 MB")
    line = refused(ws, "import", "checklist", "big.xlsx", file="big.xlsx")
    assert "more than the 16 MB" in line
    with open(ws / "big.csv", "wb") as stream:
        stream.write("部门,姓名,手机\n".encode())
        stream.write("一线客服,张伟,13800138000\n".encode() * (limits.MAX_IMPORT_FILE_BYTES // 30))
    line = refused(ws, "roster", "import", "big.csv", file="big.csv", fragment="MB")
    assert "16 MB" in line


# --- files that are no .xlsx ---------------------------------------------------------------------


def test_old_binary_xls(ws):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    (ws / "old.xls").write_bytes(ole2)
    line = refused(ws, "roster", "import", "old.xls", file="old.xls", fragment="97-2003")
    assert "save it as .xlsx" in line and "CSV" in line
    both_importers(ws, "old.xlsx", ole2, "97-2003")


@pytest.mark.parametrize("name", ["page.xls", "page.xlsx"])
def test_web_page_under_an_excel_name(ws, name):
    page = "\ufeff<!DOCTYPE html><html><body><table><tr><td>部门</td><td>姓名</td></tr>"
    (ws / name).write_bytes(page.encode())
    line = refused(ws, "roster", "import", name, file=name, fragment="web page")
    assert "save it as .xlsx or as CSV" in line
    if name.endswith(".xlsx"):
        refused(ws, "import", "checklist", name, file=name, fragment="web page")


# --- what still imports --------------------------------------------------------------------------


def roster_names(ws):
    outcome = run_cli("roster", "--format", "json", cwd=ws)
    return [contact["name"] for contact in json.loads(outcome.stdout)["contacts"]]


@pytest.mark.slow  # 5 to 8 s: 5,000 rows written by openpyxl, then imported
def test_a_full_size_roster_workbook_imports_within_bounds(ws):
    rows = [[*ROSTER_HEADER, "职务", "邮箱", "值班"]]
    rows += [["一线客服", f"张伟{i}", f"138{i:08d}", "客服", f"zw{i}@example.com", "全程"]
             for i in range(5000)]
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(ws / "full.xlsx")
    outcome = run_cli("roster", "import", "full.xlsx", "--replace", cwd=ws)
    assert outcome.code == 0, outcome.stderr
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB
    assert len(roster_names(ws)) == 5000


@pytest.mark.parametrize("encoding, separator", [
    ("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("utf-16", "\t")])
def test_everyday_csvs_still_import(ws, run, encoding, separator):
    lines = [separator.join(ROSTER_HEADER), separator.join(["一线客服", "张伟", "13800138000"]),
             separator.join(["warehouse", "李娜", "13900139000"])]
    (ws / "c.csv").write_bytes("\r\n".join(lines).encode(encoding))
    result = run("roster", "import", "c.csv", "--replace")
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(run("roster", "--format", "json").output)[
        "contacts"]] == ["张伟", "李娜"]


# --- CSVs in another encoding --------------------------------------------------------------------


BIG5 = "Department,Name,Mobile\nWarehouse,Wang Fang,13600136000\nWarehouse,陳大文,13800138000\n"
LATIN1 = "Department,Name,Mobile\nWarehouse,Jose,13600136000\nWarehouse,José Müller,13800138000\n"


@pytest.mark.parametrize("text, encoding, name", [(BIG5, "big5", "陳大文"),
                                                   (LATIN1, "latin-1", "José Müller")])
def test_another_encoding_is_refused_naming_the_line_then_read_with_encoding(
        ws, text, encoding, name):
    (ws / "other.csv").write_bytes(text.encode(encoding))
    line = refused(ws, "roster", "import", "other.csv", file="other.csv:3:")
    assert "--encoding" in line and "big5" in line and "latin-1" in line
    outcome = run_cli("roster", "import", "other.csv", "--encoding", encoding, "--replace",
                      cwd=ws)
    assert outcome.code == 0, outcome.stderr
    assert roster_names(ws)[-1] == name


def test_a_named_encoding_that_does_not_fit_names_the_line(ws):
    (ws / "u.csv").write_bytes("部门,姓名\n客服,张伟\n".encode())
    refused(ws, "roster", "import", "u.csv", "--encoding", "ascii", file="u.csv:1:",
            fragment="not ascii text")


@pytest.mark.parametrize("encoding", ["klingon", "base64", "\x1b]0;x\x07"])
def test_unknown_encoding_is_one_line(ws, encoding):
    (ws / "u.csv").write_bytes(b"a,b\n")
    line = refused(ws, "roster", "import", "u.csv", "--encoding", encoding, file="u.csv",
                   fragment="unknown encoding")
    assert "\x1b" not in line


def test_replacement_and_private_use_characters_in_utf8_are_refused(ws):
    (ws / "r.csv").write_text("部门,姓名,手机\n一线客服,张\ufffd伟,13800138000\n", encoding="utf-8")
    refused(ws, "roster", "import", "r.csv", file="r.csv:2:", fragment="U+FFFD")


def test_utf16_without_a_bom_is_refused_then_read_with_encoding(ws):
    text = "部门\t姓名\t手机\n一线客服\t张伟\t13800138000\n"
    (ws / "tb.csv").write_bytes(text.encode("utf-16-le"))
    # Read as GB18030 (it is no UTF-8), or as UTF-8 when it holds ASCII only: never silently.
    refused(ws, "roster", "import", "tb.csv", file="tb.csv:1:", fragment="--encoding")
    outcome = run_cli("roster", "import", "tb.csv", "--encoding", "utf-16-le", "--replace",
                      cwd=ws)
    assert outcome.code == 0, outcome.stderr
    assert roster_names(ws) == ["张伟"]


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, b"&%c;" % (ord("a") + i) * 10)
                     for i in range(8))
          + b"]>")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entities_are_neither_expanded_nor_fetched(ws, part):
    """A billion laughs (ten to the ninth 'a') in the streamed sheet and in a part read whole,
    and an external entity: refused as unreadable, within bounds."""
    parts = workbook_parts()
    root = parts[part].split(b"?>", 1)[-1]
    parts[part] = (LAUGHS.replace(b"]>", b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>')
                   + root.replace(b"</", b"&i;&ext;</", 1))
    both_importers(ws, "laughs.xlsx", raw_zip(honest(parts)), "not a readable Excel file")


def test_elements_openpyxl_would_keep_are_counted_before_it_reads(ws):
    """Elements openpyxl does not know stay in its tree: varied enough to pass the packing
    ratio, more of them than a worksheet may hold."""
    junk = b"".join(b'<x a="%x"/>' % i for i in range(limits.MAX_SHEET_ELEMENTS + 1))
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = (b"<worksheet " + NS + b"><sheetData>" + junk
                                         + b"</sheetData></worksheet>")
    both_importers(ws, "junk.xlsx", raw_zip(honest(parts)), "more than 400,000 elements")


def test_utf16_with_a_bom_that_does_not_decode_is_one_line(ws):
    (ws / "odd.csv").write_bytes("部门\t姓名\n".encode("utf-16") + b"\x00")  # one byte short
    refused(ws, "roster", "import", "odd.csv", file="odd.csv:2:", fragment="not utf-16 text")


def test_refusals_in_chinese(ws, run):
    (ws / "b5.csv").write_bytes(BIG5.encode("big5"))
    result = run("roster", "import", "b5.csv", "--lang", "zh")
    assert result.exit_code == 1 and "b5.csv:3:" in result.output
    assert "--encoding" in result.output and "正常文本不会有的字符 U+E610" in result.output
    (ws / "bomb.xlsx").write_bytes(sheet_bomb(64 * MiB))
    result = run("roster", "import", "bomb.xlsx", "--lang", "zh")
    assert result.exit_code == 1 and "压缩炸弹" in result.output
