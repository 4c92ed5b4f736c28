"""The index the console's order search reads: for every two-character term
(`app.orders.search_terms`) of an order's receiver name, its shopper's nickname and its item
titles, one row (term, order_id) in `order_search_terms`, whose primary key keeps each term's
orders together in id order.

Why not a FULLTEXT index. MariaDB has no n-gram parser, so a FULLTEXT index would hold the same
pairs as words (prefixed to pass `innodb_ft_min_token_size`); we built one over 5M generated
orders and measured it: InnoDB's full-text search computes every match of a word before it
sorts, limits or counts anything, so "张伟" (8k orders) took 200–360 ms for the first page and
as long again for its capped count, "苹果" (125k orders) 1.3–6 s and "精选" (600k) 7–12 s; the
index took 10.5 minutes to build. In a B-tree keyed (term, order_id) the newest orders holding
a term are the last entries of one range: the first page reads 21 entries backwards, and the
capped count at most 10,001 — a few milliseconds however common the term. A keyword of several
terms walks the rarest one's range (counted first, up to the cap) and looks each of its orders
up under the other terms by primary key. The same table and the same SQL serve SQLite (a
WITHOUT ROWID table), so both backends find exactly the same orders, and rows are written in
the transaction that writes the order, visible to it at once (InnoDB applies FULLTEXT changes
only at commit). The price is size: one row per distinct term of an order, ~14 per generated
order (~2.2 GB at 5M orders on MariaDB), where a FULLTEXT index compresses its lists.

Kept by the ORM's events on every write of an order: an order inserted (its receiver's name and
the nickname its shopper has then), an item inserted (its title: titles are snapshots and never
change), an order's receiver name changed. The nickname stays the one of the day the order was
placed (like the receiver's name, it is who placed it) until the index is rebuilt, which reads
the nicknames of the day. The bulk load of the scale generator bypasses the ORM: `reindex()`
(`flask orders reindex-search`) rebuilds the whole index from the orders.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, event, func, inspect, select, text
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.extensions import db
from app.orders import search_terms
from app.orders.models import Order, OrderItem, OrderSearchTerm

TABLE = OrderSearchTerm.__table__
COUNT_CAP = 10_000  # what a term's order count is measured up to, to pick the rarest
RECENT_ORDERS = 200_000  # … and among the newest orders, when every term of a keyword is that common


def _insert(connection: Connection, rows: Iterable[tuple[int, int]]) -> None:
    """Add (term, order_id) rows, skipping those already there."""
    values = [{"term": term, "order_id": order_id} for term, order_id in rows]
    if not values:
        return
    skip = "IGNORE" if connection.dialect.name == "mysql" else "OR IGNORE"
    connection.execute(TABLE.insert().prefix_with(skip), values)


def _nickname(connection: Connection, user_id: int) -> str:
    return connection.scalar(select(User.nickname).where(User.id == user_id)) or ""


@event.listens_for(Order, "after_insert")
def _order_added(_mapper, connection: Connection, order: Order) -> None:
    found = search_terms.terms([order.receiver_name, _nickname(connection, order.user_id)])
    _insert(connection, ((term, order.id) for term in found))


@event.listens_for(OrderItem, "after_insert")
def _item_added(_mapper, connection: Connection, item: OrderItem) -> None:
    _insert(connection, ((term, item.order_id) for term in search_terms.terms([item.title])))


@event.listens_for(Order, "after_update")
def _order_changed(_mapper, connection: Connection, order: Order) -> None:
    history = inspect(order).attrs.receiver_name.history
    if not (history.added and history.deleted):
        return
    titles = connection.scalars(select(OrderItem.title).where(OrderItem.order_id == order.id)).all()
    now = search_terms.terms([order.receiver_name, _nickname(connection, order.user_id), *titles])
    gone = search_terms.terms(history.deleted) - now
    if gone:
        connection.execute(delete(TABLE).where(TABLE.c.order_id == order.id, TABLE.c.term.in_(gone)))
    _insert(connection, ((term, order.id) for term in now))


def order_count(term: int, cap: int = COUNT_CAP, after: int = 0) -> int:
    """How many orders (with an id above `after`) hold `term`, counted up to cap + 1: one index
    range, at most cap + 1 entries read."""
    inner = (select(TABLE.c.order_id).where(TABLE.c.term == term, TABLE.c.order_id > after)
             .limit(cap + 1).subquery())
    return db.session.scalar(select(func.count()).select_from(inner)) or 0


def _rarest_first(terms: set[int]) -> list[int]:
    """The terms, the best one to drive first: the one with the fewest orders (counted up to
    COUNT_CAP). When every term has more than that, the capped count will walk the driver's
    range from the newest order down until it has found COUNT_CAP matches, so what counts is
    how thinly a term is spread over the newest orders: each is counted again among the newest
    RECENT_ORDERS orders (for 新疆精选, 疆精 — 1% of orders, nearly all of them matches — and
    not 精选, 12% of orders, one match in thirty). At most 2 × (COUNT_CAP + 1) entries per term."""
    counts = {term: order_count(term) for term in terms}
    if min(counts.values()) > COUNT_CAP:
        newest = db.session.scalar(select(func.max(Order.id))) or 0
        counts = {term: order_count(term, after=newest - RECENT_ORDERS) for term in terms}
    return sorted(terms, key=lambda term: (counts[term], term))


def orders_holding(terms: set[int]) -> Select:
    """SELECT orders holding every term of `terms` (not empty), newest first: the driving
    term's range read backwards (MariaDB sorts by `orders.id` through it, no filesort), each
    other term looked up by primary key, then the order. STRAIGHT_JOIN keeps MariaDB to that
    order: it cannot tell the terms apart by statistics."""
    statement, driver = _holding(terms)
    # the order row last: read only for the orders holding every term
    statement = statement.with_only_columns(Order).join(Order, Order.id == driver.order_id)
    return statement.prefix_with("STRAIGHT_JOIN", dialect="mysql").order_by(Order.id.desc())


def order_ids_holding(terms: set[int]) -> Select:
    """SELECT the ids of the orders holding every term, from the index alone (for counting:
    every row of the index belongs to an order that exists, written with it)."""
    return _holding(terms)[0]


def _holding(terms: set[int]) -> tuple[Select, Any]:
    """(SELECT the driving term's order ids joined to the other terms' rows, the driver)."""
    ordered = _rarest_first(terms) if len(terms) > 1 else list(terms)
    driver = aliased(OrderSearchTerm, name="search_0")
    statement = select(driver.order_id).select_from(driver).where(driver.term == ordered[0])
    for index, term in enumerate(ordered[1:], start=1):
        other = aliased(OrderSearchTerm, name=f"search_{index}")
        statement = statement.join(other, and_(other.term == term, other.order_id == driver.order_id))
    return statement, driver


def reindex(batch: int = 10_000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the orders, their shoppers and their items: emptied, then
    refilled in batches of `batch` orders by id, each committed (flat memory however many
    orders; searches meanwhile find only the orders already done, and orders placed meanwhile
    are indexed by their own transactions). Returns how many orders were indexed."""
    connection = db.session.connection()
    if connection.dialect.name == "mysql":
        db.session.execute(text(f"TRUNCATE TABLE {TABLE.name}"))
    else:
        db.session.execute(delete(TABLE))
    db.session.commit()
    terms_of = functools.lru_cache(maxsize=50_000)(lambda text_: search_terms.terms([text_]))
    done, after = 0, 0
    while True:
        orders = db.session.execute(
            select(Order.id, Order.receiver_name, User.nickname).join(User, User.id == Order.user_id)
            .where(Order.id > after).order_by(Order.id).limit(batch)).all()
        if not orders:
            return done
        first, last = orders[0].id, orders[-1].id
        found: dict[int, set[int]] = {row.id: terms_of(row.receiver_name) | terms_of(row.nickname or "")
                                      for row in orders}
        for order_id, title in db.session.execute(
                select(OrderItem.order_id, OrderItem.title).where(OrderItem.order_id.between(first, last))):
            found[order_id] = found[order_id] | terms_of(title)
        rows = sorted((term, order_id) for order_id, terms in found.items() for term in terms)
        _bulk_insert(rows)
        db.session.commit()
        done, after = done + len(orders), last
        if progress is not None:
            progress(len(orders))


def _bulk_insert(rows: list[tuple[int, int]], chunk: int = 50_000) -> None:
    """Many rows at once, past the ORM's and the driver's per-value handling (which took longer
    than the database at 5M orders): on MariaDB multi-row INSERTs written out directly (every
    value is an int), on SQLite the driver's executemany."""
    connection = db.session.connection()
    if connection.dialect.name != "mysql":
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(f"INSERT OR IGNORE INTO {TABLE.name} (term, order_id) VALUES (?, ?)", rows)
        finally:
            cursor.close()
        return
    for start in range(0, len(rows), chunk):
        values = ",".join(f"({int(term)},{int(order_id)})" for term, order_id in rows[start:start + chunk])
        connection.exec_driver_sql(f"INSERT IGNORE INTO {TABLE.name} (term, order_id) VALUES {values}")
