"""The shopper's coupon API: the centre and claiming, my coupons by tab, exchange for points,
a product's claimable coupons; the new-user pack at first login and the invitee's gift."""

from __future__ import annotations

from app.audit.services import SYSTEM
from app.extensions import db
from app.marketing.coupon_settings import save_coupon_settings
from app.members.services import change_points, wallet_of
from tests.checkout_helpers import Shopper, error_code, goods
from tests.coupon_helpers import coupon_count, expire, give, template


def test_the_centre_lists_its_coupons_and_a_claim_counts_against_my_limit(client):
    # given a centre coupon of at most one per shopper, and one not in the centre
    listed = template(kind="amount_off", amount_fen=2000, threshold_fen=19_900, in_centre=True, total=10,
                      per_user_limit=1)
    template(kind="no_threshold", amount_fen=500)
    shopper = Shopper(client)
    centre = shopper.get("/coupons/centre").get_json()["items"]
    assert [(c["template_id"], c["description"], c["left"], c["claimed"], c["can_claim"]) for c in centre] == [
        (listed.id, "满199减20", 10, 0, True)]
    # when the shopper claims it, and taps again
    first = shopper.post(f"/coupons/centre/{listed.id}/claim")
    second = shopper.post(f"/coupons/centre/{listed.id}/claim")
    # then one coupon is theirs and the second tap is told the limit is reached
    assert first.status_code == 201 and first.get_json()["status_label"] == "未使用"
    assert first.get_json()["source_label"] == "领券中心"
    assert second.status_code == 409 and error_code(second) == "coupon_limit_reached"
    assert second.get_json()["error"]["message"] == "你领取的该优惠券已达上限。"
    centre = shopper.get("/coupons/centre").get_json()["items"]
    assert (centre[0]["left"], centre[0]["claimed"], centre[0]["can_claim"]) == (9, 1, False)
    assert coupon_count() == 1


def test_a_coupon_not_in_the_centre_cannot_be_claimed_there(client):
    hidden = template(kind="no_threshold", amount_fen=500)
    answer = Shopper(client).post(f"/coupons/centre/{hidden.id}/claim")
    assert answer.status_code == 404 and error_code(answer) == "coupon_not_found"
    assert coupon_count() == 0


def test_my_coupons_by_tab_with_counts(client):
    shopper = Shopper(client)
    row = template(kind="no_threshold", amount_fen=500)
    usable = give(shopper.id, row)
    old = give(shopper.id, row)
    expire(old)
    used = give(shopper.id, row)
    used.status = "used"
    db.session.commit()
    answers = {tab: shopper.get(f"/coupons/mine?tab={tab}").get_json() for tab in ("usable", "used", "expired")}
    assert [c["id"] for c in answers["usable"]["items"]] == [usable.id]
    assert [c["id"] for c in answers["used"]["items"]] == [used.id]
    assert [(c["id"], c["reason"]) for c in answers["expired"]["items"]] == [(old.id, "该优惠券已过期。")]
    assert answers["usable"]["counts"] == {"usable": 1, "used": 1, "expired": 1}
    assert shopper.get("/coupons/mine?tab=nope").status_code == 422


def test_exchanging_points_takes_the_price_once_and_refuses_when_short(client):
    shopper = Shopper(client)
    row = template(kind="no_threshold", amount_fen=500, points_price=300, in_centre=True)
    change_points(shopper.id, 500, kind="admin_adjust", ref="gift-1")
    db.session.commit()
    first = shopper.post(f"/coupons/exchange/{row.id}", {"request_key": "tap-0001"})
    again = shopper.post(f"/coupons/exchange/{row.id}", {"request_key": "tap-0001"})  # a retry
    assert first.status_code == again.status_code == 201 and first.get_json()["id"] == again.get_json()["id"]
    assert wallet_of(shopper.id).points == 200
    short = shopper.post(f"/coupons/exchange/{row.id}", {"request_key": "tap-0002"})
    assert short.status_code == 409 and error_code(short) == "points_not_enough"
    assert wallet_of(shopper.id).points == 200 and coupon_count() == 1
    not_for_points = template(kind="no_threshold", amount_fen=500)
    assert shopper.post(f"/coupons/exchange/{not_for_points.id}", {"request_key": "tap-0003"}).status_code == 404


def test_a_product_page_offers_the_centre_coupons_it_can_use(client):
    phone, case = goods(price_fen=100_000), goods(price_fen=3000)
    whole_shop = template(kind="no_threshold", amount_fen=500, in_centre=True)
    phones_only = template(kind="amount_off", amount_fen=5000, threshold_fen=50_000, in_centre=True,
                           scope="products", product_ids=[phone.id])
    shopper = Shopper(client)
    assert [c["template_id"] for c in shopper.get(f"/products/{phone.id}/coupons").get_json()["items"]] == [
        whole_shop.id, phones_only.id]
    assert [c["template_id"] for c in shopper.get(f"/products/{case.id}/coupons").get_json()["items"]] == [
        whole_shop.id]


def test_the_new_user_pack_is_given_once_on_the_first_login(client):
    pack = [template(kind="no_threshold", amount_fen=500), template(kind="rate_off", rate_bp=9000)]
    save_coupon_settings(SYSTEM, {"new_user_template_ids": [row.id for row in pack]})
    db.session.commit()
    shopper = Shopper(client, "newbie")
    Shopper(client, "newbie")  # logs in again
    assert coupon_count(user_id=shopper.id, source="new_user") == 2


def test_the_invite_poster_promises_a_new_user_gift_only_while_a_pack_is_configured(app):
    from app.posters.services import invite_promise

    assert invite_promise() == "扫码进店逛逛"
    pack = template(kind="no_threshold", amount_fen=500)
    save_coupon_settings(SYSTEM, {"new_user_template_ids": [pack.id]})
    db.session.commit()
    assert invite_promise() == "扫码进店，领新人好礼"
    pack.enabled = False
    db.session.commit()
    assert invite_promise() == "扫码进店逛逛"
