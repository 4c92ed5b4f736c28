"""`flask seed demo` builds a believable shop and is safe to run again."""

from __future__ import annotations

import os

import requests
from sqlalchemy import func, select

from app.accounts import staff as accounts
from app.catalog.models import Category, Product, Sku
from app.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_builds_the_shop_once(app, runner):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    password = first.output.split("console login: admin / ")[1].split()[0]
    assert accounts.password_matches(accounts.find_staff("admin").password_hash, password)

    products, skus, categories = _count(Product), _count(Sku), _count(Category)
    assert 25 <= products <= 40
    assert skus >= 2 * products
    assert db.session.scalar(select(func.count()).where(Category.parent_id.is_(None))) >= 3
    assert categories > db.session.scalar(select(func.count()).where(Category.parent_id.is_(None)))
    cover = db.session.scalars(select(Product.cover_url)).first()
    assert os.path.isfile(os.path.join(app.config["MEDIA_ROOT"], cover.removeprefix("/media/")))

    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert password not in second.output
    assert (_count(Product), _count(Sku), _count(Category)) == (products, skus, categories)


def test_seeded_images_are_served(app, runner, client):
    runner.invoke(args=["seed", "demo", "--if-empty"])
    body = client.get("/api/v1/products?size=1").get_json()
    image = client.get(body["items"][0]["cover_url"])
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_seed_demo_has_orders_in_every_state_made_by_the_real_services(app, runner):
    from app.catalog.models import Sku
    from app.members.models import BalanceEntry
    from app.orders.models import Order, OrderItem, OrderLog, Parcel
    from app.orders.states import OrderStatus

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    by_status = dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    assert set(by_status) == set(OrderStatus)
    # partly shipped orders are still awaiting shipment, with a parcel for part of them
    partly = db.session.scalars(select(Order).where(Order.status == OrderStatus.PAID)
                                .where(Order.id.in_(select(Parcel.order_id)))).all()
    assert partly and all(any(i.shipped_quantity < i.quantity for i in order.items) for order in partly)
    # every order has its operation log, and balance payments their ledger rows
    assert db.session.scalar(select(func.count(func.distinct(OrderLog.order_id)))) == sum(by_status.values())
    balance_paid = db.session.scalar(select(func.count()).where(Order.pay_method == "balance"))
    assert db.session.scalar(select(func.count()).where(BalanceEntry.kind == "order_pay")) == balance_paid
    # cancelled and closed orders gave their stock back: what is held is what live orders hold
    live = select(func.coalesce(func.sum(OrderItem.quantity), 0)).join(Order).where(
        Order.status.not_in((OrderStatus.CANCELLED, OrderStatus.CLOSED)))
    assert db.session.scalar(live) > 0
    stock_before = db.session.scalar(select(func.sum(Sku.stock)))
    # after-sales too: one waiting for review, one refunded to the balance
    from app.orders.models import AfterSale

    assert {"requested", "refunded"} <= set(db.session.scalars(select(AfterSale.status)))
    assert db.session.scalar(select(func.count()).where(BalanceEntry.kind == "order_refund")) >= 1
    wallets = runner.invoke(args=["members", "verify"])  # and every wallet ties to its ledgers
    assert wallets.exit_code == 0 and wallets.output == ""
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0  # again: no new orders, no stock taken
    assert dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all()) == by_status
    assert db.session.scalar(select(func.sum(Sku.stock))) == stock_before


def test_seeding_sends_nothing_to_wechat(live_server):
    """Given WeChat (the sandbox) reachable, the demo's history reaches nobody's phone."""
    from app.notifications.models import SubscribeMessage

    with live_server.app.app_context():
        result = live_server.app.test_cli_runner().invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
        assert _count(SubscribeMessage) == 0

    sent = requests.get(live_server.url + "/sandbox/dev/subscribe/sent", timeout=5).json()["sent"]
    assert sent == []


def test_seeding_before_the_server_runs_prints_no_wechat_warnings(app, runner, caplog):
    result = runner.invoke(args=["seed", "demo"])

    assert result.exit_code == 0, result.output
    assert not [record for record in caplog.records if "WeChat unreachable" in record.getMessage()]


def test_a_real_shipment_after_seeding_still_notifies_the_shopper(app, runner):
    from app.accounts.models import User
    from app.notifications.models import SubscribeMessage
    from app.orders import fulfilment, oplog
    from app.orders.models import Order
    from app.orders.states import OrderStatus

    runner.invoke(args=["seed", "demo"])
    order = db.session.scalars(select(Order).join(User, User.id == Order.user_id).where(
        Order.status == OrderStatus.PAID, User.mp_openid.is_not(None)).order_by(Order.id)).first()

    fulfilment.ship_all(order.id, "SF", "SF8000000001", oplog.staff(None, "clerk"))
    db.session.commit()

    assert db.session.scalars(select(SubscribeMessage.kind)).all() == ["order_shipped"]


def test_the_seeded_menu_opens_the_served_address(make_app):
    app = make_app(PUBLIC_BASE_URL="http://shop.example:5106")
    with app.app_context():
        app.test_cli_runner().invoke(args=["seed", "demo"])
        from app.officialaccount.menus import get_menu

        urls = [button["url"] for top in get_menu().buttons for button in [top, *top.get("sub_button", [])]
                if "url" in button]

    assert urls and all(url.startswith("http://shop.example:5106") for url in urls)
