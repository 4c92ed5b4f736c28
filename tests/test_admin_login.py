"""Console login: sessions, CSRF, throttling, headers."""

from __future__ import annotations

from tests.admin_helpers import csrf_token, log_in, make_staff, post


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("fenxiao_session")
    return cookie.value if cookie else None


def test_login_page_is_in_chinese_by_default(client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert "登录" in html and "用户名" in html


def test_pages_redirect_to_login_when_logged_out(client):
    response = client.get("/admin/settings/staff")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=/admin/settings/staff")


def test_right_password_logs_in_with_a_new_session_id(app, client):
    make_staff()
    csrf_token(client)  # the anonymous visit gets a session (it holds the CSRF token)
    before = _session_cookie(client)
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    after = _session_cookie(client)
    assert before and after and before != after
    assert "仪表盘" in client.get("/admin/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(app, client):
    make_staff()
    response = log_in(client, password="wrong password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_login_without_csrf_token_is_400(app, client):
    make_staff()
    response = client.post("/admin/login", data={"username": "boss", "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_logout_needs_csrf_and_ends_the_session_server_side(app, client):
    make_staff()
    log_in(client)
    stolen = _session_cookie(client)
    assert client.post("/admin/logout").status_code == 400  # no token: refused, still logged in
    assert client.get("/admin/").status_code == 200
    assert post(client, "/admin/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("fenxiao_session", stolen)
    response = replay.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_repeated_failures_lock_logging_in(app, client):
    make_staff()
    for _ in range(5):
        log_in(client, password="guess")
    locked = log_in(client)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "尝试次数过多" in locked.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_next_cannot_send_the_user_to_another_site(app, client):
    make_staff()
    for evil in ("https://evil.example/", "//evil.example/admin", "/api/v1/me"):
        response = log_in(client, next_path=evil)
        assert response.headers["Location"] == "/admin/", evil
        post(client, "/admin/logout")


def test_console_pages_carry_security_headers_and_cookie_flags(app, client):
    make_staff()
    response = log_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/admin/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_disabled_staff_cannot_log_in(app, client):
    from app.extensions import db

    staff = make_staff()
    staff.is_active = False
    db.session.commit()
    assert log_in(client).status_code == 200
    assert client.get("/admin/").status_code == 302
