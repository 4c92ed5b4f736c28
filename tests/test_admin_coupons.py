"""The console's coupon pages: create a template (checked, audited), see its counts and holders,
send it to chosen members, and set the gifts (new-user pack, order amount) and refund setting."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.extensions import db
from app.marketing.coupon_models import Coupon, CouponTemplate
from app.marketing.coupon_settings import coupon_settings
from tests import factories
from tests.admin_helpers import log_in, make_staff, post
from tests.coupon_helpers import template

FORM = {"name": "满199减20", "kind": "amount_off", "threshold": "199", "amount": "20", "rate": "", "cap": "",
        "scope": "all", "product_ids": "", "category_ids": "", "validity": "days", "valid_days": "7",
        "valid_from": "", "valid_until": "", "total": "100", "per_user_limit": "1", "per_user_daily_limit": "",
        "stacks_with_full_reduction": "y", "enabled": "y", "points_price": "0", "in_centre": "y"}


def _console(app):
    make_staff("marketer", role="operator")
    client = app.test_client()
    log_in(client, "marketer")
    return client


def test_a_template_is_created_audited_and_listed_with_its_counts(app):
    console = _console(app)
    answer = post(console, "/admin/marketing/coupons/new", FORM, token_path="/admin/marketing/coupons/new")
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    row = db.session.query(CouponTemplate).one()
    assert (row.threshold_fen, row.amount_fen, row.total, row.per_user_limit, row.in_centre) == (19_900, 2000, 100, 1,
                                                                                                   True)
    assert [entry.action for entry in db.session.query(AuditEntry)] == ["coupon_template.save"]
    html = console.get("/admin/marketing/coupons").get_data(as_text=True)
    assert "满199减20" in html and "满减券" in html and "领券中心" in html


def test_a_template_with_a_threshold_below_its_amount_is_refused_in_place(app):
    console = _console(app)
    answer = post(console, "/admin/marketing/coupons/new", {**FORM, "threshold": "10"},
                  token_path="/admin/marketing/coupons/new")
    assert answer.status_code == 200 and "门槛不能低于优惠金额" in answer.get_data(as_text=True)
    assert db.session.query(CouponTemplate).count() == 0


def test_sending_to_chosen_members_gives_each_one_once(app):
    console = _console(app)
    row = template(kind="no_threshold", amount_fen=500, per_user_limit=1)
    members = [factories.shopper("甲"), factories.shopper("乙")]
    path = f"/admin/marketing/coupons/{row.id}"
    data = {"user_ids": ",".join(str(member.id) for member in members), "level_id": "", "request_key": "k1"}
    assert post(console, f"{path}/send", data, token_path=path).status_code == 302
    assert post(console, f"{path}/send", data, token_path=path).status_code == 302  # a double submit
    assert db.session.query(Coupon).count() == 2
    html = console.get(path).get_data(as_text=True)
    assert "商家发放" in html and "未使用" in html


def test_the_gift_settings_are_saved_and_audited(app):
    console = _console(app)
    pack = template(kind="no_threshold", amount_fen=500)
    gift = template(kind="no_threshold", amount_fen=300)
    answer = post(console, "/admin/marketing/new-user-pack", {
        "new_user_template_ids": str(pack.id), "invitee_template_id": "", "order_gift_template_id": str(gift.id),
        "order_gift_threshold": "199", "return_on_full_refund": ""}, token_path="/admin/marketing/new-user-pack")
    assert answer.status_code == 302
    settings = coupon_settings()
    assert (settings.new_user_template_ids, settings.order_gift_template_id, settings.order_gift_threshold_fen,
            settings.return_on_full_refund) == ([pack.id], gift.id, 19_900, False)
    assert [entry.action for entry in db.session.query(AuditEntry)] == ["coupon_settings.save"]


def test_the_list_exports_what_it_shows_with_its_counts(app):
    import io

    from openpyxl import load_workbook

    from tests.coupon_helpers import give
    console = _console(app)
    kept = template("amount_off", amount_fen=2000, threshold_fen=19_900, name="满199减20", total=10)
    template("no_threshold", amount_fen=500, name="停用的券", enabled=False)
    give(factories.shopper().id, kept)
    answer = console.get("/admin/marketing/coupons/export.xlsx?status=enabled")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.data)).active.values)
    assert rows[0][0] == "优惠券名称"
    assert [(row[0], row[1], row[4], row[7], row[8]) for row in rows[1:]] == [("满199减20", "满减券", 1, "9", "启用")]


def test_a_coupons_holders_are_shown_by_name_and_exported_with_their_orders(app, client):
    import io

    from openpyxl import load_workbook

    from app.accounts.models import User
    from tests.checkout_helpers import Shopper, goods
    from tests.coupon_helpers import give

    console = _console(app)
    shared = template("amount_off", amount_fen=1000, threshold_fen=5000, name="满50减10")
    buyer = Shopper(client)
    buyer.add_address()
    db.session.get(User, buyer.id).nickname = "用券的人"
    idle = factories.shopper("没用券的人")
    db.session.commit()
    kept = give(idle.id, shared)
    spent = give(buyer.id, shared)
    placed = buyer.place([(goods(price_fen=8000, stock=5).skus[0], 1)], coupon_id=spent.id)
    assert placed.status_code == 201, placed.get_json()
    order_no = placed.get_json()["order_no"]

    detail = console.get(f"/admin/marketing/coupons/{shared.id}").get_data(as_text=True)
    assert "没用券的人" in detail and "用券的人" in detail and order_no in detail

    everyone = list(load_workbook(io.BytesIO(
        console.get(f"/admin/marketing/coupons/{shared.id}/export.xlsx").data)).active.values)
    assert everyone[0][:6] == ("券编号", "会员", "会员 ID", "获得方式", "状态", "订单号")
    assert [(row[0], row[1], row[4], row[5]) for row in everyone[1:]] == [
        (spent.id, "用券的人", "待付款订单占用", order_no), (kept.id, "没用券的人", "未使用", None)]
    unused = list(load_workbook(io.BytesIO(
        console.get(f"/admin/marketing/coupons/{shared.id}/export.xlsx?status=unused").data)).active.values)
    assert [row[0] for row in unused[1:]] == [kept.id]
