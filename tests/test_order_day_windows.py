"""The date filter of the order list reads the days' id windows: exact for orders whose ids and
times disagree (a backdated order), kept by every ORM write, and rebuilt by `flask orders recount`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select, update

from app.core.china_time import day_start_utc
from app.core.models import utcnow
from app.extensions import db
from app.orders import day_windows
from app.orders.models import Order, OrderDayWindow
from app.orders.queries import OrderFilter, search_orders
from tests import factories


def _order(**fields) -> Order:
    product = factories.product(factories.category(), stock=10)
    return factories.order(factories.shopper(), [(product.skus[0], 1)], **fields)


def _placed_on(first: date, last: date | None = None, **criteria) -> list[int]:
    until = day_start_utc((last or first) + timedelta(days=1))
    return list(db.session.scalars(search_orders(OrderFilter(since=day_start_utc(first), until=until, **criteria))
                                   .with_only_columns(Order.id)))


def test_a_backdated_order_is_found_on_its_day_and_not_on_today(app):
    today = day_windows.beijing_day(utcnow())
    older, newer, newest = _order(), _order(), _order()
    newer.created_at = newer.created_at - timedelta(days=3)  # the demo seed backdates this way
    db.session.commit()
    three_days_ago = today - timedelta(days=3)
    assert _placed_on(three_days_ago) == [newer.id]
    assert _placed_on(today) == [newest.id, older.id]
    assert _placed_on(three_days_ago, today) == [newest.id, newer.id, older.id]
    assert _placed_on(today - timedelta(days=2)) == []
    assert _placed_on(three_days_ago, status="paid") == []


def test_days_without_orders_answer_nothing_without_reading_orders(app):
    _order()
    assert day_windows.id_window(day_start_utc(date(2020, 1, 1)), day_start_utc(date(2020, 1, 2))) is None
    assert _placed_on(date(2020, 1, 1)) == []


def test_recount_widens_the_windows_around_rows_written_behind_the_orm(app, runner):
    order = _order()
    long_ago = utcnow() - timedelta(days=40)
    db.session.execute(update(Order).where(Order.id == order.id).values(created_at=long_ago))
    db.session.execute(delete(OrderDayWindow))
    db.session.commit()
    day = day_windows.beijing_day(long_ago)
    assert _placed_on(day) == []
    result = runner.invoke(args=["orders", "recount"])
    assert result.exit_code == 0, result.output
    assert _placed_on(day) == [order.id]
    windows = db.session.scalars(select(OrderDayWindow)).all()
    assert [(row.day, row.first_id, row.last_id) for row in windows] == [(day, order.id, order.id)]
