"""The OpenAPI document and a Swagger UI page served from the installed package (no CDN)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template_string, url_for
from swagger_ui_bundle import swagger_ui_path

from app.api import bp
from app.core.openapi import build_document

assets = Blueprint("api_docs_assets", __name__, static_folder=swagger_ui_path,
                   static_url_path="/api/v1/docs/assets")

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Fenxiao API</title>
<link rel="stylesheet" href="{{ assets }}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{{ assets }}/swagger-ui-bundle.js"></script>
<script src="{{ url_for('api.docs_init') }}"></script>
</body></html>"""

_INIT = "window.ui = SwaggerUIBundle({url: %r, dom_id: '#swagger-ui'});"


@bp.get("/openapi.json")
def openapi_document():
    document = current_app.extensions.get("openapi_document")
    if document is None:  # built once per app: the routes do not change after start-up
        document = current_app.extensions["openapi_document"] = build_document(current_app)
    return jsonify(document)


@bp.get("/docs")
def docs_page():
    base = url_for("api_docs_assets.static", filename="").rstrip("/")
    return render_template_string(_PAGE, assets=base)


@bp.get("/docs/init.js")
def docs_init():
    body = _INIT % url_for("api.openapi_document")
    return current_app.response_class(body, mimetype="application/javascript")
