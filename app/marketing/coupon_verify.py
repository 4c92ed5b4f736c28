"""Recompute what the coupon counters say from the coupons themselves, template by template:
a template's issued / used / expired / revoked, and each shopper's claimed count (the rows the
limits are enforced on). Each discrepancy is a line of text; none means the books agree."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from app.extensions import db
from app.marketing.coupon_models import Coupon, CouponHolding, CouponStatus, CouponTemplate

BATCH = 500


def problems() -> Iterator[str]:
    last_id = 0
    while True:
        templates = list(db.session.scalars(select(CouponTemplate).where(CouponTemplate.id > last_id)
                                            .order_by(CouponTemplate.id).limit(BATCH)))
        if not templates:
            return
        for template in templates:
            yield from _template_problems(template)
        last_id = templates[-1].id


def _template_problems(template: CouponTemplate) -> Iterator[str]:
    by_status = dict(db.session.execute(select(Coupon.status, func.count()).where(Coupon.template_id == template.id)
                                        .group_by(Coupon.status)).all())
    expected = {"issued": sum(by_status.values()), "used": by_status.get(CouponStatus.USED, 0),
                "expired": by_status.get(CouponStatus.EXPIRED, 0), "revoked": by_status.get(CouponStatus.REVOKED, 0)}
    for name, count in expected.items():
        if getattr(template, name) != count:
            yield f"template {template.id}: {name} is {getattr(template, name)}, the coupons say {count}"
    if template.total is not None and expected["issued"] > template.total:
        yield f"template {template.id}: {expected['issued']} given, more than its total {template.total}"
    held = dict(db.session.execute(select(Coupon.user_id, func.count()).where(Coupon.template_id == template.id)
                                   .group_by(Coupon.user_id)).all())
    counted = dict(db.session.execute(select(CouponHolding.user_id, CouponHolding.claimed)
                                      .where(CouponHolding.template_id == template.id)).all())
    for user_id in sorted(set(held) | {user for user, claimed in counted.items() if claimed}):
        if held.get(user_id, 0) != counted.get(user_id, 0):
            yield (f"template {template.id}, shopper {user_id}: claimed is {counted.get(user_id, 0)}, "
                   f"the coupons say {held.get(user_id, 0)}")
        if template.per_user_limit is not None and held.get(user_id, 0) > template.per_user_limit:
            yield f"template {template.id}, shopper {user_id}: holds {held[user_id]}, past the limit"
