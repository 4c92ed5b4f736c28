"""Orders: the list with status tabs and filters, exception orders, the detail page (ship,
remark, parcels and their trace, the timeline) and a printable delivery note."""

from __future__ import annotations

from collections import defaultdict

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.security import area
from app.core.china_time import format_beijing
from app.core.errors import DomainError
from app.core.models import utcnow
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution.explain import explain
from app.extensions import db
from app.logistics.couriers import couriers
from app.logistics.tracking import track
from app.orders import fulfilment, oplog
from app.orders.filter_args import filter_args, order_filter_from_args
from app.orders.models import Order, OrderItem
from app.orders.queries import (
    EXCEPTION_COUNT_CAP,
    SHIPMENT_OVERDUE,
    SHIPMENT_OVERDUE_AFTER,
    count_by_status,
    exception_count,
    keyword_too_short,
    search_count,
    search_orders,
)
from app.orders.states import ORDER_STATUS_LABELS, ORDER_STATUS_MEANINGS, PAY_METHOD_LABELS, OrderStatus
from app.payments.models import Payment
from app.shop.services import shop_settings

EXCEPTION_LABELS = {
    "amount_mismatch": _l("Paid amount does not match"),
    "paid_after_close": _l("Paid after the order closed"),
    SHIPMENT_OVERDUE: _l("Shipment overdue"),
}
STATUS_BADGES = {
    OrderStatus.PENDING_PAYMENT: "text-bg-warning", OrderStatus.PAID: "text-bg-primary",
    OrderStatus.SHIPPED: "text-bg-info", OrderStatus.COMPLETED: "text-bg-success",
    OrderStatus.CANCELLED: "text-bg-secondary", OrderStatus.CLOSED: "text-bg-secondary",
}


def _labels() -> dict:
    return {"status_labels": ORDER_STATUS_LABELS, "status_badges": STATUS_BADGES, "pay_labels": PAY_METHOD_LABELS,
            "exception_labels": EXCEPTION_LABELS}


def _is_overdue(order: Order) -> bool:
    return order.status == OrderStatus.PAID and order.paid_at is not None \
        and order.paid_at < utcnow() - SHIPMENT_OVERDUE_AFTER


@bp.get("/orders")
@area("orders")
def order_list():
    """The list, its tabs' counts (kept counters) and the exception orders' count (capped)."""
    criteria = order_filter_from_args(request.args)
    counts = count_by_status()
    exceptions = exception_count()
    page = paginate(search_orders(criteria), validate(PageQuery, request.args.to_dict()), lambda order: order,
                    count=search_count(criteria, counts, exceptions))
    orders = page["items"]
    items_by_order: dict[int, list[OrderItem]] = defaultdict(list)
    for item in db.session.scalars(select(OrderItem).where(OrderItem.order_id.in_([o.id for o in orders]))
                                   .order_by(OrderItem.id)):
        items_by_order[item.order_id].append(item)
    shoppers = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_({order.user_id for order in orders})))}
    export_url = None
    if "admin.order_export" in current_app.view_functions:
        export_url = url_for("admin.order_export", **filter_args(request.args))
    tab_args = {key: value for key, value in filter_args(request.args).items() if key not in ("status", "exception")}
    return render_template(
        "admin/order_list.html", page=page, items_by_order=items_by_order, shoppers=shoppers, counts=counts,
        total=sum(counts.values()),
        exception_count=f"{EXCEPTION_COUNT_CAP:,}+" if exceptions > EXCEPTION_COUNT_CAP else exceptions,
        keyword_too_short=keyword_too_short(criteria.keyword),
        criteria=criteria, args=request.args, tab_args=tab_args, export_url=export_url, is_overdue=_is_overdue,
        statuses=list(OrderStatus), **_labels())


