"""The console's points rules and sign-in pages: saved with their checks, audited, and the
latest sign-ins listed (one member's with the member filter)."""

from __future__ import annotations

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
