"""The OpenAPI document and the server agree: schemathesis, over every operation, as a
logged-in shopper and anonymous, finds no server error, no 4xx without the error shape, no
valid request refused and no invalid request accepted.

Bounded (MAX_EXAMPLES per operation and mode) and derandomized, so CI sees the same cases
every run; the document the mini-program's developers read is the one tested.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 4
REQUEST_LAYER_REFUSALS = {"malformed_json", "bad_request", "unsupported_media_type", "validation_failed"}


@schemathesis.check
def valid_requests_pass_validation(ctx, response, case):
    """Schemathesis's positive_data_acceptance, told apart from state. A request the document
    calls valid may still be refused for what the database holds (an unknown SKU, an empty
    cart, a used WeChat code, a 21st address), each with its own error code; it must never be
    refused by the request layer: as malformed, as the wrong media type or with invalid fields
    (`validation_failed`, which is also what the domain's own field checks answer)."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code < 400:
        return None
    if response.status_code >= 500:
        return None  # not_a_server_error's to report
    code = (response.json() or {}).get("error", {}).get("code")
    if code in REQUEST_LAYER_REFUSALS or response.status_code == 415:
        raise AssertionError(f"A schema-valid request was refused with {response.status_code} {code}: "
                             f"{response.text[:500]}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          valid_requests_pass_validation, negative_data_rejection]


@pytest.fixture
def api_schema(live_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", live_app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    max_examples=MAX_EXAMPLES, deterministic=True, database="none")
    return schema


@pytest.fixture
def shopper_token(live_app):
    answer = live_app.test_client().post("/api/v1/auth/dev-login", json={"name": "schemathesis"})
    return answer.get_json()["token"]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_the_api_agrees_with_its_document_for_an_anonymous_caller(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
def test_the_api_agrees_with_its_document_for_a_logged_in_shopper(case, shopper_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {shopper_token}"})
