"""The OpenAPI 3 document, generated from the routes and the schemas their views validate."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_UNSAFE_NAME = re.compile(r"[^a-zA-Z0-9._-]")
_PARAM_TYPES = {"int": {"type": "integer"}, "string": {"type": "string"}, None: {"type": "string"}}


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    name = _UNSAFE_NAME.sub("_", model.__name__)  # Page[Item] -> Page_Item_, as pydantic does
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": {k: v for k, v in prop.items() if k != "title"},
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
        if spec.get("body"):
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema_ref(spec["body"], components)}},
            }
        if spec.get("auth"):
            operation["security"] = [{"bearerAuth": []}]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
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
