"""The WeChat sandbox: a local fake of the WeChat HTTP APIs we use.

It signs and encrypts exactly as WeChat does, and the real clients (wechatpy, wechatpayv3)
talk to it over HTTP, so the demo and the tests run the production code paths. Mounted under
/sandbox only in sandbox mode. Hosts are mapped to prefixes:

    api.weixin.qq.com      -> /sandbox/api
    open.weixin.qq.com     -> /sandbox/open
    api.mch.weixin.qq.com  -> /sandbox/mch
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")


def init_app(app: Flask) -> None:
    """Fill in sandbox credentials and mount the sandbox, when in sandbox mode."""
    if not app.config.get("WECHAT_SANDBOX"):
        return
    from app.wechat.sandbox.credentials import apply_sandbox_credentials
    from app.wechat.sandbox.state import SandboxState

    apply_sandbox_credentials(app)
    app.extensions["wechat_sandbox"] = SandboxState(app)  # on the app's Redis, bound later
    from app.wechat.sandbox import routes  # noqa: F401  (routes register on import)

    app.register_blueprint(bp)
