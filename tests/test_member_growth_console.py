"""The console's side of member growth: the level form's growth threshold and benefits, the
growth rules, a member's growth ledger and level changes — in Chinese, audited, for the
members area only."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.extensions import db
from app.members import growth_settings
from app.members.models import MemberLevel
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff
from tests.growth_helpers import completed_order, ladder, rules


def _console(app, username: str = "boss", role: str | None = None):
    if role is None:
        make_staff(username)
    else:
        make_staff(username, role=role)
    console = app.test_client()
    log_in(console, username)
    return console


def test_a_level_saved_with_growth_and_benefits_is_listed_in_chinese_and_audited(app):
    console = _console(app)
    answer = console.post("/admin/members/levels/new", data={
        "name": "金卡", "growth_threshold": "1000", "discount": "9.5", "points_multiplier": "1.5",
        "free_shipping": "y", "benefits": "生日礼", "csrf_token": csrf_token(console, "/admin/members/levels/new")})
    assert answer.status_code == 302
    level = db.session.query(MemberLevel).filter_by(name="金卡").one()
    assert (level.growth_threshold, level.discount_bp, level.points_multiplier_bp, level.free_shipping) == (
        1000, 9500, 15_000, True)
    entry = db.session.query(AuditEntry).filter_by(action="level.save", target_id=str(level.id)).one()
    assert entry.after["growth_threshold"] == 1000 and entry.after["free_shipping"] is True
    page = console.get("/admin/members/levels").get_data(as_text=True)
    assert "升级所需成长值" in page and "1.5 倍" in page and "成长值规则" in page


def test_a_level_form_with_bad_numbers_says_so_next_to_the_fields_and_saves_nothing(app):
    console = _console(app)
    answer = console.post("/admin/members/levels/new", data={
        "name": "金卡", "growth_threshold": "一千", "discount": "9.5", "points_multiplier": "0.5",
        "csrf_token": csrf_token(console, "/admin/members/levels/new")})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "请输入整数，或留空。" in body
    assert db.session.query(MemberLevel).count() == 0
    answer = console.post("/admin/members/levels/new", data={
        "name": "金卡", "growth_threshold": "", "discount": "9.5", "points_multiplier": "0.5",
        "csrf_token": csrf_token(console, "/admin/members/levels/new")})
    assert "介于 1 到 10 之间。" in answer.get_data(as_text=True)
    assert db.session.query(MemberLevel).count() == 0


def test_the_growth_rules_are_saved_and_audited(app):
    console = _console(app)
    answer = console.post("/admin/members/levels/growth-rules", data={
        "per_yuan": "3", "per_sign_in": "10", "yearly_downgrade": "y",
        "csrf_token": csrf_token(console, "/admin/members/levels")})
    assert answer.status_code == 302
    db.session.expire_all()
    saved = growth_settings.current()
    assert (saved.per_yuan, saved.per_sign_in, saved.yearly_downgrade, saved.review_done) == (3, 10, True, True)
    entry = db.session.query(AuditEntry).filter_by(action="growth.settings").one()
    assert entry.before["per_yuan"] == 1 and entry.after["per_yuan"] == 3
    refused = console.post("/admin/members/levels/growth-rules", data={
        "per_yuan": "-1", "per_sign_in": "10", "csrf_token": csrf_token(console, "/admin/members/levels")})
    assert refused.status_code == 422 and "介于 0 到 1000 之间。" in refused.get_data(as_text=True)


def test_the_member_page_shows_growth_its_ledger_and_level_changes(app):
    ladder(银卡=100)
    rules(per_yuan=1)
    buyer = factories.shopper("小王")
    completed_order(buyer, 20_000)
    console = _console(app)
    page = console.get(f"/admin/members/{buyer.id}").get_data(as_text=True)
    assert '<dd class="col-7" id="growth">200</dd>' in page
    assert "订单完成" in page and "成长值达到升级" in page and "银卡" in page
    ledger = console.get(f"/admin/members/{buyer.id}/growth?size=1")
    assert ledger.status_code == 200 and "订单完成" in ledger.get_data(as_text=True)


def test_a_role_without_the_members_area_cannot_change_the_growth_rules(app):
    console = _console(app, "cashier", role="finance")
    answer = console.post("/admin/members/levels/growth-rules", data={
        "per_yuan": "9", "per_sign_in": "9", "csrf_token": csrf_token(console, "/admin/")})
    assert answer.status_code == 403
    assert growth_settings.current().per_yuan == 1
    assert db.session.query(AuditEntry).filter_by(action="growth.settings").count() == 0
