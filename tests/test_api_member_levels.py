"""The mini-program's member level API: my level and the way to the next, the growth ladder
with its benefits, growth and level history in keyset pages, and refusals in the error shape."""

from __future__ import annotations

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.extensions import db
from app.members.services import LevelFields, save_level
from tests.checkout_helpers import Shopper
from tests.growth_helpers import completed_order, rules, signed_in


def _ladder():
    save_level(SYSTEM, None, LevelFields("银卡", 100, discount_bp=9800))
    save_level(SYSTEM, None, LevelFields("金卡", 1000, discount_bp=9500, points_multiplier_bp=15_000,
                                         free_shipping=True, benefits="生日礼"))
    save_level(SYSTEM, None, LevelFields("员工价", None, discount_bp=8000))
    db.session.commit()


def test_my_level_shows_growth_and_what_the_next_level_takes_and_gives(client):
    _ladder()
    rules(per_yuan=1)
    shopper = Shopper(client)
    fresh = shopper.get("/members/level").get_json()
    assert (fresh["growth"], fresh["level"], fresh["growth_to_next"]) == (0, None, 100)
    assert fresh["next_level"]["name"] == "银卡"
    completed_order(db.session.get(User, shopper.id), 30_000)
    mine = shopper.get("/members/level").get_json()
    assert (mine["growth"], mine["level"]["name"], mine["growth_to_next"]) == (300, "银卡", 700)
    assert mine["next_level"]["name"] == "金卡"
    assert mine["next_level"]["benefits"]["words"] == ["9.5 折", "1.5 倍积分", "包邮"]
    assert mine["next_level"]["benefits"]["text"] == "生日礼"


def test_the_ladder_lists_the_levels_reached_by_growth_lowest_first(client):
    _ladder()
    shopper = Shopper(client)
    levels = shopper.get("/members/levels").get_json()["items"]
    assert [(level["name"], level["growth_threshold"]) for level in levels] == [("银卡", 100), ("金卡", 1000)]
    assert levels[1]["benefits"]["free_shipping"] is True and levels[1]["benefits"]["points_multiplier_bp"] == 15_000


def test_growth_detail_pages_newest_first_with_chinese_kinds(client):
    _ladder()
    rules(per_yuan=1, per_sign_in=2)
    shopper = Shopper(client)
    buyer = db.session.get(User, shopper.id)
    completed_order(buyer, 15_000)
    signed_in(buyer, 1)
    signed_in(buyer, 2)
    first = shopper.get("/members/growth?size=2").get_json()
    assert [(item["kind_label"], item["delta"], item["growth_after"]) for item in first["items"]] == [
        ("每日签到", 2, 154), ("每日签到", 2, 152)]
    rest = shopper.get(f"/members/growth?size=2&cursor={first['next_cursor']}").get_json()
    assert [(item["kind_label"], item["delta"]) for item in rest["items"]] == [("订单完成", 150)]
    changes = shopper.get("/members/level-changes").get_json()["items"]
    assert [(change["from_level"], change["to_level"], change["cause_label"]) for change in changes] == [
        (None, "银卡", "成长值达到升级")]


def test_another_shoppers_growth_is_never_shown(client):
    rules(per_sign_in=1)
    alice, bob = Shopper(client), Shopper(client)
    signed_in(db.session.get(User, alice.id), 1)
    assert bob.get("/members/growth").get_json()["items"] == []


def test_refusals_come_in_the_error_shape(client):
    shopper = Shopper(client)
    anonymous = client.get("/api/v1/members/level")
    assert anonymous.status_code == 401 and "code" in anonymous.get_json()["error"]
    bad_cursor = shopper.get("/members/growth?cursor=abc")
    assert bad_cursor.status_code == 400 and bad_cursor.get_json()["error"]["code"] == "invalid_cursor"
    too_big = shopper.get("/members/growth?size=1000")
    assert too_big.status_code == 422 and "size" in too_big.get_json()["error"]["fields"]
