"""Every allowed status change of a group and of its members, in one place (compare-and-set
through `app.core.state_machine`, so of two transactions racing on one row only one wins)."""

from __future__ import annotations

from typing import Any

from app.core import state_machine
from app.marketing.group_models import GroupStatus, MemberStatus

GROUP_TRANSITIONS: dict[str, frozenset[str]] = {
    GroupStatus.FORMING: frozenset({GroupStatus.SUCCEEDED, GroupStatus.FAILED}),
    GroupStatus.SUCCEEDED: frozenset(),
    GroupStatus.FAILED: frozenset(),
}

MEMBER_TRANSITIONS: dict[str, frozenset[str]] = {
    MemberStatus.SEATED: frozenset({MemberStatus.REFUND_DUE}),
    MemberStatus.REFUND_DUE: frozenset({MemberStatus.REFUNDED}),
    MemberStatus.REFUNDED: frozenset(),
}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "group_buy_groups": GROUP_TRANSITIONS,
    "group_buy_members": MEMBER_TRANSITIONS,
}


def can_move(table: str, current: str, wanted: str) -> bool:
    return state_machine.can_move(TRANSITIONS, table, current, wanted)


def move(row: Any, wanted: str, **values: Any) -> bool:
    return state_machine.move(TRANSITIONS, row, wanted, **values)
