"""The OpenAPI document is generated from the code and the docs page needs no CDN."""

from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_describes_validated_bodies(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    dev_login = document["paths"]["/api/v1/auth/dev-login"]["post"]
    body_ref = dev_login["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body_schema = document["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert body_schema["properties"]["name"]["maxLength"] == 32
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    size = next(p for p in document["paths"]["/api/v1/products"]["get"]["parameters"] if p["name"] == "size")
    assert size["schema"]["maximum"] == 100


def test_docs_page_loads_its_assets_from_our_own_server(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "http" not in page  # no third-party host at all
    assert client.get("/api/v1/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/v1/docs/assets/swagger-ui.css").status_code == 200
    assert "/api/v1/openapi.json" in client.get("/api/v1/docs/init.js").get_data(as_text=True)


def _body_schema(document: dict, path: str) -> dict:
    ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _property(schema: dict, name: str) -> dict:
    prop = schema["properties"][name]
    return next((option for option in prop.get("anyOf", []) if option.get("type") != "null"), prop)


def test_the_document_states_the_limits_the_server_enforces(client):
    document = client.get("/api/v1/openapi.json").get_json()
    address = _body_schema(document, "/api/v1/addresses")
    assert _property(address, "receiver_name")["maxLength"] == 32
    assert (_property(address, "detail")["minLength"], _property(address, "detail")["maxLength"]) == (2, 128)
    assert _property(address, "receiver_phone")["pattern"] == "^1[3-9][0-9]{9}$"
    assert _property(address, "tag")["enum"] == ["", "家", "公司", "学校"]
    assert address["additionalProperties"] is False
    assert _property(_body_schema(document, "/api/v1/auth/dev-login"), "name")["pattern"] == "^[A-Za-z0-9_-]{1,32}$"
    assert _property(_body_schema(document, "/api/v1/auth/wx-login"), "avatar_url")["pattern"].startswith("^https?://")
    withdrawal = _body_schema(document, "/api/v1/distribution/withdrawals")
    assert _property(withdrawal, "amount_fen") == {"type": "integer", "minimum": 0, "exclusiveMinimum": True,
                                                   "maximum": 100_000_000_000, "title": "Amount Fen"}
    assert document["openapi"].startswith("3.0")  # an integer is written without a fraction: 1, never 1.0


def test_the_document_says_which_characters_typed_text_refuses(client):
    from app.core.request_models import LINE_PATTERN, MULTILINE_PATTERN

    document = client.get("/api/v1/openapi.json").get_json()
    assert _property(_body_schema(document, "/api/v1/orders"), "remark")["pattern"] == LINE_PATTERN
    assert _property(_body_schema(document, "/api/v1/after-sales"), "description")["pattern"] == MULTILINE_PATTERN
