"""A user's YAML file with aliases is refused at once: an alias bomb costs neither time nor
memory, and the saved state is not touched."""

from __future__ import annotations

import subprocess
import sys
import time

from click.testing import CliRunner

from planner.cli import main

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]"
       for i in range(8)]
    + ["name: *i", "size: large"]) + "\n"


def test_alias_bomb_in_shop_file_is_refused_quickly(tmp_path):
    (tmp_path / "shop.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["status", "-w", str(tmp_path), "--lang", "en"])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "shop.yaml:2" in lines[0] and "aliases" in lines[0]
    assert not (tmp_path / "planner315.db").exists()


def test_alias_message_in_chinese(tmp_path):
    (tmp_path / "shop.yaml").write_text("base: &b large\nsize: *b\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "-w", str(tmp_path), "--lang", "zh"])
    assert result.exit_code == 1
    assert "别名" in result.output and "shop.yaml:2" in result.output


def test_alias_in_roster_file_is_refused(tmp_path):
    (tmp_path / "shop.yaml").write_text("name: 店\nsize: small\n", encoding="utf-8")
    (tmp_path / "roster.yaml").write_text(
        "contacts:\n  - &c {department: cs-manager, name: 张敏, mobile: '13800138000'}\n"
        "  - *c\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["roster", "-w", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 1
    assert "roster.yaml:3" in result.output and "Traceback" not in result.output


def test_asterisks_in_plain_text_are_fine(tmp_path):
    (tmp_path / "shop.yaml").write_text('name: "*星号*旗舰店"\nsize: small\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "-w", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"*星号*旗舰店"' in result.output


def test_alias_bomb_peak_memory_is_bounded(tmp_path):
    """Peak RSS of the child process itself.

    ru_maxrss survives exec on Linux and so would include the forked pytest
    parent; VmHWM belongs to the child's own address space.
    """
    (tmp_path / "shop.yaml").write_text(BOMB, encoding="utf-8")
    script = (
        "import re\n"
        "from click.testing import CliRunner\n"
        "from planner.cli import main\n"
        f"r = CliRunner().invoke(main, ['plan', '-w', {str(tmp_path)!r}])\n"
        "status = open('/proc/self/status').read()\n"
        "print(r.exit_code, re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    code, peak_kib = map(int, done.stdout.split())
    assert code == 1
    assert peak_kib < 200 * 1024
