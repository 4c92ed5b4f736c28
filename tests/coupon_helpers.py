"""Helpers for the coupon tests: a template as the console would save it, and a coupon given."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import func, select

from app.core.models import utcnow
from app.extensions import db
from app.marketing import coupon_grants
from app.marketing.coupon_models import Coupon, CouponEvent, CouponTemplate

_refs = itertools.count(1)


def template(kind: str = "amount_off", *, amount_fen: int = 0, threshold_fen: int = 0, **fields) -> CouponTemplate:
    """A template, enabled and unlimited unless told otherwise."""
    row = CouponTemplate(name=fields.pop("name", f"券{next(_refs)}"), kind=kind, amount_fen=amount_fen,
                         threshold_fen=threshold_fen, **{"validity": "days", "valid_days": 7, "scope": "all",
                                                         "product_ids": [], "category_ids": [], **fields})
    db.session.add(row)
    db.session.commit()
    return row


def give(user_id: int, template_row: CouponTemplate, source: str = "merchant", **kwargs) -> Coupon:
    coupon = coupon_grants.grant(user_id, template_row.id, source=source, ref=f"test:{next(_refs)}", **kwargs)
    db.session.commit()
    return coupon


def expire(coupon: Coupon) -> None:
    coupon.valid_from = utcnow() - timedelta(days=10)
    coupon.valid_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def fresh_coupon(coupon_id: int) -> Coupon:
    db.session.commit()  # a new transaction: see what requests and threads committed
    db.session.expire_all()
    return db.session.get(Coupon, coupon_id)


def fresh_template(template_id: int) -> CouponTemplate:
    db.session.commit()
    db.session.expire_all()
    return db.session.get(CouponTemplate, template_id)


def moves(coupon_id: int) -> list[tuple[str, int | None]]:
    db.session.commit()
    return [(event.kind, event.order_id) for event in db.session.scalars(
        select(CouponEvent).where(CouponEvent.coupon_id == coupon_id).order_by(CouponEvent.id))]


def coupon_count(**where) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Coupon).filter_by(**where))
