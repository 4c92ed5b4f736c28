"""Explaining an order's commission: for each item and level, who, under which rule, on what
base, at what rate, how much, and its status — or why that level paid nothing (seed FAQ
12.11: "C bought, B got commission, why not A?")."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.distribution.accrual import points_fen
from app.distribution.commission_models import CommissionLine
from app.extensions import db
from app.orders.models import OrderItem
from app.orders.pricing import discount_kind_label

REASONS = {
    "not_an_agent": _l("Not an agent when the order was paid"),
    "agent_disabled": _l("Agent disabled when the order was paid"),
    "binding_expired": _l("The referral binding had expired"),
    "beyond_levels": _l("Beyond the configured commission levels"),
    "product_excluded": _l("The product pays no commission"),
    "self_purchase_off": _l("Own purchase: self-purchase rebate is off"),
    "no_referrer": _l("Nobody referred the shopper at this level"),
    "distribution_off": _l("Distribution was switched off"),
    "zero_amount": _l("The commission rounds down to ¥0.00"),
    "activity_excluded": _l("Bought in an activity that pays no commission"),
}
STATUSES = {
    "none": _l("Pays nothing"),
    "pending": _l("Pending (order not completed)"),
    "frozen": _l("Frozen (after-sales window)"),
    "available": _l("Available"),
    "cancelled": _l("Cancelled by refund"),
}


def rule_label(rule: str) -> str:
    kind, _sep, ref = rule.partition(":")
    labels = {"global": _l("Global rates"), "agent_level": _l("Agent level #%(ref)s"),
              "product": _l("Product #%(ref)s rates"), "product_fixed": _l("Product #%(ref)s fixed amount")}
    label = labels.get(kind)
    return str(label) % {"ref": ref} if label is not None else ""


def explain(order_id: int) -> list[dict[str, Any]]:
    """Per item (in order), its lines by level; an empty `lines` list means not accrued (yet)."""
    items = list(db.session.scalars(select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.id)))
    lines = list(db.session.scalars(select(CommissionLine).where(CommissionLine.order_id == order_id)
                                    .order_by(CommissionLine.order_item_id, CommissionLine.level)))
    user_ids = {line.beneficiary_user_id for line in lines if line.beneficiary_user_id}
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    by_item: dict[int, list[dict[str, Any]]] = {item.id: [] for item in items}
    for line in lines:
        by_item.setdefault(line.order_item_id, []).append({
            "level": line.level,
            "beneficiary_user_id": line.beneficiary_user_id,
            "beneficiary_name": names.get(line.beneficiary_user_id, ""),
            "rule": line.rule,
            "rule_label": rule_label(line.rule),
            "base_fen": line.base_fen,
            "rate_bp": line.rate_bp,
            "fixed_fen": line.fixed_fen,
            "amount_fen": line.amount_fen,
            "cancelled_fen": line.cancelled_fen,
            "clawed_back_fen": line.clawed_back_fen,
            "net_fen": line.amount_fen - line.cancelled_fen - line.clawed_back_fen,
            "status": line.status,
            "status_label": str(STATUSES.get(line.status, line.status)),
            "reason": line.reason,
            "reason_label": str(REASONS[line.reason]) if line.reason in REASONS else "",
            "frozen_until": line.frozen_until,
        })
    return [{"order_item_id": item.id, "title": item.title, "quantity": item.quantity, "paid_fen": item.paid_fen,
             "line_total_fen": item.line_total_fen, "discounts": _discounts_of(item), "lines": by_item[item.id],
             "points_counted_as_paid": _points_counted_as_paid(item, by_item[item.id])} for item in items]


def _points_counted_as_paid(item: OrderItem, lines: list[dict[str, Any]]) -> bool:
    """Whether the base took the item's points deduction as money paid (the points rule in
    force when it accrued): a base that only the paid amount plus the points share explains."""
    points = points_fen(item)
    if not points:
        return False
    with_points, without = item.paid_fen + points, item.paid_fen
    costs = item.unit_cost_fen * item.quantity
    return any(line["base_fen"] in (with_points, max(0, with_points - costs))
               and line["base_fen"] not in (without, max(0, without - costs)) for line in lines)


def _discounts_of(item: OrderItem) -> list[dict[str, Any]]:
    """The discounts that shaped the item's paid amount (the commission base before any
    profit or points setting), each with its label; an item placed before the parts were kept
    shows its one total."""
    parts = item.discount_parts
    if parts is None and item.discount_fen:
        parts = [{"kind": "", "amount_fen": item.discount_fen}]
    return [{"kind": part.get("kind", ""), "label": discount_kind_label(part["kind"]) if part.get("kind")
             else str(_l("Discount")), "amount_fen": part.get("amount_fen", 0), "points": part.get("points", 0)}
            for part in parts or []]
