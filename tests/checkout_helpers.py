"""Helpers for the cart, address, checkout and order tests: a logged-in shopper, products,
an address, and the API calls they make."""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.orders.models import Order
from tests import factories

NANSHAN = "440305"  # 广东省 深圳市 南山区
_names = itertools.count(1)


class Shopper:
    """A shopper logged in through the sandbox dev login, calling the API with their token."""

    def __init__(self, client, name: str | None = None) -> None:
        self.client = client
        self.name = name or f"shopper{next(_names)}"
        answer = client.post("/api/v1/auth/dev-login", json={"name": self.name})
        assert answer.status_code == 200, answer.get_json()
        self.headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
        self.id = answer.get_json()["user"]["id"]

    def get(self, path: str, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

    def post(self, path: str, json=None, **kwargs):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json, **kwargs)

    def put(self, path: str, json=None):
        return self.client.put(f"/api/v1{path}", headers=self.headers, json=json)

    def patch(self, path: str, json=None):
        return self.client.patch(f"/api/v1{path}", headers=self.headers, json=json)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def add_address(self, **changes) -> dict:
        body = {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": NANSHAN,
                "detail": "科技园南区1号", **changes}
        answer = self.post("/addresses", body)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def add_to_cart(self, sku_id: int, quantity: int = 1) -> dict:
        answer = self.post("/cart", {"sku_id": sku_id, "quantity": quantity})
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def place(self, lines=None, *, key: str | None = None, **body):
        if lines is not None:
            body["lines"] = [{"sku_id": sku.id, "quantity": quantity} for sku, quantity in lines]
        return self.post("/orders", {"idempotency_key": key or uuid.uuid4().hex, **body})


def sku_of(product, index: int = 0):
    return product.skus[index]


def goods(price_fen: int = 1990, stock: int = 10, **fields):
    """A visible product with one SKU (more with skus=n)."""
    return factories.product(factories.category(), price_fen=price_fen, stock=stock, **fields)


def stock_of(sku) -> int:
    db.session.expire_all()
    return db.session.get(type(sku), sku.id).stock


def order_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def error_code(answer) -> str:
    body = answer.get_json()
    assert set(body["error"]) >= {"code", "message", "fields"}, body
    return body["error"]["code"]
