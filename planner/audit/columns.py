"""The columns an audit reads, found by their headers in real exports (Chinese or English)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.cells import cell_text
from planner.core.errors import PlannerError

# Column key -> the headers that name it in the exports shops have (淘宝/天猫 back-ends,
# 淘宝助理's English keys, spreadsheets kept by hand). Compared folded (see `fold_header`).
HEADERS: dict[str, tuple[str, ...]] = {
    "item_id": ("商品ID", "宝贝ID", "数字ID", "商品编号", "item_id", "num_id", "id"),
    "outer_id": ("商家编码", "outer_id"),
    "sku": ("SKU", "销售属性组合", "销售属性", "skuProps", "sku_id"),
    "title": ("标题", "宝贝名称", "商品名称", "宝贝标题", "title"),
    "subtitle": ("副标题", "卖点", "subtitle", "sell_point"),
    "description": ("详情", "宝贝描述", "商品详情", "描述", "description"),
    "price": ("价格", "宝贝价格", "一口价", "price"),
    "promo_price": ("促销价", "活动价", "promo_price"),
    "spec": ("规格", "商品规格", "spec"),
    "stock": ("库存", "宝贝数量", "数量", "stock", "num"),
    "batch": ("批次", "批号", "batch"),
    "production_date": ("生产日期", "production_date"),
    "shelf_life_days": ("保质期(天)", "保质期", "shelf_life_days"),
    "expiry_date": ("到期日", "有效期至", "expiry_date"),
    "quality_issue": ("质量问题", "quality_issue"),
    "promotion": ("活动名称", "活动", "promotion"),
    "start": ("开始时间", "开始日期", "start"),
    "end": ("结束时间", "结束日期", "end"),
    "copy_live": ("文案在线", "copy_live"),
    "rules": ("规则", "活动规则", "rules"),
    "prize": ("奖品", "prize"),
    "promised_by": ("承诺发放日期", "promised_by"),
    "delivered": ("已发放", "delivered"),
}


def fold_header(text: Any) -> str:
    """A header as compared: width-folded (full-width brackets are ASCII), spaces and case
    ignored."""
    return "".join(unicodedata.normalize("NFKC", cell_text(text)).split()).casefold()


def header_index(mapped: Mapping[str, str]) -> dict[str, str]:
    """Folded header -> column key, the user's --column mappings first."""
    index = {fold_header(header): key for key, header in mapped.items()}
    for key, headers in HEADERS.items():
        for header in headers:
            index.setdefault(fold_header(header), key)
    return index


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """``KEY=HEADER`` options as {key: header}; an unknown key or a pair without '=' is an
    error naming the keys there are."""
    mapped = {}
    for pair in pairs:
        key, sep, header = pair.partition("=")
        key = key.strip()
        if not sep or key not in HEADERS or not header.strip():
            raise PlannerError("error.audit-column-option", value=pair,
                               allowed=", ".join(HEADERS))
        mapped[key] = header.strip()
    return mapped


def find_columns(row: Sequence[Any], index: Mapping[str, str]) -> dict[str, int]:
    """Column key -> its position in a header row (the first header naming a key wins)."""
    found: dict[str, int] = {}
    for position, cell in enumerate(row):
        key = index.get(fold_header(cell))
        if key is not None:
            found.setdefault(key, position)
    return found
