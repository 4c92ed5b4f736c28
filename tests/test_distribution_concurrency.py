"""The same order.paid job run twenty times at once writes one set of lines and entries; a
job that dies half-way leaves nothing behind, and its retry writes everything once. (On
MariaDB the order row lock serialises the copies; on SQLite the single writer does.)"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.distribution import jobs, ledger
from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.extensions import db
from tests import factories
from tests.distribution_helpers import account, bind, configure, problems, referral_chain, sku

COPIES = 20


@pytest.fixture
def paid(app):
    configure(levels=3, rate1_bp=1000, rate2_bp=500, rate3_bp=200)
    a, b, c = referral_chain("A", "B", "C")
    d = factories.shopper("D")
    bind(d, c)
    order = factories.order(d, [(sku(), 1), (sku(price_fen=5_000), 2)], status="paid")
    return order, (a, b, c)


def _counts(order_id: int) -> tuple[int, int]:
    db.session.commit()  # a new transaction: see what other sessions committed (MariaDB snapshots)
    lines = db.session.scalar(select(func.count()).select_from(CommissionLine)
                              .where(CommissionLine.order_id == order_id))
    entries = db.session.scalar(select(func.count()).select_from(CommissionEntry)
                                .where(CommissionEntry.kind == "accrue"))
    return lines, entries


def test_twenty_concurrent_runs_of_the_paid_job_accrue_once(app, paid):
    order, (a, b, c) = paid
    order_id = order.id  # read here: the test's session must not be touched from the threads
    barrier = threading.Barrier(COPIES)
    outcomes: list[str] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                jobs.accrue_commissions(order_id)
                db.session.commit()
                outcomes.append("ok")
            except Exception as exc:  # a loser of the race fails like an RQ job and would be retried
                db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == COPIES and "ok" in outcomes
    if db.engine.dialect.name == "mysql":  # the order lock serialises them: none even fails
        assert outcomes == ["ok"] * COPIES
    jobs.accrue_commissions(order.id)  # and a late retry changes nothing either
    db.session.commit()
    assert _counts(order.id) == (6, 6)  # two items × three levels, all paying
    assert account(c)["pending"] == 1000 + 1000 and account(b)["pending"] == 500 + 500
    assert account(a)["pending"] == 200 + 200
    assert problems() == []


def test_a_job_killed_half_way_leaves_nothing_and_its_retry_accrues_once(app, paid, monkeypatch):
    order, (_a, _b, c) = paid
    calls = []

    def dying(*args, **kwargs):  # dies after the lines and the entries were written
        calls.append(1)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(ledger, "_pending_upsert", dying)
    with pytest.raises(RuntimeError):
        jobs.accrue_commissions(order.id)
    db.session.rollback()  # what the job runner does with an exception
    assert _counts(order.id) == (0, 0) and account(c)["pending"] == 0
    assert calls == [1]
    monkeypatch.undo()
    jobs.accrue_commissions(order.id)
    db.session.commit()
    jobs.accrue_commissions(order.id)
    db.session.commit()
    assert _counts(order.id) == (6, 6) and account(c)["pending"] == 2000
    assert problems() == []


def test_the_run_job_entry_point_rolls_a_failed_job_back(app, paid, monkeypatch):
    from app.core.jobs import run_job

    order, (_a, _b, c) = paid
    monkeypatch.setattr(ledger, "post_accruals", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        run_job("app.distribution.jobs:accrue_commissions", order.id)
    monkeypatch.undo()
    run_job("app.distribution.jobs:accrue_commissions", order.id)
    run_job("app.distribution.jobs:accrue_commissions", order.id)
    assert _counts(order.id) == (6, 6) and account(c)["pending"] == 2000
    assert problems() == []
