"""The console's full-reduction pages: list with computed status labels and filters, export,
create and edit (Beijing times, yuan, 折), validation per tier, enable/stop, audit, permissions."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.marketing.full_reduction_models import FullReductionActivity
from tests.admin_helpers import log_in, make_staff, post
from tests.checkout_helpers import goods
from tests.full_reduction_helpers import activity, tier

URL = "/admin/marketing/full-reductions"


def _boss(client, role: str = "owner"):
    make_staff("boss", role=role)
    log_in(client, "boss")


def _form(**changes) -> dict:
    return {"name": "双十二满减", "starts_at": "2026-12-12T00:00", "ends_at": "2026-12-13T00:00", "scope": "all",
            "basis": "amount", "tier_rows": "2",
            "tier-0-threshold": "99", "tier-0-reward": "off", "tier-0-value": "10",
            "tier-1-threshold": "199", "tier-1-reward": "rate", "tier-1-value": "8.5", "tier-1-free_shipping": "1",
            **changes}


def test_the_list_shows_each_activity_with_its_status_and_filters_by_it(client):
    _boss(client)
    activity(tier(9900, 1000), name="进行中的活动")
    activity(tier(9900, 1000), name="明天开始", started_ago=timedelta(days=-1))
    activity(tier(9900, 1000), name="上周的", started_ago=timedelta(days=10))
    activity(tier(9900, 1000), name="停掉的", enabled=False)
    page = client.get(URL).get_data(as_text=True)
    shown = (("进行中的活动", "进行中"), ("明天开始", "未开始"), ("上周的", "已结束"), ("停掉的", "已停用"))
    for name, status in shown:
        assert name in page and status in page
    assert "满99减10" in page
    running = client.get(f"{URL}?status=running").get_data(as_text=True)
    assert "进行中的活动" in running and "明天开始" not in running and "停掉的" not in running
    ended = client.get(f"{URL}?status=ended").get_data(as_text=True)
    assert "上周的" in ended and "进行中的活动" not in ended


def test_the_list_exports_what_it_shows(client):
    _boss(client)
    activity(tier(3, rate=8000), basis="count", name="三件八折")
    answer = client.get(f"{URL}/export.xlsx?status=running")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "名称" and rows[1][0] == "三件八折" and rows[1][1] == "进行中" and rows[1][6] == "满3件打8折"


def test_creating_an_activity_stores_utc_fen_and_basis_points_and_is_audited(client):
    _boss(client)
    shoe = goods()
    answer = post(client, f"{URL}/new", _form(scope="products", product_ids=str(shoe.id)))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    row = db.session.scalar(select(FullReductionActivity))
    assert (row.name, row.scope, row.scope_ids, row.basis) == ("双十二满减", "products", [shoe.id], "amount")
    assert row.starts_at == datetime(2026, 12, 11, 16, 0) and row.ends_at == datetime(2026, 12, 12, 16, 0)
    assert [(t.threshold, t.off_fen, t.pay_rate_bp, t.free_shipping) for t in row.tiers] == [
        (9900, 1000, 10_000, False), (19900, 0, 8500, True)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "full_reduction.create"))
    assert entry.area == "marketing" and entry.after["starts_at"] == "2026-12-12 00:00:00"


def test_editing_shows_the_saved_values_and_saves_the_changes(client):
    _boss(client)
    row = activity(tier(9900, 1000))
    page = client.get(f"{URL}/{row.id}").get_data(as_text=True)
    assert row.name in page and '"threshold": "99"' in page and '"value": "10"' in page
    answer = post(client, f"{URL}/{row.id}", _form(name="改名了", tier_rows="1"))
    assert answer.status_code == 302
    db.session.expire_all()
    row = db.session.get(FullReductionActivity, row.id)
    assert row.name == "改名了" and [t.threshold for t in row.tiers] == [9900]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "full_reduction.update")) is not None


def test_bad_tiers_are_shown_on_their_row_and_nothing_is_saved(client):
    _boss(client)
    answer = post(client, f"{URL}/new", _form(**{"tier-1-threshold": "99", "tier-0-value": "120",
                                                 "ends_at": "2026-12-11T00:00"}))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "两档的门槛相同" in page and "减免金额须大于 0 且小于门槛" in page and "结束时间须晚于开始时间" in page
    assert db.session.scalar(select(FullReductionActivity)) is None


def test_a_chosen_scope_needs_its_products(client):
    _boss(client)
    answer = post(client, f"{URL}/new", _form(scope="categories"))
    assert answer.status_code == 422 and "请至少选择一个" in answer.get_data(as_text=True)


def test_stopping_and_enabling_is_audited(client):
    _boss(client)
    row = activity(tier(9900, 1000))
    assert post(client, f"{URL}/{row.id}/enabled", {"enabled": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FullReductionActivity, row.id).is_enabled is False
    post(client, f"{URL}/{row.id}/enabled", {"enabled": "1"})
    db.session.expire_all()
    assert db.session.get(FullReductionActivity, row.id).is_enabled is True
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "full_reduction")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["full_reduction.create", "full_reduction.disable", "full_reduction.enable"]


def test_staff_without_the_marketing_area_are_refused(client):
    _boss(client, role="finance")
    assert client.get(URL).status_code == 403
    assert post(client, f"{URL}/new", _form()).status_code == 403
    assert db.session.scalar(select(FullReductionActivity)) is None
