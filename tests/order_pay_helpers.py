"""Helpers for the order payment tests: a logged-in shopper with an order, the shop's pay
methods, and a record of the order.paid events the domain published."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import dev_person
from app.catalog.models import Product, Sku
from app.core.events import subscribe
from app.core.jobs import job
from app.extensions import db
from app.members.models import BalanceEntry
from app.members.services import change_balance
from app.orders.models import Order, OrderLog
from app.shop.services import shop_settings
from tests import factories

paid_events: list[int] = []


@subscribe("order.paid")
@job("default")
def record_order_paid(order_id: int) -> None:
    paid_events.append(order_id)


def logged_in(client, name: str = "alice") -> tuple[User, dict[str, str]]:
    """A shopper logged in through the sandbox dev login (so with a mini-program openid)."""
    response = client.post("/api/v1/auth/dev-login", json={"name": name})
    assert response.status_code == 200, response.get_json()
    user = db.session.scalar(select(User).where(User.mp_openid == dev_person(name)[0]))
    return user, {"Authorization": f"Bearer {response.get_json()['token']}"}


def sku(price_fen: int = 1990, stock: int = 10) -> Sku:
    product = factories.product(factories.category(), price_fen=price_fen, stock=stock)
    return product.skus[0]


def pending_order(user: User, quantity: int = 2, *, price_fen: int = 1990, **fields) -> Order:
    return factories.order(user, [(sku(price_fen), quantity)], **fields)


def allow(**methods: bool) -> None:
    """Turn the shop's payment methods on or off, e.g. allow(pay_cod=True)."""
    settings = shop_settings()
    for key, value in methods.items():
        setattr(settings, key, value)
    db.session.commit()


def top_up(user: User, fen: int) -> None:
    change_balance(user.id, fen, kind="admin_adjust", ref=f"top-up-{user.id}-{fen}", reason="充值")
    db.session.commit()


def pay(client, headers: dict[str, str], order_id: int, method: str):
    return client.post(f"/api/v1/orders/{order_id}/pay", json={"method": method}, headers=headers)


def fresh_order(order_id: int) -> Order:
    db.session.rollback()
    return db.session.get(Order, order_id)


def sales_of(order: Order) -> int:
    return db.session.scalar(select(Product.sales).where(Product.id == order.items[0].product_id))


def stock_of(order: Order) -> int:
    return db.session.scalar(select(Sku.stock).where(Sku.id == order.items[0].sku_id))


def actions(order_id: int) -> list[tuple[str, str, str, str]]:
    """The order's log: (actor type, action, from status, to status)."""
    return [tuple(row) for row in db.session.execute(
        select(OrderLog.actor_type, OrderLog.action, OrderLog.from_status, OrderLog.to_status)
        .where(OrderLog.order_id == order_id).order_by(OrderLog.id))]


def order_pay_entries(user: User) -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(BalanceEntry.delta_fen, BalanceEntry.ref)
        .where(BalanceEntry.user_id == user.id, BalanceEntry.kind == "order_pay"))]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
