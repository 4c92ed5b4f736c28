"""Request bodies and query strings validated with pydantic, with field-level messages.

The decorators also record the schemas on the view, which is where the OpenAPI document
is generated from: what is validated is what is documented.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from app.core.errors import DomainError, ValidationError
from app.core.request_models import TEXT_PATTERNS


def _field_message(error: dict[str, Any]) -> str:
    """A translated message for one pydantic error; pydantic's own text as a fallback."""
    ctx = error.get("ctx") or {}
    kind = error["type"]
    messages = {
        "missing": lambda: _("This field is required."),
        "string_type": lambda: _("Must be text."),
        "int_type": lambda: _("Must be a whole number."),
        "int_parsing": lambda: _("Must be a whole number."),
        "bool_type": lambda: _("Must be true or false."),
        "bool_parsing": lambda: _("Must be true or false."),
        "float_type": lambda: _("Must be a number."),
        "dict_type": lambda: _("Must be an object."),
        "string_too_short": lambda: _("At least %(n)s characters.", n=ctx.get("min_length")),
        "string_too_long": lambda: _("At most %(n)s characters.", n=ctx.get("max_length")),
        "string_pattern_mismatch": lambda: _("The format is not valid."),
        "greater_than_equal": lambda: _("Must be at least %(n)s.", n=ctx.get("ge")),
        "less_than_equal": lambda: _("Must be at most %(n)s.", n=ctx.get("le")),
        "greater_than": lambda: _("Must be greater than %(n)s.", n=ctx.get("gt")),
        "extra_forbidden": lambda: _("Unknown field."),
        "model_type": lambda: _("Must be an object."),
        "list_type": lambda: _("Must be a list."),
        "literal_error": lambda: _("Not one of the allowed values."),
        "enum": lambda: _("Not one of the allowed values."),
        "county_code": lambda: _("Choose a district or county we deliver to."),
        "describe_other": lambda: _("Please describe the problem."),
        "cart_or_lines": lambda: _("Give either the cart or lines, not both."),
        "no_lines": lambda: _("Choose at least one item."),
    }
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in TEXT_PATTERNS:
        make = messages["missing"] if not str(error.get("input", "")).strip() else \
            lambda: _("Control characters and invisible formatting characters are not allowed.")
    else:
        make = messages.get(kind)
    return make() if make else error.get("msg", _("Invalid value."))


def fields_from(exc: PydanticValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "__root__"
        fields.setdefault(name, _field_message(error))
    return fields


def validate(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(_("Some fields are invalid."), fields=fields_from(exc)) from exc


def json_object() -> dict[str, Any]:
    """The body as a JSON object; 415 if not JSON, 400 if it cannot be parsed (the app's
    JSON provider refuses deep nesting, NaN, invalid UTF-8 and lone surrogates), 413 if too big."""
    if not request.is_json:
        raise UnsupportedMediaType()
    try:
        data = request.get_json(force=False, silent=False)
    except BadRequest as exc:
        raise DomainError(_("The request body is not valid JSON."), code="malformed_json") from exc
    if not isinstance(data, dict):
        raise DomainError(_("The request body must be a JSON object."), code="malformed_json")
    return data


def parse_json_body(model: type[BaseModel]) -> BaseModel:
    """The body as `model`: json_object's refusals, then 422 naming every invalid field."""
    return validate(model, json_object())


def use_body(model: type[BaseModel]) -> Callable:
    """Inject the validated body as the `body` keyword argument."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs["body"] = parse_json_body(model)
            return view(*args, **kwargs)

        _openapi(wrapper)["body"] = model
        return wrapper

    return decorator


def use_query(model: type[BaseModel]) -> Callable:
    """Inject the validated query string as the `query` keyword argument."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs["query"] = validate(model, request.args.to_dict())
            return view(*args, **kwargs)

        _openapi(wrapper)["query"] = model
        return wrapper

    return decorator


def documented(*, summary: str, response: type[BaseModel] | None = None, auth: bool = False,
               tags: tuple[str, ...] = (), status: int = 200, upload: str | None = None) -> Callable:
    """Describe a view for the OpenAPI document (summary, response model, bearer auth, the
    multipart field of an upload)."""

    def decorator(view: Callable) -> Callable:
        spec = _openapi(view)
        spec.update(summary=summary, response=response, auth=auth, tags=tags, status=status, upload=upload)
        return view

    return decorator


def _openapi(view: Callable) -> dict:
    inner = getattr(view, "__wrapped__", None)
    spec = getattr(view, "__openapi__", None) or (getattr(inner, "__openapi__", None) if inner else None)
    if spec is None:
        spec = {}
    view.__openapi__ = spec  # type: ignore[attr-defined]
    return spec
