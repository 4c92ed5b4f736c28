"""The flash sale's Redis gate: units and a shopper's limits move together in one step, each
hold is given back or settled once, a cold gate says so (never "sold out"), and reconciling
puts back what a killed worker left behind. On fakeredis (SQLite runs) and on real Redis,
where threads race for the last units."""

from __future__ import annotations

import threading

import pytest

from app.extensions import redis_client
from app.marketing.flash_gate import FlashGate, Taken

SESSION, ACTIVITY = "session:7:2026-12-08", "activity"


@pytest.fixture
def gate(app):
    with app.app_context():
        gate = FlashGate(redis_client._get_current_object(), "item-1", [SESSION, ACTIVITY])
        gate.load(3, {})
        yield gate


def test_a_take_holds_units_and_counts_them_against_every_limit(gate):
    assert gate.take(10, 2, "t1", {SESSION: 2, ACTIVITY: 5}) == 1
    assert gate.take(10, 1, "t2", {SESSION: 2, ACTIVITY: 5}) == Taken.OVER_LIMIT
    assert gate.take(11, 2, "t3", {SESSION: 2, ACTIVITY: 5}) == Taken.SOLD_OUT
    assert gate.take(11, 1, "t3", {SESSION: 2, ACTIVITY: 5}) == 0
    assert gate.take(12, 1, "t4", {}) == Taken.SOLD_OUT
    snapshot = gate.snapshot()
    assert snapshot.left == 0
    assert snapshot.holders == {SESSION: {10: 2, 11: 1}, ACTIVITY: {10: 2, 11: 1}}
    assert [(hold.token, hold.user_id, hold.quantity) for hold in snapshot.holds] == [("t1", 10, 2), ("t3", 11, 1)]


def test_a_refused_take_changes_nothing_and_a_repeated_token_holds_once(gate):
    before = gate.snapshot()
    assert gate.take(10, 4, "big", {SESSION: 0}) == Taken.SOLD_OUT
    assert gate.snapshot() == before
    assert gate.take(10, 1, "same", {}) == 2
    assert gate.take(10, 1, "same", {}) == Taken.REPEATED
    assert gate.snapshot().left == 2


def test_giving_back_returns_units_and_limits_once(gate):
    gate.take(10, 2, "t1", {SESSION: 2})
    assert gate.give_back("t1") == 2
    assert gate.give_back("t1") == 0  # a replayed close
    snapshot = gate.snapshot()
    assert (snapshot.left, snapshot.holders, snapshot.holds) == (3, {SESSION: {}, ACTIVITY: {}}, [])
    assert gate.take(10, 2, "t2", {SESSION: 2}) == 1  # the shopper may buy again


def test_a_settled_hold_stays_sold_and_counted(gate):
    gate.take(10, 1, "paid", {SESSION: 1})
    assert gate.settle("paid") is True
    assert gate.give_back("paid") == 0  # a late close of a paid order gives nothing back
    assert gate.settle("paid") is False
    snapshot = gate.snapshot()
    assert (snapshot.left, snapshot.holders[SESSION], snapshot.holds) == (2, {10: 1}, [])
    assert gate.take(10, 1, "again", {SESSION: 1}) == Taken.OVER_LIMIT


def test_a_cold_gate_says_so_and_only_the_first_loader_fills_it(app):
    with app.app_context():
        gate = FlashGate(redis_client._get_current_object(), "item-cold", [SESSION])
        assert gate.take(10, 1, "t1", {}) == Taken.COLD
        assert gate.load(5, {SESSION: {10: 1}}) is True
        assert gate.load(99, {}) is False  # another worker's copy stands
        assert gate.take(10, 1, "t1", {SESSION: 1}) == Taken.OVER_LIMIT
        assert gate.take(11, 1, "t2", {SESSION: 1}) == 4


def test_reconciling_gives_back_holds_that_never_became_orders_and_sets_the_figures(gate):
    now = 1_000_000
    gate.take(10, 1, "lost", {SESSION: 1}, now_ms=now - 120_000)  # its worker died before the order
    gate.take(11, 1, "waiting", {SESSION: 1}, now_ms=now - 120_000)
    gate.take(12, 1, "in-flight", {SESSION: 1}, now_ms=now - 1_000)  # its order is being created
    # the database: stock 3, one order waiting (shopper 11, 1 unit)
    repairs = gate.reconcile(2, {SESSION: {11: 1}, ACTIVITY: {11: 1}}, lambda tokens: {"waiting": "waiting"},
                             now_ms=now)
    assert repairs == ["hold lost of shopper 10 has no open order: 1 unit(s) given back"]
    snapshot = gate.snapshot()
    assert snapshot.left == 1  # 2 free in the database, 1 of them held in flight
    assert snapshot.holders[SESSION] == {11: 1, 12: 1}
    assert gate.reconcile(2, {SESSION: {11: 1}, ACTIVITY: {11: 1}}, lambda tokens: {"waiting": "waiting"},
                          now_ms=now) == []


def test_reconciling_settles_paid_holds_and_repairs_a_drifted_count(gate):
    gate.take(10, 1, "paid", {})
    gate.client.set(gate.left_key, 9)  # drifted (a flushed and hand-restored key, say)
    repairs = gate.reconcile(2, {SESSION: {10: 1}, ACTIVITY: {10: 1}}, lambda tokens: {"paid": "paid"})
    assert repairs == ["left was 9, the database says 2"]
    snapshot = gate.snapshot()
    assert (snapshot.left, snapshot.holds, snapshot.holders[SESSION]) == (2, [], {10: 1})


def test_reconciling_a_lost_gate_loads_it_from_the_database(gate):
    gate.client.delete(gate.left_key, *gate.counter_keys)
    repairs = gate.reconcile(1, {SESSION: {10: 2}}, lambda tokens: {})
    assert repairs == ["gate was cold: loaded with 1 unit(s) left"]
    assert gate.take(10, 1, "t", {SESSION: 2}) == Taken.OVER_LIMIT
    assert gate.take(11, 1, "t", {SESSION: 2}) == 0


def test_many_shoppers_at_once_take_exactly_the_units_there_are(app, backend):
    if backend.name != "mariadb":
        pytest.skip("threads racing on a real Redis (the MariaDB + Redis run)")
    with app.app_context():
        client = redis_client._get_current_object()
        gate = FlashGate(client, "item-race", [SESSION])
        gate.load(100, {})
        results: dict[int, list[int]] = {}
        lock = threading.Lock()

        def shopper(user_id: int) -> None:
            answers = [gate.take(user_id, 1, f"{user_id}-{attempt}", {SESSION: 1}) for attempt in range(2)]
            with lock:
                results[user_id] = answers

        threads = [threading.Thread(target=shopper, args=(user_id,)) for user_id in range(500)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        won = [user for user, answers in results.items() if any(answer >= 0 for answer in answers)]
        assert len(won) == 100
        assert all(sum(answer >= 0 for answer in results[user]) == 1 for user in won)
        snapshot = gate.snapshot()
        assert snapshot.left == 0 and len(snapshot.holds) == 100 and set(snapshot.holders[SESSION]) == set(won)
