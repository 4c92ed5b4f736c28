"""A product's own commission rule (audited): excluded from commission, its own rates per
level, or a fixed fen amount per unit for each SKU and level. Without a rule the agent's
level and then the global rates apply."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.models import Product, Sku
from app.core.errors import NotFound, ValidationError
from app.core.money import BASIS_POINTS
from app.distribution.settings_models import MAX_LEVELS, ProductCommissionRule
from app.extensions import db

MODES = ("excluded", "rates", "fixed")
MAX_FIXED_FEN = 10_000_000


def rule_of(product_id: int) -> ProductCommissionRule | None:
    return db.session.scalar(select(ProductCommissionRule).where(ProductCommissionRule.product_id == product_id))


def _check(product_id: int, mode: str, rates_bp: list, fixed_fen: dict) -> dict[str, str]:
    if mode not in MODES:
        return {"mode": _("Choose one of the options.")}
    if mode == "rates" and (len(rates_bp) != MAX_LEVELS or not all(
            isinstance(rate, int) and 0 <= rate <= BASIS_POINTS for rate in rates_bp)):
        return {"rates_bp": _("Enter a rate from 0 to 100 percent.")}
    if mode == "fixed":
        skus = set(db.session.scalars(select(Sku.id).where(Sku.product_id == product_id)))
        if not fixed_fen or any(not str(key).isdigit() or int(key) not in skus for key in fixed_fen):
            return {"fixed_fen": _("Give amounts for this product's SKUs.")}
        for amounts in fixed_fen.values():
            if len(amounts) != MAX_LEVELS or not all(
                    isinstance(amount, int) and 0 <= amount <= MAX_FIXED_FEN for amount in amounts):
                return {"fixed_fen": _("Each SKU needs an amount of at least 0 for each of the 3 levels.")}
    return {}


def save(actor: Actor, product_id: int, *, mode: str, rates_bp: list | None = None,
         fixed_fen: dict | None = None) -> ProductCommissionRule:
    if db.session.get(Product, product_id) is None:
        raise NotFound(_("The requested resource does not exist."), code="product_not_found")
    rates_bp, fixed_fen = rates_bp or [], {str(key): value for key, value in (fixed_fen or {}).items()}
    errors = _check(product_id, mode, rates_bp, fixed_fen)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    rule = rule_of(product_id)
    before = _snapshot(rule) if rule else None
    if rule is None:
        rule = ProductCommissionRule(product_id=product_id)
        db.session.add(rule)
    rule.mode = mode
    rule.rates_bp = rates_bp if mode == "rates" else []
    rule.fixed_fen = fixed_fen if mode == "fixed" else {}
    db.session.flush()
    audit.record(actor, area="distribution", action="product_rule.save", target_type="product",
                 target_id=product_id, summary=mode, before=before, after=_snapshot(rule))
    return rule


def remove(actor: Actor, product_id: int) -> None:
    """Back to the agent level's and global rates."""
    rule = rule_of(product_id)
    if rule is not None:
        audit.record(actor, area="distribution", action="product_rule.remove", target_type="product",
                     target_id=product_id, before=_snapshot(rule), after=None)
        db.session.delete(rule)
        db.session.flush()


def _snapshot(rule: ProductCommissionRule) -> dict[str, Any]:
    return {"mode": rule.mode, "rates_bp": rule.rates_bp, "fixed_fen": rule.fixed_fen}
