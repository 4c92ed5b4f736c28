"""Which Beijing days' figures a change moves: marked in the change's own transaction.

A refund today of an order paid last week changes last week's sales, so the rollups cannot
simply be topped up with what happens today. Every change that moves a daily figure writes
a row in report_dirty_days naming the day (or days) it moved, in the same transaction: the
mark commits or rolls back with its cause, so a committed change always leaves its mark,
and the refresh job (app/reports/rollups.py) recomputes each marked day from the source rows.

Two hooks, and nothing else in the domains knows about reports:
- domain events, listened to inside the publishing transaction (app.core.events.listen) —
  for what the domains change with statements: an order paid (its paid day), cash on
  delivery collected (its paid day), an item refunded (its order's paid day), commission
  accrued (the order's paid day), an agent's status changed (the day they became one);
- the ORM's insert and delete of rows that are figures themselves — a shopper (its creation
  day), an agent (the day they became one), a ledger entry that releases (today), cancels
  (the order's paid day) or claws back commission (the paid day and the day it was released).

A mark is one small INSERT (… SELECT the day, when it has to be looked up, from rows the
change holds locked already); within one transaction a source is marked once. A new rollup
over the same sources needs no new mark; one over a new source adds its hook here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event, insert, literal, select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.sql import Select

from app.accounts.models import User
from app.core.china_time import to_beijing
from app.core.events import listen
from app.core.models import utcnow
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.distribution.events import AGENT_STATUS_CHANGED, COMMISSION_ACCRUED
from app.distribution.ledger import EntryKind
from app.extensions import db
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PAID
from app.orders.models import Order, OrderItem
from app.orders.states import PayMethod
from app.reports.models import DirtyDay
from app.reports.sources import beijing_day

_SEEN = "reports.marked"


def _marked(session: Session) -> set:
    """What this transaction has marked already: the session's innermost transaction's set (a
    savepoint rolled back takes its marks with it, so a savepoint has a set of its own)."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    seen = session.info.get(_SEEN)
    if seen is None or seen[0] is not transaction:
        seen = session.info[_SEEN] = (transaction, set())
    return seen[1]


def mark_day(session: Session, connection, moment: datetime | None) -> None:
    """Mark the Beijing day of a stored (naive UTC) moment."""
    if moment is None:
        return
    day: date = to_beijing(moment).date()
    marked = _marked(session)
    if ("day", day) not in marked:
        connection.execute(insert(DirtyDay), {"day": day, "created_at": utcnow()})
        marked.add(("day", day))


def mark_selected(session: Session, connection, key: tuple, days: Select) -> None:
    """Mark the day(s) a one-column query of beijing_day(…) finds, looked up by the database;
    `key` names what was looked up (marked once per transaction, once it found a day)."""
    marked = _marked(session)
    if key not in marked and connection.execute(insert(DirtyDay).from_select(
            ["day", "created_at"], days.add_columns(literal(utcnow())))).rowcount:
        marked.add(key)


def _paid_day_of_order(order_id: int) -> Select:
    return select(beijing_day(Order.paid_at)).where(Order.id == order_id, Order.paid_at.is_not(None))


def _paid_day_of_line(line_id: int) -> Select:
    return (select(beijing_day(Order.paid_at)).select_from(CommissionLine)
            .join(Order, Order.id == CommissionLine.order_id)
            .where(CommissionLine.id == line_id, Order.paid_at.is_not(None)))


# -- domain events, in the publishing transaction --------------------------------------------

@listen(ORDER_PAID)
@listen(COMMISSION_ACCRUED)
def order_moved(order_id: int) -> None:
    """Paid (sales, orders), or its commission written (accrued): the day it was paid."""
    mark_selected(db.session(), db.session.connection(), ("order", order_id), _paid_day_of_order(order_id))


@listen(ORDER_COMPLETED)
def order_completed(order_id: int) -> None:
    """Cash on delivery is counted in sales once collected, at completion, on its paid day."""
    order = db.session.get(Order, order_id)
    if order is not None and order.pay_method == PayMethod.COD:
        order_moved(order_id)


@listen(ORDER_ITEM_REFUNDED)
def item_refunded(order_item_id: int, *_details) -> None:
    """Money went back: the sales of the day the order was paid."""
    days = (select(beijing_day(Order.paid_at)).select_from(OrderItem).join(Order, Order.id == OrderItem.order_id)
            .where(OrderItem.id == order_item_id, Order.paid_at.is_not(None)))
    mark_selected(db.session(), db.session.connection(), ("order_item", order_item_id), days)


@listen(AGENT_STATUS_CHANGED)
def agent_status_changed(user_id: int) -> None:
    """Removed, or appointed again: the new agents of the day they first became one."""
    mark_selected(db.session(), db.session.connection(), ("agent", user_id),
                  select(beijing_day(Agent.became_at)).where(Agent.user_id == user_id))


# -- rows that are figures themselves, as the ORM writes them --------------------------------

@event.listens_for(User, "after_insert")
def _shopper_created(_mapper, connection, user: User) -> None:
    mark_day(object_session(user), connection, user.created_at)


@event.listens_for(User, "before_delete")
def _shopper_deleted(_mapper, connection, user: User) -> None:
    """A follower's empty account folded into the shopper's (app/distribution/fan_merge.py)."""
    mark_selected(object_session(user), connection, ("user", user.id),
                  select(beijing_day(User.created_at)).where(User.id == user.id))


@event.listens_for(Agent, "after_insert")
def _agent_created(_mapper, connection, agent: Agent) -> None:
    mark_day(object_session(agent), connection, agent.became_at)


@event.listens_for(CommissionEntry, "after_insert")
def _commission_moved(_mapper, connection, entry: CommissionEntry) -> None:
    session = object_session(entry)
    if entry.kind == EntryKind.RELEASE:
        mark_day(session, connection, entry.created_at)
    elif entry.kind in (EntryKind.CANCEL, EntryKind.CLAWBACK) and entry.line_id is not None:
        mark_selected(session, connection, ("paid_day_of_line", entry.line_id), _paid_day_of_line(entry.line_id))
        if entry.kind == EntryKind.CLAWBACK:  # a plain read: INSERT … SELECT would lock a range of entries
            mark_day(session, connection, connection.scalar(select(CommissionEntry.created_at).where(
                CommissionEntry.line_id == entry.line_id, CommissionEntry.kind == EntryKind.RELEASE)))
