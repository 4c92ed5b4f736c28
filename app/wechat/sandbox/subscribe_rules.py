"""How WeChat judges subscribe-message data: each key's type (its name without the number)
limits what its value may hold. A problem is described as WeChat's 47003 hint does."""

from __future__ import annotations

import re
from typing import Any

_KEY = re.compile(r"^(?P<kind>[a-z_]+?)(?P<number>\d+)$")
_RULES: dict[str, re.Pattern] = {
    "thing": re.compile(r"^.{1,20}$", re.S),
    "short_thing": re.compile(r"^.{1,5}$", re.S),
    "phrase": re.compile(r"^[^\x00-\x7f]{1,5}$"),
    "number": re.compile(r"^\d{1,32}(\.\d+)?$"),
    "letter": re.compile(r"^[A-Za-z]{1,32}$"),
    "symbol": re.compile(r"^[^\w\s]{1,5}$"),
    "character_string": re.compile(r"^[\x21-\x7e]{1,32}$"),
    "amount": re.compile(r"^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$"),
    "phone_number": re.compile(r"^[\d+\-() ]{1,17}$"),
    "car_number": re.compile(r"^.{1,8}$"),
    "name": re.compile(r"^([^\x00-\x7f]{1,10}|[A-Za-z .]{1,20})$"),
    "time": re.compile(r"^[\d年月日:/\- ]{4,30}$"),
    "date": re.compile(r"^[\d年月日:/\- ]{4,30}$"),
}


def data_problem(data: Any) -> str | None:
    """None if every key is a known type and its value fits, else WeChat's kind of hint."""
    if not isinstance(data, dict) or not data:
        return "data is empty"
    for key, entry in data.items():
        match = _KEY.match(str(key))
        if not match or match["kind"] not in _RULES:
            return f"data.{key} is not a template keyword"
        value = entry.get("value") if isinstance(entry, dict) else None
        if value is None or str(value) == "":
            return f"data.{key}.value is empty"
        if not _RULES[match["kind"]].match(str(value)):
            return f"data.{key}.value invalid"
    return None
