"""Changing the official account's settings (its message mode). Services flush; the edge commits;
the webhook's reply snapshot, which carries the mode, is rebuilt after the commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.audit import services as audit
from app.audit.services import Actor
from app.core.after_commit import after_commit
from app.core.errors import ValidationError
from app.extensions import db
from app.officialaccount.message_modes import MESSAGE_MODES, SETTINGS_ID, message_mode
from app.officialaccount.settings_models import OaSettings
from app.officialaccount.snapshot import bump_version


def save_message_mode(actor: Actor, mode: str) -> str:
    """Change the mode and record the change in the audit log."""
    if mode not in MESSAGE_MODES:
        raise ValidationError(_("Some fields are invalid."), fields={"message_mode": _("Choose one of the options.")})
    if mode != "plain" and not current_app.config.get("WECHAT_OA_ENCODING_AES_KEY"):
        raise ValidationError(_("Some fields are invalid."), fields={
            "message_mode": _("Compatible and safe modes need an EncodingAESKey (WECHAT_OA_ENCODING_AES_KEY).")})
    before = message_mode()
    row = db.session.get(OaSettings, SETTINGS_ID)
    if row is None:
        row = OaSettings(id=SETTINGS_ID, message_mode=mode)
        db.session.add(row)
    row.message_mode = mode
    db.session.flush()
    audit.record(actor, area="wechat", action="oa_settings.save", target_type="oa_settings", target_id=SETTINGS_ID,
                 summary=_("Official account settings"), before={"message_mode": before},
                 after={"message_mode": mode})
    after_commit(bump_version)
    return mode
