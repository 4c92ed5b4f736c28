"""The shopper's delivery addresses."""

from __future__ import annotations

from flask import jsonify
from pydantic import BaseModel, ConfigDict, Field

from app.addresses import services as addresses
from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.validation import documented, use_body
from app.extensions import db


class AddressIn(BaseModel):
    """Checked again by the service (phone format, county-level region, lengths)."""

    model_config = ConfigDict(extra="forbid")

    receiver_name: str = Field(max_length=64)
    receiver_phone: str = Field(max_length=32)
    region_code: str = Field(max_length=12, description="a county-level code, e.g. 440305; the text is derived")
    detail: str = Field(max_length=256)
    tag: str = Field("", max_length=8, description="家, 公司, 学校 or empty")
    is_default: bool = False
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
