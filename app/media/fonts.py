"""A CJK-capable font for everything we draw (product images, posters).

`make run` installs WenQuanYi Micro Hei when run as root; FONT_PATH points elsewhere.
Without any, Pillow's built-in font is used and Chinese would not render, so we log it.
"""

from __future__ import annotations

import functools
import logging
import os

from PIL import ImageFont

log = logging.getLogger(__name__)

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)


@functools.cache
def cjk_font_path() -> str | None:
    for path in (os.environ.get("FONT_PATH"), *CANDIDATES):
        if path and os.path.isfile(path):
            return path
    log.warning("no CJK font found; Chinese text will not render (set FONT_PATH)")
    return None


@functools.cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
