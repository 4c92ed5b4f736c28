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
