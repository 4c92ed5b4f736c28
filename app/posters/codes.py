"""The code on a poster: its scene (`r=<invite code>&p=<product id>&t=<template short id>`)
and its picture — a mini-program code (getwxacodeunlimit, 32-character scene), an
official-account QR code (permanent string scene: scanning follows the account and binds),
or a plain QR code of a web link."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote

import qrcode
from flask import current_app
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from app.media.storage import storage
from app.posters.template_schema import Code
from app.wechat.miniprogram import CODE_WIDTHS, check_scene
from app.wechat.oa_qrcode import check_scene_str, permanent_qr_url
from app.wechat.wxacode import mini_program_code

SHORT_ID = re.compile(r"^[a-z0-9]{1,2}$")
INVITE_CODE = re.compile(r"^[A-Za-z0-9]{6,8}$")


@dataclass(frozen=True)
class CodeTarget:
    """What a code opens, known before anything is fetched (it is part of the cache key)."""

    type: str
    scene: str
    page: str | None = None
    link: str | None = None

    def identity(self) -> str:
        return f"{self.type}|{self.scene}|{self.page or ''}|{self.link or ''}"


@dataclass(frozen=True)
class ParsedScene:
    invite_code: str | None
    product_id: int | None
    short_id: str | None


def build_scene(short_id: str | None, invite_code: str | None, product_id: int | None) -> str:
    parts = [f"r={invite_code}"] if invite_code else []
    if product_id:
        parts.append(f"p={product_id}")
    if short_id:
        parts.append(f"t={short_id}")
    return "&".join(parts)


def parse_scene(scene: str | None) -> ParsedScene:
    """The parts of a poster scene; anything malformed is left out, never raised."""
    values = parse_qs((scene or "").strip(), keep_blank_values=False)
    code = (values.get("r") or [""])[0]
    product = (values.get("p") or [""])[0]
    short_id = (values.get("t") or [""])[0]
    return ParsedScene(code if INVITE_CODE.match(code) else None,
                       int(product) if product.isdigit() and len(product) <= 12 else None,
                       short_id if SHORT_ID.match(short_id) else None)


def target_for(code: Code, short_id: str, invite_code: str | None, product_id: int | None) -> CodeTarget:
    """The code's target, checked against WeChat's limits (ValidationError naming `scene`)."""
    scene = build_scene(short_id, invite_code, product_id)
    if code.type == "wxacode":
        check_scene(scene, code.page, _wxacode_width(code.size))
        return CodeTarget("wxacode", scene, page=code.page)
    if code.type == "oa_qr":
        check_scene_str(scene)
        return CodeTarget("oa_qr", scene)
    link = code.link.format(base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"), scene=quote(scene, safe=""))
    return CodeTarget("url", scene, link=link)


def _wxacode_width(size: int) -> int:
    return min(CODE_WIDTHS[1], max(CODE_WIDTHS[0], size))


def code_image(target: CodeTarget, size: int) -> Image.Image:
    """The code as a `size` square RGBA image (fetching the wxacode or the QR ticket once)."""
    if target.type == "wxacode":
        url = mini_program_code(target.scene, target.page, width=_wxacode_width(size))
        files = storage()
        with files.open(url[len(files.url_prefix):]) as handle:
            image = Image.open(io.BytesIO(handle.read())).convert("RGBA")
        return image if image.size == (size, size) else image.resize((size, size), Image.Resampling.LANCZOS)
    if target.type == "oa_qr":
        return qr_image(permanent_qr_url(target.scene), size)
    return qr_image(target.link or "", size)


def qr_image(text: str, size: int) -> Image.Image:
    """A crisp QR code: whole pixels per module, centred on white, `size` square."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    small = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    factor = max(1, size // small.size[0])
    big = small.resize((small.size[0] * factor, small.size[1] * factor), Image.Resampling.NEAREST)
    canvas = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    offset = (size - big.size[0]) // 2
    canvas.paste(big.convert("RGBA"), (offset, offset))
    return canvas
