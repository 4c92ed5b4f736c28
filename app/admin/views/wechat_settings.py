"""Official account settings: the message mode (消息加解密方式), the same as on mp.weixin.qq.com.
Every change is audited."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin import bp
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.extensions import db
from app.officialaccount import settings
from app.officialaccount.message_modes import message_mode

# (mode, label, what it means), in WeChat's order
MODES = (
    ("plain", _l("Plain mode"), _l("WeChat pushes messages unencrypted; only the URL is signed with your token.")),
    ("compatible", _l("Compatible mode"),
     _l("WeChat pushes each message both unencrypted and encrypted; both are accepted. Use it while switching.")),
    ("safe", _l("Safe mode"),
     _l("WeChat pushes messages encrypted only; unencrypted pushes are refused. Recommended.")),
)


@bp.route("/wechat/settings", methods=["GET", "POST"])
@area("wechat")
def wechat_settings():
    errors: dict[str, str] = {}
    chosen = message_mode()
    if request.method == "POST":
        chosen = request.form.get("message_mode", "")
        try:
            settings.save_message_mode(actor(), chosen)
        except DomainError as refusal:
            db.session.rollback()
            errors = refusal.fields or {"message_mode": refusal.message}
        else:
            db.session.commit()
            flash(_("Saved. Make sure the same mode is set on the WeChat Official Accounts Platform."), "success")
            return redirect(url_for("admin.wechat_settings"))
    has_aes_key = bool(current_app.config.get("WECHAT_OA_ENCODING_AES_KEY"))
    return render_template("admin/wechat/settings.html", modes=MODES, chosen=chosen, errors=errors,
                           has_aes_key=has_aes_key), 422 if errors else 200
