"""Points earned by completed orders (clawed back on refund, never below zero), points that
expire at the end of the year after they were earned (first in, first out, once), and bad
checkout input refused with the error shape."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from app.extensions import db
from app.marketing import jobs, points_expiry
from app.members.models import PointsEntry
from app.members.services import change_points
from app.orders.models import Order
from tests.checkout_helpers import Shopper, error_code, order_count
from tests.points_helpers import (
    complete,
    holder,
    ledger_sum,
    order_points,
    pay,
    place,
    points,
    refund,
    rules,
    skus,
    wallet_problems,
)


def test_a_completed_order_earns_points_per_yuan_and_a_refund_takes_them_back_in_proportion(app):
    rules(earning_enabled=True, earn_points_per_yuan=2)
    user = holder()
    order = complete(pay(place(user, [(skus(2_500)[0], 4)])))  # ¥100 of goods
    assert points(user) == 200
    refund(db.session.get(Order, order.id))  # a quarter of the goods
    assert points(user) == 150 and order_points(order).clawed_back == 50
    assert wallet_problems() == []


def test_a_clawback_never_takes_the_balance_below_zero_and_records_the_shortfall(app):
    rules(earning_enabled=True, earn_points_per_yuan=10)
    user = holder()
    order = complete(pay(place(user, [(skus(1_000)[0], 2)])))  # 200 points earned
    change_points(user.id, -180, kind="admin_adjust", ref="spent-them", reason="兑换")
    db.session.commit()
    refund(db.session.get(Order, order.id))  # 100 owed back, 20 held
    row = order_points(order)
    assert points(user) == 0 and (row.clawed_back, row.clawback_shortfall) == (20, 80)
    refund(db.session.get(Order, order.id))  # the rest: 100 more owed, nothing held
    row = order_points(order)
    assert (row.clawed_back, row.clawback_shortfall) == (20, 180) and ledger_sum(user) == 0


def _credit(user, points: int, ref: str, when: datetime) -> None:
    entry = change_points(user.id, points, kind="admin_adjust", ref=ref, reason="测试")
    db.session.execute(update(PointsEntry).where(PointsEntry.id == entry.id).values(created_at=when))
    db.session.commit()


def test_points_of_a_year_expire_at_the_end_of_the_next_first_in_first_out_once(app):
    rules(expiry_enabled=True)
    user = holder()
    _credit(user, 100, "earned-2024", datetime(2024, 6, 1))
    _credit(user, 50, "earned-2025", datetime(2025, 3, 1))
    _credit(user, -30, "spent-2025", datetime(2025, 5, 1))  # spends the oldest first
    in_december = datetime(2025, 12, 1)
    assert points_expiry.expiring(user.id, 120, in_december) == [
        {"points": 70, "expires_on": "2025-12-31"}, {"points": 50, "expires_on": "2026-12-31"}]
    assert points_expiry.due_year(datetime(2026, 1, 1)) == 2024
    assert jobs.expire_points(2024) == 1
    db.session.commit()
    assert points(user) == 50
    assert jobs.expire_points(2024) == 1  # again: nothing more
    db.session.commit()
    assert points(user) == 50 and points_expiry.due_year(datetime(2026, 6, 1)) is None
    assert [entry.ref for entry in db.session.query(PointsEntry).filter_by(kind="points_expired")] == [
        f"expire:2024:{user.id}"]
    assert wallet_problems() == []


def test_negative_points_at_checkout_are_a_422_and_nothing_is_written(client):
    rules()
    shopper = Shopper(client)
    shopper.add_address()
    sku = skus(10_000)[0]
    answer = shopper.place([(sku, 1)], points=-5)
    assert answer.status_code == 422 and "points" in str(answer.get_json()["error"]["fields"])
    assert error_code(answer) and order_count() == 0


def test_more_points_than_held_are_capped_not_refused(client):
    rules()
    shopper = Shopper(client)
    shopper.add_address()
    change_points(shopper.id, 300, kind="admin_adjust", ref="gift", reason="赠送")
    db.session.commit()
    sku = skus(10_000)[0]
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}], "points": 99_999})
    assert preview.status_code == 200
    offer = preview.get_json()["points"]
    assert (offer["points_used"], offer["max_points"], offer["saving_fen"]) == (300, 300, 300)
    placed = shopper.place([(sku, 1)], points=99_999, expected_payable_fen=preview.get_json()["payable_fen"])
    assert placed.status_code == 201, placed.get_json()
    assert points(type("U", (), {"id": shopper.id})) == 0
