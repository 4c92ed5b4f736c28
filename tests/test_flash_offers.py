"""What the storefront and the purchase path read: the items of a session of a day with their
sold share, an item buyable only while one of its activity's sessions is on, and the order
reference that names the item and the session scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.audit.services import SYSTEM
from app.core.china_time import day_start_utc
from app.core.errors import Conflict, NotFound
from app.extensions import db
from app.marketing import flash_activities
from app.marketing.flash_claims import claim
from app.marketing.flash_offers import items_on, offer_for, order_ref, parse_ref, sold_percent
from app.marketing.flash_schedule import beijing_today, day_occurrences
from tests import factories
from tests.flash_helpers import sale, session


def _setup():
    ten, eight = session("10:00场", "10:00", 120), session("20:00场", "20:00", 120)
    product = factories.product(factories.category(), "蓝牙耳机", price_fen=5000, skus=2, stock=100)
    red, blue = sorted(product.skus, key=lambda sku: sku.id)
    morning_sale = sale([(red, 1990, 4)], [ten], name="早场")
    both = sale([(blue, 2990, 10)], [ten, eight], name="全天")
    return ten, eight, morning_sale, both


def test_a_session_lists_the_items_of_the_sales_running_in_it_with_their_sold_share(app):
    ten, eight, morning_sale, both = _setup()
    morning, evening = day_occurrences(beijing_today(), [ten, eight])
    claim(morning_sale.items[0], factories.shopper().id, 1, morning)
    db.session.commit()
    assert [(item.id, activity.name, sold_percent(item)) for item, activity in items_on(morning)] == [
        (both.items[0].id, "全天", 0), (morning_sale.items[0].id, "早场", 25)]
    assert [activity.name for _item, activity in items_on(evening)] == ["全天"]
    tomorrow = day_occurrences(beijing_today() + timedelta(days=1), [ten])[0]
    assert items_on(tomorrow) == []
    flash_activities.stop_activity(SYSTEM, both)
    db.session.commit()
    assert [activity.name for _item, activity in items_on(morning)] == ["早场"]


def test_an_item_is_buyable_only_while_a_session_of_its_sale_is_on(app):
    ten, _eight, morning_sale, both = _setup()
    item = morning_sale.items[0]
    midnight = day_start_utc(beijing_today())
    offer = offer_for(item.id, midnight + timedelta(hours=10, minutes=5))
    assert offer.occurrence.session_id == ten.id and offer.activity.id == morning_sale.id
    assert parse_ref(offer.ref) == (item.id, offer.occurrence.scope)
    for moment in (timedelta(hours=9, minutes=59), timedelta(hours=12), timedelta(hours=20, minutes=30)):
        with pytest.raises(Conflict) as refused:
            offer_for(item.id, midnight + moment)
        assert refused.value.code == "flash_not_live"
    assert offer_for(both.items[0].id, midnight + timedelta(hours=20, minutes=30)).occurrence.name == "20:00场"
    flash_activities.stop_activity(SYSTEM, morning_sale)
    db.session.commit()
    with pytest.raises(Conflict):
        offer_for(item.id, midnight + timedelta(hours=10, minutes=5))
    with pytest.raises(NotFound):
        offer_for(999_999)


def test_an_order_reference_is_read_back_or_refused(app):
    assert parse_ref(order_ref(12, "session:3:2026-12-08")) == (12, "session:3:2026-12-08")
    for bad in ("12", "x@session:1:2026-12-08", "12@activity"):
        with pytest.raises(ValueError):
            parse_ref(bad)
