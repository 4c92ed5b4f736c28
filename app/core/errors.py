"""One error shape for every JSON answer: {"error": {"code", "message", "fields"}}.

Domains raise DomainError subclasses (no Flask import needed); the edge turns them and
any HTTP error into the shape with the right status, never a 500 for bad input.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal a user can understand; `status` is the HTTP status the edge will use."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}


class ValidationError(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


def _http_messages() -> dict[int, tuple[str, str]]:
    """Codes and translated messages for the HTTP errors Flask/Werkzeug raise themselves."""
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorized", _("Please log in first.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("The requested resource does not exist.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("The request conflicts with the current state.")),
        413: ("payload_too_large", _("The request body is too large.")),
        415: ("unsupported_media_type", _("The request body must be JSON.")),
        422: ("validation_failed", _("Some fields are invalid.")),
        429: ("too_many_requests", _("Too many requests, please try again later.")),
        500: ("internal_error", _("Something went wrong on our side. Please try again.")),
        503: ("service_unavailable", _("The service is temporarily unavailable.")),
    }


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    if request.path.startswith("/admin") and request.accept_mimetypes.accept_html:
        response = make_response(render_template("admin/error.html", status=status, message=message))
        response.status_code = status
        return response
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        from app.extensions import db

        db.session.rollback()  # a refusal never leaves a partial write behind
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        code, message = _http_messages().get(status, ("http_error", exc.description or ""))
        response = error_response(status, code, message)
        if status == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        from app.extensions import db

        log.exception("unhandled error")
        db.session.rollback()
        code, message = _http_messages()[500]
        return error_response(500, code, message)
