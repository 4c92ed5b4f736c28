"""Group buy (拼团): a leader's paid order opens a group, members' paid orders take its seats,
a full group succeeds and ships; a group that expires unfilled refunds every member once
(or succeeds virtually with enough real members); a shopper paying for a seat already taken
is handled by the activity's setting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.errors import Conflict, DomainError
from app.core.models import utcnow
from app.distribution.commission_models import CommissionLine
from app.extensions import db
from app.marketing.group_models import GroupActivity, GroupBuyGroup, GroupBuyMember
from app.marketing.group_shipping import may_ship
from app.marketing.group_states import can_move
from app.marketing.group_terms import group_terms
from app.members.services import wallet_of
from app.orders import fulfilment, oplog
from app.orders.models import AfterSale, Order, OrderLog
from tests import coupon_helpers, factories
from tests.distribution_helpers import agent, bind, configure
from tests.group_helpers import (
    activity,
    expire_now,
    fresh_order,
    goods,
    group,
    join,
    lead,
    refunds_of,
    run_expiry,
)
from tests.points_helpers import holder, points, rules


def _ship(order_id: int):
    answer = fulfilment.ship_all(order_id, "SF", f"SF{order_id:010d}", oplog.staff(None, "boss"))
    db.session.commit()
    return answer


def _members(group_id: int) -> list[tuple[int | None, bool, str]]:
    db.session.commit()
    return [tuple(row) for row in db.session.execute(
        select(GroupBuyMember.seat, GroupBuyMember.is_leader, GroupBuyMember.status)
        .where(GroupBuyMember.group_id == group_id).order_by(GroupBuyMember.id))]


def test_a_leader_opens_a_group_members_fill_it_and_it_succeeds(app):
    # given a three-person activity
    sku = goods()
    act = activity(sku, size=3)
    # when a leader pays, then two members pay into the group
    leader = lead(sku, act)
    opened = group(leader.group_id)
    assert (opened.status, opened.joined, opened.size) == ("forming", 1, 3)
    assert opened.expires_at > utcnow() + timedelta(hours=23)
    second = join(holder(), sku, f"{act.id}:{opened.id}")
    assert group(opened.id).status == "forming"
    third = join(holder(), sku, f"{act.id}:{opened.id}")
    # then the group is full, formed, and every member holds a seat of its own
    done = group(opened.id)
    assert (done.status, done.joined) == ("succeeded", 3) and done.succeeded_at is not None
    assert _members(opened.id) == [(1, True, "seated"), (2, False, "seated"), (3, False, "seated")]
    assert {second.group_id, third.group_id} == {opened.id}
    actions = db.session.scalars(select(OrderLog.action).where(OrderLog.order_id == leader.order_id)).all()
    assert actions[-2:] == ["group_joined", "group_succeeded"]


def test_a_members_order_ships_only_once_its_group_formed(app):
    sku = goods()
    act = activity(sku, size=2)
    leader = lead(sku, act)
    order = db.session.get(Order, leader.order_id)
    assert may_ship(order) is False
    with pytest.raises(Conflict) as refused:
        _ship(order.id)
    db.session.rollback()
    assert refused.value.code == "order_on_hold" and "拼团成功后才能发货" in refused.value.message
    assert fresh_order(order.id).status == "paid"
    join(holder(), sku, f"{act.id}:{leader.group_id}")
    _ship(order.id)
    assert fresh_order(order.id).status == "shipped"


def test_an_ordinary_order_ships_as_before(app):
    sku = goods()
    order = factories.order(factories.shopper(), [(sku, 1)], status="paid", pay_method="balance")
    _ship(order.id)
    assert fresh_order(order.id).status == "shipped"


def test_the_paid_hook_run_twice_keeps_one_seat(app):
    from app.marketing.group_seats import seat_paid

    sku = goods()
    act = activity(sku, size=3)
    leader = lead(sku, act)
    member = join(holder(), sku, f"{act.id}:{leader.group_id}")
    again = seat_paid(db.session.get(Order, member.order_id), f"{act.id}:{leader.group_id}")
    db.session.commit()
    assert again.id == member.id and group(leader.group_id).joined == 2


@pytest.mark.parametrize("setting", ["another_group", "new_group", "refund"])
def test_a_payment_for_a_seat_already_taken_follows_the_activity_setting(app, setting):
    # given a full two-person group and another one still forming
    sku = goods()
    act = activity(sku, size=2, on_full_seat=setting)
    full = lead(sku, act)
    join(holder(), sku, f"{act.id}:{full.group_id}")
    other = lead(sku, act)
    late_buyer = holder()
    before = wallet_of(late_buyer.id).balance_fen
    # when a shopper's payment for the full group arrives
    late = join(late_buyer, sku, f"{act.id}:{full.group_id}")
    # then the full group stays full, and the late payer is placed or refunded
    assert group(full.group_id).joined == 2
    late = db.session.get(GroupBuyMember, late.id)
    if setting == "another_group":
        assert (late.group_id, late.seat, late.status) == (other.group_id, 2, "seated")
        assert group(other.group_id).status == "succeeded"
    elif setting == "new_group":
        assert late.group_id not in (full.group_id, other.group_id) and (late.seat, late.is_leader) == (1, True)
        assert group(late.group_id).status == "forming"
    else:
        assert (late.seat, late.status) == (None, "refunded")
        order = fresh_order(late.order_id)
        assert (order.status, order.refunded_fen) == ("closed", order.paid_fen)
        assert wallet_of(late_buyer.id).balance_fen == before
        assert db.session.get(AfterSale, db.session.scalar(
            select(AfterSale.id).where(AfterSale.order_id == order.id))).reason == "团已满员"


def _rich_world(act, sku):
    """A leader who spends points, a member who uses a coupon, both bound to an agent paid commission."""
    rules()
    configure(levels=1, rate1_bp=1000)
    referrer = agent("团长推荐人")
    leader_user = holder(points=1000)
    member_user = holder()
    for user in (leader_user, member_user):
        assert bind(user, referrer).result == "bound"
    template = coupon_helpers.template(amount_fen=500, threshold_fen=1000)
    coupon = coupon_helpers.give(member_user.id, template)
    leader = join(leader_user, sku, str(act.id), points=1000)
    member = join(member_user, sku, f"{act.id}:{leader.group_id}", coupon_id=coupon.id)
    return leader_user, member_user, coupon, leader, member


def test_a_group_that_expires_unfilled_refunds_every_member_exactly_once(app):
    # given a three-person group with two paid members: points, a coupon and commission in play
    sku = goods(price_fen=5000)
    act = activity(sku, size=3)
    leader_user, member_user, coupon, leader, member = _rich_world(act, sku)
    assert points(leader_user) < 1000 and coupon_helpers.fresh_coupon(coupon.id).status == "used"
    commission = db.session.scalars(select(CommissionLine).where(
        CommissionLine.order_id.in_([leader.order_id, member.order_id]), CommissionLine.amount_fen > 0)).all()
    assert len(commission) == 2
    balances = {user.id: wallet_of(user.id).balance_fen for user in (leader_user, member_user)}
    paid = {order_id: fresh_order(order_id).paid_fen for order_id in (leader.order_id, member.order_id)}
    # when its time runs out and the expiry job runs five times
    expire_now(leader.group_id)
    run_expiry(times=5)
    # then the group failed and each member got back exactly what they paid, once
    assert group(leader.group_id).status == "failed"
    assert _members(leader.group_id) == [(1, True, "refunded"), (2, False, "refunded")]
    for order_id, fen in paid.items():
        assert refunds_of(order_id) == [(fen, 1)]
        order = fresh_order(order_id)
        assert (order.status, order.close_reason, order.refunded_fen) == ("closed", "refunded", fen)
    for user in (leader_user, member_user):
        assert wallet_of(user.id).balance_fen == balances[user.id] + paid[
            leader.order_id if user is leader_user else member.order_id]
    # points and the coupon came back, the commission was cancelled
    assert points(leader_user) == 1000
    assert coupon_helpers.fresh_coupon(coupon.id).status == "unused"
    db.session.expire_all()
    assert {line.status for line in db.session.scalars(select(CommissionLine).where(
        CommissionLine.order_id.in_(list(paid)), CommissionLine.amount_fen > 0))} == {"cancelled"}
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 2
    failed_logs = db.session.scalar(select(func.count()).select_from(OrderLog).where(OrderLog.action == "group_failed"))
    assert failed_logs == 2


def test_virtual_success_forms_the_group_at_expiry_with_enough_real_members(app):
    sku = goods()
    act = activity(sku, size=5, virtual_success=True, virtual_min_members=2)
    leader = lead(sku, act)
    join(holder(), sku, f"{act.id}:{leader.group_id}")
    expire_now(leader.group_id)
    run_expiry(times=3)
    done = group(leader.group_id)
    assert (done.status, done.joined, done.virtual_seats) == ("succeeded", 2, 3)
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 0
    _ship(leader.order_id)
    assert fresh_order(leader.order_id).status == "shipped"


def test_virtual_success_needs_its_real_members(app):
    sku = goods()
    act = activity(sku, size=5, virtual_success=True, virtual_min_members=2)
    leader = lead(sku, act)
    expire_now(leader.group_id)
    run_expiry()
    assert group(leader.group_id).status == "failed"
    assert fresh_order(leader.order_id).status == "closed"
    with pytest.raises(Conflict):
        _ship(leader.order_id)


def test_a_group_not_yet_expired_is_left_alone(app):
    sku = goods()
    act = activity(sku, size=3)
    leader = lead(sku, act)
    run_expiry()
    assert group(leader.group_id).status == "forming" and fresh_order(leader.order_id).status == "paid"


def test_an_unpaid_order_holds_no_seat(app):
    sku = goods()
    act = activity(sku, size=2)
    leader = lead(sku, act)
    factories.order(holder(), [(sku, 1)])  # placed for the group, never paid
    assert group(leader.group_id).joined == 1
    group_terms(holder().id, f"{act.id}:{leader.group_id}")  # the seat is still there to buy


def _refusal(user_id: int, ref: str) -> str:
    with pytest.raises(DomainError) as refused:
        group_terms(user_id, ref)
    return refused.value.code


def test_the_terms_say_what_a_shopper_may_buy(app):
    sku = goods(price_fen=5000)
    act = activity(sku, size=2, group_price_fen=3900, leader_price_fen=2900, stacks=True)
    starting = group_terms(holder().id, str(act.id))
    assert (starting.kind, starting.sku_id, starting.quantity) == ("group_buy", sku.id, 1)
    assert starting.unit_price_fen == 2900
    assert (starting.stacks, starting.pays_commission, starting.ref) == (True, False, str(act.id))
    leader = lead(sku, act)
    joining = group_terms(holder().id, f"{act.id}:{leader.group_id}")
    assert (joining.unit_price_fen, joining.ref) == (3900, f"{act.id}:{leader.group_id}")
    assert "拼团" in joining.label


def test_the_terms_refuse_what_cannot_be_bought(app):
    sku = goods()
    act = activity(sku, size=2, per_shopper_limit=1)
    leader_user = holder()
    leader = lead(sku, act, leader_user)
    assert _refusal(leader_user.id, str(act.id)) == "group_limit_reached"
    assert _refusal(holder().id, "x") == "group_ref_invalid"
    assert _refusal(holder().id, "999999") == "group_activity_not_found"
    assert _refusal(holder().id, f"{act.id}:999999") == "group_not_found"
    join(holder(), sku, f"{act.id}:{leader.group_id}")
    assert _refusal(holder().id, f"{act.id}:{leader.group_id}") in ("group_ended", "group_full")
    db.session.execute(update(GroupActivity).where(GroupActivity.id == act.id).values(stopped_at=utcnow()))
    db.session.commit()
    assert _refusal(holder().id, str(act.id)) == "activity_not_live"


def test_new_shoppers_only_keeps_shoppers_who_bought_before_out(app):
    sku = goods()
    act = activity(sku, size=3, new_shoppers_only=True)
    leader_user = holder()
    leader = lead(sku, act, leader_user)  # the leader may be anyone
    assert _refusal(leader_user.id, f"{act.id}:{leader.group_id}") == "group_already_joined"
    buyer = holder()
    join(buyer, goods(), str(activity(goods(), size=2).id))  # bought something before
    assert _refusal(buyer.id, f"{act.id}:{leader.group_id}") == "group_new_shoppers_only"
    group_terms(holder().id, f"{act.id}:{leader.group_id}")


def test_no_group_or_member_transition_outside_the_tables_is_possible():
    groups = {("forming", "succeeded"), ("forming", "failed")}
    members = {("seated", "refund_due"), ("refund_due", "refunded")}
    for table, allowed, states in (("group_buy_groups", groups, ("forming", "succeeded", "failed")),
                                   ("group_buy_members", members, ("seated", "refund_due", "refunded"))):
        for current in states:
            for wanted in states:
                assert can_move(table, current, wanted) is ((current, wanted) in allowed)


def test_group_rows_are_what_the_hooks_wrote(app):
    sku = goods()
    act = activity(sku, size=2)
    leader = lead(sku, act)
    assert db.session.scalar(select(func.count()).select_from(GroupBuyGroup)) == 1
    assert leader.activity_id == act.id and leader.paid_at is not None


def test_the_demo_shop_has_an_open_group_with_one_seat_left(runner):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    again = runner.invoke(args=["seed", "demo"])
    assert again.exit_code == 0 and "group buy: already seeded" in again.output
    db.session.commit()
    groups = db.session.scalars(select(GroupBuyGroup)).all()
    assert [(row.status, row.joined, row.size) for row in groups] == [("forming", 2, 3)]
    assert db.session.scalar(select(func.count()).select_from(GroupBuyMember)) == 2


def test_a_failed_group_paid_through_wechat_is_refunded_through_wechat_once(live_app, live_server):
    from app.marketing.group_seats import seat_paid
    from app.payments.models import Refund
    from tests.pay_helpers import fresh, shopper, simulate, start_payment

    sku = goods(price_fen=3000)
    act = activity(sku, size=3)
    payments = []
    ref = str(act.id)
    for name in ("wx-leader", "wx-member"):
        user = shopper(name)
        order = factories.order(user, [(sku, 1)], status="paid", pay_method="wechat")
        payment = start_payment(user, order.paid_fen).payment
        simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
        order = fresh(Order, order.id)
        order.payment_id = payment.id
        member = seat_paid(order, ref)
        db.session.commit()
        ref = f"{act.id}:{member.group_id}"
        payments.append((order.id, payment.id))
    expire_now(member.group_id)
    run_expiry(times=5)
    for _order_id, payment_id in payments:
        refunds = db.session.scalars(select(Refund).where(Refund.payment_id == payment_id)).all()
        assert [row.amount_fen for row in refunds] == [3000]
        simulate(live_server, "refund/success", out_refund_no=refunds[0].out_refund_no)
    run_expiry(times=2)
    for order_id, payment_id in payments:
        assert fresh_order(order_id).status == "closed"
        assert db.session.scalar(select(func.count()).select_from(Refund).where(Refund.payment_id == payment_id)) == 1
