"""The merchant's choices per template: enabled or not, the default of its kind, and an
uploaded background replacing the file's. Audited; the console commits."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import select

from app.audit.services import Actor, record
from app.core.errors import NotFound, ValidationError
from app.extensions import db
from app.media.storage import storage
from app.posters.models import PosterTemplateSetting
from app.posters.templates import Template, catalogue

BACKGROUND_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BACKGROUND_BYTES = 2 * 1024 * 1024
MAX_BACKGROUND_SIDE = 4000


@dataclass(frozen=True)
class TemplateState:
    template: Template
    enabled: bool
    is_default: bool
    background_key: str


def settings_by_key() -> dict[str, PosterTemplateSetting]:
    return {row.template_key: row for row in db.session.scalars(select(PosterTemplateSetting))}


def states(kind: str | None = None) -> list[TemplateState]:
    """Every loaded template with the merchant's settings, in display order."""
    rows = settings_by_key()
    found = catalogue()
    templates = found.of_kind(kind) if kind else found.of_kind("invite") + found.of_kind("product")
    return [TemplateState(t, rows[t.key].is_enabled if t.key in rows else True,
                          rows[t.key].is_default if t.key in rows else False,
                          rows[t.key].background_key if t.key in rows else "") for t in templates]


def enabled(kind: str) -> list[TemplateState]:
    """Enabled templates of a kind, the default first."""
    found = [state for state in states(kind) if state.enabled]
    return sorted(found, key=lambda state: not state.is_default)


def _template(key: str) -> Template:
    template = catalogue().templates.get(key)
    if template is None:
        raise NotFound(_("The requested resource does not exist."), code="template_not_found")
    return template


def _row(template: Template) -> PosterTemplateSetting:
    row = db.session.get(PosterTemplateSetting, template.key, with_for_update=True)
    if row is None:
        row = PosterTemplateSetting(template_key=template.key, kind=template.kind, is_enabled=True, is_default=False,
                                    background_key="")
        db.session.add(row)
        db.session.flush()
    return row


def _snapshot(row: PosterTemplateSetting) -> dict:
    return {"is_enabled": row.is_enabled, "is_default": row.is_default, "background_key": row.background_key}


def set_enabled(actor: Actor, key: str, is_enabled: bool) -> None:
    template = _template(key)
    row = _row(template)
    before = _snapshot(row)
    row.is_enabled = is_enabled
    if not is_enabled:
        row.is_default = False  # a disabled template cannot be what the API picks
    record(actor, area="distribution", action="poster_template.enable" if is_enabled else "poster_template.disable",
           target_type="poster_template", target_id=key, summary=template.spec.name, before=before,
           after=_snapshot(row))
    db.session.flush()


def set_default(actor: Actor, key: str) -> None:
    """The one default of its kind (it is enabled too)."""
    template = _template(key)
    row = _row(template)
    before = _snapshot(row)
    for other in db.session.scalars(select(PosterTemplateSetting).where(
            PosterTemplateSetting.kind == template.kind, PosterTemplateSetting.template_key != key)
            .with_for_update()):
        other.is_default = False
    row.is_default, row.is_enabled = True, True
    record(actor, area="distribution", action="poster_template.default", target_type="poster_template",
           target_id=key, summary=template.spec.name, before=before, after=_snapshot(row))
    db.session.flush()


def check_background(data: bytes, template: Template) -> str:
    """The file extension of an acceptable background image, or a refusal naming `file`."""
    def refuse(message: str) -> ValidationError:
        return ValidationError(message, code="invalid_image", fields={"file": message})

    if not data:
        raise refuse(_("Choose an image to upload."))
    if len(data) > MAX_BACKGROUND_BYTES:
        raise refuse(_("The image must be at most %(mb)s MB.", mb=MAX_BACKGROUND_BYTES // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in BACKGROUND_FORMATS or max(width, height) > MAX_BACKGROUND_SIDE:
                raise refuse(_("A JPEG, PNG or WebP image of at most %(n)s pixels a side.", n=MAX_BACKGROUND_SIDE))
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refuse(_("A JPEG, PNG or WebP image of at most %(n)s pixels a side.", n=MAX_BACKGROUND_SIDE)) from exc
    if width * 3 < template.spec.width or height * 3 < template.spec.height:
        raise refuse(_("The image is too small for this poster (%(w)s×%(h)s).", w=template.spec.width,
                       h=template.spec.height))
    return BACKGROUND_FORMATS[kind]


def upload_background(actor: Actor, key: str, data: bytes) -> str:
    """Store the image (named by its content) and use it as the template's background."""
    template = _template(key)
    extension = check_background(data, template)
    storage_key = f"poster-backgrounds/{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
    storage().save(storage_key, data)
    row = _row(template)
    before = _snapshot(row)
    row.background_key = storage_key
    record(actor, area="distribution", action="poster_template.background", target_type="poster_template",
           target_id=key, summary=template.spec.name, before=before, after=_snapshot(row))
    db.session.flush()
    return storage_key


def clear_background(actor: Actor, key: str) -> None:
    template = _template(key)
    row = _row(template)
    before = _snapshot(row)
    row.background_key = ""
    record(actor, area="distribution", action="poster_template.background", target_type="poster_template",
           target_id=key, summary=template.spec.name, before=before, after=_snapshot(row))
    db.session.flush()
