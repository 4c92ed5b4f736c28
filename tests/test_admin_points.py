"""The console's points rules and sign-in pages: saved with their checks, audited, and the
latest sign-ins listed (one member's with the member filter)."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.models import utcnow
from app.extensions import db
from app.marketing import points_rules, sign_in
from tests import factories
from tests.admin_helpers import log_in, make_staff, post

RULES_FORM = {"deduction_enabled": "y", "points_per_yuan": "100", "max_deduction_percent": "30", "min_order": "49.90",
              "earn_points_per_yuan": "2", "count_as_paid": "y"}


def _owner(client):
    make_staff()
    log_in(client)


def test_points_rules_are_saved_from_the_console_and_audited(app, client):
    _owner(client)
    assert client.get("/admin/marketing/points").status_code == 200
    refused = post(client, "/admin/marketing/points", {**RULES_FORM, "max_deduction_percent": "101"})
    assert refused.status_code == 200 and "is-invalid" in refused.get_data(as_text=True)
    db.session.rollback()
    assert points_rules.current().deduction_enabled is False
    saved = post(client, "/admin/marketing/points", RULES_FORM)
    assert saved.status_code == 302
    db.session.rollback()
    rules = points_rules.current()
    assert (rules.deduction_enabled, rules.max_deduction_percent, rules.min_order_fen, rules.earning_enabled,
            rules.earn_points_per_yuan, rules.count_as_paid) == (True, 30, 4990, False, 2, True)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.area == "marketing")) == "points_rules.update"


def test_sign_in_rules_and_the_latest_sign_ins(app, client):
    _owner(client)
    saved = post(client, "/admin/marketing/sign-in", {
        "enabled": "y", "base_points": "3", "streak_rewards-0-day": "7", "streak_rewards-0-points": "20",
        "streak_rewards-1-day": "3", "streak_rewards-1-points": "5"})
    assert saved.status_code == 302
    db.session.rollback()
    rules = sign_in.rules_in_force()
    assert (rules.base_points, rules.streak_rewards) == (3, [{"day": 3, "points": 5}, {"day": 7, "points": 20}])
    first, second = factories.shopper("签到甲"), factories.shopper("签到乙")
    sign_in.sign_in(first.id, utcnow() - timedelta(days=1))
    sign_in.sign_in(second.id)
    db.session.commit()
    page = client.get("/admin/marketing/sign-in").get_data(as_text=True)
    assert "签到甲" in page and "签到乙" in page and "第1天" in page
    one = client.get(f"/admin/marketing/sign-in?user_id={first.id}").get_data(as_text=True)
    assert "签到甲" in one and "签到乙" not in one


def _signed_in(user, days_ago: int) -> None:
    sign_in.sign_in(user.id, utcnow() - timedelta(days=days_ago))


def test_sign_ins_are_listed_by_beijing_days_and_exported_as_filtered(app, client):
    from openpyxl import load_workbook

    _owner(client)
    first, second = factories.shopper("签到甲"), factories.shopper("签到乙")
    for days_ago in (4, 3, 2):
        _signed_in(first, days_ago)
    _signed_in(second, 0)
    db.session.commit()
    today = sign_in.beijing_day()
    since, until = (today - timedelta(days=3)).isoformat(), (today - timedelta(days=2)).isoformat()
    ranged = client.get(f"/admin/marketing/sign-in?since={since}&until={until}").get_data(as_text=True)
    assert "签到甲" in ranged and "签到乙" not in ranged and "第3天" in ranged and "第1天" not in ranged
    assert "共 2 条" in ranged

    answer = client.get(f"/admin/marketing/sign-in/export.xlsx?since={since}&until={until}")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.data)).active.values)
    assert rows[0] == ("会员", "会员 ID", "签到日期", "连续签到（天）", "积分", "签到时间")
    assert [(row[0], row[2], row[3]) for row in rows[1:]] == [("签到甲", until, 3), ("签到甲", since, 2)]

    everyone = list(load_workbook(io.BytesIO(client.get("/admin/marketing/sign-in/export.xlsx").data)).active.values)
    assert [row[0] for row in everyone[1:]] == ["签到乙", "签到甲", "签到甲", "签到甲"]
    one = list(load_workbook(io.BytesIO(
        client.get(f"/admin/marketing/sign-in/export.xlsx?user_id={second.id}&since=not-a-day").data)).active.values)
    assert [row[0] for row in one[1:]] == ["签到乙"]


def test_a_sign_in_export_past_its_cap_says_so_on_its_last_row(app, client, monkeypatch):
    from openpyxl import load_workbook

    from app.admin.views import marketing_points

    monkeypatch.setattr(marketing_points, "SIGN_IN_EXPORT_LIMIT", 2)
    monkeypatch.setattr(marketing_points, "SIGN_IN_BATCH", 1)
    _owner(client)
    member = factories.shopper("签到丙")
    for days_ago in (3, 2, 1):
        _signed_in(member, days_ago)
    db.session.commit()
    rows = list(load_workbook(io.BytesIO(client.get("/admin/marketing/sign-in/export.xlsx").data)).active.values)
    assert [row[3] for row in rows[1:3]] == [3, 2]
    assert rows[3][0].startswith("只导出了最新的 2 条签到记录") and len(rows) == 4
