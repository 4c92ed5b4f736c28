"""Every allowed status change of a commission line, in one place (compare-and-set moves).

A line that pays nothing is `none` for good. Partial refunds do not change the status:
they grow `cancelled_fen` (or `clawed_back_fen` once available); a line whose whole amount
was cancelled before it became available is `cancelled`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import state_machine
from app.core.labels import labels
from app.distribution.events import agent_status_changed


class LineStatus(StrEnum):
    NONE = "none"  # pays nothing; `reason` says why
    PENDING = "pending"  # order paid, not completed yet
    FROZEN = "frozen"  # order completed; withdrawable after frozen_until
    AVAILABLE = "available"
    CANCELLED = "cancelled"  # refunded in full before it became available


LINE_STATUS_LABELS = labels(LineStatus, {
    LineStatus.NONE: _l("No commission"), LineStatus.PENDING: _l("Not settled yet"),
    LineStatus.FROZEN: _l("Frozen"), LineStatus.AVAILABLE: _l("Available"),
    LineStatus.CANCELLED: _l("Cancelled"),
})

LINE_TRANSITIONS: dict[str, frozenset[str]] = {
    LineStatus.NONE: frozenset(),
    LineStatus.PENDING: frozenset({LineStatus.FROZEN, LineStatus.CANCELLED}),
    LineStatus.FROZEN: frozenset({LineStatus.AVAILABLE, LineStatus.CANCELLED}),
    LineStatus.AVAILABLE: frozenset(),
    LineStatus.CANCELLED: frozenset(),
}

TRANSITIONS = {"commission_lines": LINE_TRANSITIONS}


def move(line: Any, wanted: str, **values: Any) -> bool:
    return state_machine.move(TRANSITIONS, line, wanted, **values)


class AgentStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"  # keeps the team; earns nothing until re-enabled
    REMOVED = "removed"  # no longer an agent; the merchant may appoint them again


AGENT_STATUS_LABELS = labels(AgentStatus, {
    AgentStatus.ACTIVE: _l("Active"), AgentStatus.DISABLED: _l("Disabled"), AgentStatus.REMOVED: _l("Removed"),
})

AGENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgentStatus.ACTIVE: frozenset({AgentStatus.DISABLED, AgentStatus.REMOVED}),
    AgentStatus.DISABLED: frozenset({AgentStatus.ACTIVE, AgentStatus.REMOVED}),
    AgentStatus.REMOVED: frozenset({AgentStatus.ACTIVE}),
}

TRANSITIONS["agents"] = AGENT_TRANSITIONS


def move_agent(agent: Any, wanted: str, **values: Any) -> bool:
    moved = state_machine.move(TRANSITIONS, agent, wanted, **values)
    if moved:
        agent_status_changed(agent.user_id)
    return moved


class WithdrawalStatus(StrEnum):
    REVIEWING = "reviewing"  # the amount is held (withdrawing)
    APPROVED = "approved"  # bank / Alipay: waiting for the merchant to pay by hand
    PAYING = "paying"  # WeChat transfer under way (maybe waiting for the agent to confirm)
    PAID = "paid"
    REJECTED = "rejected"  # the hold went back to available
    FAILED = "failed"  # the transfer failed or was cancelled; the hold went back


WITHDRAWAL_STATUS_LABELS = labels(WithdrawalStatus, {
    WithdrawalStatus.REVIEWING: _l("Under review"), WithdrawalStatus.APPROVED: _l("Approved, to pay by hand"),
    WithdrawalStatus.PAYING: _l("Transfer under way"), WithdrawalStatus.PAID: _l("Paid out"),
    WithdrawalStatus.REJECTED: _l("Rejected"), WithdrawalStatus.FAILED: _l("Transfer failed"),
})

WITHDRAWAL_TRANSITIONS: dict[str, frozenset[str]] = {
    WithdrawalStatus.REVIEWING: frozenset({WithdrawalStatus.APPROVED, WithdrawalStatus.PAYING, WithdrawalStatus.PAID,
                                           WithdrawalStatus.REJECTED}),
    WithdrawalStatus.APPROVED: frozenset({WithdrawalStatus.PAID}),
    WithdrawalStatus.PAYING: frozenset({WithdrawalStatus.PAID, WithdrawalStatus.FAILED}),
    WithdrawalStatus.PAID: frozenset(),
    WithdrawalStatus.REJECTED: frozenset(),
    WithdrawalStatus.FAILED: frozenset(),
}

TRANSITIONS["withdrawals"] = WITHDRAWAL_TRANSITIONS


def move_withdrawal(withdrawal: Any, wanted: str, **values: Any) -> bool:
    return state_machine.move(TRANSITIONS, withdrawal, wanted, **values)
