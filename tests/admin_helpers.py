"""Logging into the console the way a browser does: read the form's CSRF token, post it."""

from __future__ import annotations

import re

from app.accounts import staff as staff_service
from app.extensions import db

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|content="([^"]+)"\s*>?\s*$', re.M)


def csrf_token(client, path: str = "/admin/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_staff(username: str = "boss", role: str = "owner", password: str = PASSWORD):
    staff = staff_service.create_staff(username, password, role=role)
    db.session.commit()
    return staff


def log_in(client, username: str = "boss", password: str = PASSWORD, next_path: str | None = None):
    token = csrf_token(client)
    url = "/admin/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"username": username, "password": password, "csrf_token": token})


def post(client, path: str, data: dict | None = None, token_path: str = "/admin/"):
    """A console form post with the page's CSRF token."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_path)})
