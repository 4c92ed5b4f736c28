"""The shopper's delivery addresses."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from app.addresses import services as addresses
from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.request_models import Body, FilledText
from app.core.validation import documented, use_body
from app.extensions import db
from app.shipping import regions


class AddressIn(Body):
    """The service's own limits (app.addresses.services), so the document states them; the
    service also checks that the region is a county we deliver to."""

    receiver_name: FilledText = Field(min_length=1, max_length=addresses.NAME_MAX)
    receiver_phone: str = Field(pattern=addresses.MOBILE_PATTERN, description="a mainland mobile number")
    region_code: str = Field(json_schema_extra={"enum": regions.county_codes()},
                             description="a county-level code, e.g. 440305; the text is derived")
    detail: FilledText = Field(min_length=addresses.DETAIL_MIN, max_length=addresses.DETAIL_MAX)
    tag: Literal[addresses.TAGS] = Field("", description="家, 公司, 学校 or empty")  # type: ignore[valid-type]
    is_default: bool = False

    @field_validator("region_code")
    @classmethod
    def _a_county(cls, code: str) -> str:
        if regions.county(code) is None:
            raise PydanticCustomError("county_code", "not a county we deliver to")
        return code
    region_text: str | None = Field(None, max_length=64, description="ignored: derived from region_code")


class AddressOut(BaseModel):
    id: int
    receiver_name: str
    receiver_phone: str
    region_code: str
    region_text: str
    detail: str
    tag: str
    is_default: bool


class AddressListOut(BaseModel):
    items: list[AddressOut]


def address_out(address) -> dict:
    return {"id": address.id, "receiver_name": address.receiver_name, "receiver_phone": address.receiver_phone,
            "region_code": address.region_code, "region_text": address.region_text, "detail": address.detail,
            "tag": address.tag, "is_default": address.is_default}


def _values(body: AddressIn) -> dict:
    return body.model_dump(exclude={"is_default", "region_text"})


@bp.get("/addresses")
@documented(summary="My addresses, the default first", response=AddressListOut, auth=True, tags=("addresses",))
@login_required
def address_list():
    return jsonify(items=[address_out(a) for a in addresses.addresses_of(current_user().id)])


@bp.post("/addresses")
@documented(summary="Add an address (the first becomes the default)", response=AddressOut, auth=True,
            tags=("addresses",), status=201)
@login_required
@use_body(AddressIn)
def address_create(body: AddressIn):
    address = addresses.create_address(current_user().id, _values(body), is_default=body.is_default)
    db.session.commit()
    return jsonify(address_out(address)), 201


@bp.get("/addresses/<int:address_id>")
@documented(summary="One address", response=AddressOut, auth=True, tags=("addresses",))
@login_required
def address_detail(address_id: int):
    return jsonify(address_out(addresses.own_address(current_user().id, address_id)))


@bp.put("/addresses/<int:address_id>")
@documented(summary="Change an address", response=AddressOut, auth=True, tags=("addresses",))
@login_required
@use_body(AddressIn)
def address_update(address_id: int, body: AddressIn):
    address = addresses.update_address(current_user().id, address_id, _values(body),
                                       is_default=body.is_default or None)
    db.session.commit()
    return jsonify(address_out(address))


@bp.post("/addresses/<int:address_id>/default")
@documented(summary="Make an address the default", response=AddressOut, auth=True, tags=("addresses",))
@login_required
def address_set_default(address_id: int):
    address = addresses.set_default(current_user().id, address_id)
    db.session.commit()
    return jsonify(address_out(address))


@bp.delete("/addresses/<int:address_id>")
@documented(summary="Delete an address (the newest left becomes the default)", auth=True, tags=("addresses",),
            status=204)
@login_required
def address_delete(address_id: int):
    addresses.delete_address(current_user().id, address_id)
    db.session.commit()
    return "", 204
