"""Withdrawals queue (finance): review (approve or reject with a reason), and mark bank or
Alipay withdrawals paid once the money has gone out by hand. Every step is audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.actions import run_action
from app.admin.distribution_forms import RejectForm
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.core.keyset import seek_with_index
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution import withdrawals
from app.distribution.states import WithdrawalStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db


@bp.get("/distribution/withdrawals")
@area("finance")
def withdrawal_list():
    status = request.args.get("status", WithdrawalStatus.REVIEWING)
    statement = select(Withdrawal).order_by(Withdrawal.id.desc())
    if status in set(WithdrawalStatus):
        statement = seek_with_index(statement.where(Withdrawal.status == status), Withdrawal,
                                    "ix_withdrawals_status_id")
    number = request.args.get("no", "").strip()
    if number:
        statement = statement.where(Withdrawal.withdrawal_no == number)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    user_ids = {row.user_id for row in page["items"]}
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    return render_template("admin/distribution/withdrawals.html", page=page, status=status, names=names,
                           statuses=list(WithdrawalStatus), reject_form=RejectForm())


@bp.post("/distribution/withdrawals/<int:withdrawal_id>/approve")
@area("finance")
def withdrawal_approve(withdrawal_id: int):
    return _act(lambda: withdrawals.approve(actor(), withdrawal_id), _("Approved."))


@bp.post("/distribution/withdrawals/approve")
@area("finance")
def withdrawal_approve_batch():
    """Approve the ticked withdrawals, each in its own transaction: one refusal (already handled,
    a WeChat error) does not hold back the others."""
    ids = sorted({int(value) for value in request.form.getlist("ids") if value.isdigit()})
    approved, refused = 0, 0
    for withdrawal_id in ids:
        try:
            withdrawals.approve(actor(), withdrawal_id)
            db.session.commit()
            approved += 1
        except DomainError:
            db.session.rollback()
            refused += 1
    flash(_("%(approved)s approved, %(refused)s could not be.", approved=approved, refused=refused),
          "success" if not refused else "warning")
    return redirect(url_for("admin.withdrawal_list"))


@bp.post("/distribution/withdrawals/<int:withdrawal_id>/reject")
@area("finance")
def withdrawal_reject(withdrawal_id: int):
    form = RejectForm()
    form.validate()
    return _act(lambda: withdrawals.reject(actor(), withdrawal_id, form.reason.data or ""), _("Rejected."))


@bp.post("/distribution/withdrawals/<int:withdrawal_id>/paid")
@area("finance")
def withdrawal_mark_paid(withdrawal_id: int):
    return _act(lambda: withdrawals.mark_paid(actor(), withdrawal_id), _("Marked as paid."))


def _act(step, done: str):
    run_action(step, done)
    return redirect(request.referrer or url_for("admin.withdrawal_list"))
