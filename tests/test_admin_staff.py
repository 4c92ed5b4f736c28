"""Staff and role management, and the audit trail it leaves."""

from __future__ import annotations

import re

from app.accounts import staff as staff_service
from app.accounts.models import Role, StaffAccount
from app.audit.models import AuditEntry
from app.extensions import db
from tests.admin_helpers import log_in, make_staff, post


def _owner_client(app):
    make_staff("boss", role="owner")
    client = app.test_client()
    log_in(client, "boss")
    return client


def test_creating_staff_shows_the_password_once_and_audits_it(app):
    client = _owner_client(app)
    operator = db.session.query(Role).filter_by(code="operator").one()
    response = post(client, "/admin/settings/staff/new",
                    {"username": "xiaoli", "display_name": "小李", "role_id": operator.id, "is_active": "y"},
                    token_path="/admin/settings/staff/new")
    assert response.status_code == 302
    page = client.get("/admin/settings/staff").get_data(as_text=True)
    password = re.search(r"初始密码（仅显示一次）：([^<\s]+)", page).group(1)
    assert staff_service.password_matches(staff_service.find_staff("xiaoli").password_hash, password)
    assert password not in client.get("/admin/settings/staff").get_data(as_text=True)
    entry = db.session.query(AuditEntry).filter_by(action="staff.create").one()
    assert entry.after == {"display_name": "小李", "role": "operator", "is_active": True}
    assert entry.staff.username == "boss"


def test_a_taken_username_is_a_field_error(app):
    client = _owner_client(app)
    owner = db.session.query(Role).filter_by(code="owner").one()
    response = post(client, "/admin/settings/staff/new", {"username": "boss", "role_id": owner.id},
                    token_path="/admin/settings/staff/new")
    assert response.status_code == 200
    assert "该用户名已被使用" in response.get_data(as_text=True)
    assert db.session.query(StaffAccount).count() == 1


def test_editing_a_role_records_before_and_after(app):
    client = _owner_client(app)
    service = db.session.query(Role).filter_by(code="service").one()
    response = post(client, f"/admin/settings/roles/{service.id}",
                    {"name": "售后客服", "permissions": ["orders", "members"]},
                    token_path=f"/admin/settings/roles/{service.id}")
    assert response.status_code == 302
    entry = db.session.query(AuditEntry).filter_by(action="role.save").one()
    assert entry.before == {"name": "客服", "permissions": ["orders", "members", "wechat"]}
    assert entry.after == {"name": "售后客服", "permissions": ["orders", "members"]}
    log = client.get("/admin/settings/audit?area=settings&action=role").get_data(as_text=True)
    assert "role.save" in log and "售后客服" in log


def test_the_owner_role_cannot_lose_settings(app):
    client = _owner_client(app)
    owner = db.session.query(Role).filter_by(code="owner").one()
    response = post(client, f"/admin/settings/roles/{owner.id}", {"name": "店主", "permissions": ["orders"]},
                    token_path=f"/admin/settings/roles/{owner.id}")
    assert response.status_code == 200
    db.session.expire_all()
    assert "settings" in db.session.get(Role, owner.id).permissions


def test_nobody_can_disable_themselves(app):
    client = _owner_client(app)
    boss = staff_service.find_staff("boss")
    post(client, f"/admin/settings/staff/{boss.id}", {"display_name": "boss", "role_id": boss.role_id},
         token_path=f"/admin/settings/staff/{boss.id}")
    db.session.expire_all()
    assert staff_service.find_staff("boss").is_active is True


def test_audit_log_filters_by_date(app):
    client = _owner_client(app)
    post(client, "/admin/settings/roles/new", {"name": "仓库", "permissions": ["orders"]},
         token_path="/admin/settings/roles/new")
    assert "仓库" in client.get("/admin/settings/audit").get_data(as_text=True)
    assert "仓库" not in client.get("/admin/settings/audit?until=2020-01-01").get_data(as_text=True)
