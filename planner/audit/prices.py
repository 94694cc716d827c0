"""`audit prices`: each listing's price and spec against the reference price sheet, per item
and SKU, and the prices that cannot be right whatever the sheet says."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from planner.audit.columns import fold_header
from planner.audit.listing_copy import item_of
from planner.audit.reading import Need, Table
from planner.audit.records import AuditResult, BadRow, Finding
from planner.audit.values import BadCell, amount
from planner.core.cells import cell_text
from planner.core.i18n import t

NEED = Need(all=("price",), any=("item_id", "outer_id"))
Key = tuple[str, str]  # (item id, SKU or "")


class Reference:
    """The reference sheet: key -> (row, price, spec), read whole (it is the short one)."""

    def __init__(self, table: Table, result: AuditResult, lang: str) -> None:
        self.file = table.file
        self.name = Path(table.file).name
        self.entries: dict[Key, tuple[int, Decimal | None, str]] = {}
        self.items: dict[str, list[Key]] = {}  # item id -> its keys in the sheet
        for number, values in table.rows:
            key = _key(values)
            if not key[0]:
                continue
            price = _read(values, "price", number, result, lang, self.file)
            self.entries.setdefault(key, (number, price, cell_text(values.get("spec"))))
            self.items.setdefault(key[0], []).append(key)

    def find(self, key: Key) -> tuple[int, Decimal | None, str] | None:
        """The sheet's entry for a listing: its SKU's, else the item's own, else the item's
        only SKU (a listing without SKUs against a sheet that names its one SKU)."""
        entry = self.entries.get(key) or self.entries.get((key[0], ""))
        if entry is None and not key[1] and len(self.items.get(key[0], ())) == 1:
            entry = self.entries[self.items[key[0]][0]]
        return entry

def _key(values: dict[str, Any]) -> Key:
    return item_of(values) or "", cell_text(values.get("sku"))


def _read(values: dict[str, Any], column: str, row: int, result: AuditResult, lang: str,
          file: str | None = None) -> Decimal | None:
    if column not in values:
        return None
    try:
        return amount(values[column])
    except BadCell as bad:
        where = column if file is None or file == result.file else f"{file}:{column}"
        result.bad_rows.append(BadRow(row, where, t("audit.bad-cell", lang, value=bad.problem)))
        return None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def audit_prices(listings: Table, reference: Table, lang: str,
                 tick: Callable[[int], None] | None = None) -> AuditResult:
    result = AuditResult("prices", listings.file,
                         names={c: t(f"audit.category.{c}", lang) for c in CATEGORIES})
    sheet = Reference(reference, result, lang)
    seen: set[Key] = set()
    basis = t("audit.basis.prices", lang)

    def finding(severity: str, category: str, term: str, context: str, suggestion: str,
                row: int | None, key: Key, field: str | None) -> None:
        result.findings.append(Finding(severity, category, term, context, basis, suggestion,
                                       row, key[0] or None, key[1] or None, field))

    for number, values in listings.rows:
        result.rows += 1
        if tick is not None:
            tick(1)
        key = _key(values)
        price = _read(values, "price", number, result, lang)
        promo = _read(values, "promo_price", number, result, lang)
        if not key[0]:
            continue
        seen.add(key)
        _check_own(key, number, price, promo, lang, finding)
        entry = sheet.find(key)
        if entry is None and key[0] in sheet.items:
            continue  # an item-level row against a sheet of its SKUs: which one is unknown
        if entry is None:
            finding("warning", "not-in-reference", key[0],
                    t("audit.prices.not-in-reference", lang, file=sheet.name),
                    t("audit.prices.add-to-reference", lang), number, key, None)
            continue
        _compare(key, number, values, price, entry, lang, finding)
    for key, (row, _price, _spec) in sheet.entries.items():
        if key not in seen and (key[0], "") not in seen and not (
                key[1] == "" and any(k[0] == key[0] for k in seen)):
            finding("warning", "not-listed", key[0],
                    t("audit.prices.not-listed", lang, file=sheet.name, row=row),
                    t("audit.prices.list-or-remove", lang), None, key, None)
    return result


CATEGORIES = ("price-mismatch", "spec-mismatch", "not-in-reference", "not-listed",
              "promo-above-price", "price-not-positive", "discount-not-lower")


def _check_own(key: Key, row: int, price: Decimal | None, promo: Decimal | None, lang: str,
               finding: Callable[..., None]) -> None:
    """What is wrong with a listing's own prices, without the sheet."""
    if price is not None and price <= 0:
        finding("violation", "price-not-positive", _money(price),
                t("audit.prices.not-positive", lang, price=_money(price)),
                t("audit.prices.fix-price", lang), row, key, "price")
    if promo is not None and promo <= 0:
        finding("violation", "price-not-positive", _money(promo),
                t("audit.prices.not-positive", lang, price=_money(promo)),
                t("audit.prices.fix-price", lang), row, key, "promo_price")
    if promo is None or price is None or promo <= 0 or price <= 0:
        return
    if promo > price:
        finding("violation", "promo-above-price", _money(promo),
                t("audit.prices.promo-above", lang, promo=_money(promo), price=_money(price)),
                t("audit.prices.fix-promo", lang), row, key, "promo_price")
    elif promo == price:
        finding("risk", "discount-not-lower", _money(promo),
                t("audit.prices.no-discount", lang, promo=_money(promo), price=_money(price)),
                t("audit.prices.fix-discount", lang), row, key, "promo_price")


def _compare(key: Key, row: int, values: dict[str, Any], price: Decimal | None,
             entry: tuple[int, Decimal | None, str], lang: str,
             finding: Callable[..., None]) -> None:
    ref_row, ref_price, ref_spec = entry
    if price is not None and ref_price is not None and price != ref_price:
        finding("violation", "price-mismatch", _money(price),
                t("audit.prices.mismatch", lang, price=_money(price), reference=_money(ref_price),
                  row=ref_row),
                t("audit.prices.fix-mismatch", lang, reference=_money(ref_price)), row, key,
                "price")
    spec = cell_text(values.get("spec"))
    if spec and ref_spec and fold_header(spec) != fold_header(ref_spec):
        finding("risk", "spec-mismatch", spec,
                t("audit.prices.spec-mismatch", lang, spec=spec, reference=ref_spec,
                  row=ref_row),
                t("audit.prices.fix-spec", lang, reference=ref_spec), row, key, "spec")
