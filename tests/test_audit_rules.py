"""`audit prices`, `audit stock`, `audit promotions`: each rule on realistic rows, dates judged
against the shop's campaign, bad cells reported with their row and column."""

from __future__ import annotations

import json

# A medium shop's 2027 battle runs 03-13 to 03-18 (planner.campaign): the window of the
# stock and promotion rules.
CAMPAIGN = ("--size", "medium", "--year", "2027", "--today", "2027-03-01")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def audit(run, *args):
    result = run("audit", *args, "--format", "json")
    assert result.exit_code in (0, 3), result.output
    return result.exit_code, json.loads(result.stdout)


def brief(data):
    return [(f["row"], f["item_id"], f["sku"], f["category"], f["severity"])
            for f in data["findings"]]


LISTINGS = """商品ID,SKU,宝贝名称,价格,促销价,规格
1001,250g,龙井,168.00,148.00,250g
1002,500g,龙井,￥298.00,318,500g
1003,,冷制皂,39.90,39.90,100g
1004,蓝色,马克杯,0,,330ml
1005,,托特包,89,79,38x32cm
1006,,手工皂,十九块,,100g
"""
SHEET = """商品ID,SKU,价格,规格
1001,250g,168,250 g
1002,500g,288.00,500g
1003,,39.90,120g
1004,蓝色,49.00,330ml
1006,,19.00,100g
1007,,129.00,1.5L
"""


def test_prices_against_the_sheet(run, tmp_path):
    listings = write(tmp_path, "listings.csv", LISTINGS, "gbk")
    sheet = write(tmp_path, "sheet.csv", SHEET.replace(",", "\t"), "utf-8-sig")
    code, data = audit(run, "prices", listings, "--reference", sheet)
    assert code == 3
    assert brief(data) == [
        (3, "1002", "500g", "promo-above-price", "violation"),
        (3, "1002", "500g", "price-mismatch", "violation"),
        (5, "1004", "蓝色", "price-not-positive", "violation"),
        (5, "1004", "蓝色", "price-mismatch", "violation"),
        (4, "1003", None, "discount-not-lower", "risk"),
        (4, "1003", None, "spec-mismatch", "risk"),
        (6, "1005", None, "not-in-reference", "warning"),
        (None, "1007", None, "not-listed", "warning"),
    ]
    assert data["bad_rows"] == [{"row": 7, "column": "price",
                                 "problem": "cannot read '十九块'; this check skipped the row"}]
    assert data["summary"] == {"violation": 4, "risk": 2, "warning": 2}
    mismatch = data["findings"][1]
    assert mismatch["context"] == "listed at 298.00, the price sheet (row 3) says 288.00"
    assert mismatch["basis"].startswith("Rules on Clearly Marked Prices")


def test_prices_from_xlsx_sheets(run, tmp_path):
    import openpyxl

    for name, rows in (("listings.xlsx", [["item_id", "title", "price"], [1001, "茶", 10.5]]),
                       ("sheet.xlsx", [["宝贝ID", "价格"], [1001, 10.5]])):
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
    code, data = audit(run, "prices", tmp_path / "listings.xlsx", "-r", tmp_path / "sheet.xlsx")
    assert (code, data["findings"]) == (0, [])


def test_prices_of_item_rows_against_a_sheet_of_skus(run, tmp_path):
    listings = write(tmp_path, "listings.csv", "商品ID,标题,价格\n1,杯子,30\n2,茶,99\n")
    sheet = write(tmp_path, "sheet.csv", "商品ID,SKU,价格\n1,红色,30\n1,蓝色,32\n2,250g,98\n")
    _, data = audit(run, "prices", listings, "--reference", sheet)
    # item 1 has two SKUs in the sheet: which price applies is unknown, nothing is said;
    # item 2 has one, and its price differs
    assert brief(data) == [(3, "2", None, "price-mismatch", "violation")]


INVENTORY = """宝贝ID,批次,生产日期,保质期(天),到期日,库存,质量问题
1001,A-past,2025-03-01,365,,12,
1001,A-battle,,,2027-03-15,40,
1001,A-near,,,2027-04-10,40,
1001,A-later,,,2027-06-01,40,
1001,A-sold-out,,,2026-01-01,0,
1002,B-leak,2026-08-15,730,,45,包装漏液
1002,B-fine,2026-09-01,730,,30,否
1003,C-bad,2026/13/45,365,,10,
1003,C-none,,,,10,
"""


def test_stock(run, tmp_path):
    path = write(tmp_path, "inventory.csv", INVENTORY, "gb18030")
    code, data = audit(run, "stock", path, *CAMPAIGN)
    assert code == 3
    assert [(f["row"], f["term"], f["category"], f["severity"]) for f in data["findings"]] == [
        (2, "A-past", "expired", "violation"),
        (3, "A-battle", "expires-in-battle", "violation"),
        (7, "B-leak", "quality", "violation"),
        (4, "A-near", "near-expiry", "warning"),
    ]
    leak = data["findings"][2]
    assert "2026-08-15 to 2027-03-01" in leak["suggestion"]
    assert "Warehouse" in leak["suggestion"] and "Operations" in leak["suggestion"]
    assert [(bad["row"], bad["column"]) for bad in data["bad_rows"]] == [
        (9, "production_date"), (10, "expiry_date")]
    # a longer near-expiry window takes in the June batch too
    _, wider = audit(run, "stock", path, *CAMPAIGN, "--near-days", "90")
    assert ("A-later", "near-expiry") in [(f["term"], f["category"]) for f in wider["findings"]]


def test_stock_needs_a_size(run, tmp_path):
    path = write(tmp_path, "inventory.csv", INVENTORY)
    result = run("audit", "stock", path)
    assert result.exit_code == 2
    assert "no shop size" in result.output


PROMOTIONS = """活动名称,开始时间,结束时间,文案在线,规则,奖品,承诺发放日期,已发放
年货节满减,2027-01-10,2027-02-05,是,满199减20,,,
晒图有礼,2027-01-15,2027-02-10,否,晒图抽奖,紫砂茶具,2027-02-20,否
已发奖,2027-01-15,2027-02-10,否,晒图抽奖,茶杯,2027-02-20,是
三八节,2027-03-01,2027-03-08,是,,,,
315 品质周,2027-03-10,2027-03-20,是,,,,
春茶预售,2027-03-25,2027-04-15,否,,,,
坏日期,2027-03-01,下周五,是,,,,
"""


def test_promotions(run, tmp_path):
    path = write(tmp_path, "promos.csv", PROMOTIONS)
    code, data = audit(run, "promotions", path, *CAMPAIGN)
    assert code == 3
    assert [(f["row"], f["term"], f["category"]) for f in data["findings"]] == [
        (2, "年货节满减", "ended-copy-live"), (3, "晒图有礼", "prize-overdue"),
        (6, "315 品质周", "no-rules")]
    assert data["findings"][0]["context"] == (
        "ended on 2027-02-05; its copy has been live since 2027-02-06 (24 days)")
    assert data["bad_rows"][0]["row"] == 8 and data["bad_rows"][0]["column"] == "end"
    # before the prize was due, nothing is overdue
    _, early = audit(run, "promotions", path, "--size", "medium", "--year", "2027",
                     "--today", "2027-02-01")
    assert "prize-overdue" not in [f["category"] for f in early["findings"]]
