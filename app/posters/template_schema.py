"""The shape of a poster template file (`poster_templates/<key>/template.json`), checked with
pydantic so a mistake names the field at fault (`elements.2.size`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.labels import labels

COLOUR = r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$"
VARIABLES = ("nickname", "shop_name", "product_title", "product_subtitle", "price", "invite_code", "invite_promise")
Colour = Annotated[str, Field(pattern=COLOUR)]
Coord = Annotated[int, Field(ge=-2000, le=4000)]
Length = Annotated[int, Field(ge=1, le=4000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Background(_Strict):
    """One of: a flat colour, a two-colour linear gradient, or an image file of the template."""

    color: Colour | None = None
    gradient: tuple[Colour, Colour] | None = None
    angle: Literal[0, 45, 90, 135, 180] = 90  # 90: top to bottom, 0: left to right
    image: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]+\.(png|jpg|jpeg|webp)$")

    @model_validator(mode="after")
    def _exactly_one(self) -> Background:
        if sum(value is not None for value in (self.color, self.gradient, self.image)) != 1:
            raise ValueError("give exactly one of color, gradient or image")
        return self


class Rect(_Strict):
    type: Literal["rect"]
    x: Coord
    y: Coord
    width: Length
    height: Length
    fill: Colour
    radius: int = Field(0, ge=0, le=2000)
    outline: Colour | None = None
    outline_width: int = Field(0, ge=0, le=50)


class Picture(_Strict):
    type: Literal["image"]
    src: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.(png|jpg|jpeg|webp)$")
    x: Coord
    y: Coord
    width: Length
    height: Length


class Avatar(_Strict):
    type: Literal["avatar"]
    x: Coord
    y: Coord
    size: Length
    border_color: Colour | None = None
    border_width: int = Field(0, ge=0, le=40)


class ProductImage(_Strict):
    type: Literal["product_image"]
    x: Coord
    y: Coord
    width: Length
    height: Length
    radius: int = Field(0, ge=0, le=2000)


class Text(_Strict):
    type: Literal["text"]
    text: str = Field(min_length=1, max_length=200)
    x: Coord
    y: Coord
    width: Length
    size: int = Field(ge=8, le=300)
    color: Colour = "#333333"
    align: Literal["left", "center", "right"] = "left"
    max_lines: int = Field(1, ge=1, le=10)
    line_height: float = Field(1.3, ge=1.0, le=3.0)
    ellipsis: bool = True

    @field_validator("text")
    @classmethod
    def _known_variables(cls, value: str) -> str:
        import string

        try:
            names = [name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name is not None]
        except ValueError as exc:
            raise ValueError(f"bad braces in text: {exc}") from exc
        unknown = [name for name in names if name not in VARIABLES]
        if unknown:
            raise ValueError(f"unknown variable {{{unknown[0]}}}; use one of {', '.join(VARIABLES)}")
        return value

    @property
    def is_static(self) -> bool:
        return "{" not in self.text


Element = Annotated[Rect | Picture | Avatar | ProductImage | Text, Field(discriminator="type")]


class CodeType(StrEnum):
    WXACODE = "wxacode"
    OA_QR = "oa_qr"
    URL = "url"


CODE_TYPE_LABELS = labels(CodeType, {
    CodeType.WXACODE: _l("Mini-program code"), CodeType.OA_QR: _l("Official account QR code"),
    CodeType.URL: _l("Web link QR code"),
})


class Code(_Strict):
    """Where the code goes and what it is: a mini-program code, an official-account QR code
    (scanning follows the account and binds), or a plain QR code of a web link."""

    type: CodeType
    x: Coord
    y: Coord
    size: int = Field(ge=80, le=1280)
    page: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$")
    link: str | None = Field(None, max_length=200, description="for url: {base_url} and {scene} are filled in")
    background: Colour | None = Field(None, description="a plate behind the code")
    padding: int = Field(0, ge=0, le=200)

    @model_validator(mode="after")
    def _link_for_url(self) -> Code:
        if self.type == "url" and not self.link:
            raise ValueError("a url code needs link (e.g. {base_url}/h5/?scene={scene})")
        return self


class TemplateFile(_Strict):
    name: str = Field(min_length=1, max_length=40)
    kind: Literal["invite", "product"]
    short_id: str = Field(pattern=r"^[a-z0-9]{1,2}$", description="t=<short_id> in the code's scene")
    width: int = Field(ge=200, le=2000)
    height: int = Field(ge=200, le=4000)
    background: Background
    elements: list[Element] = Field(default_factory=list, max_length=60)
    code: Code
    sort: int = 0

    @model_validator(mode="after")
    def _fits(self) -> TemplateFile:
        if self.kind == "invite" and any(isinstance(element, ProductImage) for element in self.elements):
            raise ValueError("elements: an invite template has no product_image")
        if self.code.x + self.code.size > self.width or self.code.y + self.code.size > self.height:
            raise ValueError("code: the code does not fit on the canvas")
        return self
