"""`flask members verify` recomputes every wallet's balance and points from its ledgers and
every entry's running figure from the entry before it: silent on a shop the real flows wrote
(top-up, paying with the balance, a refund to it, fan points earned and spent), precise about
a tampered wallet or entry, for one shopper (--user) or the entries of a range of Beijing days
(--since / --until), and walking the ledgers in batches."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, event, select, update

from app.audit.services import Actor
from app.extensions import db
from app.members import services as members
from app.members import verify
from app.members.models import BalanceEntry, PointsEntry, Wallet
from app.orders import after_sales, oplog
from app.orders.after_sales import Application
from app.orders.payment import pay_order
from tests import factories
from tests.distribution_helpers import agent, bind, configure, sku

BOSS = Actor(None, "127.0.0.1")


def _shopper_who_pays_with_the_balance(name: str):
    """Topped up 5000 by the merchant, pays a 1200 order (2 × 600) with the balance, and gets
    600 back to the balance for one unit: 4400 left, in three balance entries."""
    shopper = factories.shopper(name)
    members.adjust_balance(BOSS, shopper.id, 5000, "充值", f"top-up-{shopper.id}")
    db.session.commit()
    order = factories.order(shopper, [(sku(price_fen=600), 2)])
    pay_order(shopper.id, order.id, "balance")
    db.session.commit()
    request = after_sales.request_after_sale(shopper.id, Application(
        order_item_id=order.items[0].id, kind="refund_only", quantity=1, reason="不想要了"))
    db.session.commit()
    after_sales.approve(BOSS, oplog.staff(None, "boss"), request.id)
    db.session.commit()
    return shopper


def _agent_with_fan_points(name: str):
    """Earns 10 points for each of two new shoppers brought in, spends 4: 16 points."""
    configure(fan_points=10, fan_points_daily_cap=5)
    referrer = agent(name)
    for newcomer in (f"{name}-fan1", f"{name}-fan2"):
        bind(factories.shopper(newcomer), referrer)
    members.adjust_points(BOSS, referrer.id, -4, "兑换礼品", f"spend-{referrer.id}")
    db.session.commit()
    return referrer


@pytest.fixture
def shop(app):
    payer, earner = _shopper_who_pays_with_the_balance("小花"), _agent_with_fan_points("小明")
    return SimpleNamespace(payer=payer, earner=earner)


def _entries(model, user) -> list:
    return db.session.scalars(select(model).where(model.user_id == user.id).order_by(model.id)).all()


def _set(model, row_id: int, **values) -> None:
    key = model.user_id if model is Wallet else model.id
    db.session.execute(update(model).where(key == row_id).values(**values))
    db.session.commit()


def test_a_shop_the_real_flows_wrote_verifies_clean(shop, runner):
    wallet, points = db.session.get(Wallet, shop.payer.id), db.session.get(Wallet, shop.earner.id)
    assert (wallet.balance_fen, points.points) == (4400, 16)
    assert [entry.delta_fen for entry in _entries(BalanceEntry, shop.payer)] == [5000, -1200, 600]
    assert [entry.delta for entry in _entries(PointsEntry, shop.earner)] == [10, 10, -4]

    result = runner.invoke(args=["members", "verify"])

    assert result.exit_code == 0 and result.output == ""


def test_a_tampered_wallet_is_reported_with_what_its_entries_add_up_to(shop, runner):
    _set(Wallet, shop.payer.id, balance_fen=9999)
    _set(Wallet, shop.earner.id, points=3)

    result = runner.invoke(args=["members", "verify"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"wallet of user {shop.payer.id}: balance_fen is 9999, its balance entries add up to 4400",
        f"wallet of user {shop.earner.id}: points is 3, its points entries add up to 16",
    ]
    assert "2 discrepancies" in result.stderr


def test_a_tampered_entry_is_reported_where_its_chain_breaks(shop, runner):
    top_up, paid, refunded = _entries(BalanceEntry, shop.payer)
    _set(BalanceEntry, paid.id, balance_after_fen=3900)  # should be 3800
    earned, _second, spent = _entries(PointsEntry, shop.earner)
    _set(PointsEntry, spent.id, delta=-5)  # the wallet and the running figure still say -4

    result = runner.invoke(args=["members", "verify"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"balance entry {paid.id} of user {shop.payer.id}: balance_after_fen is 3900, expected 3800 "
        f"(5000 before it, -1200 by it)",
        f"balance entry {refunded.id} of user {shop.payer.id}: balance_after_fen is 4400, expected 4500 "
        f"(3900 before it, +600 by it)",
        f"wallet of user {shop.earner.id}: points is 16, its points entries add up to 15",
        f"points entry {spent.id} of user {shop.earner.id}: points_after is 16, expected 15 (20 before it, -5 by it)",
    ]
    assert top_up.balance_after_fen == 5000 and earned.points_after == 10


def test_a_wallet_whose_row_is_gone_is_reported_missing(shop, runner):
    db.session.execute(delete(Wallet).where(Wallet.user_id == shop.earner.id))
    db.session.commit()

    result = runner.invoke(args=["members", "verify"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"wallet of user {shop.earner.id}: missing, its points entries add up to 16"]


def test_verify_of_one_shopper_reports_only_theirs(shop, runner):
    _set(Wallet, shop.payer.id, balance_fen=1)
    _set(Wallet, shop.earner.id, points=1)
    _spent = _entries(PointsEntry, shop.earner)[-1]
    _set(PointsEntry, _spent.id, points_after=99)

    result = runner.invoke(args=["members", "verify", "--user", str(shop.earner.id)])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"wallet of user {shop.earner.id}: points is 1, its points entries add up to 16",
        f"points entry {_spent.id} of user {shop.earner.id}: points_after is 99, expected 16 (20 before it, -4 by it)",
    ]
    clean = runner.invoke(args=["members", "verify", "--user", str(factories.shopper("路人").id)])
    assert clean.exit_code == 0 and clean.output == ""


def test_verify_of_a_range_of_beijing_days_checks_the_entries_created_on_those_days(shop, runner):
    refunded = _entries(BalanceEntry, shop.payer)[-1]
    spent = _entries(PointsEntry, shop.earner)[-1]
    # 00:30 on 1 December and 23:30 on 30 November, Beijing time; the entries before them
    # were written today, outside the range
    _set(BalanceEntry, refunded.id, created_at=datetime(2026, 11, 30, 16, 30), balance_after_fen=4401)
    _set(PointsEntry, spent.id, created_at=datetime(2026, 11, 30, 15, 30), points_after=17)

    result = runner.invoke(args=["members", "verify", "--since", "2026-12-01", "--until", "2026-12-01"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"balance entry {refunded.id} of user {shop.payer.id}: balance_after_fen is 4401, expected 4400 "
        f"(3800 before it, +600 by it)"]
    everything = runner.invoke(args=["members", "verify", "--until", "2026-11-30"])
    assert everything.stdout.splitlines() == [
        f"points entry {spent.id} of user {shop.earner.id}: points_after is 17, expected 16 (20 before it, -4 by it)"]


def test_verify_refuses_a_range_that_ends_before_it_starts(app, runner):
    result = runner.invoke(args=["members", "verify", "--since", "2026-12-02", "--until", "2026-12-01"])

    assert result.exit_code == 2
    assert "--since is after --until" in result.output


def _tamper_everything(shop):
    """A wallet off, a wallet gone, a running figure off, and a wallet whose only entry it lost."""
    _set(Wallet, shop.payer.id, balance_fen=1)
    db.session.execute(delete(Wallet).where(Wallet.user_id == shop.earner.id))
    _set(BalanceEntry, _entries(BalanceEntry, shop.payer)[1].id, balance_after_fen=0)
    lost = factories.shopper("丢了流水")
    members.adjust_balance(BOSS, lost.id, 100, "充值", f"top-up-{lost.id}")
    db.session.execute(delete(BalanceEntry).where(BalanceEntry.user_id == lost.id))
    db.session.commit()
    return lost


def test_verify_in_small_batches_finds_what_it_finds_in_one(shop, monkeypatch):
    lost = _tamper_everything(shop)
    whole = list(verify.problems())

    monkeypatch.setattr(verify, "BATCH", 1)
    in_batches = list(verify.problems())

    assert in_batches == whole
    paid, refunded = _entries(BalanceEntry, shop.payer)[1:]
    assert whole == [  # by user: the wallet, then its entries
        f"wallet of user {shop.payer.id}: balance_fen is 1, its balance entries add up to 4400",
        f"balance entry {paid.id} of user {shop.payer.id}: balance_after_fen is 0, expected 3800 "
        f"(5000 before it, -1200 by it)",
        f"balance entry {refunded.id} of user {shop.payer.id}: balance_after_fen is 4400, expected 600 "
        f"(0 before it, +600 by it)",
        f"wallet of user {shop.earner.id}: missing, its points entries add up to 16",
        f"wallet of user {lost.id}: balance_fen is 100, its balance entries add up to 0",
    ]


def _statements_run_by_verify() -> int:
    """How many statements one walk sends (each answers at most a batch of rows)."""
    db.session.commit()
    sent = []

    def count(*_args) -> None:
        sent.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert list(verify.problems()) == []
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(sent)


def test_the_walk_goes_in_batches_so_its_memory_does_not_grow_with_the_shop(shop, monkeypatch):
    smaller_in_one = _statements_run_by_verify()
    monkeypatch.setattr(verify, "BATCH", 2)
    smaller = _statements_run_by_verify()
    for name in ("甲", "乙", "丙"):
        _shopper_who_pays_with_the_balance(name)
    bigger = _statements_run_by_verify()
    monkeypatch.setattr(verify, "BATCH", 5000)
    bigger_in_one = _statements_run_by_verify()

    # one batch reads a small shop and a bigger one alike; batches of 2 take more steps as it grows
    assert bigger_in_one == smaller_in_one
    assert bigger > smaller > smaller_in_one
