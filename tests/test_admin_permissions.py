"""Every console page and action checks its permission area, for every role."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.accounts.permissions import AREAS, BUILTIN_ROLES
from app.admin.security import ANY_STAFF, PUBLIC
from app.extensions import db
from tests.admin_helpers import log_in, make_staff, post

SAMPLE_ARGS = {
    "staff_id": 1, "role_id": 1, "user_id": 1, "level_id": 1, "product_id": 1, "action": "text", "template_id": 1,
    "rule_id": 1, "slot": "subscribe", "code": "zh", "package": "bootstrap", "filename": "css/bootstrap.min.css",
    "export_id": 1,
    "order_id": 1,
    "category_id": 1,
    "after_sale_id": 1,
    "withdrawal_id": 1, "application_id": 1, "agent_level_id": 1,
    "key": "invite-starry",
    "activity_id": 1, "flash_session_id": 1,
    "file_id": 1, "folder_id": 1,
}


def _console_endpoints(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every console route, with sample path arguments."""
    from flask import url_for

    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("admin.") or rule.endpoint == "admin.static":
                continue
            url = url_for(rule.endpoint, **{arg: SAMPLE_ARGS[arg] for arg in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    return found


def test_every_console_endpoint_declares_its_area(app):
    for endpoint, _method, _url in _console_endpoints(app):
        view = app.view_functions[endpoint]
        declared = getattr(view, "admin_area", None)
        assert declared in (*AREAS, ANY_STAFF, PUBLIC), f"{endpoint} declares no permission area"


@pytest.mark.parametrize("role_code", [*BUILTIN_ROLES, "nothing"])
def test_each_role_reaches_exactly_its_areas(app, role_code):
    if role_code == "nothing":
        db.session.add(Role(code="nothing", name="无权限", permissions=[]))
        db.session.commit()
    make_staff("owner0", role="owner")  # staff id 1 exists for the sample URLs
    staff = make_staff(f"user_{role_code}", role=role_code)
    allowed = set(staff.role.permissions)
    client = app.test_client()
    log_in(client, f"user_{role_code}")
    checked = 0
    for endpoint, method, url in _console_endpoints(app):
        area = app.view_functions[endpoint].admin_area
        if area in (PUBLIC, ANY_STAFF) or endpoint == "admin.logout":
            continue
        response = client.get(url) if method == "GET" else post(client, url, {}, token_path="/admin/")
        if area in allowed:
            assert response.status_code != 403, f"{role_code} should reach {method} {url}"
        else:
            assert response.status_code == 403, f"{role_code} must not reach {method} {url}"
        checked += 1
    assert checked >= 5


def test_a_role_change_ends_that_staff_members_sessions(app):
    make_staff("boss", role="owner")
    clerk = make_staff("clerk", role="operator")
    clerk_client, boss_client = app.test_client(), app.test_client()
    log_in(clerk_client, "clerk")
    assert clerk_client.get("/admin/").status_code == 200
    log_in(boss_client, "boss")
    finance = db.session.query(Role).filter_by(code="finance").one()
    response = post(boss_client, f"/admin/settings/staff/{clerk.id}",
                    {"display_name": "clerk", "role_id": finance.id, "is_active": "y"},
                    token_path=f"/admin/settings/staff/{clerk.id}")
    assert response.status_code == 302
    assert clerk_client.get("/admin/").status_code == 302  # logged out by the privilege change


def test_a_finance_user_cannot_manage_staff(app):
    make_staff("boss", role="owner")
    make_staff("money", role="finance")
    client = app.test_client()
    log_in(client, "money")
    assert client.get("/admin/settings/staff").status_code == 403
    assert post(client, "/admin/settings/staff/new", {"username": "sneaky", "role_id": 1}).status_code == 403
