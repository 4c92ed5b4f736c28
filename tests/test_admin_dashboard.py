"""The dashboard: real figures where data exists, zero where later issues will fill it."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.accounts.models import User
from app.extensions import db
from app.reports.dashboard import build_dashboard
from tests import factories
from tests.admin_helpers import log_in, make_staff


def test_new_shoppers_count_by_china_day(app):
    now = datetime(2026, 11, 27, 2, 0)  # 10:00 in Beijing
    db.session.add_all([
        User(nickname="today", created_at=now - timedelta(hours=1)),
        User(nickname="late yesterday utc, today in beijing", created_at=datetime(2026, 11, 26, 17, 0)),
        User(nickname="yesterday", created_at=datetime(2026, 11, 26, 15, 0)),
        User(nickname="last month", created_at=now - timedelta(days=40)),
    ])
    db.session.commit()
    assert build_dashboard("today", now).figures.new_shoppers == 2
    assert build_dashboard("7d", now).figures.new_shoppers == 3
    assert build_dashboard("30d", now).figures.new_shoppers == 3
    assert build_dashboard("7d", now).shopper_trend[-2:] == [1, 2]


def test_low_stock_counts_skus_at_or_under_the_threshold(app):
    shelf = factories.category()
    factories.product(shelf, stock=3, skus=2)
    factories.product(shelf, stock=50)
    assert build_dashboard().low_stock_skus == 2


def test_dashboard_page_shows_figures_and_local_chart_assets(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    html = client.get("/admin/?range=7d").get_data(as_text=True)
    assert "新增顾客" in html and "¥0.00" in html
    assert "/admin/vendor/echarts/echarts.min.js" in html
    assert "http://" not in html and "https://" not in html  # nothing from another host
    assert client.get("/admin/vendor/echarts/echarts.min.js").status_code == 200
    assert client.get("/admin/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
    assert client.get("/admin/vendor/tslib/tslib.js").status_code == 404  # only the packages we serve


def test_english_is_a_click_away(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    client.get("/admin/lang/en?next=/admin/")
    assert "Dashboard" in client.get("/admin/").get_data(as_text=True)


def test_sales_orders_and_awaiting_shipment_come_from_paid_orders_by_china_day(app):
    # given orders paid today and yesterday (Beijing time), one partly refunded, one unpaid
    now = datetime(2026, 11, 27, 2, 0)  # 10:00 in Beijing
    sku = factories.product(factories.category(), price_fen=1000, stock=50).skus[0]
    buyer = factories.shopper()
    today = factories.order(buyer, [(sku, 2)], status="paid", paid_at=datetime(2026, 11, 26, 17, 0))
    today.refunded_fen = 500
    factories.order(buyer, [(sku, 1)], status="shipped", paid_at=datetime(2026, 11, 26, 15, 0))
    factories.order(buyer, [(sku, 3)])  # never paid
    db.session.commit()
    # then today counts the order paid after Beijing midnight, net of its refund
    board = build_dashboard("today", now)
    assert (board.figures.sales_fen, board.figures.orders, board.awaiting_shipment) == (1500, 1, 1)
    # and the week's trend puts yesterday's and today's sales on their own days
    week = build_dashboard("7d", now)
    assert (week.figures.sales_fen, week.figures.orders) == (2500, 2)
    assert week.sales_trend_fen[-2:] == [1000, 1500]
