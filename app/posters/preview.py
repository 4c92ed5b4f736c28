"""The console's live preview: a template drawn at once for a sample agent (and the newest
visible product for share templates), never stored."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

import requests
from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import select

from app.catalog.models import Product
from app.catalog.visibility import visible_clause
from app.core.errors import DomainError
from app.extensions import db, redis_client
from app.media.storage import storage
from app.posters import renderer
from app.posters.codes import CodeTarget, target_for
from app.posters.renderer import PosterInputs
from app.posters.services import background_image, invite_promise, price_text, shop_name
from app.posters.template_settings import TemplateState

log = logging.getLogger(__name__)

SAMPLE_CODE = "SAMPLE01"
THUMBNAIL_WIDTH = 240


def sample_inputs(state: TemplateState) -> PosterInputs:
    spec = state.template.spec
    product = None
    if spec.kind == "product":
        product = db.session.scalar(select(Product).where(visible_clause()).order_by(Product.id.desc()).limit(1))
    product_id = product.id if product else 1
    values = {"nickname": _("Sample agent"), "shop_name": shop_name(), "invite_code": SAMPLE_CODE,
              "product_title": product.title if product else _("Sample product with a rather long title"),
              "product_subtitle": product.subtitle if product else "",
              "price": price_text(product.min_price_fen if product else 9900), "invite_promise": invite_promise()}
    picture = (product.cover_url or (product.image_urls or [""])[0]) if product else ""
    return PosterInputs(values=values, product_image_url=picture,
                        code=target_for(spec.code, spec.short_id, SAMPLE_CODE,
                                        product_id if spec.kind == "product" else None))


def preview_image(state: TemplateState, *, real_code: bool = True) -> Image.Image:
    """The template for a sample agent; with a stand-in QR code of the scene when WeChat is
    unreachable (or not wanted, for thumbnails)."""
    inputs = sample_inputs(state)
    background = background_image(state)
    if real_code:
        try:
            return renderer.render(state.template, inputs, background=background, background_id=state.background_key)
        except (DomainError, requests.RequestException, OSError) as exc:
            log.info("poster preview without the real code: %s", exc)
    stand_in = CodeTarget("url", inputs.code.scene, link=inputs.code.scene)
    return renderer.render(state.template, replace(inputs, code=stand_in), background=background,
                           background_id=state.background_key)


def preview_png(state: TemplateState) -> bytes:
    return renderer.png_bytes(preview_image(state))


def thumbnail_url(state: TemplateState) -> str:
    """A small picture of the template (stored once per template version and background)."""
    digest = hashlib.sha256(f"{state.template.version}|{state.background_key}".encode()).hexdigest()[:16]
    key = f"poster-thumbnails/{state.template.key}-{digest}.png"
    files = storage()
    if not files.exists(key):
        with redis_client.lock(f"fenxiao:poster:thumbnail:{key}", timeout=60, blocking_timeout=60):
            if not files.exists(key):  # drawn once, even when the list's thumbnails are asked for together
                image = preview_image(state, real_code=False)
                image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3), Image.Resampling.LANCZOS)
                files.save(key, renderer.png_bytes(image))
    return files.url(key)
