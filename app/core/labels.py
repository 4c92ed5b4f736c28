"""Merchant words for stored codes, written once next to each enum.

A domain declares its enum's words right under the enum (`X_LABELS = labels(X, {...})`);
every page, export and answer then finds them by the enum's name (`label(code, "X")`, the
console's `|label("X")` filter). An enum member without a word fails at import, not on a
merchant's screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

_WORDS: dict[str, Mapping[Any, Any]] = {}


def labels(kind: type[Enum], words: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """Register the words of every member of `kind` (lazy gettext strings) and return them."""
    missing = [member.value for member in kind if member not in words]
    if missing:
        raise ValueError(f"{kind.__name__} has no label for {missing}")
    _WORDS[kind.__name__] = words
    return words


def label(code: Any, kind: str) -> str:
    """The merchant's word for a stored code of enum `kind`; '' for no code, the code itself
    for one the enum does not know (an old row), so nothing is hidden."""
    if code is None or code == "":
        return ""
    word = _WORDS[kind].get(code)
    return str(word) if word is not None else str(code)


def labelled_kinds() -> set[str]:
    return set(_WORDS)
