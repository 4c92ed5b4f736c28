"""A shopper's parcels and their trace, and confirming receipt."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.china_time import to_beijing
from app.core.errors import NotFound
from app.core.validation import documented
from app.extensions import db
from app.logistics.tracking import TRACKING_STATE_LABELS, track
from app.orders import fulfilment, oplog
from app.orders.models import Order
from app.orders.states import ORDER_STATUS_LABELS


class TraceEventOut(BaseModel):
    time: datetime
    text: str


class TraceOut(BaseModel):
    state: str
    state_label: str
    events: list[TraceEventOut]


class ParcelLineOut(BaseModel):
    order_item_id: int
    title: str
    spec_text: str
    quantity: int


class ParcelOut(BaseModel):
    id: int
    courier_code: str
    courier_name: str
    tracking_no: str
    shipped_at: datetime
    lines: list[ParcelLineOut]
    trace: TraceOut


class TrackingOut(BaseModel):
    order_id: int
    status: str
    status_label: str
    parcels: list[ParcelOut]


class ReceivedOut(BaseModel):
    id: int
    order_no: str
    status: str
    status_label: str
    completed_at: datetime | None


def _iso(moment: datetime | None) -> str | None:
    """Times go out as Beijing time with their offset, e.g. 2026-11-27T19:05:00+08:00."""
    local = to_beijing(moment)
    return local.isoformat() if local else None


def _own_order(order_id: int) -> Order:
    """The shopper's own order; someone else's is as missing as one that never existed."""
    order = db.session.get(Order, order_id)
    if order is None or order.user_id != current_user().id:
        raise NotFound(_("The order does not exist."), code="order_not_found")
    return order


@bp.get("/orders/<int:order_id>/tracking")
@login_required
@documented(summary="The order's parcels: courier, tracking number, what is inside, and the courier's trace",
            response=TrackingOut, auth=True, tags=("orders",))
def order_tracking(order_id: int):
    order = _own_order(order_id)
    items_by_id = {item.id: item for item in order.items}
    parcels = []
    for parcel in fulfilment.parcels_of(order.id):
        trace = track(parcel.courier_code, parcel.tracking_no, shipped_at=parcel.shipped_at,
                      destination=order.region_text)
        parcels.append({
            "id": parcel.id, "courier_code": parcel.courier_code, "courier_name": parcel.courier_name,
            "tracking_no": parcel.tracking_no, "shipped_at": _iso(parcel.shipped_at),
            "lines": [{"order_item_id": line.order_item_id, "title": items_by_id[line.order_item_id].title,
                       "spec_text": items_by_id[line.order_item_id].spec_text, "quantity": line.quantity}
                      for line in parcel.lines],
            "trace": {"state": trace.state, "state_label": str(TRACKING_STATE_LABELS[trace.state]),
                      "events": [{"time": _iso(event.time), "text": event.text} for event in trace.events]},
        })
    return jsonify(order_id=order.id, status=order.status, status_label=str(ORDER_STATUS_LABELS[order.status]),
                   parcels=parcels)


@bp.post("/orders/<int:order_id>/receive")
@login_required
@documented(summary="Confirm the order arrived (shipped → completed); again on a completed order changes nothing",
            response=ReceivedOut, auth=True, tags=("orders",))
def order_receive(order_id: int):
    order = _own_order(order_id)
    order = fulfilment.confirm_receipt(order.id, oplog.shopper(current_user().id))
    db.session.commit()
    return jsonify(id=order.id, order_no=order.order_no, status=order.status,
                   status_label=str(ORDER_STATUS_LABELS[order.status]),
                   completed_at=_iso(order.completed_at))
