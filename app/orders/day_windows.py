"""For each Beijing day, the lowest and highest id of the orders placed that day: what turns
the order list's date filter into a range of ids.

Why: the list is newest first (`ORDER BY id DESC`, what keyset paging and the export follow),
but a date filter is on `created_at`. Walking the ids down until the dates match took 28 s for
a January on 5M orders (every newer order read first); reading the `created_at` range and
sorting it costs as many rows as the range holds (a year: millions). With the days' windows,
"placed from D1 to D2" also becomes `id BETWEEN first AND last` (a few dozen rows of this table
read): one primary-key range, read backwards, 21 rows for a page and at most 10,001 for the
capped count, whatever the dates. The `created_at` condition stays, so the answer is exact even
where ids and times disagree (an order backdated by the demo seed): a window only ever widens,
so it always holds every order of its day.

Kept by the ORM's events on every write of an order (inserted; `created_at` changed), in the
transaction of that write; sharded like the status counters (`app.orders.status_counts`) so
that checkouts do not queue behind one "today" row. Rebuilt from the orders by `rebuild()`
(part of `flask orders recount`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Connection, case, event, func, inspect, select, text

from app.core.china_time import to_beijing
from app.core.upsert import upsert, upsert_many
from app.extensions import db
from app.orders.models import Order, OrderDayWindow
from app.orders.status_counts import SHARDS, shard_of

TABLE = OrderDayWindow.__table__


def beijing_day(moment: datetime) -> date:
    return to_beijing(moment).date()


def _widen(connection: Connection, moment: datetime, order_id: int) -> None:
    _widen_to(connection, beijing_day(moment), shard_of(order_id), order_id, order_id)


def _widened(new) -> dict:
    """A window's bounds once it holds the incoming one's too."""
    return {"first_id": case((TABLE.c.first_id > new["first_id"], new["first_id"]), else_=TABLE.c.first_id),
            "last_id": case((TABLE.c.last_id < new["last_id"], new["last_id"]), else_=TABLE.c.last_id)}


def _widen_to(connection: Connection, day: date, shard: int, low: int, high: int) -> None:
    upsert(connection, TABLE, {"day": day, "shard": shard, "first_id": low, "last_id": high}, _widened)


@event.listens_for(Order, "after_insert")
def _order_added(_mapper, connection: Connection, order: Order) -> None:
    _widen(connection, order.created_at, order.id)


@event.listens_for(Order, "after_update")
def _order_changed(_mapper, connection: Connection, order: Order) -> None:
    if inspect(order).attrs.created_at.history.added:
        _widen(connection, order.created_at, order.id)


def id_window(since: datetime | None, until: datetime | None) -> tuple[int, int] | None:
    """(lowest, highest) id of the orders placed in [since, until) (naive UTC; either open),
    or None when no order was placed on those Beijing days."""
    statement = select(func.min(TABLE.c.first_id), func.max(TABLE.c.last_id))
    if since is not None:
        statement = statement.where(TABLE.c.day >= beijing_day(since))
    if until is not None:
        statement = statement.where(TABLE.c.day <= beijing_day(until - timedelta(microseconds=1)))
    low, high = db.session.execute(statement).one()
    return None if low is None else (low, high)


def _beijing_day_sql(dialect: str):
    if dialect == "mysql":
        return func.date(func.date_add(Order.created_at, text("INTERVAL 8 HOUR")))
    return func.date(Order.created_at, "+8 hours")


def rebuild() -> int:
    """Widen every window to hold the orders of its day and shard (one `GROUP BY` over the
    orders), in the caller's transaction; returns how many windows there are. Windows are only
    widened, never narrowed or emptied first, so orders placed meanwhile (which widen their own)
    are never lost, and the list stays exact throughout."""
    shard = (Order.id % SHARDS).label("shard")
    day = _beijing_day_sql(db.session.get_bind().dialect.name).label("day")
    rows = db.session.execute(select(day, shard, func.min(Order.id), func.max(Order.id)).group_by(day, shard)).all()
    windows = [{"day": date.fromisoformat(day_value) if isinstance(day_value, str) else day_value,
                "shard": shard_number, "first_id": low, "last_id": high} for day_value, shard_number, low, high in rows]
    upsert_many(db.session.connection(), TABLE, windows, _widened)
    return len(windows)
