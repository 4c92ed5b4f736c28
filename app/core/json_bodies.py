"""Reading JSON that strangers send: strict RFC 8259, and every failure a ValueError.

The standard library's parser raises RecursionError on deeply nested input (a 2 KB body of
`[` is enough), accepts NaN and Infinity, and lets lone surrogates (`"\\ud800"`) through to
the database, which refuses them. Flask and Werkzeug turn a ValueError from `loads` into a
400 (or None with `silent=True`), so raising only ValueError makes every `get_json` in the
app, the API's, the console's and the sandbox's, answer bad input with a 4xx, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # far deeper than any body we accept; nothing legitimate comes near it


class MalformedJSON(ValueError):
    """The body is not JSON we accept."""


def _refuse_constant(name: str) -> Any:
    raise MalformedJSON(f"{name} is not JSON")


def _check(value: Any, depth: int) -> None:
    """Refuse nesting past MAX_DEPTH and strings that are not Unicode (lone surrogates)."""
    if depth > MAX_DEPTH:
        raise MalformedJSON("nested too deeply")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise MalformedJSON("a string is not valid Unicode") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def strict_loads(data: str | bytes | bytearray) -> Any:
    """`json.loads`, refusing what is not strict JSON; raises MalformedJSON (a ValueError)."""
    try:
        if isinstance(data, (bytes, bytearray)):
            data = bytes(data).decode("utf-8")  # RFC 8259: JSON between systems is UTF-8
        value = json.loads(data, parse_constant=_refuse_constant)
    except MalformedJSON:
        raise
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedJSON(str(exc)[:200]) from exc
    _check(value, 0)
    return value
