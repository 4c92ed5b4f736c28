"""Rate limits on the endpoints bots hammer: a shopper tapping "claim" past their window is
told to slow down (429 in the error shape, with Retry-After) while other shoppers go on; one
address past its own window is stopped whoever it claims as; behind a trusted proxy the
address is the client's from X-Forwarded-For."""

from __future__ import annotations

import pytest

from tests.checkout_helpers import Shopper, error_code
from tests.coupon_helpers import template


@pytest.fixture
def limited(make_app):
    def build(**settings):
        app = make_app(**{"RATE_LIMIT_COUPON_CLAIM": "2 per hour", "RATE_LIMIT_PER_ADDRESS": "100 per hour",
                          **settings})
        with app.app_context():
            return app, template(kind="no_threshold", amount_fen=500, in_centre=True, total=100,
                                 per_user_limit=50).id

    return build


def _claim(shopper: Shopper, template_id: int, **headers):
    return shopper.client.post(f"/api/v1/coupons/centre/{template_id}/claim",
                               headers={**shopper.headers, **headers})


def test_a_shopper_past_their_window_is_told_to_slow_down_and_others_go_on(limited):
    app, template_id = limited()
    client = app.test_client()
    with app.app_context():
        eager, other = Shopper(client), Shopper(client)
    answers = [_claim(eager, template_id) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    refused = answers[-1]
    assert error_code(refused) == "too_many_requests"
    assert refused.get_json()["error"]["message"] == "请求过于频繁，请稍后再试。"
    assert int(refused.headers["Retry-After"]) > 0
    assert _claim(other, template_id).status_code == 201
    with app.app_context():  # the refused tap claimed nothing
        from tests.coupon_helpers import coupon_count

        assert coupon_count() == 3


def test_one_address_past_its_window_is_stopped_whoever_it_claims_as(limited):
    app, template_id = limited(RATE_LIMIT_PER_ADDRESS="3 per hour")
    client = app.test_client()
    with app.app_context():
        shoppers = [Shopper(client) for _ in range(4)]
    assert [_claim(shopper, template_id).status_code for shopper in shoppers] == [201, 201, 201, 429]
    forged = client.post(f"/api/v1/coupons/centre/{template_id}/claim", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 429  # counted by its address before the login check


def test_behind_a_trusted_proxy_each_client_address_has_its_own_window(limited):
    app, template_id = limited(RATE_LIMIT_PER_ADDRESS="1 per hour", TRUSTED_PROXY_COUNT=1)
    client = app.test_client()
    with app.app_context():
        first, second = Shopper(client), Shopper(client)
    assert _claim(first, template_id, **{"X-Forwarded-For": "10.0.0.1"}).status_code == 201
    assert _claim(second, template_id, **{"X-Forwarded-For": "10.0.0.2"}).status_code == 201
    assert _claim(second, template_id, **{"X-Forwarded-For": "10.0.0.2"}).status_code == 429


def test_limits_can_be_switched_off(limited):
    app, template_id = limited(RATE_LIMITS_ENABLED=False, RATE_LIMIT_PER_ADDRESS="1 per hour")
    client = app.test_client()
    with app.app_context():
        shopper = Shopper(client)
    assert [_claim(shopper, template_id).status_code for _ in range(3)] == [201, 201, 201]


def test_a_friend_tapping_help_past_their_window_is_told_to_slow_down(make_app):
    from app.accounts.models import User
    from app.extensions import db
    from tests import bargain_helpers as bh

    app = make_app(RATE_LIMIT_BARGAIN_HELP="1 per hour")
    client = app.test_client()
    with app.app_context():
        launcher, friend = Shopper(client), Shopper(client)
        bargain_id = bh.launched(db.session.get(User, launcher.id), bh.activity(helpers=5)).id
    first = friend.client.post(f"/api/v1/bargains/{bargain_id}/help", headers=friend.headers)
    again = friend.client.post(f"/api/v1/bargains/{bargain_id}/help", headers=friend.headers)
    assert first.status_code == 201 and again.status_code == 429 and error_code(again) == "too_many_requests"
