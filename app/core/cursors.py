"""Page cursors: where a page starts, as an opaque URL-safe string the client hands back.

A cursor is a small JSON payload signed with the app's secret (itsdangerous), so a client
cannot forge one that seeks to a position we never handed out, and a garbled or stale one
is told apart from a bug: it is refused as `invalid_cursor` (400), never a 500. The payload
also names the list's shape (its tables, filters and ordering, not their values), so a cursor
from one list or one sort is refused by another.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer

from app.core.errors import DomainError
from app.extensions import db

SALT = "fenxiao.page-cursor"
MAX_LENGTH = 600  # a cursor holds a few keys: anything longer was not made here
PATTERN = r"^[A-Za-z0-9_.-]+$"


class InvalidCursor(DomainError):
    status = 400
    code = "invalid_cursor"

    def __init__(self) -> None:
        super().__init__(_("This page link is no longer valid. Please start again from the first page."))


def fingerprint(parts: list[str]) -> str:
    """A short name for an ordering (or a list), so a cursor only works where it was made."""
    return hashlib.blake2s("|".join(parts).encode(), digest_size=6).hexdigest()


def shape_of(statement: Any) -> list[str]:
    """A statement's structure (tables, columns, operators, ordering; not its parameters'
    values) as words that are the same in every process: read from SQLAlchemy's cache key, so
    nothing is compiled (a backend's own constructs, such as MariaDB's MATCH, need no dialect)."""
    key = statement._generate_cache_key()
    if key is None:  # a construct that opts out of caching: its compiled text then
        return [str(statement.compile(dialect=db.session.get_bind().dialect))]
    words: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, (tuple, list)):
            for item in node:
                walk(item)
        elif node is None or isinstance(node, (str, int, float, bool)):
            words.append(str(node))
        else:
            name = getattr(node, "name", None) if not isinstance(node, type) else None
            words.append(name if isinstance(name, str) else getattr(node, "__name__", type(node).__name__))

    walk(key.key)
    return words


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def encode(payload: dict[str, Any]) -> str:
    return _serializer().dumps(payload)


def decode(token: str) -> dict[str, Any]:
    if not token or len(token) > MAX_LENGTH:
        raise InvalidCursor()
    try:
        payload = _serializer().loads(token)
    except (BadData, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(payload, dict):
        raise InvalidCursor()
    return payload


def dump_value(value: Any) -> Any:
    """A key value as JSON: numbers, text, booleans and null as themselves, the rest tagged."""
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, (bool, int, str, float)):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} in a page cursor")


def load_value(raw: Any, expected: type | None, nullable: bool) -> Any:
    """The value `dump_value` wrote, checked against the type its key holds."""
    if raw is None:
        if not nullable:
            raise InvalidCursor()
        return None
    try:
        value = _untag(raw)
    except (ValueError, InvalidOperation, TypeError) as exc:
        raise InvalidCursor() from exc
    if expected is None:
        return value
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and -2 ** 63 <= value < 2 ** 63
    elif expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif expected is datetime:
        ok = isinstance(value, datetime)
    elif expected is date:
        ok = isinstance(value, date) and not isinstance(value, datetime)
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise InvalidCursor()
    return value


def _untag(raw: Any) -> Any:
    if isinstance(raw, dict):
        if len(raw) != 1:
            raise ValueError("one tag")
        (tag, text), = raw.items()
        if not isinstance(text, str):
            raise ValueError("tagged text")
        if tag == "t":
            return datetime.fromisoformat(text)
        if tag == "d":
            return date.fromisoformat(text)
        if tag == "n":
            number = Decimal(text)
            if not number.is_finite():
                raise ValueError("finite")
            return number
        raise ValueError("unknown tag")
    if isinstance(raw, (bool, int, str)):
        return raw
    if isinstance(raw, float) and raw == raw and raw not in (float("inf"), float("-inf")):
        return raw
    raise ValueError("not a key value")
