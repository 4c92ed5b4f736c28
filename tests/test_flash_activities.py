"""Flash sale activities: the SKUs' stock is set aside when the activity is saved (moved by
the difference on edit, never below what is sold, refused whole when a SKU is short) and the
unsold rest goes back exactly once — on stop, or by the end job however often it runs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.services import SYSTEM
from app.catalog.models import Sku
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.marketing import flash_activities
from app.marketing.flash_claims import claim
from app.marketing.flash_models import FlashActivity, FlashItem, FlashStatus
from app.marketing.flash_schedule import activity_occurrences, beijing_today, day_occurrences, status_of
from app.marketing.jobs import end_flash_sales
from tests import factories
from tests.flash_helpers import sale, session


def _skus(stock: int = 10, count: int = 2, title: str = "蓝牙耳机"):
    product = factories.product(factories.category(), title, price_fen=5000, skus=count, stock=stock)
    return sorted(product.skus, key=lambda sku: sku.id)


def _stock(sku) -> int:
    return db.session.scalar(select(Sku.stock).where(Sku.id == sku.id))


def _values(activity: FlashActivity, items) -> dict:
    return {"name": activity.name, "first_day": activity.first_day, "last_day": activity.last_day,
            "session_ids": activity.session_ids, "limit_per_session": 1,
            "items": [{"sku_id": sku.id, "flash_price_fen": price, "stock": stock} for sku, price, stock in items]}


def test_saving_an_activity_takes_the_stock_it_sets_aside(app):
    red, blue = _skus(stock=10)
    activity = sale([(red, 1990, 4), (blue, 2990, 10)], [session()])
    assert (_stock(red), _stock(blue)) == (6, 0)
    assert [(item.sku_id, item.flash_price_fen, item.stock, item.sold) for item in activity.items] == [
        (red.id, 1990, 4, 0), (blue.id, 2990, 10, 0)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "flash_sale.create"))
    assert entry.area == "marketing" and entry.after["items"][0] == {"sku_id": red.id, "flash_price_fen": 1990,
                                                                     "stock": 4}


def test_a_short_sku_refuses_the_whole_save_naming_the_product_and_writes_nothing(app):
    red, blue = _skus(stock=3, title="保温杯")
    with pytest.raises(ValidationError) as refused:
        sale([(red, 1990, 2), (blue, 1990, 5)], [session()])
    assert "保温杯" in refused.value.fields[f"items.{blue.id}.stock"]
    assert "3" in refused.value.fields[f"items.{blue.id}.stock"]
    db.session.rollback()
    assert (_stock(red), _stock(blue)) == (3, 3)
    assert db.session.scalar(select(func.count()).select_from(FlashActivity)) == 0
    assert db.session.scalar(select(func.count()).select_from(FlashItem)) == 0


def test_a_refused_save_undoes_its_own_writes_even_if_the_caller_commits(app):
    red, blue = _skus(stock=3)
    with pytest.raises(ValidationError):
        sale([(red, 1990, 2), (blue, 1990, 5)], [session()])
    db.session.commit()
    assert (_stock(red), _stock(blue)) == (3, 3)
    assert db.session.scalar(select(func.count()).select_from(FlashItem)) == 0


def test_the_flash_price_must_be_below_the_price_and_a_sku_in_one_sale_at_a_time(app):
    ten = session()
    red, blue = _skus()
    with pytest.raises(ValidationError) as refused:
        sale([(red, 5000, 1), (blue, 100, 0)], [ten])
    assert set(refused.value.fields) == {f"items.{red.id}.price", f"items.{blue.id}.stock"}
    sale([(red, 1990, 1)], [ten])
    with pytest.raises(ValidationError) as refused:
        sale([(red, 1990, 1)], [ten], name="另一个")
    assert "限时秒杀" in refused.value.fields[f"items.{red.id}.stock"]
    sale([(red, 1990, 1)], [session("20:00场", "20:00")], name="晚场")  # another session is fine
    assert _stock(red) == 8


def test_an_edit_moves_only_the_difference_and_never_below_what_is_sold(app):
    ten = session()
    red, blue = _skus(stock=10)
    activity = sale([(red, 1990, 4)], [ten])
    flash_activities.update_activity(SYSTEM, activity, _values(activity, [(red, 1990, 7), (blue, 2990, 2)]))
    db.session.commit()
    assert (_stock(red), _stock(blue)) == (3, 8)
    claim(activity.items[0], factories.shopper().id, 1, day_occurrences(beijing_today(), [ten])[0])
    db.session.commit()
    flash_activities.update_activity(SYSTEM, activity, _values(activity, [(red, 1990, 2), (blue, 2990, 2)]))
    db.session.commit()
    assert _stock(red) == 8  # 5 of the 7 came back; 1 sold, 1 still set aside
    with pytest.raises(ValidationError) as refused:
        flash_activities.update_activity(SYSTEM, activity, _values(activity, [(blue, 2990, 2)]))
    assert "1" in refused.value.fields[f"items.{red.id}.stock"]  # a sold item cannot leave
    db.session.rollback()
    flash_activities.update_activity(SYSTEM, activity, _values(activity, [(red, 1990, 1)]))
    db.session.commit()
    assert (_stock(red), _stock(blue)) == (9, 10)  # blue's 2 came back with its row
    assert [(item.sku_id, item.stock, item.sold) for item in activity.items] == [(red.id, 1, 1)]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "flash_sale.update")
                               .order_by(AuditEntry.id.desc())).first()
    assert set(entry.after) == {"items"}


def test_stopping_returns_the_unsold_stock_exactly_once(app):
    ten = session()
    red, blue = _skus(stock=10)
    activity = sale([(red, 1990, 5), (blue, 2990, 3)], [ten])
    claim(activity.items[0], factories.shopper().id, 1, day_occurrences(beijing_today(), [ten])[0])
    db.session.commit()
    assert flash_activities.stop_activity(SYSTEM, activity) == 7
    db.session.commit()
    assert flash_activities.stop_activity(SYSTEM, activity) is None
    assert end_flash_sales() == 0
    assert (_stock(red), _stock(blue)) == (9, 10)
    assert status_of(activity) == FlashStatus.STOPPED and activity_occurrences(activity, beijing_today()) == []
    assert [(item.stock, item.sold) for item in activity.items] == [(1, 1), (0, 0)]
    with pytest.raises(Conflict):
        flash_activities.update_activity(SYSTEM, activity, _values(activity, [(red, 1990, 3)]))
    stops = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "flash_sale.stop")).all()
    assert len(stops) == 1 and stops[0].after["stock_returned"] == 7


def test_the_end_job_returns_the_stock_of_ended_sales_once_however_often_it_runs(app):
    ten = session()
    red, blue = _skus(stock=10)
    yesterday = beijing_today() - timedelta(days=1)
    ended = sale([(red, 1990, 4)], [ten], name="昨天的", first_day=yesterday - timedelta(days=1),
                 last_day=beijing_today())
    ended.last_day = yesterday  # as if saved two days ago for those two days
    db.session.commit()
    later = sale([(blue, 1990, 4)], [ten], name="明天的", first_day=beijing_today() + timedelta(days=1))
    assert status_of(ended) == FlashStatus.ENDED and status_of(later) == FlashStatus.NOT_STARTED
    assert [end_flash_sales() for _ in range(3)] == [1, 0, 0]
    assert (_stock(red), _stock(blue)) == (10, 6)
    assert db.session.get(FlashActivity, ended.id).stock_returned_at is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "flash_sale.end")) == 1


def test_the_end_job_waits_for_the_last_session_of_the_last_day(app):
    ten = session("10:00场", "10:00", 120)
    red, _blue = _skus()
    activity = sale([(red, 1990, 4)], [ten])
    day = activity.last_day
    # 11:59 Beijing on its last day is 03:59 UTC: still on; 12:00 Beijing is its end
    assert flash_activities.end_due(datetime(day.year, day.month, day.day, 3, 59)) == []
    assert flash_activities.end_due(datetime(day.year, day.month, day.day, 4, 0)) == [activity.id]
    db.session.commit()
    assert _stock(red) == 10
