"""After-sales queue: filter, review, approve or reject, receive returns, confirm offline refunds."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.admin import bp
from app.admin.security import actor, area, current_staff
from app.core.errors import DomainError
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.extensions import db
from app.orders import after_sale_refunds, after_sales, oplog
from app.orders.after_sales import AfterSaleFilter
from app.orders.models import AfterSale
from app.orders.states import AFTER_SALE_KIND_LABELS, AFTER_SALE_STATUS_LABELS, AfterSaleStatus
from app.payments.models import Refund


def _by() -> oplog.OrderActor:
    staff = current_staff()
    return oplog.staff(staff.id, staff.display_name or staff.username)


@bp.get("/after-sales")
@area("orders")
def after_sale_list():
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    keyword = request.args.get("q", "").strip()[:64]
    criteria = AfterSaleFilter(status=status if status in AFTER_SALE_STATUS_LABELS else "",
                               kind=kind if kind in AFTER_SALE_KIND_LABELS else "", keyword=keyword)
    statement = after_sales.search_after_sales(criteria).options(  # the rows show their order and item
        selectinload(AfterSale.order), selectinload(AfterSale.item))
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    return render_template("admin/after_sale_list.html", page=page, criteria=criteria,
                           status_labels=AFTER_SALE_STATUS_LABELS, kind_labels=AFTER_SALE_KIND_LABELS)


def _detail(after_sale_id: int, errors: dict[str, str] | None = None, status: int = 200):
    row = after_sales.get_after_sale(after_sale_id)
    refund = db.session.get(Refund, row.refund_id) if row.refund_id else None
    return render_template(
        "admin/after_sale_detail.html", row=row, order=row.order, item=row.item, refund=refund,
        timeline=oplog.timeline(row.order_id), errors=errors or {}, statuses=AfterSaleStatus,
        return_address=request.form.get("return_address") or row.return_address or after_sales.last_return_address(),
    ), status


@bp.get("/after-sales/<int:after_sale_id>")
@area("orders")
def after_sale_detail(after_sale_id: int):
    return _detail(after_sale_id)


def _act(after_sale_id: int, action, done: str):
    try:
        action()
    except DomainError as refusal:
        db.session.rollback()
        return _detail(after_sale_id, refusal.fields or {"__all__": refusal.message}, status=refusal.status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("admin.after_sale_detail", after_sale_id=after_sale_id))


@bp.post("/after-sales/<int:after_sale_id>/approve")
@area("orders")
def after_sale_approve(after_sale_id: int):
    return _act(after_sale_id, lambda: after_sales.approve(actor(), _by(), after_sale_id,
                                                           request.form.get("return_address", "")),
                _("Approved."))


@bp.post("/after-sales/<int:after_sale_id>/reject")
@area("orders")
def after_sale_reject(after_sale_id: int):
    return _act(after_sale_id, lambda: after_sales.reject(actor(), _by(), after_sale_id,
                                                          request.form.get("reject_reason", "")),
                _("Rejected."))


@bp.post("/after-sales/<int:after_sale_id>/receive")
@area("orders")
def after_sale_receive(after_sale_id: int):
    restock = request.form.get("restock") == "1"
    return _act(after_sale_id, lambda: after_sales.confirm_received(actor(), _by(), after_sale_id, restock=restock),
                _("Received; the refund has started."))


@bp.post("/after-sales/<int:after_sale_id>/offline-refund")
@area("orders")
def after_sale_offline_refund(after_sale_id: int):
    return _act(after_sale_id, lambda: after_sale_refunds.confirm_offline_refund(actor(), _by(), after_sale_id),
                _("Refund recorded."))
