"""Addresses: validation, the region text derived from the code, the single default, the limit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.addresses.models import Address
from app.extensions import db
from tests.checkout_helpers import Shopper, error_code


def _defaults(shopper: Shopper) -> list[int]:
    return [a["id"] for a in shopper.get("/addresses").get_json()["items"] if a["is_default"]]


def test_the_first_address_becomes_the_default_and_its_region_text_comes_from_the_code(client):
    shopper = Shopper(client)
    address = shopper.add_address(region_text="火星")
    assert address["is_default"] is True
    assert address["region_text"] == "广东省 深圳市"
    assert shopper.get(f"/addresses/{address['id']}").get_json()["region_code"] == "440305"


def test_a_municipality_district_reads_as_the_municipality(client):
    assert Shopper(client).add_address(region_code="110105")["region_text"] == "北京市"


def test_exactly_one_default_when_another_is_set(client):
    shopper = Shopper(client)
    first = shopper.add_address()
    second = shopper.add_address()
    assert _defaults(shopper) == [first["id"]]
    shopper.post(f"/addresses/{second['id']}/default")
    assert _defaults(shopper) == [second["id"]]
    third = shopper.add_address(is_default=True)
    assert _defaults(shopper) == [third["id"]]
    changed = shopper.put(f"/addresses/{first['id']}", {"receiver_name": "李四", "receiver_phone": "13900139000",
                                                        "region_code": "110105", "detail": "朝阳路2号",
                                                        "is_default": True}).get_json()
    assert changed["receiver_name"] == "李四" and changed["region_text"] == "北京市"
    assert _defaults(shopper) == [first["id"]]


def test_deleting_the_default_promotes_the_newest(client):
    shopper = Shopper(client)
    first, second, third = shopper.add_address(), shopper.add_address(), shopper.add_address()
    assert shopper.delete(f"/addresses/{first['id']}").status_code == 204
    assert _defaults(shopper) == [third["id"]]
    shopper.delete(f"/addresses/{second['id']}")
    assert _defaults(shopper) == [third["id"]]
    shopper.delete(f"/addresses/{third['id']}")
    assert shopper.get("/addresses").get_json() == {"items": []}


def test_at_most_twenty_addresses(client):
    shopper = Shopper(client)
    for _ in range(20):
        shopper.add_address()
    answer = shopper.post("/addresses", {"receiver_name": "张三", "receiver_phone": "13800138000",
                                         "region_code": "440305", "detail": "科技园南区1号"})
    assert answer.status_code == 422 and error_code(answer) == "too_many_addresses"
    assert len(_defaults(shopper)) == 1


@pytest.mark.parametrize("changes, field", [
    ({"receiver_name": "  "}, "receiver_name"),
    ({"receiver_name": "名" * 33}, "receiver_name"),
    ({"receiver_phone": "12800138000"}, "receiver_phone"),
    ({"receiver_phone": "1380013800"}, "receiver_phone"),
    ({"receiver_phone": "+8613800138000"}, "receiver_phone"),
    ({"region_code": "440300"}, "region_code"),  # a city, not a county
    ({"region_code": "440000"}, "region_code"),  # a province
    ({"region_code": "810101"}, "region_code"),  # Hong Kong is not served
    ({"region_code": "44030x"}, "region_code"),
    ({"detail": "1"}, "detail"),
    ({"detail": "路" * 129}, "detail"),
    ({"tag": "别墅"}, "tag"),
])
def test_bad_addresses_are_refused_field_by_field(client, changes, field):
    shopper = Shopper(client)
    body = {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": "440305",
            "detail": "科技园南区1号", **changes}
    answer = shopper.post("/addresses", body)
    assert answer.status_code == 422 and error_code(answer) == "validation_failed"
    assert field in answer.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Address)) == 0


def test_a_bad_update_changes_nothing(client):
    shopper = Shopper(client)
    address = shopper.add_address()
    answer = shopper.put(f"/addresses/{address['id']}", {"receiver_name": "李四", "receiver_phone": "1",
                                                         "region_code": "440305", "detail": "科技园南区1号"})
    assert answer.status_code == 422
    assert shopper.get(f"/addresses/{address['id']}").get_json()["receiver_name"] == "张三"


def test_another_shoppers_address_is_not_found_everywhere(client):
    owner, stranger = Shopper(client), Shopper(client)
    address = owner.add_address()
    body = {"receiver_name": "李四", "receiver_phone": "13900139000", "region_code": "440305", "detail": "别处1号"}
    for answer in (stranger.get(f"/addresses/{address['id']}"), stranger.put(f"/addresses/{address['id']}", body),
                   stranger.post(f"/addresses/{address['id']}/default"),
                   stranger.delete(f"/addresses/{address['id']}")):
        assert answer.status_code == 404 and error_code(answer) == "address_not_found"
    assert owner.get(f"/addresses/{address['id']}").get_json() == address
