"""Commission for a generated order, by the app's own rules (app/distribution/accrual.py,
settlement.py, refunds.py), on plain ids and integers: the lines accrual would write, the
ledger entries accrual, freezing, releasing and refunds would post, and the running bucket
totals of every agent's account.

Kept in step with the app by tests/test_scale_generator.py, which re-accrues generated
orders with the app's `accrue` and compares the lines, and runs `flask distribution verify`.
"""

from __future__ import annotations

from array import array

from app.distribution.ledger import entry_key
from bench.scale import catalog, people

MAX_LEVELS = 3
BASIS_POINTS = 10_000
AGENT_LEVEL_RATES = {level_id: (r1, r2, r3) for level_id, _name, _rank, r1, r2, r3 in catalog.AGENT_LEVELS}
GLOBAL_RATES = (catalog.SETTINGS["rate1_bp"], catalog.SETTINGS["rate2_bp"], catalog.SETTINGS["rate3_bp"])
PENDING, FROZEN, AVAILABLE = 0, 1, 2


class Books:
    """Line and entry ids, and every account's pending / frozen / available as they grow."""

    def __init__(self, sink, users: int) -> None:
        self.lines = sink.table("commission_lines", (
            "id", "order_id", "order_item_id", "level", "beneficiary_user_id", "rule", "base_fen", "rate_bp",
            "fixed_fen", "amount_fen", "cancelled_fen", "clawed_back_fen", "status", "reason", "frozen_until",
            "created_at", "updated_at"))
        self.entries = sink.table("commission_entries", (
            "id", "key", "agent_user_id", "line_id", "kind", "ref", "pending_fen", "frozen_fen", "available_fen",
            "withdrawing_fen", "withdrawn_fen", "created_at"))
        self.line_id = 0
        self.entry_id = 0
        self.buckets = [array("q", bytes(8 * (users + 1))) for _ in range(3)]
        self.has_account = bytearray(users + 1)

    def post(self, agent: int, kind: str, line_id: int, ref, at: str, deltas: tuple[int, int, int]) -> None:
        self.entry_id += 1
        self.entries.add((self.entry_id, entry_key(kind, line_id, ref), agent, line_id, kind, str(ref),
                          deltas[PENDING], deltas[FROZEN], deltas[AVAILABLE], 0, 0, at))
        for bucket, delta in enumerate(deltas):
            if delta:
                self.buckets[bucket][agent] += delta
        self.has_account[agent] = 1

    def write_accounts(self, sink, at: str) -> None:
        accounts = sink.table("agent_accounts", ("user_id", "pending_fen", "frozen_fen", "available_fen",
                                                 "withdrawing_fen", "withdrawn_fen", "updated_at"))
        pending, frozen, available = self.buckets
        for user_id, has in enumerate(self.has_account):
            if user_id % 1000 == 0:
                sink.tick()
            if has:
                accounts.add((user_id, pending[user_id], frozen[user_id], available[user_id], 0, 0, at))


def positions(shoppers: people.People, buyer: int) -> list[tuple[int, int | None, str]]:
    """(level, who, reason) for every position of an order, as accrual.chain and _judge decide
    them (self-purchase rebate off; permanent bindings, so none expired)."""
    found: list[tuple[int, int | None, str]] = []
    if shoppers.agent[buyer] == people.ACTIVE:
        found.append((0, buyer, "self_purchase_off"))
    below = buyer
    broken = False
    for level in range(1, MAX_LEVELS + 1):
        referrer = 0 if broken else shoppers.parent[below]
        if not referrer:
            broken = True
            found.append((level, None, "no_referrer"))
            continue
        status = shoppers.agent[referrer]
        reason = "" if status == people.ACTIVE else ("agent_disabled" if status == people.DISABLED else "not_an_agent")
        found.append((level, referrer, reason))
        below = referrer
    return found


def price(shoppers: people.People, product_id: int, level: int, who: int, base: int) -> tuple[str, int | None, int,
                                                                                             str]:
    """(rule, rate, amount, reason) for a paying position, as accrual.price decides it."""
    rule = catalog.product_rule(product_id)
    if rule is not None and rule[0] == "excluded":
        return f"product:{product_id}", None, 0, "product_excluded"
    if rule is not None:
        rate, name = rule[1][level - 1], f"product:{product_id}"
    else:
        level_id = shoppers.agent_level[who]
        level_rate = AGENT_LEVEL_RATES.get(level_id, (None,) * 3)[level - 1]
        rate, name = (level_rate, f"agent_level:{level_id}") if level_rate is not None else (
            GLOBAL_RATES[level - 1], "global")
    amount = base * rate // BASIS_POINTS  # share_of: rounded down to the fen
    return name, rate, amount, "" if amount else "zero_amount"
