"""What a configured reply may contain, per kind, checked before it is stored.

WeChat silently drops a passive reply it cannot render, so every limit it has is checked
here, with a message per field: news has 1–8 articles, links are http(s), text fits the
CDATA it is sent in.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from app.core.errors import ValidationError
from app.core.validation import fields_from

MAX_ARTICLES = 8
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_MEDIA_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _no_cdata_end(value: str) -> str:
    if "]]>" in value:
        raise PydanticCustomError("cdata_end", _("Must not contain ]]>."))
    return value


def _http_url(value: str) -> str:
    if not _HTTP_URL.match(value):
        raise PydanticCustomError("http_url", _("Must be an http:// or https:// address."))
    return _no_cdata_end(value)


def _optional_http_url(value: str) -> str:
    return _http_url(value) if value else value


def _media_id(value: str) -> str:
    if not _MEDIA_ID.match(value):
        raise PydanticCustomError("media_id", _("Must be a WeChat media_id (letters, digits, _ and -)."))
    return value


Text = Annotated[str, AfterValidator(_no_cdata_end)]
Url = Annotated[str, Field(max_length=512), AfterValidator(_http_url)]
OptionalUrl = Annotated[str, Field(max_length=512), AfterValidator(_optional_http_url)]
MediaId = Annotated[str, AfterValidator(_media_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TextContent(_Strict):
    content: Annotated[Text, Field(min_length=1, max_length=2000)]


class Article(_Strict):
    title: Annotated[Text, Field(min_length=1, max_length=64)]
    description: Annotated[Text, Field(max_length=256)] = ""
    picurl: OptionalUrl = ""
    url: Url


class NewsContent(_Strict):
    articles: Annotated[list[Article], Field(min_length=1, max_length=MAX_ARTICLES)]


class ImageContent(_Strict):
    media_id: MediaId


class MusicContent(_Strict):
    title: Annotated[Text, Field(max_length=64)] = ""
    description: Annotated[Text, Field(max_length=256)] = ""
    music_url: Url
    hq_music_url: OptionalUrl = ""
    thumb_media_id: MediaId


class Fallback(_Strict):
    kind: Literal["text", "news", "image", "music"]
    content: dict[str, Any]


class CustomContent(_Strict):
    """Forward the fan's message to the merchant's own server; `fallback` when it fails."""

    url: Url
    fallback: Fallback | None = None


CONTENT_MODELS: dict[str, type[_Strict]] = {
    "text": TextContent, "news": NewsContent, "image": ImageContent,
    "music": MusicContent, "custom": CustomContent,
}


def validate_reply(kind: str, content: Any, *, prefix: str = "content") -> dict:
    """The content, normalised, or a ValidationError naming each bad field."""
    model = CONTENT_MODELS.get(kind)
    if model is None:
        raise ValidationError(_("Some fields are invalid."), fields={
            _join(prefix.rpartition(".")[0], "kind"): _("Not one of the allowed values.")})
    if not isinstance(content, dict):
        raise ValidationError(_("Some fields are invalid."), fields={prefix: _("Must be an object.")})
    fields: dict[str, str] = {}
    value: dict = {}
    try:
        value = model.model_validate(content).model_dump()
    except PydanticValidationError as exc:
        fields.update(_prefixed(exc, prefix))
    fallback = content.get("fallback") if kind == "custom" else None
    if isinstance(fallback, dict) and fallback.get("kind") in CONTENT_MODELS and fallback["kind"] != "custom":
        try:  # checked even when the rest is wrong, so every bad field is reported at once
            checked = validate_reply(fallback["kind"], fallback.get("content"), prefix=f"{prefix}.fallback.content")
            if value:
                value["fallback"]["content"] = checked
        except ValidationError as exc:
            fields.update(exc.fields)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    if kind == "music" and not value["hq_music_url"]:
        value["hq_music_url"] = value["music_url"]
    return value


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def _prefixed(exc: PydanticValidationError, prefix: str) -> dict[str, str]:
    fields = {_join(prefix, name): message for name, message in fields_from(exc).items()}
    for error in exc.errors(include_url=False):  # list sizes, e.g. more than 8 articles
        name = _join(prefix, ".".join(str(part) for part in error["loc"]))
        if error["type"] == "too_long":
            fields[name] = _("At most %(n)s items.", n=error["ctx"]["max_length"])
        elif error["type"] == "too_short":
            fields[name] = _("At least %(n)s items.", n=error["ctx"]["min_length"])
    return fields
