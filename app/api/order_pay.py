"""Paying an order from the mini-program, and asking whether it is paid yet."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.china_time import to_beijing
from app.core.request_models import Body
from app.core.validation import documented, use_body
from app.extensions import db
from app.orders import payment
from app.orders.models import Order


class PayIn(Body):
    method: Literal["wechat", "balance", "cod"] = Field(
        description="wechat: answers wx.requestPayment parameters; balance: paid at once from the store balance; "
                    "cod: cash on delivery, confirmed at once")


class OrderPayStateOut(BaseModel):
    id: int
    order_no: str
    status: str = Field(description="pending_payment until paid; paid (awaiting shipment) once paid or confirmed")
    pay_method: str | None
    payable_fen: int
    paid_fen: int = Field(description="0 for cash on delivery until the courier collects it")
    paid_at: str | None = Field(description="ISO 8601, Beijing time")


class PayOut(BaseModel):
    order: OrderPayStateOut
    request_payment: dict[str, str] | None = Field(
        description="WeChat Pay only: timeStamp, nonceStr, package, signType, paySign for wx.requestPayment")


class PayStatusOut(BaseModel):
    order: OrderPayStateOut


def pay_state_out(order: Order) -> dict:
    paid_at = to_beijing(order.paid_at)
    return OrderPayStateOut(id=order.id, order_no=order.order_no, status=order.status, pay_method=order.pay_method,
                            payable_fen=order.payable_fen, paid_fen=order.paid_fen,
                            paid_at=paid_at.isoformat() if paid_at else None).model_dump()


@bp.post("/orders/<int:order_id>/pay")
@documented(summary="Pay one of my pending orders with WeChat Pay, the store balance or cash on delivery",
            response=PayOut, auth=True, tags=("orders",))
@login_required
@use_body(PayIn)
def pay_order(order_id: int, body: PayIn):
    outcome = payment.pay_order(current_user().id, order_id, body.method)
    db.session.commit()
    return jsonify(order=pay_state_out(outcome.order), request_payment=outcome.request_payment)


@bp.get("/orders/<int:order_id>/pay-status")
@documented(summary="Whether my order is paid; asks WeChat Pay once if the notification has not come yet",
            response=PayStatusOut, auth=True, tags=("orders",))
@login_required
def pay_status(order_id: int):
    order = payment.refresh_pay_status(current_user().id, order_id)
    db.session.commit()
    return jsonify(order=pay_state_out(order))
