"""What the shopper sees of full-reduction before checkout: the product page's tags and the
cart's hints over the selected lines; error shapes."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from tests import factories
from tests.checkout_helpers import Shopper, error_code, goods
from tests.full_reduction_helpers import activity, tier


def test_a_product_shows_the_live_activities_covering_it(client):
    shoe, shirt = goods(), goods()
    whole = activity(tier(9900, 1000), tier(19900, 3000), name="全店满减")
    activity(tier(3, rate=8000), basis="count", scope="products", scope_ids=[shirt.id])
    activity(tier(100, 50), name="明天的", started_ago=timedelta(days=-1))
    answer = client.get(f"/api/v1/products/{shoe.id}/promotions")
    assert answer.status_code == 200
    assert [(a["id"], a["name"], a["tiers"]) for a in answer.get_json()["activities"]] == [
        (whole.id, "全店满减", ["满99减10", "满199减30"])]
    assert answer.get_json()["activities"][0]["ends_at"].endswith("+08:00")
    shirt_tags = client.get(f"/api/v1/products/{shirt.id}/promotions").get_json()["activities"]
    assert [a["tiers"] for a in shirt_tags] == [["满99减10", "满199减30"], ["满3件打8折"]]


def test_an_unknown_or_hidden_product_has_no_promotions(client):
    hidden = factories.product(factories.category(), on_shelf=False)
    for product_id in (hidden.id, 999_999):
        answer = client.get(f"/api/v1/products/{product_id}/promotions")
        assert answer.status_code == 404 and error_code(answer) == "product_not_found"


def test_the_cart_hints_what_is_missing_over_the_selected_lines(client):
    activity(tier(19900, 2000))
    shopper = Shopper(client)
    first, second = goods(price_fen=8400).skus[0], goods(price_fen=5000).skus[0]
    assert shopper.get("/cart").get_json()["promotions"] == []
    cart = shopper.add_to_cart(first.id, 2)
    assert cart["promotions"] == [{"kind": "full_reduction", "label": "满199减20", "hint": "再买¥31减20"}]
    cart = shopper.add_to_cart(second.id, 1)
    assert cart["promotions"][0]["hint"] == "已减20"
    line = next(item["id"] for item in cart["items"] if item["sku_id"] == second.id)
    cart = shopper.patch(f"/cart/{line}", {"selected": False}).get_json()
    assert cart["promotions"][0]["hint"] == "再买¥31减20"


def test_a_change_to_an_activity_shows_at_once(client):
    shopper = Shopper(client)
    sku = goods(price_fen=10000).skus[0]
    row = activity(tier(9900, 1000))
    assert shopper.add_to_cart(sku.id, 1)["promotions"][0]["hint"] == "已减10"
    row.is_enabled = False
    db.session.commit()
    assert shopper.get("/cart").get_json()["promotions"] == []


def test_the_demo_seed_adds_its_activities_once(app):
    from sqlalchemy import select

    from app.marketing.full_reduction_models import FullReductionActivity
    from app.marketing.full_reduction_seed import seed_full_reductions

    factories.category("食品生鲜")
    assert seed_full_reductions() == ["full-reduction activities: 2 created"]
    db.session.commit()
    assert seed_full_reductions() == ["full-reduction activities: 0 created"]
    rows = db.session.scalars(select(FullReductionActivity).order_by(FullReductionActivity.id)).all()
    assert [(row.name, row.basis, [t.free_shipping for t in row.tiers]) for row in rows] == [
        ("全店满减", "amount", [False, False]), ("生鲜多买多折", "count", [False, True])]
