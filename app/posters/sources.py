"""Pictures a poster takes from elsewhere: the agent's avatar and the product's image.

Avatars live at WeChat (thirdwx.qlogo.cn); they are fetched with a short timeout and a size
limit, and any failure draws the default avatar instead: a poster is never refused because
a remote picture is slow. Our own /media/ URLs are read from storage, not over HTTP.
"""

from __future__ import annotations

import functools
import io
import logging

import requests
from flask import current_app
from PIL import Image, ImageDraw, UnidentifiedImageError

from app.media.storage import storage

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4000


def _decode(data: bytes) -> Image.Image | None:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if max(probe.size) > MAX_SIDE:
                return None
        image = Image.open(io.BytesIO(data))
        image.load()
        return image.convert("RGBA")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def _fetch(url: str, timeout: float) -> bytes | None:
    try:
        with requests.get(url, timeout=(timeout, timeout), stream=True) as response:
            response.raise_for_status()
            data = bytearray()
            for chunk in response.iter_content(64 * 1024):
                data += chunk
                if len(data) > MAX_BYTES:
                    return None
            return bytes(data)
    except requests.RequestException as exc:
        log.info("poster picture not fetched (%s): %s", type(exc).__name__, url[:80])
        return None


def local_version(url: str) -> tuple[str, str] | None:
    """(storage key, stored version) of one of our media URLs, or None for other URLs."""
    files = storage()
    if not (url or "").startswith(files.url_prefix):
        return None
    key = url[len(files.url_prefix):]
    try:
        version = files.version(key)
    except (OSError, ValueError):
        return None
    return (key, version) if version is not None else None


def load_picture(url: str) -> Image.Image | None:
    """An image from our media storage or an http(s) URL, or None when it cannot be had."""
    url = (url or "").strip()
    if not url:
        return None
    files = storage()
    if url.startswith(files.url_prefix):
        key = url[len(files.url_prefix):]
        try:
            with files.open(key) as handle:
                return _decode(handle.read())
        except (OSError, ValueError):
            return None
    if url.startswith(("http://", "https://")):
        data = _fetch(url, float(current_app.config["POSTER_FETCH_TIMEOUT"]))
        return _decode(data) if data else None
    return None


@functools.lru_cache(maxsize=16)
def default_avatar(size: int) -> Image.Image:
    """A neutral head-and-shoulders on a soft grey disc."""
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (226, 230, 236, 255))
    draw = ImageDraw.Draw(image)
    head = big * 0.2
    draw.ellipse((big / 2 - head, big * 0.2, big / 2 + head, big * 0.2 + 2 * head), fill=(166, 175, 189, 255))
    draw.ellipse((big * 0.18, big * 0.62, big * 0.82, big * 1.25), fill=(166, 175, 189, 255))
    return image.resize((size, size), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=16)
def placeholder(width: int, height: int) -> Image.Image:
    """Where a product picture is missing: a light panel with a picture sign (sun and hills)."""
    image = Image.new("RGBA", (width, height), (240, 242, 245, 255))
    draw = ImageDraw.Draw(image)
    unit = min(width, height) / 8
    cx, cy = width / 2, height / 2
    grey = (203, 208, 216, 255)
    draw.rounded_rectangle((cx - 2 * unit, cy - 1.5 * unit, cx + 2 * unit, cy + 1.5 * unit), radius=unit / 3,
                           outline=grey, width=max(2, round(unit / 8)))
    draw.ellipse((cx + 0.6 * unit, cy - 1.0 * unit, cx + 1.3 * unit, cy - 0.3 * unit), fill=grey)
    draw.polygon([(cx - 1.6 * unit, cy + 1.1 * unit), (cx - 0.5 * unit, cy - 0.4 * unit), (cx + 0.3 * unit,
                  cy + 0.6 * unit), (cx + 0.8 * unit, cy + 0.1 * unit), (cx + 1.6 * unit, cy + 1.1 * unit)], fill=grey)
    return image