def _detail(order: Order, *, ship_errors: dict | None = None, ship_values: dict | None = None,
            remark_error: str = "", status: int = 200):
    items = list(order.items)
    parcels = []
    for parcel in fulfilment.parcels_of(order.id):
        trace = track(parcel.courier_code, parcel.tracking_no, shipped_at=parcel.shipped_at,
                      destination=order.region_text)
        parcels.append((parcel, trace))
    payment = db.session.get(Payment, order.payment_id) if order.payment_id else None
    return render_template(
        "admin/order_detail.html", order=order, items=items, shopper=db.session.get(User, order.user_id),
        parcels=parcels, payment=payment, timeline=oplog.timeline(order.id), items_by_id={i.id: i for i in items},
        meaning=ORDER_STATUS_MEANINGS[order.status], left_to_ship=fulfilment.left_to_ship,
        couriers=couriers(), ship_errors=ship_errors or {}, ship_values=ship_values or {},
        remark_error=remark_error, overdue=_is_overdue(order), commission_items=explain(order.id),
        **_labels()), status


def _staff_actor() -> oplog.OrderActor:
    return oplog.staff(g.staff.id, g.staff.display_name or g.staff.username)


@bp.get("/orders/<int:order_id>")
@area("orders")
def order_detail(order_id: int):
    return _detail(db.get_or_404(Order, order_id))


@bp.post("/orders/<int:order_id>/ship")
@area("orders")
def order_ship(order_id: int):
    order = db.get_or_404(Order, order_id)
    form = request.form
    values = {"courier_code": form.get("courier_code", ""), "tracking_no": form.get("tracking_no", "")}
    errors: dict[str, str] = {}
    lines, line_items = [], []
    for item in order.items:
        text = form.get(f"quantity_{item.id}", "").strip()
        values[f"quantity_{item.id}"] = text
        if not text:
            continue
        if not text.isdigit():
            errors[f"quantity_{item.id}"] = _("Must be a whole number.")
        elif int(text) > 0:
            lines.append({"order_item_id": item.id, "quantity": int(text)})
            line_items.append(item.id)
    if not errors:
        try:
            fulfilment.ship(order.id, [{"courier_code": values["courier_code"], "tracking_no": values["tracking_no"],
                                        "lines": lines}], _staff_actor())
        except DomainError as refusal:
            db.session.rollback()
            errors = _ship_errors(refusal, line_items)
        else:
            db.session.commit()
            flash(_("Shipped."), "success")
            return redirect(url_for("admin.order_detail", order_id=order.id))
    db.session.refresh(order)
    return _detail(order, ship_errors=errors, ship_values=values, status=errors.get("__status", 422))


def _ship_errors(refusal: DomainError, line_items: list[int]) -> dict:
    """The service names fields as parcels.0.<field>; the form has one parcel."""
    errors: dict = {"__form": refusal.message, "__status": refusal.status}
    for name, message in refusal.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[2] in ("courier_code", "tracking_no"):
            errors[parts[2]] = message
        elif len(parts) == 5 and parts[2] == "lines" and int(parts[3]) < len(line_items):
            errors[f"quantity_{line_items[int(parts[3])]}"] = message
    return errors


@bp.post("/orders/<int:order_id>/remark")
@area("orders")
def order_remark(order_id: int):
    order = db.get_or_404(Order, order_id)
    try:
        fulfilment.set_merchant_remark(order.id, request.form.get("merchant_remark", ""), _staff_actor())
    except DomainError as refusal:
        db.session.rollback()
        db.session.refresh(order)
        return _detail(order, remark_error=refusal.message, status=422)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.order_detail", order_id=order.id))


@bp.get("/orders/<int:order_id>/print")
@area("orders")
def order_print(order_id: int):
    order = db.get_or_404(Order, order_id)
    return render_template("admin/order_print.html", order=order, items=list(order.items), shop=shop_settings(),
                           printed_at=format_beijing(utcnow(), "%Y-%m-%d %H:%M"), **_labels())
