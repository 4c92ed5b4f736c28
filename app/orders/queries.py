"""Finding orders: one filter used by the console list, its export, the mini-program's list and
their counts, each condition answered by an index at 5M orders.

- status tab, exception kind: `(status, …)`, `(exception)` indexes; pay method:
  `(pay_method, created_at)`; the shopper's own list: `(user_id, status, id)`;
- dates: the days' id windows (`app.orders.day_windows`) make them a primary-key range too;
- keyword: an order number, a phone or a tracking number by indexed equality, anything else
  through the search index (`app.orders.search_index`), never `LIKE '%…%'`;
- every exception order: the union of two small indexed sets, joined to the orders;
- the tabs' counts from counters kept by the state machine (`app.orders.status_counts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, union

from app.core.models import utcnow
from app.extensions import db
from app.orders import day_windows, search_index, search_terms, status_counts
from app.orders.models import Order, Parcel
from app.orders.states import OrderStatus

# A paid order not fully shipped this long after payment is an exception order.
SHIPMENT_OVERDUE = "shipment_overdue"
SHIPMENT_OVERDUE_AFTER = timedelta(hours=48)

# What an order number, a phone or a tracking number looks like once spaces and dashes are
# dropped: 5 to 40 Latin letters and digits, at least one a digit.
_CODE = re.compile(r"(?=\D*\d)[0-9A-Za-z]{5,40}")
_NUMBER_NOISE = re.compile(r"[\s-]")


@dataclass(frozen=True)
class OrderFilter:
    """What a merchant narrows the order list by. Times are naive UTC (the console
    converts China time at its edge); `keyword` is an order number, the receiver's phone, a
    parcel's tracking number, or two or more characters of the receiver's name, the shopper's
    nickname or a product title."""

    status: str = ""
    since: datetime | None = None
    until: datetime | None = None
    keyword: str = ""
    pay_method: str = ""
    exception: str = ""  # "any" for every exception order, or one exception kind (or SHIPMENT_OVERDUE)
    user_id: int | None = None
    activity_kind: str = ""  # an activity's orders (app.orders.activity): flash_sale | group_buy | bargain
    activity_id: int | None = None  # with activity_kind: one activity's


def keyword_too_short(keyword: str) -> bool:
    """A keyword that can be neither an exact number nor a text search (one character): the
    list answers nothing and asks for two (see `app.orders.search_terms`)."""
    keyword = keyword.strip()
    return bool(keyword) and _code(keyword) is None and not search_terms.keyword_terms(keyword)


def search_orders(criteria: OrderFilter) -> Select:
    """Orders matching `criteria`, newest first (`ORDER BY id DESC`: a SELECT to paginate by
    keyset or stream by id)."""
    keyword = criteria.keyword.strip()
    statement = _by_keyword(keyword) if keyword else select(Order).order_by(Order.id.desc())
    if criteria.status:
        statement = statement.where(Order.status == criteria.status)
    if criteria.since or criteria.until:
        window = day_windows.id_window(criteria.since, criteria.until)
        if window is None:
            return statement.where(false())
        statement = statement.where(Order.id.between(*window))
        if criteria.since:
            statement = statement.where(Order.created_at >= criteria.since)
        if criteria.until:
            statement = statement.where(Order.created_at < criteria.until)
    if criteria.pay_method:
        statement = statement.where(Order.pay_method == criteria.pay_method)
    if criteria.exception == "any":
        flagged = _exception_ids().subquery("exception_orders")
        statement = statement.join(flagged, flagged.c.id == Order.id)
    elif criteria.exception == SHIPMENT_OVERDUE:
        statement = statement.where(shipment_overdue())
    elif criteria.exception:
        statement = statement.where(Order.exception == criteria.exception)
    if criteria.activity_kind:  # (activity_kind, activity_id) index; its rows come in id order
        statement = statement.where(Order.activity_kind == criteria.activity_kind)
        if criteria.activity_id is not None:
            statement = statement.where(Order.activity_id == criteria.activity_id)
    if criteria.user_id:
        statement = statement.where(Order.user_id == criteria.user_id)
    elif not keyword and criteria.exception != "any" and not criteria.activity_kind:
        statement = _pinned(statement, criteria)
    return statement


def _pinned(statement: Select, criteria: OrderFilter) -> Select:
    """Keep MariaDB on the `(status, id)` / `(pay_method, id)` range. Given `status = ? AND
    id < ? ORDER BY id DESC LIMIT 21` (a later page), it reads the index by status alone from
    the newest order down to the cursor (15 s for the completed tab half way down 5M orders)
    instead of seeking to the cursor (20 ms)."""
    if criteria.status:
        return statement.with_hint(Order, "FORCE INDEX (ix_orders_status_id)", dialect_name="mysql")
    if criteria.pay_method:
        return statement.with_hint(Order, "FORCE INDEX (ix_orders_pay_method_id)", dialect_name="mysql")
    return statement


def search_count(criteria: OrderFilter, tabs: dict[str, int] | None = None,
                 exceptions: int | None = None) -> Select | int | None:
    """What the list's pager counts instead of the list, where something cheaper holds the
    same number (`paginate`'s `count`): the status counters for the whole list or one tab
    (the capped count read 10,001 orders; `tabs`: the counters, when the caller has read
    them); the exception orders' capped count for that tab alone (`exceptions`: the same, when
    the caller has it); the search index alone for a one-term name or title (without looking
    up each order it finds). None: count the list itself."""
    keyword = criteria.keyword.strip()
    if criteria.since or criteria.until or criteria.pay_method or criteria.user_id or criteria.activity_kind:
        return None
    if criteria.exception:
        if criteria.exception != "any" or keyword or criteria.status:
            return None
        return exception_count() if exceptions is None else exceptions
    if not keyword:
        counts = status_counts.counts() if tabs is None else tabs
        return counts.get(criteria.status, 0) if criteria.status else sum(counts.values())
    terms = search_terms.keyword_terms(keyword)
    if criteria.status or len(terms) != 1 or _keyword_route(keyword)[0] is not None:
        return None  # (the route last: a keyword that may be a number looks parcels up)
    return search_index.order_ids_holding(terms)


def _keyword_route(keyword: str) -> tuple[ColumnElement[bool] | None, set[int]]:
    """(the exact-number condition, None for a text search; the text search's terms)."""
    exact = _exact_match(keyword)
    if exact is not None and (str(_code(keyword)).isdigit()
                              or db.session.scalar(select(Order.id).where(exact).limit(1)) is not None):
        return exact, set()
    return None, search_terms.keyword_terms(keyword)


def _by_keyword(keyword: str) -> Select:
    """Orders the keyword finds: exact numbers first; when a number finds nothing and holds
    letters (a model name like "x200"), the text search; one character finds nothing."""
    exact, terms = _keyword_route(keyword)
    if exact is not None:
        return select(Order).where(exact).order_by(Order.id.desc())
    if not terms:
        return select(Order).where(false()).order_by(Order.id.desc())
    return search_index.orders_holding(terms)


def _code(keyword: str) -> str | None:
    """`keyword` as an order, phone or tracking number (spaces, dashes and a leading + dropped),
    or None when it cannot be one."""
    compact = _NUMBER_NOISE.sub("", keyword).removeprefix("+")
    return compact if _CODE.fullmatch(compact) else None


def _exact_match(keyword: str) -> ColumnElement[bool] | None:
    """Order number, receiver phone or tracking number equal to `keyword` (spaces, dashes and
    a leading 86 of a phone ignored), each an index; the parcels' tracking numbers are looked
    up first, so the OR is of three index ranges the database merges."""
    compact = _code(keyword)
    if compact is None:
        return None
    phone = compact[2:] if len(compact) == 13 and compact.startswith("86") else compact
    tracked = db.session.scalars(select(Parcel.order_id).where(Parcel.tracking_no == compact).limit(100)).all()
    conditions = [Order.order_no == compact, Order.receiver_phone == phone]
    if tracked:
        conditions.append(Order.id.in_(sorted(set(tracked))))
    return or_(*conditions)


def shipment_overdue(now: datetime | None = None) -> ColumnElement[bool]:
    """Paid more than SHIPMENT_OVERDUE_AFTER ago and still awaiting (some of its) shipment
    (the `(status, paid_at)` index)."""
    return and_(Order.status == OrderStatus.PAID, Order.paid_at < (now or utcnow()) - SHIPMENT_OVERDUE_AFTER)


def _exception_ids(cap: int | None = None) -> Select:
    """Ids of every exception order: flagged (`exception > ''`, its index) or shipment overdue
    (`(status, paid_at)`). A UNION of two index ranges, not an OR the database would answer
    by reading every order; with `cap`, each range stops after `cap` rows."""
    parts = [select(Order.id).where(Order.exception > ""), select(Order.id).where(shipment_overdue())]
    if cap is not None:
        parts = [select(part.c.id) for part in (branch.limit(cap).subquery() for branch in parts)]
    return union(*parts)


EXCEPTION_COUNT_CAP = 10_000


def exception_count(cap: int = EXCEPTION_COUNT_CAP) -> int:
    """How many orders are exception orders, counted up to `cap` (a number above it means
    "more than cap"): at most cap + 1 entries of each index read."""
    flagged = _exception_ids(cap + 1).subquery()
    return min(db.session.scalar(select(func.count()).select_from(flagged)) or 0, cap + 1)


def count_by_status(criteria: OrderFilter | None = None) -> dict[str, int]:
    """How many orders are in each status (for the lists' tabs). The shop's from the counters
    the state machine keeps; one shopper's (`criteria.user_id`) by counting their orders on
    the `(user_id, status, id)` index. Other criteria do not narrow the tabs."""
    if criteria is None or not criteria.user_id:
        return status_counts.counts()
    statement = select(Order.status, func.count()).where(Order.user_id == criteria.user_id).group_by(Order.status)
    return {status: count for status, count in db.session.execute(statement)}
