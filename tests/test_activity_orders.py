"""The activity-order foundation any activity kind builds on (秒杀, 拼团, 砍价): a buy-now order of
one SKU at the activity's price through the normal checkout — the order names its activity, the
price cut is a discount of the activity's kind, the promotions run only when the activity lets
them stack, the payment window may be shorter, and no commission unless the activity pays it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.core.errors import ValidationError
from app.extensions import db
from app.orders import checkout
from app.orders.activity import ActivityKind, ActivityTerms
from app.orders.closing import UNPAID_TIMEOUT, CloseOutcome, close_unpaid_order
from app.orders.oplog import SYSTEM
from app.orders.pricing import quote
from app.shop.services import shop_settings
from tests import bargain_helpers as bh
from tests.checkout_helpers import Shopper
from tests.coupon_helpers import give, template


def _terms(item, **changes) -> ActivityTerms:
    """Terms of a group-buy kind (its only hook runs on payment, which these tests never reach)."""
    values = {"kind": ActivityKind.GROUP_BUY, "activity_id": 7, "ref": "7", "sku_id": item.id, "quantity": 1,
              "unit_price_fen": 4_900, "label": "拼团价", **changes}
    return ActivityTerms(**values)


def _place(shopper_id: int, terms: ActivityTerms):
    order, _created = checkout.place_order(shopper_id, checkout.CheckoutRequest(activity=terms), uuid.uuid4().hex)
    db.session.commit()
    return order


def test_an_activity_order_names_its_activity_and_carries_the_price_cut(app, client):
    shopper = Shopper(client)
    shopper.add_address()
    item = bh.sku(price_fen=9_900)
    order = _place(shopper.id, _terms(item))
    assert (order.activity_kind, order.activity_id, order.activity_ref, order.activity_pays_commission) == (
        "group_buy", 7, "7", False)
    assert order.discounts == [{"kind": "group_buy", "label": "拼团价", "amount_fen": 5_000, "ref": "7"}]
    assert order.payable_fen == 4_900 and order.items[0].discount_parts == [
        {"kind": "group_buy", "ref": "7", "amount_fen": 5_000}]


def test_an_activity_price_above_the_shelf_price_takes_nothing_off(app, client):
    shopper = Shopper(client)
    item = bh.sku(price_fen=3_000)
    result = quote(shopper.id, [(item.id, 1)], None, checkout.CheckoutRequest(activity=_terms(item)).options)
    assert result.discounts == [] and result.payable_fen == 3_000


@pytest.mark.parametrize(("stacks", "kinds"), [(False, ["group_buy"]), (True, ["group_buy", "coupon"])])
def test_the_promotions_run_only_when_the_activity_stacks(app, client, stacks, kinds):
    shopper = Shopper(client)
    item = bh.sku(price_fen=9_900)
    give(shopper.id, template(amount_fen=300))
    options = checkout.CheckoutRequest(activity=_terms(item, stacks=stacks)).options
    result = quote(shopper.id, [(item.id, 1)], None, options)
    assert [discount.kind for discount in result.discounts] == kinds


def test_an_activity_order_buys_only_its_item(app, client):
    shopper = Shopper(client)
    shopper.add_address()
    item, other = bh.sku(), bh.sku()
    request = checkout.CheckoutRequest(lines=[(other.id, 1)], activity=_terms(item))
    with pytest.raises(ValidationError) as refused:
        checkout.place_order(shopper.id, request, uuid.uuid4().hex)
    assert refused.value.code == "activity_lines"


def test_a_shorter_payment_window_closes_the_order_on_its_own_deadline(app, client):
    shopper = Shopper(client)
    shopper.add_address()
    assert shop_settings().unpaid_close_minutes > 5
    order = _place(shopper.id, _terms(bh.sku(), pay_minutes=5))
    assert timedelta(minutes=4) < order.pay_deadline - order.created_at <= timedelta(minutes=5, seconds=1)
    assert close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT) == CloseOutcome.NOT_DUE
    order.pay_deadline = order.created_at - timedelta(seconds=1)
    db.session.commit()
    assert close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT) == CloseOutcome.CLOSED


def test_an_unknown_activity_kind_is_refused_with_the_error_shape(app, client):
    shopper = Shopper(client)
    shopper.add_address()
    item = bh.sku()
    body = {"idempotency_key": uuid.uuid4().hex, "lines": [{"sku_id": item.id, "quantity": 1}],
            "activity": {"kind": "seckill", "ref": "1"}}
    answer = shopper.post("/orders", body)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == "validation_failed"
    assert "activity.kind" in answer.get_json()["error"]["fields"]
    assert set(answer.get_json()["error"]) == {"code", "message", "fields"}
