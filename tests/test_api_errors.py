"""Bad input gets the JSON error shape with the right 4xx status and writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


def _error(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_malformed_json_is_400_and_creates_no_user(client):
    response = client.post("/api/v1/auth/dev-login", data='{"name": "alice"',
                           content_type="application/json")
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"
    assert _user_count() == 0


def test_json_that_is_not_an_object_is_400(client):
    response = client.post("/api/v1/auth/dev-login", json=["alice"])
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/auth/dev-login", data="name=alice",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"
    assert _user_count() == 0


def test_oversized_body_is_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/api/v1/auth/dev-login", data='{"name": "' + "a" * 5000 + '"}',
                                      content_type="application/json")
    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"
    with app.app_context():
        assert _user_count() == 0


def test_unknown_route_is_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_wrong_method_is_405_with_allow_header(client):
    response = client.delete("/api/v1/auth/dev-login")
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_invalid_fields_are_422_with_a_message_per_field(client):
    response = client.post("/api/v1/auth/dev-login", json={"name": "", "surprise": 1})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"name", "surprise"}
    assert _user_count() == 0


def test_missing_field_says_it_is_required_in_chinese_by_default(client):
    error = _error(client.post("/api/v1/auth/dev-login", json={}))
    assert error["fields"] == {"name": "此项必填。"}
    assert error["message"] == "部分字段填写有误。"


def test_english_is_available_on_request(client):
    response = client.post("/api/v1/auth/dev-login", json={}, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert _error(response)["fields"] == {"name": "This field is required."}
    assert _error(client.get("/api/v1/nothing?lang=en"))["message"] == "The requested resource does not exist."


def test_missing_token_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert _error(response)["code"] == "token_missing"


def test_tampered_token_is_401(client, login):
    headers = login("alice")
    token = headers["Authorization"].removeprefix("Bearer ")
    payload, timestamp, signature = token.split(".")
    forged = f"{payload[:-2]}xx.{timestamp}.{signature}"
    resigned = f"{payload}.{timestamp}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    for bad in (forged, resigned, "not-a-token"):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
        assert _error(response)["code"] == "token_invalid"


def test_expired_token_is_401(make_app):
    app = make_app(API_TOKEN_MAX_AGE=-1)
    client = app.test_client()
    token = client.post("/api/v1/auth/dev-login", json={"name": "bob"}).get_json()["token"]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert _error(response)["code"] == "token_expired"


def test_a_crash_is_a_json_500_without_details_and_rolls_back(make_app):
    app = make_app()

    @app.get("/api/v1/test-crash")
    def crash():
        db.session.add(User(nickname="half-written"))
        db.session.flush()
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/v1/test-crash")
    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "internal_error"
    assert "secret internals" not in response.get_data(as_text=True)
    with app.app_context():
        assert _user_count() == 0


def test_domain_refusals_and_throttling_use_their_statuses(make_app):
    from werkzeug.exceptions import TooManyRequests

    from app.core.errors import Conflict, Forbidden

    app = make_app()

    @app.get("/api/v1/test-forbidden")
    def forbidden():
        raise Forbidden("not yours", code="not_your_team")

    @app.get("/api/v1/test-conflict")
    def conflict():
        raise Conflict("already paid", code="already_paid")

    @app.get("/api/v1/test-throttled")
    def throttled():
        raise TooManyRequests()

    client = app.test_client()
    assert (client.get("/api/v1/test-forbidden").status_code, _error(client.get("/api/v1/test-forbidden"))["code"]) \
        == (403, "not_your_team")
    assert client.get("/api/v1/test-conflict").status_code == 409
    throttled_response = client.get("/api/v1/test-throttled")
    assert throttled_response.status_code == 429
    assert _error(throttled_response)["message"] == "请求过于频繁，请稍后再试。"


BAD_BODIES = [b"{not json", b"[1, 2]", b'{"quantity": "many", "sku_id": [], "lines": "x", "method": 7}',
              b'{"idempotency_key": null, "order_item_id": -1, "amount_fen": 1.5}']


def _takes_json_body(view) -> bool:
    while view is not None:
        if "body" in (getattr(view, "__openapi__", None) or {}):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _writing_routes(app):
    """Every /api/v1 route that takes a JSON body, with sample ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or "dev-login" in rule.rule \
                or not _takes_json_body(app.view_functions[rule.endpoint]):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
            yield method, path


def test_every_bad_body_to_every_writing_endpoint_is_a_4xx_json_error_that_changes_nothing(app, client, login):
    from sqlalchemy import func, select

    from app.addresses.models import Address
    from app.cart.models import CartItem
    from app.orders.models import AfterSale, Order

    headers = login("fuzzer")

    def counts():
        return [db.session.scalar(select(func.count()).select_from(model))
                for model in (Order, CartItem, Address, AfterSale)]

    before = counts()
    routes = list(_writing_routes(app))
    assert len(routes) >= 12  # cart, addresses, orders, pay, after-sales, ...
    json_headers = {**headers, "Content-Type": "application/json"}
    for method, path in routes:
        for body in BAD_BODIES:
            answer = client.open(path, method=method, data=body, headers=json_headers)
            assert 400 <= answer.status_code < 500, (method, path, body, answer.status_code)
            error = answer.get_json()["error"]
            assert error["code"] and error["message"], (method, path)
    assert counts() == before
