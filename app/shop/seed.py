"""The demo shop's own look: a drawn logo and a brand colour, so `flask seed demo` shows the
console's theme (the sidebar's logo and name, the brand colour on every button)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app.media.fonts import cjk_font
from app.media.storage import storage
from app.shop.services import shop_settings
from app.shop.theme import BrandColour

LOGO_KEY = "demo/shop/logo.png"
LOGO_COLOUR = "#d4560b"  # the orange palette's colour (theme.css), so logo and console match


def seed_shop() -> list[str]:
    """Set the logo and colour once; a shop whose merchant already chose a logo keeps its own."""
    settings = shop_settings()
    if settings.logo_url:
        return ["shop look: kept"]
    settings.logo_url = _logo()
    settings.brand_colour = BrandColour.ORANGE.value
    return ["shop look: logo and orange brand colour"]


def _logo() -> str:
    store = storage()
    if not store.exists(LOGO_KEY):
        image = Image.new("RGB", (192, 192), LOGO_COLOUR)
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle((20, 20, 172, 172), radius=36, outline="white", width=8)
        draw.text((96, 96), "分销", font=cjk_font(64), fill="white", anchor="mm")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        store.save(LOGO_KEY, buffer.getvalue())
    return store.url(LOGO_KEY)
