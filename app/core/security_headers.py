"""Headers every response carries, whatever serves it."""

from __future__ import annotations

from flask import Flask

DEFAULT_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        """Each default unless the view set its own: one pass over the headers, where a
        `setdefault` per header searched them (and raised inside werkzeug) each time."""
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        defaults = (*DEFAULT_HEADERS, HSTS) if app.config.get("SESSION_COOKIE_SECURE") else DEFAULT_HEADERS
        for name, value in defaults:
            if name.lower() not in present:
                headers.add(name, value)
        return response
