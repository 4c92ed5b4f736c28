"""Recompute what the coupon counters say from the coupons themselves: a template's issued /
used / expired / revoked (template by template), and each shopper's claimed count (the rows
the limits are enforced on; shopper by shopper, in windows of user ids, so a template sent to
a million members is checked in flat memory). Each discrepancy is a line of text; none means
the books agree."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.marketing.coupon_models import Coupon, CouponHolding, CouponStatus, CouponTemplate

BATCH = 500
SHOPPER_WINDOW = 5_000  # shoppers' holdings compared per step: memory stays flat however many hold


def problems() -> Iterator[str]:
    """The templates' counters first (a template at a time), then every shopper's claimed
    counts against the coupons they hold, a window of shoppers at a time."""
    limits: dict[int, int | None] = {}
    last_id = 0
    while True:
        templates = list(db.session.scalars(select(CouponTemplate).where(CouponTemplate.id > last_id)
                                            .order_by(CouponTemplate.id).limit(BATCH)))
        if not templates:
            break
        for template in templates:
            limits[template.id] = template.per_user_limit
            yield from _template_problems(template)
        last_id = templates[-1].id
    yield from _holding_problems(limits)


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


def _holding_problems(limits: dict[int, int | None]) -> Iterator[str]:
    """Shoppers in windows of user ids (the holdings' primary key and the coupons' shopper
    index are both ranges of it): what each holds of each template, from the coupons, against
    its claimed counter and the template's per-shopper limit."""
    after = 0
    while True:
        upper = db.session.scalar(select(User.id).where(User.id > after).order_by(User.id)
                                  .offset(SHOPPER_WINDOW - 1).limit(1))
        held = {(user_id, template_id): count for user_id, template_id, count in db.session.execute(
            select(Coupon.user_id, Coupon.template_id, func.count())
            .where(*_between(Coupon.user_id, after, upper)).group_by(Coupon.user_id, Coupon.template_id))}
        counted = {(user_id, template_id): claimed for user_id, template_id, claimed in db.session.execute(
            select(CouponHolding.user_id, CouponHolding.template_id, CouponHolding.claimed)
            .where(*_between(CouponHolding.user_id, after, upper)))}
        for user_id, template_id in sorted(set(held) | {key for key, claimed in counted.items() if claimed}):
            holds, claimed = held.get((user_id, template_id), 0), counted.get((user_id, template_id), 0)
            if holds != claimed:
                yield f"template {template_id}, shopper {user_id}: claimed is {claimed}, the coupons say {holds}"
            limit = limits.get(template_id)
            if limit is not None and holds > limit:
                yield f"template {template_id}, shopper {user_id}: holds {holds}, past the limit"
        if upper is None:
            return
        after = upper


def _between(column, after: int, upper: int | None) -> list:
    return [column > after] if upper is None else [column > after, column <= upper]
