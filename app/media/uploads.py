"""Turning uploaded bytes into a library picture. Nothing about an upload is trusted: the
type is what Pillow finds in the content (not the name or the declared type), the size and
the pixel count are checked before decoding, the picture is re-encoded (EXIF and anything
smuggled after the image data are dropped, orientation applied) and the storage keys come
from the content's hash, so no uploaded name ever reaches the disk."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import DomainError, ValidationError

ACCEPTED = {"JPEG", "PNG", "GIF", "WEBP"}
THUMB_SIDE = 200
WEB_WIDTH = 1080
JPEG_QUALITY = 85


class TooLarge(DomainError):
    status = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class Rendition:
    key: str
    data: bytes


@dataclass(frozen=True)
class Prepared:
    """A checked, re-encoded upload, ready to be written: nothing is stored before every file
    of a batch has passed."""

    name: str
    original_name: str
    sha256: str
    mime: str
    width: int
    height: int
    full: Rendition
    web: Rendition
    thumb: Rendition


def clean_name(filename: str) -> str:
    """What the merchant sees: the last path part of the uploaded name, without its extension
    and control characters; never used as a storage key."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = stem.strip(" .")[:100]
    return stem or _("Picture")


def _refuse(message: str, filename: str) -> ValidationError:
    return ValidationError(message, code="media_rejected", fields={"files": f"{filename}: {message}"})


def prepare(filename: str, data: bytes) -> Prepared:
    """Check one upload and re-encode it, or refuse it (413 too big, 422 anything else)."""
    shown = clean_name(filename)
    limit = current_app.config["MEDIA_MAX_BYTES"]
    if len(data) > limit:
        message = _("A picture may be at most %(mb)s MB.", mb=limit // (1024 * 1024))
        raise TooLarge(message, fields={"files": f"{shown}: {message}"})
    image = _open(data, shown)
    sha256 = hashlib.sha256(data).hexdigest()
    with image:
        image = ImageOps.exif_transpose(image)  # a copy, upright, without the EXIF block
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        image = image.convert("RGBA" if has_alpha else "RGB")
        kind, extension = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
        base = f"library/{sha256[:2]}/{sha256[:32]}"
        full = Rendition(f"{base}.{extension}", _encode(image, kind))
        web = Rendition(f"{base}_w{WEB_WIDTH}.{extension}", _encode(_fit_width(image, WEB_WIDTH), kind))
        thumb_image = image.copy()
        thumb_image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumb = Rendition(f"{base}_t{THUMB_SIDE}.{extension}", _encode(thumb_image, kind))
        return Prepared(name=shown, original_name=(filename or "")[:255], sha256=sha256,
                        mime=f"image/{kind.lower()}", width=image.width, height=image.height,
                        full=full, web=web, thumb=thumb)


def _open(data: bytes, shown: str) -> Image.Image:
    not_a_picture = _("Only JPEG, PNG, GIF or WebP pictures can be uploaded.")
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(not_a_picture, shown) from exc
    except Image.DecompressionBombError as exc:
        raise _bomb(shown) from exc
    if image.format not in ACCEPTED:
        image.close()
        raise _refuse(not_a_picture, shown)
    if image.width * image.height > current_app.config["MEDIA_MAX_PIXELS"]:
        image.close()
        raise _bomb(shown)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(shown) from exc
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise _refuse(not_a_picture, shown) from exc
    return image


def _bomb(shown: str) -> ValidationError:
    pixels = current_app.config["MEDIA_MAX_PIXELS"]
    return _refuse(_("A picture may have at most %(n)s million pixels.", n=pixels // 1_000_000), shown)


def _fit_width(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG")
    return out.getvalue()
