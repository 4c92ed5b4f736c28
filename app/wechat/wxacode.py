"""Mini-program codes, generated once per scene, page and width and kept in media storage.

getwxacodeunlimit is rate limited (5000/minute) and a code never changes, so each one is
fetched once (under a Redis lock, so concurrent callers do not all fetch it) and then
served from storage.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from app.extensions import redis_client
from app.media.storage import storage
from app.wechat.miniprogram import check_scene, unlimited_code_image

DEFAULT_WIDTH = 430


def code_key(scene: str, page: str | None, width: int) -> str:
    """Scenes may hold / and ?, so the storage key is a digest of what makes the code."""
    digest = hashlib.sha256(f"{page or ''}\n{scene}\n{width}".encode()).hexdigest()
    return f"wxacode/{digest[:2]}/{digest}.png"


def mini_program_code(scene: str, page: str | None = None, *, width: int = DEFAULT_WIDTH) -> str:
    """The media URL of the PNG mini-program code opening `page` with `scene`."""
    check_scene(scene, page, width)
    key, files = code_key(scene, page, width), storage()
    if files.exists(key):
        return files.url(key)
    with redis_client.lock(f"fenxiao:wxacode:{key}", timeout=30, blocking_timeout=30):
        if not files.exists(key):
            files.save(key, _as_png(unlimited_code_image(scene, page, width)))
    return files.url(key)


def _as_png(image_bytes: bytes) -> bytes:
    """WeChat may answer with a JPEG; we always store PNG."""
    if image_bytes.startswith(b"\x89PNG"):
        return image_bytes
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image_bytes)).save(buffer, format="PNG")
    return buffer.getvalue()
