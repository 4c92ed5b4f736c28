"""The category tree, cached in each worker and invalidated by a generation number in Redis.

Every committed change to a category bumps the generation (an ORM flush listener queues the
bump after commit, whoever made the change). A worker re-reads the generation at most every
CHECK_SECONDS, so another worker's change shows there within that time; its own at once.

The storefront's list totals ride on the same snapshot: a product change that can alter who
sees what (shelf, schedule, category, title, deletion) bumps the generation too, and the
totals also expire at the next scheduled launch or withdrawal, which changes them with no
write at all (and after TOTAL_SECONDS in any case).

Rendered storefront answers (list pages, product details: `rendered`) follow a second,
content generation as well, which every committed write to a product or SKU bumps (stock
and price included, through the ORM or a bulk UPDATE such as `stock.take`): the worker that
commits stops serving what it rendered before at once, the others within CHECK_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from app.catalog.models import Category, Product, Sku
from app.core.after_commit import after_commit, pending
from app.core.models import utcnow
from app.extensions import db, redis_client

KEY = "fenxiao:catalog:generation"
CONTENT_KEY = "fenxiao:catalog:content-generation"
CHECK_SECONDS = 0.5
TOTAL_SECONDS = 300
MAX_TOTALS = 2000
MAX_RENDERED = 4000  # a product detail is ~1.5 KB, a list page ~4 KB
CATALOGUE_TABLES = frozenset({"products", "skus", "categories"})
# Product columns whose change can add a product to, or drop it from, some storefront listing.
LISTING_COLUMNS = ("is_on_shelf", "deleted_at", "on_shelf_at", "off_shelf_at", "category_id", "title",
                   "is_recommended")


@dataclass(frozen=True)
class CategoryNode:
    id: int
    name: str
    icon_url: str
    parent_id: int | None
    children: tuple[CategoryNode, ...] = ()


@dataclass
class _Snapshot:
    generation: bytes | None
    checked_at: float
    tree: tuple[CategoryNode, ...]
    visible_ids: frozenset[int]
    children_of: dict[int, tuple[int, ...]] = field(default_factory=dict)
    as_json: list[dict] = field(default_factory=list)
    hidden_ids: frozenset[int] = frozenset()
    totals: dict[Hashable, tuple[object, datetime]] = field(default_factory=dict)
    totals_until: datetime | None = None


@dataclass
class _Rendered:
    """Rendered storefront answers in this worker, each kept with the `version` it was
    rendered at; anything that changes the catalogue raises the version."""
    version: int = 0
    seen: int = 0  # the content generation last read from Redis
    answers: dict[Hashable, tuple[int, datetime, bytes]] = field(default_factory=dict)

    def outdate(self) -> None:
        self.version += 1
        self.answers = {}


_lock = threading.Lock()
T = TypeVar("T")


def _snapshots() -> dict:
    return current_app.extensions.setdefault("catalog_category_cache", {})


def _rendered() -> _Rendered:
    answers = current_app.extensions.get("catalog_rendered")
    if answers is None:
        answers = current_app.extensions.setdefault("catalog_rendered", _Rendered())
    return answers


def bump() -> None:
    """Forget the cached tree here and, through Redis, in every other worker."""
    _snapshots().clear()
    _rendered().outdate()
    redis_client.incr(KEY)


def bump_content() -> None:
    """Outdate every rendered storefront answer, here and in every other worker (the tree
    and the totals stay)."""
    answers = _rendered()
    answers.outdate()
    answers.seen = redis_client.incr(CONTENT_KEY)


def _load(generation: bytes | None) -> _Snapshot:
    rows = db.session.execute(select(Category.id, Category.parent_id, Category.name, Category.icon_url,
                                     Category.is_visible).order_by(Category.sort.desc(), Category.id)).all()
    tops = [row for row in rows if row.parent_id is None and row.is_visible]
    visible_tops = {row.id for row in tops}
    tree, visible, children_of = [], set(visible_tops), {}
    for top in tops:
        kids = tuple(CategoryNode(row.id, row.name, row.icon_url, top.id)
                     for row in rows if row.parent_id == top.id and row.is_visible)
        visible.update(kid.id for kid in kids)
        children_of[top.id] = tuple(kid.id for kid in kids)
        tree.append(CategoryNode(top.id, top.name, top.icon_url, None, kids))
    as_json = [{"id": top.id, "name": top.name, "icon_url": top.icon_url,
                "children": [{"id": kid.id, "name": kid.name, "icon_url": kid.icon_url, "children": []}
                             for kid in top.children]} for top in tree]
    return _Snapshot(generation, time.monotonic(), tuple(tree), frozenset(visible), children_of, as_json,
                     frozenset(row.id for row in rows) - visible)


def snapshot() -> _Snapshot:
    """The visible category tree, the ids of visible categories (a child of a hidden top is
    hidden too) and each top's children, as of at most CHECK_SECONDS ago."""
    cache = _snapshots()
    current = cache.get("tree")
    now = time.monotonic()
    if current is not None and now - current.checked_at < CHECK_SECONDS:
        return current
    generation, content = redis_client.mget(KEY, CONTENT_KEY)
    answers = _rendered()
    if int(content or 0) != answers.seen:
        answers.seen = int(content or 0)
        answers.outdate()
    if current is not None and current.generation == generation:
        current.checked_at = now
        return current
    with _lock:
        fresh = _load(generation)
        cache["tree"] = fresh
        if current is not None:  # another worker changed the listing
            answers.outdate()
    return fresh


