"""The coupon centre's order page: the merchant sees the coupons the shopper's centre shows, in
its order, and saves another (dragged in the browser, posted as the ids in order). The shopper's
centre follows; a post that does not match the centre is refused whole; it is the marketing
area's, CSRF-protected and audited."""

from __future__ import annotations

from datetime import timedelta

from app.audit.models import AuditEntry
from app.core.models import utcnow
from app.extensions import db
from app.marketing.coupon_models import CouponTemplate
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.checkout_helpers import Shopper
from tests.coupon_helpers import template

PAGE = "/admin/marketing/coupon-centre"


def _console(app, role: str = "operator"):
    make_staff(f"staff_{role}", role=role)
    client = app.test_client()
    log_in(client, f"staff_{role}")
    return client


def _centre_of_three() -> list[CouponTemplate]:
    return [template("no_threshold", amount_fen=500, name="无门槛5元", in_centre=True, centre_sort=1),
            template("amount_off", amount_fen=2000, threshold_fen=19_900, name="满199减20", in_centre=True,
                     centre_sort=2),
            template("rate_off", rate_bp=9000, name="全场9折", in_centre=True, centre_sort=3)]


def _save(console, ids: list[int | str]):
    return post(console, PAGE, {"template_ids": [str(one) for one in ids]}, token_path=PAGE)


def _sorts(rows: list[CouponTemplate]) -> list[int]:
    db.session.expire_all()
    return [db.session.get(CouponTemplate, row.id).centre_sort for row in rows]


def _centre_names(client) -> list[str]:
    return [item["title"] for item in Shopper(client).get("/coupons/centre").get_json()["items"]]


def test_the_page_lists_what_the_shoppers_centre_shows_in_its_order(app):
    # given three centre coupons, one disabled, one ended and one not in the centre
    _centre_of_three()
    template("no_threshold", amount_fen=300, name="停用的券", in_centre=True, enabled=False)
    template("no_threshold", amount_fen=300, name="过期的券", in_centre=True, validity="fixed",
             valid_from=utcnow() - timedelta(days=9), valid_until=utcnow() - timedelta(days=1))
    template("no_threshold", amount_fen=300, name="不在领券中心")
    # when the merchant opens the page from the coupon list
    console = _console(app)
    assert PAGE in console.get("/admin/marketing/coupons").get_data(as_text=True)
    html = console.get(PAGE).get_data(as_text=True)
    # then it shows the centre's three, in the centre's order, with Chinese words
    assert "领券中心排序" in html and "拖动排序" in html
    assert html.index("无门槛5元") < html.index("满199减20") < html.index("全场9折")
    assert "无门槛券" in html and "停用的券" not in html and "过期的券" not in html and "不在领券中心" not in html


def test_saving_an_order_numbers_the_centre_and_the_shoppers_centre_follows(app, client):
    five, twenty, rate = _centre_of_three()
    console = _console(app, "owner")  # the owner also reads the audit log
    # when the merchant saves 9折, 5元, 满减
    answer = _save(console, [rate.id, five.id, twenty.id])
    # then the centre is numbered 10, 20, 30 in that order, and the shopper sees that order
    assert answer.status_code == 302 and answer.headers["Location"].endswith(PAGE)
    assert _sorts([rate, five, twenty]) == [10, 20, 30]
    assert _centre_names(client) == ["全场9折", "无门槛5元", "满199减20"]
    assert "已保存，领券中心将按此顺序展示。" in console.get(PAGE).get_data(as_text=True)
    # and the change is audited, before and after, with its words in the log
    entry = db.session.query(AuditEntry).one()
    assert (entry.action, entry.target_type, entry.before, entry.after) == (
        "coupon_centre.order", "coupon_centre", {"order": [five.id, twenty.id, rate.id]},
        {"order": [rate.id, five.id, twenty.id]})
    log = console.get("/admin/settings/audit").get_data(as_text=True)
    assert "调整领券中心顺序" in log


def test_an_order_missing_a_centre_coupon_is_refused_whole(app, client):
    five, twenty, rate = _centre_of_three()
    console = _console(app)
    answer = _save(console, [rate.id, five.id])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "顺序未保存。打开本页后领券中心已有变化，以下是当前顺序。" in html
    assert html.index("无门槛5元") < html.index("满199减20") < html.index("全场9折")
    assert _sorts([five, twenty, rate]) == [1, 2, 3]
    assert _centre_names(client) == ["无门槛5元", "满199减20", "全场9折"]
    assert db.session.query(AuditEntry).count() == 0


def test_unknown_repeated_or_foreign_ids_are_refused_without_a_write(app):
    five, twenty, rate = _centre_of_three()
    elsewhere = template("no_threshold", amount_fen=300, name="不在领券中心")
    console = _console(app)
    for ids in ([rate.id, five.id, twenty.id, 99_999], [rate.id, five.id, twenty.id, twenty.id],
                [rate.id, five.id, elsewhere.id], [rate.id, five.id, "二"], [rate.id, five.id, twenty.id, "-1"]):
        answer = _save(console, ids)
        assert answer.status_code in (409, 422), ids
        assert "顺序未保存" in answer.get_data(as_text=True)
    assert _sorts([five, twenty, rate, elsewhere]) == [1, 2, 3, 0]
    assert db.session.query(AuditEntry).count() == 0


def test_saving_needs_the_csrf_token(app):
    five, twenty, rate = _centre_of_three()
    console = _console(app)
    answer = console.post(PAGE, data={"template_ids": [str(rate.id), str(five.id), str(twenty.id)]})
    assert answer.status_code == 400
    assert _sorts([five, twenty, rate]) == [1, 2, 3]


def test_only_the_marketing_area_may_see_or_save_the_order(app):
    five, twenty, rate = _centre_of_three()
    finance = _console(app, "finance")
    assert finance.get(PAGE).status_code == 403
    token = csrf_token(finance, "/admin/")
    answer = finance.post(PAGE, data={"template_ids": [str(rate.id), str(five.id), str(twenty.id)],
                                      "csrf_token": token})
    assert answer.status_code == 403
    assert _sorts([five, twenty, rate]) == [1, 2, 3]
    assert "领券中心排序" not in finance.get("/admin/").get_data(as_text=True)
    marketer = _console(app, "operator")
    assert "领券中心排序" in marketer.get("/admin/").get_data(as_text=True)


def test_a_coupon_put_in_the_centre_from_its_form_goes_last(app, client):
    _centre_of_three()
    console = _console(app)
    form = {"name": "新人专享", "kind": "no_threshold", "threshold": "0", "amount": "8", "rate": "", "cap": "",
            "scope": "all", "product_ids": "", "category_ids": "", "validity": "days", "valid_days": "7",
            "valid_from": "", "valid_until": "", "total": "", "per_user_limit": "", "per_user_daily_limit": "",
            "stacks_with_full_reduction": "y", "enabled": "y", "points_price": "0", "in_centre": "y"}
    path = "/admin/marketing/coupons/new"
    assert post(console, path, form, token_path=path).status_code == 302
    assert _centre_names(client)[-1] == "新人专享"
    # and the form has no number of its own that could disagree with the dragged order
    added = db.session.query(CouponTemplate).filter_by(name="新人专享").one()
    edit = console.get(f"/admin/marketing/coupons/{added.id}/edit")
    assert 'name="centre_sort"' not in edit.get_data(as_text=True)
