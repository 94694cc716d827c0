"""`db info`, `db copy` and `status --all-shops` in words."""

from __future__ import annotations

from typing import Any

from planner.present.text import progress_bar, say, table
from planner.storage.copying import Copied
from planner.workspace.shared import DatabaseInfo, ShopStatus


def info_data(info: DatabaseInfo) -> dict[str, Any]:
    return info._asdict()


def info_text(info: DatabaseInfo, lang: str) -> str:
    lines = [say("db.backend", lang, backend=info.backend),
             say("db.database", lang, database=info.database)]
    if info.shop_id:
        lines.append(say("db.shop-id", lang, shop_id=info.shop_id))
    lines.append(say("db.schema", lang, version=info.schema_version))
    lines += [say("db.rows", lang, table=name, count=count)
              for name, count in info.rows.items()]
    return "\n".join(lines)


def copied_text(copied: Copied, url: str, to_shared: bool, lang: str) -> str:
    from planner.storage.postgres import shown_url

    key = "db.copied-to" if to_shared else "db.copied-from"
    lines = [say(key, lang, database=shown_url(url), history=copied.rows["history"],
                 complaints=copied.rows["complaints"], items=copied.rows["items"],
                 years=", ".join(map(str, copied.years)) or "-"),
             say("db.checksum", lang, checksum=copied.checksum[:16])]
    if to_shared:
        lines.append(say("db.copied-next", lang, database=shown_url(url)))
    return "\n".join(lines)


def shops_data(shops: list[ShopStatus]) -> dict[str, Any]:
    return {"shops": [{
        "shop_id": shop.shop_id, "name": shop.name, "size": shop.size, "year": shop.year,
        "progress": {"done": shop.done, "total": shop.total,
                     "percent": round(100 * shop.done / shop.total) if shop.total else None},
        "overdue_items": shop.overdue_items,
        "complaints": {"open": shop.open_complaints, "overdue": shop.overdue_complaints},
        "last_seen": shop.seen_at} for shop in shops]}


def shops_table(shops: list[ShopStatus], lang: str) -> str:
    if not shops:
        return say("db.no-shops", lang)
    headers = [say(f"db.head.{key}", lang) for key in (
        "shop", "name", "year", "progress", "overdue", "open", "late")]
    rows = [[shop.shop_id, shop.name or "-", shop.year or "-",
             progress_bar(shop.done, shop.total) if shop.total else "-",
             shop.overdue_items, shop.open_complaints, shop.overdue_complaints]
            for shop in shops]
    return table(headers, rows)
