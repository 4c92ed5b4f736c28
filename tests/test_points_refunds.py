"""An item paid entirely with points is refunded for ¥0: its after-sale is accepted, approved as
usual, finished without calling WeChat, and its points come back — once, by units — with the
commission, stock and order closing behaving as for a cash refund."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.services import token_for
from app.catalog.models import Sku
from app.core.errors import Conflict
from app.extensions import db
from app.marketing import points_orders
from app.members.models import PointsEntry, WalletChange
from app.orders import after_sale_refunds, after_sales, fulfilment
from app.orders.after_sales import Application
from app.orders.models import AfterSale, Order, OrderItem
from app.orders.payment import pay_order
from app.payments.models import Refund
from tests import factories
from tests.points_helpers import (
    BOSS,
    BY,
    holder,
    ledger_sum,
    order_points,
    place,
    points,
    rules,
    skus,
    wallet_problems,
)

HELD = 10_000


def auth(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


@pytest.fixture
def no_wechat_refund(monkeypatch):
    """WeChat refuses a ¥0 refund: the provider must never be asked."""
    calls = []

    def refund(*args, **kwargs):
        calls.append(args)
        raise AssertionError("a ¥0 refund must not call the payment provider")

    monkeypatch.setattr("app.payments.refunds.refund", refund)
    return calls


def points_order(method: str = "wechat"):
    """A shopper's paid order whose every item points paid in full (¥0 in cash): two units of a
    ¥10 item (2000 points) and one ¥30 item (3000 points), 100 points = ¥1."""
    rules(max_deduction_percent=100)
    user = holder(HELD)
    first, second = skus(1_000, 3_000)
    order = place(user, [(first, 2), (second, 1)], points=5_000)
    assert order.payable_fen == 0 and [item.paid_fen for item in order.items] == [0, 0]
    pay_order(user.id, order.id, method)
    db.session.commit()
    return user, db.session.get(Order, order.id)


def apply(user, item: OrderItem, quantity: int = 1, kind: str = "refund_only") -> AfterSale:
    row = after_sales.request_after_sale(user.id, Application(order_item_id=item.id, kind=kind,
                                                              quantity=quantity, reason="不想要了"))
    db.session.commit()
    return row


def approve(row: AfterSale, address: str = "") -> AfterSale:
    after_sales.approve(BOSS, BY, row.id, address)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(AfterSale, row.id)


def returned_entries(row: AfterSale) -> list[int]:
    return list(db.session.scalars(select(PointsEntry.delta).where(
        PointsEntry.kind == WalletChange.ORDER_POINTS_RETURNED, PointsEntry.ref == f"refund:{row.id}")))


def test_the_shopper_asks_for_0_and_sees_the_points_to_come_back(client, no_wechat_refund):
    user, order = points_order()
    detail = client.get(f"/api/v1/orders/{order.id}", headers=auth(user)).get_json()
    assert [(item["refundable_fen"], item["refundable_points"]) for item in detail["items"]] == [(0, 2_000),
                                                                                                (0, 3_000)]
    response = client.post("/api/v1/after-sales", headers=auth(user), json={
        "order_item_id": order.items[0].id, "kind": "refund_only", "quantity": 1, "reason": "不想要了"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["amount_fen"], body["refund_points"], body["status"]) == (0, 1_000, "requested")
    detail = client.get(f"/api/v1/orders/{order.id}", headers=auth(user)).get_json()
    assert detail["items"][0]["refundable_points"] == 1_000  # the other unit's

    approve(db.session.get(AfterSale, body["id"]))
    answer = client.get(f"/api/v1/after-sales/{body['id']}", headers=auth(user)).get_json()
    assert (answer["status"], answer["amount_fen"], answer["refund_points"]) == ("refunded", 0, 1_000)
    assert points(user) == HELD - 5_000 + 1_000 == ledger_sum(user)
    assert no_wechat_refund == [] and db.session.query(Refund).count() == 0


def test_refunding_every_unit_gives_every_point_back_once_restocks_and_closes_the_order(app, no_wechat_refund):
    user, order = points_order()
    first, second = order.items
    stock_before = {sku_id: db.session.get(Sku, sku_id).stock for sku_id in (first.sku_id, second.sku_id)}
    rows = [approve(apply(user, first)), approve(apply(user, first)), approve(apply(user, second))]

    assert [row.status for row in rows] == ["refunded"] * 3
    assert [(row.amount_fen, row.refund_points) for row in rows] == [(0, 1_000), (0, 1_000), (0, 3_000)]
    assert [returned_entries(row) for row in rows] == [[1_000], [1_000], [3_000]]  # each names its after-sale
    assert points(user) == HELD == ledger_sum(user)
    assert order_points(order).returned == 5_000
    order = db.session.get(Order, order.id)
    assert (order.status, order.close_reason, order.refunded_fen) == ("closed", "refunded", 0)
    assert {sku_id: db.session.get(Sku, sku_id).stock for sku_id in stock_before} == {
        first.sku_id: stock_before[first.sku_id] + 2, second.sku_id: stock_before[second.sku_id] + 1}
    assert wallet_problems() == []
    assert no_wechat_refund == [] and db.session.query(Refund).count() == 0


def test_a_replayed_refund_or_approval_returns_nothing_twice(app, no_wechat_refund):
    from app.distribution import refunds as commission_refunds

    user, order = points_order("balance")
    row = approve(apply(user, order.items[0]))
    after = points(user)
    assert after == HELD - 5_000 + 1_000

    with pytest.raises(Conflict):
        after_sales.approve(BOSS, BY, row.id, "")
    db.session.rollback()
    assert after_sale_refunds.finish_refund(db.session.get(AfterSale, row.id), 0, BY) is False
    points_orders.item_refunded(row.order_item_id, 0, 1, row.id)  # the listener, replayed
    assert commission_refunds.record(row.order_item_id, 0, 1, row.id) == 0
    db.session.commit()

    assert points(user) == after == ledger_sum(user)
    assert returned_entries(row) == [1_000]
    assert db.session.get(AfterSale, row.id).refund_points == 1_000
    item = db.session.get(OrderItem, row.order_item_id)
    assert (item.refunded_fen, item.refunded_quantity) == (0, 1)
    assert wallet_problems() == []


def test_a_return_of_a_points_paid_item_gives_the_points_back_when_received(app, no_wechat_refund):
    user, order = points_order()
    fulfilment.ship_all(order.id, "SF", f"SF{order.id:010d}", BY)
    db.session.commit()
    row = apply(user, order.items[1], kind="return_refund")
    row = approve(row, "浙江省杭州市西湖区文三路 1 号")
    assert row.status == "approved" and points(user) == HELD - 5_000
    after_sales.submit_return(user.id, row.id, "SF", "SF123456")
    db.session.commit()
    after_sales.confirm_received(BOSS, BY, row.id, restock=True)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AfterSale, row.id).status == "refunded"
    assert points(user) == HELD - 5_000 + 3_000 == ledger_sum(user)
    assert returned_entries(row) == [3_000]
    assert no_wechat_refund == []


def test_the_commission_on_a_points_paid_item_is_cancelled_by_its_0_refund(app, no_wechat_refund):
    from tests.distribution_helpers import agent, bind, configure, lines_of
    from tests.distribution_helpers import problems as commission_problems

    configure(enabled=True, levels=1, rate1_bp=1000)
    rules(max_deduction_percent=100, count_as_paid=True)  # points count as paid: commission on ¥30
    referrer = agent()
    user = holder(HELD)
    assert bind(user, referrer).result == "bound"
    order = place(user, [(skus(3_000)[0], 1)], points=3_000)
    pay_order(user.id, order.id, "wechat")
    db.session.commit()
    (line,) = [line for line in lines_of(order) if line.level == 1]
    assert line.amount_fen == 300

    approve(apply(user, order.items[0]))

    (line,) = [line for line in lines_of(order) if line.level == 1]
    assert (line.status, line.cancelled_fen) == ("cancelled", 300)
    assert commission_problems() == [] and wallet_problems() == []
    assert points(user) == HELD


def test_an_item_with_cash_left_still_refuses_0(client):
    user = factories.shopper()
    product = factories.product(factories.category(), price_fen=1_000, stock=10)
    order = factories.order(user, [(product.skus[0], 2)], status="paid", pay_method="balance")
    body = {"order_item_id": order.items[0].id, "kind": "refund_only", "quantity": 1, "reason": "不想要了"}
    refused = client.post("/api/v1/after-sales", json={**body, "amount_fen": 0}, headers=auth(user))
    assert refused.status_code == 409
    assert refused.get_json()["error"]["fields"]["amount_fen"] == "仅全部用积分抵扣的商品可申请 ¥0 退款（退回积分）。"
    assert client.post("/api/v1/after-sales", json=body, headers=auth(user)).status_code == 201


def test_an_item_that_cost_nothing_and_no_points_has_nothing_to_refund(client):
    user = factories.shopper()
    product = factories.product(factories.category(), price_fen=1_000, stock=10)
    order = factories.order(user, [(product.skus[0], 1)], status="paid", pay_method="balance", discount_fen=1_000)
    refused = client.post("/api/v1/after-sales", headers=auth(user), json={
        "order_item_id": order.items[0].id, "kind": "refund_only", "quantity": 1, "reason": "不想要了"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "after_sale_exceeds_item"
    assert db.session.query(AfterSale).count() == 0


def test_the_console_shows_the_points_beside_0(app):
    from tests.admin_helpers import log_in, make_staff

    user, order = points_order()
    row = apply(user, order.items[1])
    make_staff("boss")
    client = app.test_client()
    log_in(client, "boss")
    html = client.get(f"/admin/after-sales/{row.id}").get_data(as_text=True)
    assert "¥0.00 · <span id=\"after-sale-points\">退积分 3000</span>" in html
    assert "退积分 3000" in client.get("/admin/after-sales").get_data(as_text=True)


def test_a_full_reduction_gift_is_taken_back_only_when_every_unit_of_a_points_paid_order_is(app, no_wechat_refund):
    from tests.full_reduction_helpers import activity, tier
    from tests.points_helpers import complete

    activity(tier(3_000, points=500))  # 满¥30 送 500 积分
    user, order = points_order()
    complete(order)
    assert points(user) == HELD - 5_000 + 500
    first, second = order.items

    approve(apply(user, first))
    assert points(user) == HELD - 5_000 + 500 + 1_000  # one unit back: the gift stays

    approve(apply(user, first))
    approve(apply(user, second))
    assert points(user) == HELD == ledger_sum(user)  # every unit back: the gift goes with it
    assert db.session.get(Order, order.id).status == "completed"
    assert wallet_problems() == []
