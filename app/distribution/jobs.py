"""Distribution's jobs: thin callers of the services, subscribed to the order events
(app/orders/events.py), each safe to run twice and committed by the job runner."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.wechat_identity import SAME_PERSON, SHOPPER_JOINED
from app.core.events import subscribe
from app.core.jobs import job
from app.distribution import (
    accrual,
    agents,
    fan_merge,
    fan_touches,
    levels,
    refunds,
    scenes,
    settlement,
    transfer_sweep,
    withdrawals,
)
from app.distribution.commission_models import CommissionLine
from app.extensions import db
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PAID
from app.orders.models import Order

RELEASE_CHUNK = 200


@subscribe(ORDER_PAID)
@job("money")
def accrue_commissions(order_id: int) -> int:
    """Commission lines for the order, then whether the buyer now qualifies as an agent (after,
    so this very order pays as it would have when it was placed)."""
    paying = accrual.accrue(order_id)
    agents.consider_order(order_id)
    grown = set(db.session.scalars(select(CommissionLine.beneficiary_user_id).where(
        CommissionLine.order_id == order_id, CommissionLine.amount_fen > 0)))
    grown |= set(db.session.scalars(select(Order.user_id).where(Order.id == order_id)))
    for user_id in sorted(grown):
        levels.consider_upgrade(user_id)  # their numbers (sales, commission, own spend) just grew
    return paying


@subscribe(ORDER_COMPLETED)
@job("money")
def freeze_commissions(order_id: int) -> int:
    return settlement.freeze_order(order_id)


@subscribe(ORDER_ITEM_REFUNDED)
@job("money")
def take_back_commissions(order_item_id: int, amount_fen: int, quantity: int, after_sale_id: int) -> int:
    return refunds.record(order_item_id, amount_fen, quantity, after_sale_id)


@job("money")
def release_due_commissions() -> int:
    """The scheduled sweep: one job per chunk of due frozen lines."""
    ids = settlement.due_line_ids(limit=100_000)
    for start in range(0, len(ids), RELEASE_CHUNK):
        release_commission_lines.delay(ids[start:start + RELEASE_CHUNK])
    return len(ids)


@job("money")
def release_commission_lines(line_ids: list[int]) -> int:
    return sum(settlement.release_line(line_id) for line_id in line_ids)


@subscribe("transfer.succeeded")
@job("money")
def withdrawal_transfer_succeeded(transfer_id: int) -> bool:
    return withdrawals.transfer_finished(transfer_id)


@subscribe("transfer.failed")
@job("money")
def withdrawal_transfer_failed(transfer_id: int) -> bool:
    return withdrawals.transfer_finished(transfer_id)


@job("money")
def sweep_stuck_withdrawals(older_than_minutes: int | None = None) -> int:
    """The scheduled sweep: one job per WeChat withdrawal whose transfer never notified us."""
    if older_than_minutes is None:
        older_than_minutes = current_app.config["WECHAT_PAY_RECONCILE_MINUTES"]
    ids = transfer_sweep.stuck_withdrawal_ids(timedelta(minutes=older_than_minutes))
    for withdrawal_id in ids:
        settle_stuck_withdrawal.delay(withdrawal_id)
    return len(ids)


@job("money")
def settle_stuck_withdrawal(withdrawal_id: int) -> str:
    return transfer_sweep.settle_stuck(withdrawal_id)


@job("default")
def upgrade_agents(after_id: int = 0) -> int:
    """The daily sweep (cron): every active agent, in chunks, each chunk its own job."""
    ids = levels.active_agent_ids(after_id)
    for user_id in ids:
        levels.consider_upgrade(user_id)
    if len(ids) == 500:
        upgrade_agents.delay(ids[-1])
    return len(ids)


@subscribe("referral.scanned")
@job("default")
def bind_scanned_fan(touch_id: int) -> str:
    """Bind the fan's shopper account, or keep the touch until they open the mini-program."""
    if fan_touches.already_applied(touch_id):
        return "skipped"  # a replay: an older touch must not undo a newer one (mode latest)
    if fan_touches.waits_for_shopper(touch_id):
        fan_touches.reward_new_follower(touch_id)
        return "waiting"
    outcome = scenes.bind_from_touch(touch_id)
    return outcome.result if outcome else "skipped"


@subscribe(SHOPPER_JOINED)
@job("default")
def bind_waiting_touches(user_id: int) -> list[str]:
    return fan_touches.apply_waiting(user_id)


@subscribe(SAME_PERSON)
@job("default")
def fold_follower_into_shopper(follower_id: int, shopper_id: int) -> list[str]:
    """A follower we could not link at first is a shopper: one User, bound by their scenes."""
    if not fan_merge.fold_follower(follower_id, shopper_id):
        return []
    return fan_touches.apply_waiting(shopper_id)
