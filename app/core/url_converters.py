"""Path ids in ASCII digits only.

Werkzeug's `int` converter matches `\\d+`, which in Python is any Unicode digit, and then
`int()` reads it: `/products/١٢` (Arabic-Indic) and `/products/１` (full-width) answered
products 12 and 1, so one product had endless URLs. Registered under the same name, this
converter applies to every `<int:...>` route of the app. Ids past what a column holds do
not match either (a 404, not an overflow in the database driver).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.core.request_models import MAX_ID


class AsciiIntegerConverter(IntegerConverter):
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def install_ascii_ids(app: Flask) -> None:
    """Before any route is added: rules pick their converter when they are added."""
    app.url_map.converters["int"] = AsciiIntegerConverter
