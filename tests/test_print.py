"""The workbooks on paper, checked as a person would: every workbook of a realistic workspace,
in both languages, converted to PDF by LibreOffice; no cell prints as ``###`` and no text on
any page is smaller than 8 pt.

Needs LibreOffice (``soffice``) and poppler's ``pdftotext``; skipped without them (.ci/run
installs them, with the fonts a reader has: Carlito for Calibri, Noto Sans CJK for Chinese).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from planner.export.xlsx import MIN_TEXT_PT

ROSTER = "\n".join([
    "department,name,role,mobile,landline,im,email,shift,escalation,backup",
    "cs-manager,张敏,客服主管,13800138000,0571-88886666-801,zhangmin_cs,zhangmin@example.com,"
    "03-11~03-15 09:00-18:00,1,李娜",
    "cs-manager,李娜,客服经理,13900139000,0571-88886666-802,lina_manager_dingtalk_long,"
    "lina@example-flagship-store.com,03-14~03-20 12:00-21:00,2,张敏",
    "frontline-cs,王强,资深客服,13700137000,,wangqiang,,03-13~03-17 08:30-17:30,,赵丽",
    "frontline-cs,赵丽,客服,13600136000,,zhaoli,,,,王强",
    "operations,陈刚,运营总监,13500135000,0571-88886666-810,chengang,chengang@example.com,,3,",
    "warehouse,刘洋,仓储主管,13300133000,0571-88886666-820,liuyang,,03-12~03-18 07:00-16:00,,",
    "pr,孙悦,公关经理,13200132000,,sunyue,sunyue@example.com,,4,",
    "risk-control,周杰,风控专员,13100131000,,zhoujie,,,,",
]) + "\n"
COMPLAINTS = [
    ("quality", "收到的杯子有裂纹，买家要求退货并赔偿运费", []),
    ("after-sale", "三天未发货，买家说客服一直没有回复", []),
    ("promotion", "满300减50的活动没有自动减价", []),
    ("price-difference", "买完第二天就降价了，要求退差价", ["--vip"]),
    ("agent-attitude", "客服说话态度很差", []),
    ("pushy-selling", "直播间反复推销会员卡", ["--channel", "12315"]),
    ("quality", "Thermos does not keep drinks hot; the buyer wants a replacement", []),
    ("agent-efficiency", "等了两个小时才有人回复", []),
    ("broken-promise", "承诺的赠品没有送", []),
    ("account-security", "账号被盗后下了三单", ["--channel", "consumer-association",
                                          "--media-risk"]),
    ("quality", "=SUM(A1:A3) 商品颜色与详情页不符", []),
    ("after-sale", "快递停运，包裹卡在中转站五天", []),
]


def realistic_workspace(run, folder: Path, lang: str, monkeypatch) -> Path:
    """A large shop in `lang`: eight contacts imported into roster.yaml, some items checked
    off, a dozen complaints (answered, resolved, called back), on 15 March 2027."""
    monkeypatch.setenv("PLANNER315_USER", "张敏")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-15T15:30:00+08:00")
    name = "示例旗舰店" if lang == "zh" else "Example Flagship Store"

    def ok(*args):
        result = run(*args, "-w", folder) if args[0] not in ("init",) else run(*args)
        assert result.exit_code == 0, (args, result.output)
        return result

    ok("init", folder, "--shop-name", name, "--size", "large", "--lang", lang)
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    ok("roster", "import", folder / "roster.csv")
    ok("check", "prepare.plan.kickoff", "prepare.promo.ended-copy", "prepare.promo.rules",
       "prepare.copy.ad-law")
    for n, (category, summary, extra) in enumerate(COMPLAINTS):
        ok("complaint", "add", "-c", category, "-s", summary, "--order", f"38{n}4123456789",
           "--buyer", f"买家{n}号", "-p", f"CUP-{n:02d}",
           "-r", f"2027-03-{10 + n % 6:02d} {9 + n % 9:02d}:{n * 7 % 60:02d}", *extra)
    for n in range(1, 6):  # answered the day after
        ok("complaint", "reply", f"TS-2027-{n:04d}", "--at", f"2027-03-{10 + n:02d} 10:20")
    ok("complaint", "update", "TS-2027-0001", "--status", "resolved")
    ok("complaint", "callback", "TS-2027-0001", "--satisfied", "yes")
    return folder


def export_all(run, folder: Path) -> list[Path]:
    result = run("export", "all", "-w", folder, "-o", folder / "out", "--issuer", "王芳")
    assert result.exit_code == 0, result.output
    books = sorted((folder / "out").glob("*.xlsx"))
    assert len(books) == 5, books
    return books


def to_pdf(books: list[Path], out: Path) -> list[Path]:
    """Every workbook as LibreOffice prints it (one soffice run for all of them)."""
    out.mkdir()
    profile = out.parent / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, books)],
                   check=True, capture_output=True, timeout=240)
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(books), pdfs
    return pdfs


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def smallest_text(pdf: Path) -> list[float]:
    """The size of the smallest character on each page, in points as printed (the sheet's
    print scale included)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    return [min((c.size for c in chars(page) if c.get_text().strip()), default=99.0)
            for page in extract_pages(str(pdf))]


needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_workbook_prints_legibly(run, tmp_path, monkeypatch, lang):
    folder = realistic_workspace(run, tmp_path / f"shop-{lang}", lang, monkeypatch)
    pdfs = to_pdf(export_all(run, folder), tmp_path / "pdf")
    problems = []
    for pdf in pdfs:
        kind = pdf.stem.rsplit("-", 1)[-1]
        texts = page_texts(pdf)
        assert texts, pdf
        for number, text in enumerate(texts, 1):
            if "###" in text:
                problems.append(f"{kind} page {number}: a cell prints as ###")
        for number, size in enumerate(smallest_text(pdf), 1):
            if size < MIN_TEXT_PT - 0.05:
                problems.append(f"{kind} page {number}: text at {size:.1f} pt")
        whole = "".join(texts)
        if kind == "complaints":  # dates and times print whole, with minutes and weekday
            assert ("2027-03-10 09:00 周三" if lang == "zh"
                    else "2027-03-10 09:00 Wed") in whole
        if kind == "notice":  # phone numbers print whole, each on a line
            assert "0571-88886666-801" in whole and "13800138000" in whole
    assert not problems, problems
