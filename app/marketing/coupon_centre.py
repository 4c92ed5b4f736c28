"""What a shopper sees of coupons and does with them: the coupon centre (领券中心) and claiming
from it, exchanging points for a coupon, their own coupons by tab, and the coupons a product
page offers. Every claim goes through `coupon_grants.grant`, so its limits hold here too."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select

from app.catalog.models import Product
from app.core.errors import Conflict, NotFound
from app.core.models import utcnow
from app.extensions import db
from app.marketing.coupon_grants import grant, shopper_actor
from app.marketing.coupon_models import Coupon, CouponHolding, CouponScope, CouponSource, CouponStatus, CouponTemplate
from app.members.services import change_points

CENTRE_SIZE = 50  # a centre is a shelf, not a catalogue
TABS = ("usable", "used", "expired")
COUNT_CAP = 99  # the me page shows 99+ beyond this


@dataclass(frozen=True)
class CentreEntry:
    template: CouponTemplate
    claimed: int  # by this shopper, in all

    @property
    def can_claim(self) -> bool:
        template = self.template
        if template.left == 0:
            return False
        return template.per_user_limit is None or self.claimed < template.per_user_limit


def centre_templates() -> list[CouponTemplate]:
    now = utcnow()
    return list(db.session.scalars(
        select(CouponTemplate).where(CouponTemplate.in_centre.is_(True), CouponTemplate.enabled.is_(True),
                                     or_(CouponTemplate.valid_until.is_(None), CouponTemplate.valid_until > now))
        .order_by(CouponTemplate.centre_sort, CouponTemplate.id).limit(CENTRE_SIZE)))


def claimed_counts(user_id: int | None, template_ids: list[int]) -> dict[int, int]:
    if user_id is None or not template_ids:
        return {}
    return dict(db.session.execute(select(CouponHolding.template_id, CouponHolding.claimed).where(
        CouponHolding.user_id == user_id, CouponHolding.template_id.in_(template_ids))).all())


def centre(user_id: int | None) -> list[CentreEntry]:
    templates = centre_templates()
    claimed = claimed_counts(user_id, [template.id for template in templates])
    return [CentreEntry(template, claimed.get(template.id, 0)) for template in templates]


def applies_to_product(template: CouponTemplate, product: Product) -> bool:
    if template.scope == CouponScope.PRODUCTS:
        return product.id in (template.product_ids or [])
    if template.scope == CouponScope.CATEGORIES:
        return product.category_id in (template.category_ids or [])
    if template.scope == CouponScope.EXCEPT_PRODUCTS:
        return product.id not in (template.product_ids or [])
    return True


def for_product(user_id: int | None, product_id: int) -> list[CentreEntry]:
    """The centre's coupons that this product can use (for its page)."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_("This product does not exist."), code="product_not_found")
    return [entry for entry in centre(user_id) if applies_to_product(entry.template, product)]


def claim_from_centre(user_id: int, template_id: int) -> Coupon:
    """Claim one from the centre. The ref names the shopper's next claim of it, so a double
    tap gives one coupon, not two."""
    template = db.session.get(CouponTemplate, template_id)
    if template is None or not template.in_centre:
        raise NotFound(_("This coupon does not exist."), code="coupon_not_found")
    claimed = claimed_counts(user_id, [template_id]).get(template_id, 0)
    return grant(user_id, template_id, source=CouponSource.CENTRE, ref=f"{template_id}:{user_id}:{claimed + 1}",
                 actor=shopper_actor(user_id))


def exchange_for_points(user_id: int, template_id: int, request_key: str) -> Coupon:
    """Spend the template's points price for one coupon; both or neither (one transaction).
    `request_key` (one per tap, from the client) makes a retried request exchange once: the
    points entry and the coupon share its ref, and each is found again rather than repeated."""
    template = db.session.get(CouponTemplate, template_id)
    if template is None or template.points_price <= 0:
        raise NotFound(_("This coupon cannot be exchanged for points."), code="coupon_not_exchangeable")
    refuse_if_not_claimable(template)
    ref = f"{user_id}:{request_key}"[:64]
    change_points(user_id, -template.points_price, kind="coupon_exchange", ref=ref, reason=template.name)
    coupon = grant(user_id, template_id, source=CouponSource.POINTS, ref=ref, actor=shopper_actor(user_id))
    return coupon


def tab_filter(user_id: int, tab: str):
    now = utcnow()
    mine = Coupon.user_id == user_id
    if tab == "usable":
        return and_(mine, Coupon.status == CouponStatus.UNUSED, Coupon.valid_until > now)
    if tab == "used":
        return and_(mine, Coupon.status.in_([CouponStatus.USED, CouponStatus.LOCKED]))
    if tab == "expired":
        return and_(mine, or_(Coupon.status == CouponStatus.EXPIRED,
                              and_(Coupon.status == CouponStatus.UNUSED, Coupon.valid_until <= now)))
    raise ValueError(f"unknown tab {tab!r}")


def my_coupons(user_id: int, tab: str) -> Select:
    return select(Coupon).where(tab_filter(user_id, tab)).order_by(Coupon.id.desc())


def tab_counts(user_id: int) -> dict[str, int]:
    """Each tab's count, up to COUNT_CAP + 1 (read from the shopper's index range only)."""
    counts = {}
    for tab in TABS:
        ids = select(Coupon.id).where(tab_filter(user_id, tab)).limit(COUNT_CAP + 1).subquery()
        counts[tab] = db.session.scalar(select(func.count()).select_from(ids))
    return counts


def unusable_reason(coupon: Coupon) -> str:
    if coupon.status in (CouponStatus.USED, CouponStatus.LOCKED):
        return _("This coupon has been used.")
    if coupon.status == CouponStatus.REVOKED:
        return _("This coupon was taken back.")
    if coupon.status == CouponStatus.EXPIRED or coupon.valid_until <= utcnow():
        return _("This coupon has expired.")
    return ""


def refuse_if_not_claimable(template: CouponTemplate) -> None:
    if not template.enabled:
        raise Conflict(_("This coupon is no longer given out."), code="coupon_disabled")
