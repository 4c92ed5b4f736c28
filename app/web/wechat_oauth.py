"""/wechat/oauth: log shoppers in on official-account pages through WeChat's web OAuth.

authorize keeps a random state (and where to go afterwards) in the session and sends the
browser to WeChat; callback checks the state, turns the code into an identity, logs the
user in and goes back to a path on our own site, never anywhere else.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import gettext as _

from app.accounts.wechat_identity import upsert_wechat_user
from app.core.errors import Forbidden, ValidationError
from app.core.transactions import commit_with_retry
from app.web.session import log_in
from app.wechat import oauth
from app.wechat.errors import WeChatError, login_code_rejected

bp = Blueprint("wechat_oauth", __name__, url_prefix="/wechat/oauth")

_PENDING = "wechat_oauth"


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, "/" if absent, None if it leads elsewhere."""
    if not target:
        return "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.get("/authorize")
def authorize():
    scope = request.args.get("scope", "snsapi_base")
    next_path = safe_next(request.args.get("next"))
    fields = {}
    if scope not in oauth.SCOPES:
        fields["scope"] = _("Not one of the allowed values.")
    if next_path is None:
        fields["next"] = _("Must be a path on this site.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    state = secrets.token_urlsafe(24)
    session[_PENDING] = {"state": state, "next": next_path, "scope": scope}
    callback = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(".callback")
    return redirect(oauth.authorize_url(callback, scope, state, hints=request.args))


@bp.get("/callback")
def callback():
    pending = session.pop(_PENDING, None)  # a state is good for one try
    state = request.args.get("state", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(str(pending.get("state", "")), state):
        raise Forbidden(_("This login link has expired or was not opened here. Please try again."),
                        code="oauth_state_mismatch")
    code = request.args.get("code")
    if not code:
        raise Forbidden(_("The WeChat authorization was declined."), code="oauth_declined")
    try:
        identity = oauth.identify(code, pending["scope"])
    except WeChatError as exc:
        raise login_code_rejected(exc) from exc
    user = commit_with_retry(lambda: upsert_wechat_user(
        "oa", identity.openid, identity.unionid, nickname=identity.nickname, avatar_url=identity.avatar_url,
        is_test=current_app.config["WECHAT_SANDBOX"]))
    log_in(user)
    return redirect(safe_next(pending.get("next")) or "/")
