"""Shoppers upload images (after-sale photos): checked with Pillow, stored under uploads/."""

from __future__ import annotations

import io
import secrets

from flask import jsonify, request
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.core.validation import documented
from app.media.storage import storage

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024  # also bounded by MAX_CONTENT_LENGTH (413)
MAX_SIDE = 6000  # pixels; larger is refused before decoding (a decompression bomb)
PREFIX = "uploads/"


class UploadOut(BaseModel):
    url: str
    width: int
    height: int


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image", fields={"file": message})


def check_image(data: bytes) -> tuple[str, int, int]:
    """The image's file extension and size, or a refusal if it is not an image we accept."""
    if not data:
        raise _refuse(_("Choose an image to upload."))
    if len(data) > MAX_IMAGE_BYTES:
        raise _refuse(_("The image must be at most %(mb)s MB.", mb=MAX_IMAGE_BYTES // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise _refuse(_("Only JPEG, PNG, WebP or GIF images are accepted."))
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _refuse(_("The image is too large: at most %(n)s pixels a side.", n=MAX_SIDE))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(_("Only JPEG, PNG, WebP or GIF images are accepted.")) from exc
    return FORMATS[kind], width, height


def is_uploaded_image(url: str, user_id: int) -> bool:
    """True for the URL of an image this shopper uploaded here."""
    store = storage()
    prefix = store.url(PREFIX)
    if not url.startswith(prefix) or not url.rsplit("/", 1)[-1].startswith(f"{user_id}-"):
        return False
    try:
        return store.exists(url[len(store.url_prefix):])
    except ValueError:
        return False


@bp.post("/uploads/image")
@documented(summary="Upload an image (multipart field `file`): JPEG, PNG, WebP or GIF", response=UploadOut,
            auth=True, tags=("uploads",), status=201, upload="file")
@login_required
def upload_image():
    upload = request.files.get("file")
    data = upload.read(MAX_IMAGE_BYTES + 1) if upload else b""
    extension, width, height = check_image(data)
    key = f"{PREFIX}{utcnow():%Y%m}/{current_user().id}-{secrets.token_hex(12)}.{extension}"
    return jsonify(url=storage().save(key, data), width=width, height=height), 201
