"""Bargains end to end: friends cut the price to the floor exactly, the refusals (an 11th helper,
the same friend twice, the launcher, a friend's helps of the day, launches, an activity not
running), and buying through the normal checkout as an activity order: its bargain discount
part, no commission unless the activity pays it, no coupon unless it stacks, the bargain claimed,
given back when the order closes unpaid, bought when paid; the expiry sweep."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM as STAFF
from app.core.errors import Conflict
from app.core.models import utcnow
from app.distribution.commission_models import CommissionLine
from app.distribution.explain import explain
from app.extensions import db
from app.marketing import bargain_activities, bargains, jobs
from app.marketing.bargain_cuts import all_cuts
from app.marketing.bargain_models import BARGAIN_MOVES, Bargain, BargainActivity, BargainHelp, BargainStatus
from app.orders.closing import UNPAID_TIMEOUT, close_unpaid_order
from app.orders.models import Order
from app.orders.oplog import SYSTEM
from tests import bargain_helpers as bh
from tests.checkout_helpers import Shopper, stock_of
from tests.coupon_helpers import give, template
from tests.distribution_helpers import agent, bind
from tests.order_pay_helpers import top_up


def _reach_floor(bargain, helpers):
    return [bh.help_by(bargain, friend) for friend in helpers]


def _user(shopper: Shopper) -> User:
    return db.session.get(User, shopper.id)


def _bargain(bargain_id: int) -> Bargain:
    db.session.expire_all()
    return db.session.get(Bargain, bargain_id)


def test_ten_helpers_reach_the_floor_exactly_with_the_seeded_cuts(app):
    # given a bargain from ¥100.00 to ¥10.00 with ten helpers needed, its cuts seeded
    row = bh.activity(start=10_000, floor=1_000, helpers=10)
    bargain = bh.launched(bh.friends(1, "发起人")[0], row, seed=1234)
    # when ten friends help
    helps = _reach_floor(bargain, bh.friends(10))
    # then each cut is the seeded one, the floor is reached exactly, and the bargain succeeded
    assert [help_row.cut_fen for help_row in helps] == all_cuts(9_000, 10, seed=1234)
    done = bh.fresh(bargain)
    assert (done.current_price_fen, done.helpers_count, done.status) == (1_000, 10, BargainStatus.SUCCEEDED)
    assert helps[-1].price_after_fen == 1_000 and all(h.price_after_fen > 1_000 for h in helps[:-1])


def test_an_eleventh_helper_is_refused(app, client):
    row = bh.activity(start=2_000, floor=1_000, helpers=10)
    launcher = Shopper(client, "launcher")
    bargain = bh.launched(_user(launcher), row)
    _reach_floor(bargain, bh.friends(10))
    eleventh = Shopper(client, "eleventh")
    answer = eleventh.post(f"/bargains/{bargain.id}/help")
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "bargain_complete"
    assert bh.fresh(bargain).helpers_count == 10


def test_the_same_friend_helps_once(app, client):
    row = bh.activity()
    bargain = bh.launched(bh.friends(1, "发起人")[0], row)
    friend = Shopper(client, "kindfriend")
    assert friend.post(f"/bargains/{bargain.id}/help").status_code == 201
    again = friend.post(f"/bargains/{bargain.id}/help")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_helped"
    assert bh.fresh(bargain).helpers_count == 1


def test_the_launcher_cannot_help_themselves(app, client):
    row = bh.activity()
    launcher = Shopper(client, "launcher")
    bargain = launcher.post(f"/bargain-activities/{row.id}/launch").get_json()
    answer = launcher.post(f"/bargains/{bargain['id']}/help")
    assert answer.status_code == 409
    assert answer.get_json()["error"] == {"code": "self_help", "message": "不能为自己砍价，快分享给好友吧。",
                                          "fields": {}}


def test_a_friend_helps_at_most_the_daily_number(app):
    row = bh.activity(helps_per_day=2, launches_per_shopper=1)
    friend = bh.friends(1, "助力达人")[0]
    launched = [bh.launched(launcher, row) for launcher in bh.friends(3, "发起人")]
    bh.help_by(launched[0], friend)
    bh.help_by(launched[1], friend)
    with pytest.raises(Conflict) as refused:
        bargains.help_bargain(launched[2].id, friend.id)
    assert refused.value.code == "help_limit"
    db.session.rollback()
    assert bh.fresh(launched[2]).helpers_count == 0


def test_launches_per_shopper_and_activity_status_are_enforced(app, client):
    live = bh.activity(launches_per_shopper=1)
    coming = bh.activity(starts_at=utcnow() + timedelta(days=1))
    stopped = bh.activity(stopped_at=utcnow())
    shopper = Shopper(client, "launcher")
    assert shopper.post(f"/bargain-activities/{live.id}/launch").status_code == 201
    second = shopper.post(f"/bargain-activities/{live.id}/launch")
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "launch_limit"
    for row in (coming, stopped):
        refused = shopper.post(f"/bargain-activities/{row.id}/launch")
        assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "activity_not_live"
    assert shopper.post("/bargain-activities/999999/launch").status_code == 404


def test_what_a_friend_sees_and_the_launchers_progress(app, client):
    row = bh.activity(start=5_000, floor=1_000, helpers=2)
    launcher, friend = Shopper(client, "xiaoming"), Shopper(client, "xiaohong")
    bargain = launcher.post(f"/bargain-activities/{row.id}/launch").get_json()
    seen = friend.get(f"/bargains/{bargain['id']}").get_json()
    assert (seen["mine"], seen["can_help"], seen["launcher_nickname"], seen["status_label"]) == (
        False, True, _user(launcher).nickname, "砍价中")
    helped = friend.post(f"/bargains/{bargain['id']}/help").get_json()
    assert helped["bargain"]["helped"] and not helped["bargain"]["can_help"]
    progress = launcher.get(f"/bargains/{bargain['id']}").get_json()
    assert progress["mine"] and progress["helpers_count"] == 1
    assert progress["cut_so_far_fen"] == helped["cut_fen"] == progress["helpers"][0]["cut_fen"]
    assert progress["can_buy"] is False and progress["buy_refusal"] == "floor_not_reached"
    mine = launcher.get("/bargains").get_json()
    assert [item["id"] for item in mine["items"]] == [bargain["id"]]


def test_a_new_helper_is_bound_to_an_agent_launcher(app, client):
    launcher_user = agent("代理发起人")
    row = bh.activity()
    bargain = bh.launched(launcher_user, row)
    friend = Shopper(client, "newfriend")
    answer = friend.post(f"/bargains/{bargain.id}/help").get_json()
    assert answer["bound"] is True


def _buyer_at_floor(client, row, name: str = "buyer"):
    buyer = Shopper(client, name)
    buyer.add_address()
    bargain = buyer.post(f"/bargain-activities/{row.id}/launch").get_json()
    _reach_floor(_bargain(bargain["id"]), bh.friends(row.helpers_needed, f"{name}的好友"))
    return buyer, bargain


def test_buying_at_the_floor_gives_an_order_with_the_bargain_part_and_no_commission(app, client):
    # given an agent who referred the buyer, and an activity paying no commission (the default)
    referrer = agent("推荐人")
    item = bh.sku(price_fen=12_000)
    row = bh.activity(item, start=10_000, floor=1_000, helpers=3)
    buyer, bargain = _buyer_at_floor(client, row)
    bind(_user(buyer), referrer)
    # when the buyer orders the bargain and pays from the balance
    placed = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex})
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert (order["activity_kind"], order["activity_ref"]) == ("bargain", str(bargain["id"]))
    assert order["discounts"] == [{"kind": "bargain", "label": "砍价优惠", "amount_fen": 11_000, "points": 0}]
    assert order["items"][0]["discount_parts"] == [{"kind": "bargain", "ref": str(bargain["id"]),
                                                    "amount_fen": 11_000}]
    assert order["payable_fen"] == 1_000 and stock_of(item) == 9
    top_up(_user(buyer), 1_000)
    assert buyer.post(f"/orders/{order['id']}/pay", {"method": "balance"}).status_code == 200
    # then the bargain is bought, and the order accrued no commission, saying why
    assert _bargain(bargain["id"]).status == BargainStatus.BOUGHT
    lines = list(db.session.scalars(select(CommissionLine).where(CommissionLine.order_id == order["id"])))
    assert lines and all((line.amount_fen, line.reason) == (0, "activity_excluded") for line in lines)
    explained = explain(order["id"])[0]
    assert explained["discounts"] == [{"kind": "bargain", "label": "砍价", "amount_fen": 11_000, "points": 0}]
    assert explained["lines"][0]["reason_label"] == "活动订单，该活动不计佣金"


def test_an_activity_paying_commission_pays_on_the_price_paid(app, client):
    referrer = agent("推荐人")
    row = bh.activity(bh.sku(price_fen=12_000), start=10_000, floor=2_000, helpers=2, pays_commission=True)
    buyer, bargain = _buyer_at_floor(client, row)
    bind(_user(buyer), referrer)
    order = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex}).get_json()
    top_up(_user(buyer), 2_000)
    assert buyer.post(f"/orders/{order['id']}/pay", {"method": "balance"}).status_code == 200
    line = db.session.scalar(select(CommissionLine).where(CommissionLine.order_id == order["id"],
                                                          CommissionLine.level == 1))
    assert (line.base_fen, line.amount_fen, line.reason) == (2_000, 200, "")  # 10% of the ¥20.00 paid


def test_a_coupon_is_ignored_unless_the_activity_stacks(app, client):
    row = bh.activity(bh.sku(price_fen=12_000), start=10_000, floor=3_000, helpers=1)
    buyer, bargain = _buyer_at_floor(client, row)
    give(buyer.id, template(amount_fen=500))
    preview = buyer.post(f"/bargains/{bargain['id']}/preview", {}).get_json()
    assert [d["kind"] for d in preview["discounts"]] == ["bargain"] and preview["payable_fen"] == 3_000
    assert preview["coupons"] == [] and preview["coupon_id"] is None
    row_now = db.session.get(BargainActivity, row.id)
    row_now.stacks = True
    db.session.commit()
    stacked = buyer.post(f"/bargains/{bargain['id']}/preview", {}).get_json()
    assert [d["kind"] for d in stacked["discounts"]] == ["bargain", "coupon"] and stacked["payable_fen"] == 2_500


def test_the_floor_is_needed_unless_buying_at_the_current_price_is_allowed(app, client):
    strict = bh.activity(start=10_000, floor=1_000, helpers=5)
    lenient = bh.activity(start=10_000, floor=1_000, helpers=5, buy_at_current=True)
    buyer = Shopper(client, "hastybuyer")
    buyer.add_address()
    for row, expected in ((strict, 409), (lenient, 201)):
        bargain = buyer.post(f"/bargain-activities/{row.id}/launch").get_json()
        bh.help_by(_bargain(bargain["id"]), bh.friends(1, f"朋友{row.id}-")[0])
        answer = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex})
        assert answer.status_code == expected, answer.get_json()
        if expected == 409:
            assert answer.get_json()["error"]["code"] == "floor_not_reached"
        else:
            current = _bargain(bargain["id"]).current_price_fen
            assert answer.get_json()["payable_fen"] == current < 10_000


def test_an_order_closed_unpaid_gives_the_bargain_back_and_a_second_order_is_refused_meanwhile(app, client):
    row = bh.activity(start=10_000, floor=1_000, helpers=1)
    buyer, bargain = _buyer_at_floor(client, row)
    first = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex}).get_json()
    second = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "bargain_ordered"
    order = db.session.get(Order, first["id"])
    order.pay_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT)
    db.session.commit()
    assert _bargain(bargain["id"]).order_id is None
    again = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex})
    assert again.status_code == 201, again.get_json()


def test_a_repeated_buy_key_answers_the_same_order(app, client):
    row = bh.activity(start=10_000, floor=1_000, helpers=1)
    buyer, bargain = _buyer_at_floor(client, row)
    key = uuid.uuid4().hex
    first = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": key})
    repeat = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": key})
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert first.get_json()["id"] == repeat.get_json()["id"]


def test_another_shoppers_bargain_cannot_be_bought_or_checked_out(app, client):
    row = bh.activity(start=10_000, floor=1_000, helpers=1)
    _buyer, bargain = _buyer_at_floor(client, row)
    stranger = Shopper(client, "stranger")
    stranger.add_address()
    assert stranger.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": uuid.uuid4().hex}).status_code == 404
    body = {"idempotency_key": uuid.uuid4().hex, "lines": [{"sku_id": row.sku_id, "quantity": 1}],
            "activity": {"kind": "bargain", "ref": str(bargain["id"])}}
    assert stranger.post("/orders", body).status_code == 404
    wrong_line = {**body, "activity": {"kind": "bargain", "ref": "x'1"}}
    assert stranger.post("/orders", wrong_line).status_code == 422


def test_the_expiry_sweep_ends_bargains_out_of_time_once(app):
    row = bh.activity(helpers=3)
    late, on_time = (bh.launched(launcher, row) for launcher in bh.friends(2, "发起人"))
    late.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert jobs.expire_bargains() == 1
    assert jobs.expire_bargains() == 0
    assert (bh.fresh(late).status, bh.fresh(on_time).status) == (BargainStatus.EXPIRED, BargainStatus.BARGAINING)
    with pytest.raises(Conflict) as refused:
        bargains.help_bargain(late.id, bh.friends(1, "迟到的")[0].id)
    db.session.rollback()
    assert refused.value.code == "bargain_ended"
    assert db.session.scalar(select(BargainHelp.id).where(BargainHelp.bargain_id == late.id)) is None


def test_a_bargain_moves_only_as_its_table_says(app, client):
    # given a bargain at its floor (past its help time) and one bought
    row = bh.activity(start=10_000, floor=1_000, helpers=1)
    succeeded = bh.launched(bh.friends(1, "到底价的")[0], row)
    bh.help_by(succeeded, bh.friends(1, "帮手甲")[0])
    buyer, bought = _buyer_at_floor(client, row, "boughtbuyer")
    order = buyer.post(f"/bargains/{bought['id']}/buy", {"idempotency_key": uuid.uuid4().hex}).get_json()
    top_up(_user(buyer), 1_000)
    assert buyer.post(f"/orders/{order['id']}/pay", {"method": "balance"}).status_code == 200
    for bargain_id in (succeeded.id, bought["id"]):
        db.session.get(Bargain, bargain_id).expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    # when the expiry sweep runs and the activity is stopped
    assert jobs.expire_bargains() == 0
    assert bargain_activities.stop_activity(STAFF, db.session.get(BargainActivity, row.id)) == 0
    db.session.commit()
    # then neither moved: only the moves of BARGAIN_MOVES happen
    assert (_bargain(succeeded.id).status, _bargain(bought["id"]).status) == (BargainStatus.SUCCEEDED,
                                                                              BargainStatus.BOUGHT)
    assert BARGAIN_MOVES[BargainStatus.BOUGHT] == set()
