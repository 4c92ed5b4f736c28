"""`flask coupons verify | expire`: the coupon counters from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.cli import verifying
from app.extensions import db
from app.marketing import coupon_expiry, coupon_verify

coupons_cli = AppGroup("coupons", help="Coupon templates and the coupons shoppers hold.")


@coupons_cli.command("verify")
def verify_command() -> None:
    """Recompute every template's issued / used / expired / revoked counters and each shopper's
    claimed count from the coupons; print each discrepancy (exit 1 if any)."""
    verifying.conclude(verifying.echo_each(coupon_verify.problems()))


@coupons_cli.command("expire")
def expire_command() -> None:
    """Mark unused coupons past their date as expired (run it from cron)."""
    total = 0
    while expired := coupon_expiry.expire_due():
        db.session.commit()
        total += expired
    click.echo(f"expired {total} coupon(s)")
