"""The console's group-buy pages (营销 → 拼团): create with the item picked (yuan and Beijing
times stored as fen and UTC), edit, terms locked once a group was opened, errors per field,
the list with Chinese status labels and a filter, stop early (POST with CSRF), the results of
an activity after a group formed and the export of its groups; every change audited."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.core.models import utcnow
from app.extensions import db
from app.marketing.group_models import GroupActivity, GroupBuyGroup
from tests import group_helpers as gh
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.checkout_helpers import Shopper
from tests.order_pay_helpers import allow, top_up

URL = "/admin/marketing/groups"


def _boss(client, role: str = "owner"):
    make_staff("boss", role=role)
    log_in(client, "boss")


def _form(sku_id: int, **changes) -> dict:
    return {"name": "三人拼团", "sku_id": str(sku_id), "group_price_fen": "39.90", "leader_price_fen": "",
            "group_size": "3", "time_limit_hours": "24", "per_shopper_limit": "2", "virtual_min_members": "1",
            "on_full_seat": "refund", "starts_at": "2026-12-12T10:00", "ends_at": "2026-12-19T10:00", **changes}


def test_creating_an_activity_stores_fen_and_utc_and_is_audited(client):
    _boss(client)
    item = gh.goods(price_fen=5000)
    page = client.get(f"{URL}/new").get_data(as_text=True)
    assert "自动退款" in page and "安排进其他未满的团" in page  # the on-full-seat choice, in words
    answer = post(client, f"{URL}/new", _form(item.id, leader_price_fen="29.90", virtual_success="1",
                                              virtual_min_members="2", pays_commission="1"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    row = db.session.scalar(select(GroupActivity))
    assert (row.sku_id, row.product_id, row.group_price_fen, row.leader_price_fen, row.group_size) == (
        item.id, item.product_id, 3990, 2990, 3)
    assert (row.virtual_success, row.virtual_min_members, row.pays_commission, row.stacks, row.on_full_seat,
            row.per_shopper_limit) == (True, 2, True, False, "refund", 2)
    assert row.starts_at == datetime(2026, 12, 12, 2, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "group_activity.create"))
    assert entry.target_id == str(row.id) and entry.after["group_price_fen"] == 3990
    assert "新建拼团活动" in client.get("/admin/settings/audit").get_data(as_text=True)


def test_editing_changes_the_activity_and_is_audited(client):
    _boss(client)
    row = gh.activity(gh.goods(price_fen=5000), size=3)
    edit = client.get(f"{URL}/{row.id}").get_data(as_text=True)
    assert 'value="49.00"' in edit and row.name in edit
    answer = post(client, f"{URL}/{row.id}", _form(row.sku_id, name="改名拼团", group_size="5"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.get(GroupActivity, row.id)
    assert (row.name, row.group_size, row.group_price_fen, row.leader_price_fen) == ("改名拼团", 5, 3990, None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "group_activity.update"))
    assert entry.after["group_size"] == 5 and entry.before["group_size"] == 3


def test_bad_terms_are_refused_per_field(client):
    _boss(client)
    item = gh.goods(price_fen=5000)
    answer = post(client, f"{URL}/new", {**_form(item.id, group_price_fen="50", group_size="51",
                                                 time_limit_hours="200", on_full_seat="nope",
                                                 ends_at="2026-12-01T10:00")})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    for message in ("拼团价必须低于商品原价。", "请输入2到50之间的整数。", "请输入1到168之间的整数。",
                    "结束时间须晚于开始时间。"):
        assert message in page, message
    leader = post(client, f"{URL}/new", {**_form(item.id, leader_price_fen="45", virtual_success="1",
                                                 virtual_min_members="3"), "sku_id": ""})
    page = leader.get_data(as_text=True)
    assert leader.status_code == 422 and "团长价不能高于拼团价。" in page and "请选择拼团商品。" in page
    assert "请输入1到2之间的整数。" in page  # simulated success needs fewer real members than the size
    assert db.session.scalar(select(GroupActivity)) is None


def test_the_list_shows_chinese_statuses_and_filters_by_them(client):
    _boss(client)
    item = gh.goods()
    gh.activity(item, name="正在拼")
    gh.activity(item, name="明天拼", starts_at=utcnow() + timedelta(days=1))
    gh.activity(item, name="停掉了", stopped_at=utcnow())
    page = client.get(URL).get_data(as_text=True)
    for name, status in (("正在拼", "进行中"), ("明天拼", "未开始"), ("停掉了", "已提前结束")):
        assert name in page and status in page
    live = client.get(f"{URL}?status=live").get_data(as_text=True)
    assert "正在拼" in live and "明天拼" not in live and "停掉了" not in live
    menu = client.get("/admin/").get_data(as_text=True)
    assert "拼团" in menu and menu.index(URL) < menu.index("/admin/marketing/bargains")  # 营销, before 砍价


def test_terms_are_locked_once_a_group_was_opened(client):
    _boss(client)
    item = gh.goods(price_fen=5000)
    row = gh.activity(item, size=3, group_price_fen=3990)
    gh.lead(item, row)
    assert "readonly" in client.get(f"{URL}/{row.id}").get_data(as_text=True)
    answer = post(client, f"{URL}/{row.id}", _form(item.id, group_price_fen="29.90", group_size="4"))
    assert answer.status_code == 422 and "已有按此条件开的团" in answer.get_data(as_text=True)
    renamed = post(client, f"{URL}/{row.id}", _form(item.id, name="只改名字", time_limit_hours="12"))
    assert renamed.status_code == 302
    db.session.expire_all()
    row = db.session.get(GroupActivity, row.id)
    assert (row.name, row.time_limit_hours, row.group_price_fen, row.group_size) == ("只改名字", 12, 3990, 3)


def test_stopping_early_needs_csrf_leaves_groups_forming_and_is_audited(client):
    _boss(client)
    item = gh.goods()
    row = gh.activity(item)
    forming = gh.lead(item, row)
    assert "仍在拼的团继续拼到时限" in client.get(URL).get_data(as_text=True)  # the confirm says so
    assert client.post(f"{URL}/{row.id}/stop").status_code == 400  # no CSRF token
    assert post(client, f"{URL}/{row.id}/stop", token_path=URL).status_code == 302
    assert gh.group(forming.group_id).status == "forming"
    assert db.session.get(GroupActivity, row.id).stopped_at is not None
    post(client, f"{URL}/{row.id}/stop", token_path=URL)  # a second click changes nothing
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "group_activity.stop")).all()
    assert len(entries) == 1 and entries[0].after["groups_forming"] == 1
    assert "已提前结束" in client.get(f"{URL}?status=stopped").get_data(as_text=True)
    assert "提前结束拼团活动" in client.get("/admin/settings/audit").get_data(as_text=True)


def _buyer(client) -> Shopper:
    shopper = Shopper(client)
    shopper.add_address()
    top_up(db.session.get(User, shopper.id), 100_000)
    return shopper


def _buy(shopper: Shopper, sku, ref: str) -> None:
    placed = shopper.post("/orders", {"idempotency_key": uuid.uuid4().hex,
                                      "lines": [{"sku_id": sku.id, "quantity": 1}],
                                      "activity": {"kind": "group_buy", "ref": ref}})
    assert placed.status_code == 201, placed.get_json()
    paid = shopper.post(f"/orders/{placed.get_json()['id']}/pay", {"method": "balance"})
    assert paid.status_code == 200, paid.get_json()


def test_results_and_export_after_a_group_formed(app, client):
    allow(pay_balance=True)
    item = gh.goods(price_fen=5000, stock=10)
    row = gh.activity(item, size=2, group_price_fen=3900, name="两人团")
    leader, friend = _buyer(client), _buyer(client)
    _buy(leader, item, str(row.id))
    group_id = db.session.scalar(select(GroupBuyGroup.id))
    _buy(friend, item, f"{row.id}:{group_id}")
    failed = gh.lead(item, row)
    gh.expire_now(failed.group_id)
    gh.run_expiry()
    gh.lead(item, row)  # one still forming
    _boss(client)
    page = client.get(f"{URL}/{row.id}/results").get_data(as_text=True)
    for key, value in (("formed", 1), ("failed", 1), ("forming", 1), ("members_paid", 4),
                       ("members_refunded", 1), ("paid_orders", 2)):
        assert f'data-figure="{key}">{value}<' in page, key
    assert 'data-figure="paid_fen">¥78.00<' in page or "78.00" in page
    assert f"activity_kind=group_buy&amp;activity_id={row.id}" in page
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}/{row.id}/groups.xlsx").data)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("团", "团长", "状态", "已参团/成团人数")
    by_id = {line[0]: line for line in rows[1:]}
    formed = by_id[group_id]
    assert formed[2:4] == ("拼团成功", "2/2") and isinstance(formed[4], datetime)
    assert by_id[failed.group_id][2:4] == ("拼团失败", "1/2")
    assert len(rows) == 4


def test_the_pages_need_the_marketing_permission(client):
    row = gh.activity(gh.goods())
    _boss(client, role="service")
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/{row.id}/results").status_code == 403
    assert client.get(f"{URL}/{row.id}/groups.xlsx").status_code == 403
    token = csrf_token(client, "/admin/")
    assert client.post(f"{URL}/{row.id}/stop", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("group_activity.%"))) == 0
