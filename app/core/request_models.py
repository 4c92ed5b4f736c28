"""What every request model is built from, so strictness is declared once, not per field.

A `Body` reads a JSON body strictly: an integer or money field takes a JSON integer only
(never "1_000", " 1", 1.0 or true), a boolean takes true or false only, a text field takes
a string only, and unknown fields are refused. A `Query` reads a query string, where
everything arrives as text; its integers are still plain ASCII digits.

`Text` and `MultilineText` are what a shopper or merchant types: they refuse control
characters (NUL, escape sequences that rewrite a terminal, DEL, C1) and the invisible
format characters that reorder or hide what a merchant reads later (bidi overrides and
isolates, zero-width space, BOM). Their pattern is in the model's JSON schema, so the
OpenAPI document says exactly what is refused.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# C0 but tab and newline, DEL and C1, Arabic letter mark, zero-width space, LRM/RLM, line and
# paragraph separators, bidi embeddings/overrides, word joiner and invisible operators, bidi
# isolates, BOM, interlinear annotations. Zero-width (non-)joiners stay: emoji and scripts need them.
_INVISIBLE = r"\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
_LINE_REFUSED = rf"\u0000-\u001f{_INVISIBLE}"
LINE_PATTERN = rf"^[^{_LINE_REFUSED}]*$"
FILLED_LINE_PATTERN = rf"^[^{_LINE_REFUSED}]*[^\s{_LINE_REFUSED}][^{_LINE_REFUSED}]*$"
MULTILINE_PATTERN = rf"^[^\u0000-\u0008\u000b-\u001f{_INVISIBLE}]*$"
TEXT_PATTERNS = frozenset({LINE_PATTERN, FILLED_LINE_PATTERN, MULTILINE_PATTERN})
_LINE, _MULTILINE = re.compile(LINE_PATTERN), re.compile(MULTILINE_PATTERN)


def is_clean_text(text: str, *, multiline: bool = False) -> bool:
    """The same test as Text / MultilineText, for text that does not come through a model."""
    return (_MULTILINE if multiline else _LINE).fullmatch(text) is not None

Text = Annotated[str, Field(pattern=LINE_PATTERN)]
"""One line a person typed: a remark, a reason, a nickname."""

FilledText = Annotated[str, Field(pattern=FILLED_LINE_PATTERN)]
"""One line that must say something: not only spaces (a receiver's name, an address)."""

MultilineText = Annotated[str, Field(pattern=MULTILINE_PATTERN)]
"""Paragraphs a person typed (a description): newlines and tabs allowed."""

WEB_URL_PATTERN = r"^https?://[!-~]+$"
WebUrl = Annotated[str, Field(max_length=512, pattern=WEB_URL_PATTERN)]
"""An http(s) URL (an avatar WeChat hosts): never javascript:, data: or a bare path."""

MEDIA_URL_PATTERN = r"^(https?://|/)[!-~]+$"
MediaUrl = Annotated[str, Field(max_length=512, pattern=MEDIA_URL_PATTERN)]
"""A file we serve (what POST /uploads/image answered): ours, absolute or from the site root."""

MAX_FEN = 100_000_000_000  # ¥1,000,000,000.00: past any real amount, inside a BIGINT and a JS number
MAX_ID = 2_147_483_647  # the largest row id any of our tables can hold

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row id sent in a body."""

_ASCII_INTEGER = re.compile(r"-?[0-9]{1,18}")


def _is_integer(annotation: Any) -> bool:
    return annotation is int or (int in get_args(annotation) and bool not in get_args(annotation))


class Body(BaseModel):
    """A JSON request body: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """A query string: other parameters (a cache buster, utm_*) are ignored; integers are
    ASCII digits only (no "+", spaces, "_" or "1.0", which pydantic's lax mode would read)."""

    model_config = ConfigDict(extra="ignore")

    @field_validator("*", mode="before")
    @classmethod
    def _ascii_integers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and _is_integer(cls.model_fields[info.field_name].annotation) \
                and not _ASCII_INTEGER.fullmatch(value):
            raise PydanticCustomError("int_parsing", "Input should be a valid integer")
        return value
