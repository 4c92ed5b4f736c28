"""Path ids in ASCII digits only.

Werkzeug's `int` converter matches `\\d+`, which in Python is any Unicode digit, and then
`int()` reads it: `/products/١٢` (Arabic-Indic) and `/products/１` (full-width) answered
products 12 and 1, so one product had endless URLs. Registered under the same name, this
converter applies to every `<int:...>` route of the app.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter


class AsciiIntegerConverter(IntegerConverter):
    regex = r"[0-9]+"


def install_ascii_ids(app: Flask) -> None:
    """Before any route is added: rules pick their converter when they are added."""
    app.url_map.converters["int"] = AsciiIntegerConverter
