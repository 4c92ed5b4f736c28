"""The console's bargain pages (营销 → 砍价): list with Chinese status labels and a filter, create
with the item picked (yuan and Beijing times stored as fen and UTC), terms frozen once launched,
stop early, the results of an activity and the export; every change audited."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.core.models import utcnow
from app.extensions import db
from app.marketing.bargain_models import Bargain, BargainActivity, BargainStatus
from tests import bargain_helpers as bh
from tests.admin_helpers import log_in, make_staff, post
from tests.checkout_helpers import Shopper

URL = "/admin/marketing/bargains"
JSON = {"Accept": "application/json"}


def _boss(client):
    make_staff("boss", role="owner")
    log_in(client, "boss")


def _form(sku_id: int, **changes) -> dict:
    return {"name": "耳机砍到底", "sku_id": str(sku_id), "start_price_fen": "199", "floor_price_fen": "9.90",
            "helpers_needed": "10", "cut_min_fen": "", "cut_max_fen": "", "time_limit_hours": "24",
            "launches_per_shopper": "1", "helps_per_day": "3", "buy_window_hours": "48",
            "starts_at": "2026-12-12T10:00", "ends_at": "2026-12-19T10:00", **changes}


def test_creating_an_activity_stores_fen_and_utc_and_is_audited(client):
    _boss(client)
    item = bh.sku()
    answer = post(client, f"{URL}/new", _form(item.id, buy_at_current="1"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    row = db.session.scalar(select(BargainActivity))
    assert (row.sku_id, row.product_id, row.start_price_fen, row.floor_price_fen, row.helpers_needed) == (
        item.id, item.product_id, 19_900, 990, 10)
    assert (row.buy_at_current, row.pays_commission, row.stacks, row.buy_window_hours) == (True, False, False, 48)
    assert row.starts_at == datetime(2026, 12, 12, 2, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bargain.create"))
    assert entry.target_id == str(row.id) and entry.after["floor_price_fen"] == 990


def test_bad_terms_are_refused_per_field(client):
    _boss(client)
    item = bh.sku()
    answer = post(client, f"{URL}/new", {**_form(item.id, floor_price_fen="199", helpers_needed="0"), "sku_id": ""})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "底价必须低于起始价。" in page and "请选择砍价商品。" in page and "请输入1到100之间的整数。" in page
    assert db.session.scalar(select(BargainActivity)) is None


def test_the_list_shows_chinese_statuses_and_filters_by_them(client):
    _boss(client)
    bh.activity(name="正在砍")
    bh.activity(name="明天砍", starts_at=utcnow() + timedelta(days=1))
    bh.activity(name="停掉了", stopped_at=utcnow())
    page = client.get(URL).get_data(as_text=True)
    for name, status in (("正在砍", "进行中"), ("明天砍", "未开始"), ("停掉了", "已提前结束")):
        assert name in page and status in page
    live = client.get(f"{URL}?status=live").get_data(as_text=True)
    assert "正在砍" in live and "明天砍" not in live and "停掉了" not in live
    assert "砍价" in client.get("/admin/").get_data(as_text=True)  # the 营销 menu entry


def test_terms_cannot_change_once_bargains_were_launched(client):
    _boss(client)
    row = bh.activity(start=10_000, floor=1_000)
    bh.launched(bh.friends(1, "发起人")[0], row)
    form = _form(row.sku_id, start_price_fen="50", floor_price_fen="10")
    answer = post(client, f"{URL}/{row.id}", form)
    assert answer.status_code == 422 and "已有顾客按此条件发起砍价" in answer.get_data(as_text=True)
    renamed = post(client, f"{URL}/{row.id}", _form(row.sku_id, name="改个名字", start_price_fen="100",
                                                    floor_price_fen="10"))
    assert renamed.status_code == 302
    db.session.expire_all()
    assert db.session.get(BargainActivity, row.id).name == "改个名字"


def test_stopping_early_ends_the_bargains_going_and_is_audited(client):
    _boss(client)
    row = bh.activity()
    going = bh.launched(bh.friends(1, "发起人")[0], row)
    assert post(client, f"{URL}/{row.id}/stop").status_code == 302
    assert bh.fresh(going).status == BargainStatus.EXPIRED
    assert db.session.get(BargainActivity, row.id).stopped_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bargain.stop"))
    assert entry.after["bargains_ended"] == 1
    log = client.get("/admin/settings/audit").get_data(as_text=True)
    assert "提前结束砍价活动" in log


def test_results_and_export_count_launches_and_completions(client):
    _boss(client)
    row = bh.activity(start=2_000, floor=1_000, helpers=2, name="导出测试")
    done, _going = (bh.launched(launcher, row) for launcher in bh.friends(2, "发起人"))
    for friend in bh.friends(2):
        bh.help_by(done, friend)
    page = client.get(f"{URL}/{row.id}/results").get_data(as_text=True)
    assert 'data-figure="launched">2<' in page and 'data-figure="completed">1<' in page
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}/export.xlsx").data)).active
    rows = list(sheet.values)
    assert rows[1][0] == "导出测试" and rows[1][2] == "进行中" and rows[1][8:10] == (2, 1)


def test_the_item_picker_lists_skus_by_product_title(client):
    _boss(client)
    item = bh.sku()
    items = client.get("/admin/pick/skus", headers=JSON).get_json()["items"]
    assert [entry["id"] for entry in items] == [item.id]


def test_an_activitys_orders_are_listed_from_its_results(client):
    _boss(client)
    row = bh.activity(start=10_000, floor=1_000, helpers=1)
    buyer = Shopper(client, "bargainbuyer")
    buyer.add_address()
    bargain = buyer.post(f"/bargain-activities/{row.id}/launch").get_json()
    bh.help_by(bh.fresh_by_id(bargain["id"]), bh.friends(1, "帮手")[0])
    order = buyer.post(f"/bargains/{bargain['id']}/buy", {"idempotency_key": "bargain-order-1"}).get_json()
    results = client.get(f"{URL}/{row.id}/results").get_data(as_text=True)
    assert f"activity_kind=bargain&amp;activity_id={row.id}" in results
    listed = client.get(f"/admin/orders?activity_kind=bargain&activity_id={row.id}").get_data(as_text=True)
    assert order["order_no"] in listed and "活动订单: 砍价 #" in listed
    assert client.get(f"/admin/orders?activity_kind=bargain&activity_id={row.id + 1}").get_data(
        as_text=True).count(order["order_no"]) == 0
    detail = client.get(f"/admin/orders/{order['id']}").get_data(as_text=True)
    assert '<dd class="col-7" id="order-activity">砍价</dd>' in detail


def test_the_demo_has_a_bargain_in_progress(app, runner):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    row = db.session.scalar(select(BargainActivity))
    bargain = db.session.scalar(select(Bargain).where(Bargain.activity_id == row.id))
    assert (bargain.status, bargain.helpers_count, bargain.helpers_needed) == (BargainStatus.BARGAINING, 3, 10)
    assert bargain.floor_price_fen < bargain.current_price_fen < bargain.start_price_fen
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0  # safe to run again
    assert db.session.scalar(select(func.count()).select_from(Bargain)) == 1
