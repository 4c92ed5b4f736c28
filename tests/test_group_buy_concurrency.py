"""Fifty shoppers paying for the last seat of a group at once: exactly one joins, the others
are placed or refunded by the activity's setting, and no group ever holds N+1 (the seat is a
conditional `joined < size` UPDATE on the locked group row). Each payer runs the `paid` hook
in a thread of its own, with its own session, as concurrent payment notifications would."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.core.locking import locked
from app.extensions import db, queues
from app.marketing import jobs
from app.marketing.group_models import GroupBuyGroup, GroupBuyMember
from app.marketing.group_seats import seat_paid
from app.orders.models import Order
from tests.group_helpers import activity, fresh_order, goods, join, lead, paid_order, refunds_of, run_expiry
from tests.points_helpers import holder

PAYERS = 50


def _race(app, order_ids: list[int], ref: str) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(len(order_ids))

    def pay(order_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                seat_paid(locked(Order, id=order_id), ref)  # under the order's lock, as paying holds it
                db.session.commit()
                outcomes.append("ok")
            except Exception as exc:  # any failure is a finding of the test
                db.session.rollback()
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=pay, args=(order_id,)) for order_id in order_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


def _one_seat_left(setting: str, *, other_groups: int = 0):
    sku = goods(stock=PAYERS + 20)
    act = activity(sku, size=3, on_full_seat=setting)
    target = lead(sku, act)
    join(holder(), sku, f"{act.id}:{target.group_id}")
    others = []
    for _index in range(other_groups):  # forming groups with one seat left each
        other = lead(sku, act)
        join(holder(), sku, f"{act.id}:{other.group_id}")
        others.append(other.group_id)
    orders = [paid_order(holder(), sku).id for _index in range(PAYERS)]
    return act, target.group_id, others, orders


def _seats_match_members() -> None:
    """No group holds more than its size, and its count is its seated members."""
    db.session.commit()
    seated = dict(db.session.execute(
        select(GroupBuyMember.group_id, func.count()).where(GroupBuyMember.seat.is_not(None))
        .group_by(GroupBuyMember.group_id)).all())
    for row in db.session.scalars(select(GroupBuyGroup)):
        assert row.joined <= row.size and seated.get(row.id, 0) == row.joined, row.id


@pytest.fixture
def wide_app(backend, make_app):
    """An app whose pool holds a connection per payer (they all wait on the group's lock at
    once), its jobs queued on Redis as in production rather than run inline in each thread."""
    if backend.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": PAYERS + 5, "max_overflow": 5},
                   RQ_INLINE=False)
    with app.app_context():
        yield app


def test_fifty_payments_for_the_last_seat_seat_one_and_refund_the_rest(wide_app):
    app = wide_app
    act, group_id, _others, orders = _one_seat_left("refund")
    outcomes = _race(app, orders, f"{act.id}:{group_id}")
    assert outcomes == ["ok"] * PAYERS
    db.session.commit()
    members = db.session.scalars(select(GroupBuyMember).where(GroupBuyMember.order_id.in_(orders))).all()
    assert len(members) == PAYERS
    assert sorted((member.group_id, member.seat, member.status) for member in members if member.seat) == [
        (group_id, 3, "seated")]
    unseated = [member.id for member in members if member.seat is None]
    assert len(unseated) == PAYERS - 1 and {member.status for member in members if member.seat is None} == {
        "refund_due"}
    queued = [job.description for job in queues.get("money").jobs]
    assert sum(text.startswith("refund_group_member") for text in queued) == PAYERS - 1  # one each, after commit
    # when the refund jobs run (the sweep runs whatever is still due, so running both is safe)
    for member_id in unseated:
        jobs.refund_group_member(member_id)
    run_expiry(times=2)
    # then every payment is in the group or refunded in full, once
    db.session.expire_all()
    refunded = db.session.scalars(select(GroupBuyMember).where(GroupBuyMember.id.in_(unseated))).all()
    assert {member.status for member in refunded} == {"refunded"}
    for member in refunded:
        order = fresh_order(member.order_id)
        assert (order.status, order.refunded_fen) == ("closed", order.paid_fen)
        assert refunds_of(order.id) == [(order.paid_fen, 1)]
    done = db.session.get(GroupBuyGroup, group_id)
    assert (done.status, done.joined) == ("succeeded", 3)
    _seats_match_members()


def test_fifty_payments_for_the_last_seat_fill_the_other_groups_then_open_new_ones(wide_app):
    app = wide_app
    act, group_id, others, orders = _one_seat_left("another_group", other_groups=2)
    outcomes = _race(app, orders, f"{act.id}:{group_id}")
    assert outcomes == ["ok"] * PAYERS
    db.session.commit()
    members = db.session.scalars(select(GroupBuyMember).where(GroupBuyMember.order_id.in_(orders))).all()
    assert len(members) == PAYERS and {member.status for member in members} == {"seated"}
    for row in db.session.scalars(select(GroupBuyGroup).where(GroupBuyGroup.id.in_([group_id, *others]))):
        assert (row.status, row.joined) == ("succeeded", 3)  # the three seats left went first
    # the other 47 opened new groups and filled them before opening more: 15 full, one of two
    new_groups = db.session.scalars(select(GroupBuyGroup).where(GroupBuyGroup.id.not_in([group_id, *others]),
                                                                GroupBuyGroup.activity_id == act.id)).all()
    assert sorted(row.joined for row in new_groups) == [2] + [3] * 15
    assert sum(row.status == "succeeded" for row in new_groups) == 15
    leaders = {member.group_id for member in members if member.is_leader}
    assert leaders == {row.id for row in new_groups}
    _seats_match_members()
