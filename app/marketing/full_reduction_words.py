"""How a full-reduction tier reads to a shopper: 满199减20, 满3件打8折, 再买¥31减20, 已减20.

One place for the words, so the product page, the cart, the checkout and the console say the
same thing.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.money import BASIS_POINTS, FEN_PER_YUAN
from app.marketing.full_reduction_cache import LiveTier
from app.marketing.full_reduction_models import TierBasis


def short_yuan(fen: int) -> str:
    """3100 → "31", 3150 → "31.5", 3105 → "31.05": prices in a slogan drop their zeros."""
    whole, cents = divmod(fen, FEN_PER_YUAN)
    if cents == 0:
        return str(whole)
    return f"{whole}.{cents:02d}".rstrip("0")


def rate_text(pay_rate_bp: int) -> str:
    """8000 → "8", 8500 → "8.5", 7550 → "7.55" (折 counts tenths of the price)."""
    return short_yuan(pay_rate_bp // 10) if pay_rate_bp % 10 == 0 else f"{pay_rate_bp / 1000:g}"


def reward_text(tier: LiveTier) -> str:
    """减20, 打8折, 包邮, 送100积分, 送券 — what the tier gives, joined by a comma."""
    parts = []
    if tier.off_fen:
        parts.append(_("%(yuan)s off", yuan=short_yuan(tier.off_fen)))
    if tier.pay_rate_bp < BASIS_POINTS:
        parts.append(_("pay %(rate)s/10 of the price", rate=rate_text(tier.pay_rate_bp)))
    if tier.free_shipping:
        parts.append(_("free shipping"))
    if tier.points:
        parts.append(_("%(points)s bonus points", points=tier.points))
    if tier.gift_coupon_template_id:
        parts.append(_("a coupon"))
    return _(", ").join(parts)


def threshold_text(basis: str, threshold: int) -> str:
    if basis == TierBasis.COUNT:
        return _("From %(n)s pcs", n=threshold)
    return _("Over ¥%(yuan)s", yuan=short_yuan(threshold))


def tier_label(basis: str, tier: LiveTier) -> str:
    """满199减20"""
    return _("%(threshold)s: %(reward)s", threshold=threshold_text(basis, tier.threshold), reward=reward_text(tier))


def still_needed_text(basis: str, missing: int, tier: LiveTier) -> str:
    """再买¥31减20 / 再买1件打8折"""
    if basis == TierBasis.COUNT:
        return _("Add %(n)s more pcs: %(reward)s", n=missing, reward=reward_text(tier))
    return _("Add ¥%(yuan)s more: %(reward)s", yuan=short_yuan(missing), reward=reward_text(tier))


def reached_text(tier: LiveTier) -> str:
    """已减20"""
    return _("Applied: %(reward)s", reward=reward_text(tier))


def reward_separator() -> str:
    return _(", ")