def cached_total(key: Hashable, count: Callable[[], T]) -> T:
    """`count()`, remembered under `key` until the catalogue changes or a shelf schedule comes
    due: counting every visible row is what made each page of the product list slow."""
    current = snapshot()
    now = utcnow()
    until = _valid_until(current, now)
    entry = current.totals.get(key)
    if entry is not None and now < entry[1]:
        return entry[0]
    total = count()
    if len(current.totals) >= MAX_TOTALS:
        current.totals.clear()
    current.totals[key] = (total, until)
    return total


def rendered(key: Hashable, render: Callable[[], bytes]) -> bytes:
    """`render()`, remembered under `key` until the catalogue changes (here at once, in another
    worker within CHECK_SECONDS) or a shelf schedule comes due. Call it before the request
    reads the database: the version is taken first, so an answer rendered from rows older
    than a change is never kept as newer."""
    answers = _rendered()
    version = answers.version
    current = snapshot()
    now = utcnow()
    until = _valid_until(current, now)
    entry = answers.answers.get(key)
    if entry is not None and entry[0] == answers.version and now < entry[1]:
        return entry[2]
    body = render()
    with _lock:
        kept = answers.answers
        if len(kept) >= MAX_RENDERED:
            del kept[next(iter(kept))]  # the oldest
        kept[key] = (version, until, body)
    return body


def peek(extensions: dict, key: Hashable) -> bytes | None:
    """The answer `rendered` keeps under `key` if it is still current, without the database or
    Redis (so without an app context): None when there is none, when it is outdated, or when
    this worker has not read the catalogue generations within CHECK_SECONDS — the caller then
    goes the full way (`rendered`), which reads them."""
    answers = extensions.get("catalog_rendered")
    tree = extensions.get("catalog_category_cache", {}).get("tree")
    if answers is None or tree is None or time.monotonic() - tree.checked_at >= CHECK_SECONDS:
        return None
    entry = answers.answers.get(key)
    if entry is None or entry[0] != answers.version or utcnow() >= entry[1]:
        return None
    return entry[2]


def _valid_until(current: _Snapshot, now: datetime) -> datetime:
    until = current.totals_until
    if until is None or now >= until:
        until = current.totals_until = _next_schedule_change(now)
    return until


def _next_schedule_change(now: datetime) -> datetime:
    """The next moment a scheduled launch or withdrawal changes what shows (at most TOTAL_SECONDS away)."""
    live = (Product.is_on_shelf.is_(True), Product.deleted_at.is_(None))
    launch = db.session.scalar(select(func.min(Product.on_shelf_at)).where(*live, Product.on_shelf_at > now))
    withdrawal = db.session.scalar(select(func.min(Product.off_shelf_at)).where(*live, Product.off_shelf_at > now))
    return min(moment for moment in (launch, withdrawal, now + timedelta(seconds=TOTAL_SECONDS)) if moment)


def _changes_listing(row: object, session: Session) -> bool:
    if isinstance(row, Category):
        return True
    if not isinstance(row, Product):
        return False
    if row in session.new or row in session.deleted:
        return True
    attrs = inspect(row).attrs
    return any(attrs[name].history.has_changes() for name in LISTING_COLUMNS)


def _bump_after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Queue `callback` (bump or bump_content) once per transaction; a bump queued there
    stands for both."""
    if not any(queued in (callback, bump) for queued, _args, _kwargs in pending(session)):
        after_commit(callback)


@event.listens_for(Session, "after_flush")
def _catalogue_flushed(session: Session, _context) -> None:
    rows = (*session.new, *session.dirty, *session.deleted)
    if any(_changes_listing(row, session) for row in rows):
        _bump_after_commit(session, bump)
    elif any(isinstance(row, (Product, Sku)) for row in rows):
        _bump_after_commit(session, bump_content)


@event.listens_for(Session, "do_orm_execute")
def _catalogue_bulk_written(state) -> None:
    """A bulk UPDATE, INSERT or DELETE (stock taken or given back, prices, schedules) passes
    no flush; it outdates what the storefront rendered all the same."""
    if not (state.is_update or state.is_insert or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in CATALOGUE_TABLES:
        _bump_after_commit(state.session, bump_content if name == "skus" else bump)
