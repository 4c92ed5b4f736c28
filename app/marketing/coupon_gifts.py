"""Coupons given for what a shopper did, in the same transaction: the new-user gift pack on the
first login (新人礼包) and the invitee's gift when an agent's recruit is bound. A gift that
cannot be given (the template is off, all given out) is skipped; it never fails a login or a
binding. Each is given once: its (source, ref) names the shopper."""

from __future__ import annotations

from app.accounts.wechat_identity import SHOPPER_JOINED
from app.core.events import listen
from app.distribution.events import RECRUIT_BOUND
from app.extensions import db
from app.marketing.coupon_grants import grant_if_possible
from app.marketing.coupon_models import CouponSource, CouponTemplate
from app.marketing.coupon_settings import coupon_settings


def new_user_pack() -> list[CouponTemplate]:
    """The pack's templates that are still given out (the invite poster promises a gift only
    while this is not empty)."""
    ids = coupon_settings().new_user_template_ids or []
    templates = {template.id: template for template in db.session.query(CouponTemplate)
                 .filter(CouponTemplate.id.in_(ids), CouponTemplate.enabled.is_(True))} if ids else {}
    return [templates[template_id] for template_id in ids if template_id in templates]


@listen(SHOPPER_JOINED)
def give_new_user_pack(user_id: int) -> None:
    for template in new_user_pack():
        grant_if_possible(user_id, template.id, source=CouponSource.NEW_USER, ref=f"{user_id}:{template.id}")


@listen(RECRUIT_BOUND)
def give_invitee_gift(user_id: int, _referrer_user_id: int) -> None:
    template_id = coupon_settings().invitee_template_id
    if template_id is not None:
        grant_if_possible(user_id, template_id, source=CouponSource.INVITEE, ref=str(user_id))
