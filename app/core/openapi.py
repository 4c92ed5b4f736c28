"""The OpenAPI 3 document, generated from the routes and the schemas their views validate.

It is OpenAPI 3.0, whose schemas (JSON Schema draft 5) define an integer as a number written
without a fraction or exponent: exactly what our strict models accept (1, never 1.0). In 3.1
(JSON Schema 2020-12) 1.0 is an integer, which the server refuses, so the document would
promise more than the server keeps. Pydantic writes 2020-12; `_as_openapi_30` translates the
few keywords it uses (null in anyOf, numeric exclusive bounds).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from app.core.request_models import MAX_ID

_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_UNSAFE_NAME = re.compile(r"[^a-zA-Z0-9._-]")
_PARAM_TYPES = {"int": {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "string": {"type": "string"},
                None: {"type": "string"}}


def _as_openapi_30(node: Any) -> Any:
    """A JSON Schema 2020-12 node as OpenAPI 3.0 says it: `nullable` instead of a null type,
    boolean exclusive bounds next to the bound."""
    if isinstance(node, list):
        return [_as_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_openapi_30(value) for key, value in node.items()}
    options = node.get("anyOf")
    if options and {"type": "null"} in options:
        rest = {key: value for key, value in node.items() if key != "anyOf"}
        others = [option for option in options if option != {"type": "null"}]
        if len(others) == 1:
            only = others[0]
            node = {**({"allOf": [only]} if "$ref" in only else only), **rest, "nullable": True}
        else:
            node = {**rest, "anyOf": others, "nullable": True}
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(exclusive), (int, float)) and not isinstance(node[exclusive], bool):
            node[bound], node[exclusive] = node[exclusive], True
    return node


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = _as_openapi_30(model.model_json_schema(ref_template="#/components/schemas/{model}"))
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    name = _UNSAFE_NAME.sub("_", model.__name__)  # Page[Item] -> Page_Item_, as pydantic does
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def _absent_not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is None when it is left out: there is no null to send."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    if len(options) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf" and (key, value) != ("default", None)}
    return {**options[0], **rest}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _as_openapi_30(_absent_not_null({k: v for k, v in prop.items() if k != "title"})),
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def build_document(app: Flask, prefix: str = "/api/v1") -> dict[str, Any]:
    components: dict[str, Any] = {}
    error_ref = _schema_ref(ErrorEnvelope, components)
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefix):
            continue
        view = app.view_functions[rule.endpoint]
        spec = getattr(view, "__openapi__", None)
        if not spec or "summary" not in spec:
            continue
        path = _PATH_PARAM.sub(r"{\2}", rule.rule)
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": _PARAM_TYPES.get(kind, {"type": "string"})}
            for kind, name in _PATH_PARAM.findall(rule.rule)
        ]
        if spec.get("query"):
            parameters += _query_parameters(spec["query"])
        status = str(spec.get("status", 200))
        ok: dict[str, Any] = {"description": "OK"}
        if spec.get("response"):
            ok["content"] = {"application/json": {"schema": _schema_ref(spec["response"], components)}}
        operation: dict[str, Any] = {
            "summary": spec["summary"],
            "operationId": rule.endpoint.replace(".", "_"),
            "tags": list(spec.get("tags", ())),
            "parameters": parameters,
            "responses": {
                status: ok,
                "4XX": {"description": "Error", "content": {"application/json": {"schema": error_ref}}},
            },
        }
        if status == "201":  # created; a repeat (same idempotency key, a second sign-in) answers 200 with the same
            operation["responses"]["200"] = {**ok, "description": "OK: done before, the same answer"}
        if spec.get("body"):
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema_ref(spec["body"], components)}},
            }
        if spec.get("upload"):
            field = spec["upload"]
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {field: {"type": "string", "format": "binary"}}, "required": [field]}}}}
        if spec.get("auth"):
            operation["security"] = [{"bearerAuth": []}]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "Fenxiao API", "version": "1.0.0",
                 "description": "The JSON API the Fenxiao mini-program storefront speaks."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str]


class ErrorEnvelope(BaseModel):
    error: ErrorBody
