"""Distribution's jobs: thin callers of the services, subscribed to the order events
(app/orders/events.py), each safe to run twice and committed by the job runner."""

from __future__ import annotations

from app.core.events import subscribe
from app.core.jobs import job
from app.distribution import accrual, agents, refunds, settlement, withdrawals
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PAID

RELEASE_CHUNK = 200


@subscribe(ORDER_PAID)
@job("money")
def accrue_commissions(order_id: int) -> int:
    """Commission lines for the order, then whether the buyer now qualifies as an agent (after,
    so this very order pays as it would have when it was placed)."""
    paying = accrual.accrue(order_id)
    agents.consider_order(order_id)
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
