"""Hostile input gets a 4xx with the error shape and writes nothing: bodies that cannot be
parsed, loose types in strict fields, control characters in typed text, ids in other digits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.addresses.models import Address
from app.distribution import agents, ledger
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.distribution_helpers import configure

NESTED = "[" * 1000 + "]" * 1000
ADDRESS = {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": "440305",
           "detail": "科技园南路 1 号"}


def _error(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _shopper(client, name: str = "alice") -> tuple[dict[str, str], User]:
    answer = client.post("/api/v1/auth/dev-login", json={"name": name})
    assert answer.status_code == 200, answer.get_json()
    user = db.session.get(User, answer.get_json()["user"]["id"])
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}, user


# -- 1. bodies that cannot be parsed --------------------------------------------------------
@pytest.mark.parametrize("raw", [
    NESTED,
    '{"name": ' + "[" * 1000 + "]" * 1000 + "}",
    b'{"name": "al\xffice"}',
    '{"name": "\\ud800"}',
    '{"name": "alice", "nickname": NaN}',
], ids=["nested_array", "nested_in_object", "invalid_utf8", "lone_surrogate", "nan"])
def test_a_body_that_cannot_be_parsed_is_400_without_login(client, raw):
    response = client.post("/api/v1/auth/dev-login", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert _error(response)["code"] == "malformed_json"
    assert _count(User) == 0


def test_deeply_nested_json_is_400_on_a_logged_in_endpoint(client):
    headers, _user = _shopper(client)
    response = client.post("/api/v1/addresses", data=NESTED, content_type="application/json", headers=headers)
    assert response.status_code == 400 and _error(response)["code"] == "malformed_json"


def test_deeply_nested_json_is_400_on_the_consoles_json_endpoints(app):
    make_staff("boss", role="owner")
    console = app.test_client()
    log_in(console, "boss")
    headers = {"Accept": "application/json", "X-CSRFToken": csrf_token(console, "/admin/")}
    for path in ("/admin/simulator/api/oa/text", "/admin/simulator/api/pay/test-payment"):
        response = console.post(path, data=NESTED, content_type="application/json", headers=headers)
        assert response.status_code == 400, path
        assert _error(response)["code"] == "malformed_json"


def test_deeply_nested_json_in_the_product_editors_spec_table_is_a_form_error(app):
    from tests.test_admin_products import _client_as, _form, _save

    product = factories.product(factories.category())
    console = _client_as(app, "owner")
    response = _save(console, f"/admin/products/{product.id}", _form(product.category, [], [], matrix_json=NESTED))
    assert response.status_code == 422
    assert "无法读取规格表" in response.get_data(as_text=True)


def test_deeply_nested_json_sent_to_the_sandbox_is_a_4xx_not_a_500(client):
    response = client.post("/sandbox/simulate/oa/text", data=NESTED, content_type="application/json")
    assert response.status_code == 400


# -- 2. strict integers, money and booleans --------------------------------------------------
@pytest.mark.parametrize("amount", ["1_000", "1000", " 1", True, 1000.0])
def test_a_withdrawal_amount_must_be_a_json_integer(client, amount):
    configure(withdraw_methods=["balance"])
    headers, user = _shopper(client, "agent_wd")
    from app.audit.services import SYSTEM

    agents.appoint(SYSTEM, user.id)
    ledger.post(user.id, "test_credit", ref="hostile", available=3_000)
    db.session.commit()
    response = client.post("/api/v1/distribution/withdrawals", headers=headers,
                           json={"amount_fen": amount, "method": "balance", "idempotency_key": "key-000001"})
    assert response.status_code == 422
    assert _error(response)["fields"] == {"amount_fen": "必须是整数。"}
    assert _count(Withdrawal) == 0


@pytest.mark.parametrize("quantity", [" 1", "1", True, 1.0])
def test_a_cart_quantity_must_be_a_json_integer(client, quantity):
    headers, _user = _shopper(client)
    sku = factories.product(factories.category()).skus[0]
    db.session.commit()
    response = client.post("/api/v1/cart", json={"sku_id": sku.id, "quantity": quantity}, headers=headers)
    assert response.status_code == 422 and set(_error(response)["fields"]) == {"quantity"}


@pytest.mark.parametrize("flag", ["true", 1, "1"])
def test_a_boolean_must_be_true_or_false(client, flag):
    headers, _user = _shopper(client)
    response = client.post("/api/v1/addresses", json={**ADDRESS, "is_default": flag}, headers=headers)
    assert response.status_code == 422
    assert _error(response)["fields"] == {"is_default": "必须是 true 或 false。"}
    assert _count(Address) == 0


def test_a_checkout_line_quantity_must_be_a_json_integer(client):
    headers, _user = _shopper(client)
    response = client.post("/api/v1/orders/preview", headers=headers,
                           json={"lines": [{"sku_id": "1", "quantity": "2"}]})
    assert response.status_code == 422
    assert set(_error(response)["fields"]) == {"lines.0.sku_id", "lines.0.quantity"}


@pytest.mark.parametrize("page", ["1_0", " 1", "+1", "1.0", "١"])
def test_a_page_number_in_the_query_is_ascii_digits(client, page):
    response = client.get(f"/api/v1/products?page={page}")
    assert response.status_code == 422 and set(_error(response)["fields"]) == {"page"}


# -- 3. control characters in typed text ------------------------------------------------------
@pytest.mark.parametrize("name", ["张\x00三", "张\u202e三", "张\x1b[2J三", "张\u2066三", "张\x7f三", "张\u200b三",
                                  "张\n三"])
def test_an_address_name_with_control_characters_is_refused_and_not_stored(client, name):
    headers, _user = _shopper(client)
    response = client.post("/api/v1/addresses", json={**ADDRESS, "receiver_name": name}, headers=headers)
    assert response.status_code == 422
    assert _error(response)["fields"] == {"receiver_name": "不能包含控制字符或不可见的格式字符。"}
    assert _count(Address) == 0


def test_a_nickname_with_a_bidi_override_is_refused(client):
    response = client.post("/api/v1/auth/dev-login", json={"name": "alice", "nickname": "ali\u202ece"})
    assert response.status_code == 422 and set(_error(response)["fields"]) == {"nickname"}
    assert _count(User) == 0


def test_an_order_remark_with_a_nul_is_refused(client):
    headers, _user = _shopper(client)
    response = client.post("/api/v1/orders/preview", headers=headers,
                           json={"lines": [{"sku_id": 1, "quantity": 1}], "remark": "放门口\x00"})
    assert response.status_code == 422 and set(_error(response)["fields"]) == {"remark"}


def test_typed_text_keeps_chinese_emoji_and_joiners(client):
    headers, _user = _shopper(client)
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    response = client.post("/api/v1/addresses", headers=headers,
                           json={**ADDRESS, "receiver_name": f"张三{family}", "detail": "科技园 · 南路 1 号（北门）"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["receiver_name"] == f"张三{family}"


def test_a_multiline_description_keeps_its_newlines_but_not_escapes():
    from app.api.after_sales import AfterSaleIn
    from app.core.errors import ValidationError
    from app.core.validation import validate

    body = {"order_item_id": 1, "kind": "refund_only", "quantity": 1, "reason": "不想要了"}
    assert validate(AfterSaleIn, {**body, "description": "第一行\n第二行\t完"}).description == "第一行\n第二行\t完"
    with pytest.raises(ValidationError) as refused:
        validate(AfterSaleIn, {**body, "description": "第一行\x1b]0;pwned\x07"})
    assert set(refused.value.fields) == {"description"}


# -- 3. ids in other scripts' digits ----------------------------------------------------------
OTHER_DIGITS = {"arabic_indic": "٠١٢٣٤٥٦٧٨٩", "extended_arabic_indic": "۰۱۲۳۴۵۶۷۸۹",
                "full_width": "０１２３４５６７８９"}


@pytest.mark.parametrize("script", OTHER_DIGITS)
def test_a_product_id_in_other_digits_is_404(client, script):
    product = factories.product(factories.category())
    written = str(product.id).translate(str.maketrans("0123456789", OTHER_DIGITS[script]))
    assert client.get(f"/api/v1/products/{product.id}").status_code == 200
    response = client.get(f"/api/v1/products/{written}")
    assert response.status_code == 404 and _error(response)["code"] == "not_found"


def test_a_console_order_id_in_other_digits_is_404(app):
    make_staff("boss", role="owner")
    console = app.test_client()
    log_in(console, "boss")
    order = factories.order(factories.shopper(), [(factories.product(factories.category()).skus[0], 1)])
    written = str(order.id).translate(str.maketrans("0123456789", OTHER_DIGITS["full_width"]))
    assert console.get(f"/admin/orders/{order.id}").status_code == 200
    assert console.get(f"/admin/orders/{written}").status_code == 404


def test_an_id_larger_than_any_row_can_have_is_404_not_an_overflow(client):
    headers, _user = _shopper(client)
    assert client.get("/api/v1/products/515255005721280380928").status_code == 404
    response = client.post("/api/v1/orders/515255005721280380928/pay", json={"method": "wechat"}, headers=headers)
    assert response.status_code == 404 and _error(response)["code"] == "not_found"


def test_a_console_form_refuses_control_characters_and_saves_nothing(app):
    from app.accounts.models import Role

    make_staff("boss", role="owner")
    console = app.test_client()
    log_in(console, "boss")
    service = db.session.query(Role).filter_by(code="service").one()
    path = f"/admin/settings/roles/{service.id}"
    response = post(console, path, {"name": "客服\u202e服客", "permissions": ["orders"]}, token_path=path)
    assert response.status_code == 200
    assert "不能包含控制字符或不可见的格式字符。" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Role, service.id).name == "客服"
