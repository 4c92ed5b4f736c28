"""How many orders are in each status, kept as orders come and move (the order list's tabs).

Counting `GROUP BY status` over 5M orders reads the whole table (1.2 s) on every list page;
these counters are read in a millisecond. They change in the transaction that changes the
order, so a rollback takes the count back with it, and there are exactly two ways in:

- every ORM write of an order (the mapper events below): an order placed (checkout, the
  seeds, anything that adds an `Order`), a status set on the object and flushed, an order
  deleted;
- `app.orders.states.move`, the compare-and-set every status change of the state machine
  goes through (a Core UPDATE the ORM never sees), once it has won.

Sharded rows, (status, shard = order id mod SHARDS): every checkout adds one to
`pending_payment` and then holds that row's lock until it commits (its stock, its items,
its cart), so with one row per status every checkout of the shop would wait for the one
before it, and would join in deadlocks with the rows the others lock next. Consecutive orders
fall in different shards, and an order stays in its shard for life, so each row counts
exactly the orders of its shard in its status (never below zero), and a reader adds
SHARDS rows per status. A move updates its two rows in one order (sorted by status), so two
moves never wait for each other crosswise.

Rebuilt from the orders by `recount()` (`flask orders recount`; also a step of the scale
generator, whose bulk load bypasses the ORM).
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, event, func, inspect, select

from app.core.upsert import upsert
from app.extensions import db
from app.orders.models import Order, OrderStatusCount

SHARDS = 16


def shard_of(order_id: int) -> int:
    return order_id % SHARDS


def _add(connection: Connection, status: str, shard: int, delta: int) -> None:
    table = OrderStatusCount.__table__
    upsert(connection, table, {"status": status, "shard": shard, "orders": delta},
           lambda new: {"orders": table.c.orders + new["orders"]},
           blank={"status": status, "shard": shard, "orders": 0})


def moved(connection: Connection, order_id: int, before: str | None, after: str | None) -> None:
    """Order `order_id` went from status `before` to `after` (None: it did not exist / no
    longer exists), in the transaction of `connection`."""
    if before == after:
        return
    deltas = {status: delta for status, delta in ((before, -1), (after, 1)) if status is not None}
    for status in sorted(deltas):
        _add(connection, status, shard_of(order_id), deltas[status])


@event.listens_for(Order, "after_insert")
def _order_added(_mapper, connection: Connection, order: Order) -> None:
    moved(connection, order.id, None, order.status)


@event.listens_for(Order, "after_update")
def _order_changed(_mapper, connection: Connection, order: Order) -> None:
    history = inspect(order).attrs.status.history
    if history.added and history.deleted:
        moved(connection, order.id, history.deleted[0], history.added[0])


@event.listens_for(Order, "after_delete")
def _order_removed(_mapper, connection: Connection, order: Order) -> None:
    moved(connection, order.id, order.status, None)


def counts() -> dict[str, int]:
    """{status: orders} for every status holding at least one order."""
    statement = select(OrderStatusCount.status, func.sum(OrderStatusCount.orders)).group_by(OrderStatusCount.status)
    return {status: int(total) for status, total in db.session.execute(statement) if total}


def recount() -> dict[str, int]:
    """Rebuild the counters from the orders (one `GROUP BY` over them), in the caller's
    transaction, and return the counts. On MariaDB the counter rows are locked first, so an
    order changing meanwhile waits and then adds its change on top of the recount (its own
    change is not in the snapshot the recount reads) instead of being lost; checkouts wait for
    the recount's commit (a second or two at 5M orders). On SQLite the delete takes the
    database's write lock first, which does the same."""
    table = OrderStatusCount.__table__
    if db.session.get_bind().dialect.name == "mysql":
        db.session.execute(select(table.c.status).with_for_update()).all()
    db.session.execute(delete(table))
    shard = (Order.id % SHARDS).label("shard")
    rows = db.session.execute(select(Order.status, shard, func.count()).group_by(Order.status, shard)).all()
    if rows:
        db.session.execute(table.insert(), [{"status": status, "shard": shard_number, "orders": total}
                                            for status, shard_number, total in rows])
    return counts()
