"""/sandbox: what the sandbox is and the simulate actions it offers (JSON, for curl)."""

from __future__ import annotations

from flask import current_app, jsonify

from app.wechat.sandbox import bp


@bp.get("/")
def index():
    simulate = sorted(rule.rule for rule in current_app.url_map.iter_rules()
                      if rule.rule.startswith("/sandbox/simulate/"))
    return jsonify(
        sandbox=True,
        hosts={"api.weixin.qq.com": "/sandbox/api", "open.weixin.qq.com": "/sandbox/open",
               "api.mch.weixin.qq.com": "/sandbox/mch"},
        simulate=simulate,
        calls=dict(current_app.extensions["wechat_sandbox"].calls),
    )
