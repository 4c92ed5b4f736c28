"""JSON answers: times in Beijing time, ISO 8601 with the offset, wherever they come from.
JSON bodies are read strictly (app.core.json_bodies), so bad input is a 400, never a 500.

Flask writes a bare datetime as an HTTP date in GMT ("Fri, 27 Nov 2026 06:30:00 GMT"), which
the orders API already avoided by formatting its own; every other answer now does the same,
so the mini-program reads one format everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask.json.provider import DefaultJSONProvider

from app.core.china_time import beijing_iso
from app.core.json_bodies import strict_loads


class BeijingJSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # Chinese stays readable
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, datetime):
            return beijing_iso(o)
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)
