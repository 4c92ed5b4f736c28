"""Which records show which picture. Each owning domain calls `record` from its save function
with every picture URL the record now shows; the library reads the rows by exact URL (an
index), so "used by N" never scans products' galleries. Pictures sold in orders are marked
once per (picture, product) at checkout (`order_pictures`), never per order item."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.core.labels import labels
from app.extensions import db
from app.media.models import MediaUsage


class UsageOwner(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"
    KEYWORD_REPLY = "keyword_reply"
    SPECIAL_REPLY = "special_reply"
    SHOP = "shop"  # the shop's logo
    MEMBER_LEVEL = "member_level"  # a member level's badge
    ORDER_SNAPSHOT = "order_snapshot"  # sold in an order with this picture: owner id is the product (order_pictures)


USAGE_OWNER_LABELS = labels(UsageOwner, {
    UsageOwner.PRODUCT: _l("Product"), UsageOwner.CATEGORY: _l("Category"),
    UsageOwner.KEYWORD_REPLY: _l("Keyword reply"), UsageOwner.SPECIAL_REPLY: _l("Special reply"),
    UsageOwner.SHOP: _l("Shop settings"), UsageOwner.ORDER_SNAPSHOT: _l("Order history"),
    UsageOwner.MEMBER_LEVEL: _l("Member level"),
})


def record(owner_type: str, owner_id: int, urls: Iterable[str], label: str = "") -> None:
    """Replace what this record uses; only our own media URLs are kept (a picture elsewhere
    on the web is not the library's). A full address under PUBLIC_BASE_URL (what WeChat is
    given) counts as its path."""
    wanted = sorted({path for url in urls if (path := library_path(url))})
    db.session.execute(delete(MediaUsage).where(MediaUsage.owner_type == owner_type,
                                                MediaUsage.owner_id == owner_id))
    db.session.add_all(MediaUsage(url=url, owner_type=owner_type, owner_id=owner_id, owner_label=label[:120])
                       for url in wanted)
    db.session.flush()


def library_path(url: str) -> str:
    """The library's own path of a picture URL, or "" for a picture elsewhere on the web; a
    full address under PUBLIC_BASE_URL (what WeChat is given) counts as its path."""
    public = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = (url or "").removeprefix(public)
    return path if path.startswith(current_app.config["MEDIA_URL"]) else ""


def count_by_url(urls: Iterable[str]) -> dict[str, int]:
    """How many records use each URL (distinct owners: a twin row from two checkouts at once
    counts once), for a page of pictures at once."""
    urls = list(set(urls))
    if not urls:
        return {}
    owners_of = (select(MediaUsage.url, MediaUsage.owner_type, MediaUsage.owner_id)
                 .where(MediaUsage.url.in_(urls)).distinct().subquery())
    rows = db.session.execute(select(owners_of.c.url, func.count()).group_by(owners_of.c.url))
    return dict(rows.all())


def owners(urls: Iterable[str], limit: int = 20) -> list[MediaUsage]:
    """The records using any of these URLs (one row per record), for the refusal to delete."""
    rows = db.session.scalars(select(MediaUsage).where(MediaUsage.url.in_(list(urls)))
                              .order_by(MediaUsage.owner_type, MediaUsage.owner_id)).all()
    seen: dict[tuple[str, int], MediaUsage] = {}
    for row in rows:
        seen.setdefault((row.owner_type, row.owner_id), row)
    return list(seen.values())[:limit]
