"""The embedded mode runs every scheduled job on time in its serving process: the same list
(app/schedule.py) and the same job functions as production's RQ cron, once per interval
however many processes serve, never in CLI commands or tests unless asked."""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import click
import pytest
from flask.cli import run_command
from rq.cron import CronScheduler

from app.core import embedded_scheduler
from app.core.embedded_scheduler import EmbeddedScheduler
from app.core.jobs import run_job
from app.core.models import utcnow
from app.extensions import db
from app.orders.models import Order
from app.schedule import SCHEDULE, ScheduledJob
from tests import factories
from tests.distribution_helpers import account, bind, complete, configure, paid_order, referral_chain, sku

runs: list[str] = []


def record_run() -> None:
    runs.append("ran")


def explode() -> None:
    raise RuntimeError("a scheduled job that fails")


RECORDING = ScheduledJob("tests.test_embedded_scheduler:record_run", "default", 60, "a test records each run")
FAILING = ScheduledJob("tests.test_embedded_scheduler:explode", "default", 60, "a test's job that fails")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@contextmanager
def running(app, jobs=SCHEDULE):
    scheduler = EmbeddedScheduler(app, jobs, poll_seconds=0.05).start()
    try:
        yield scheduler
    finally:
        scheduler.stop()


def eventually(check, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.commit()  # see what the scheduler's thread committed
        if check():
            return True
        time.sleep(0.05)
    return False


def test_commission_of_a_received_order_is_released_with_freeze_days_0_and_no_cli(app):
    # given an agent's shopper whose order was paid and received, with freeze days 0
    configure(levels=1, rate1_bp=1000, freeze_days=0)
    (agent,) = referral_chain("A")
    buyer = factories.shopper("buyer")
    bind(buyer, agent)
    complete(paid_order(buyer, [(sku(), 1)]))
    assert account(agent)["frozen"] == 1000

    # when the app's scheduler runs (no `flask distribution release`)
    with running(app):
        released = eventually(lambda: account(agent)["available"] == 1000)

    # then the commission is available
    assert released and account(agent)["frozen"] == 0


def test_an_unpaid_order_past_its_deadline_is_closed(app):
    shopper = factories.shopper("late")
    product = factories.product(factories.category())
    overdue = factories.order(shopper, [(product.skus[0], 1)])
    overdue.pay_deadline = utcnow() - timedelta(seconds=1)
    current = factories.order(shopper, [(product.skus[0], 1)])
    db.session.commit()

    with running(app):
        closed = eventually(lambda: db.session.get(Order, overdue.id).status == "closed")

    assert closed and db.session.get(Order, current.id).status == "pending_payment"


def test_production_cron_and_the_embedded_runner_read_the_same_schedule(app):
    production = CronScheduler(connection=app.extensions["redis"])
    production.load_config_from_file("app/cron.py")  # what `rq cron app/cron.py` loads

    embedded = EmbeddedScheduler(app)

    assert [(job.func, job.args, job.queue_name, job.interval) for job in production.get_jobs()] == \
        [(run_job, (scheduled.path,), scheduled.queue, scheduled.interval) for scheduled in embedded.jobs]
    assert {"sweep_unpaid_orders", "sweep_auto_receipts", "release_due_commissions", "upgrade_agents"} <= \
        {scheduled.name for scheduled in embedded.jobs}


def test_two_processes_run_each_job_once_per_interval(app):
    clock = FakeClock()
    first, second = (EmbeddedScheduler(app, [RECORDING], clock=clock) for _ in range(2))
    runs.clear()

    assert first.tick() + second.tick() == ["record_run"]
    clock.advance(59)
    assert first.tick() + second.tick() == []
    clock.advance(1)
    assert second.tick() + first.tick() == ["record_run"]
    assert runs == ["ran", "ran"]


def test_a_failing_job_is_logged_and_the_others_still_run(app, caplog):
    runs.clear()
    scheduler = EmbeddedScheduler(app, [FAILING, RECORDING], clock=FakeClock())

    scheduler.tick()

    assert runs == ["ran"]
    assert any(record.levelname == "ERROR" and "explode failed" in record.getMessage()
               and "a scheduled job that fails" in record.getMessage() for record in caplog.records)


@contextmanager
def invoked_as(command: click.Command, **params):
    with click.Context(command, info_name=command.name) as context:
        context.params.update(params)
        yield


@pytest.mark.parametrize(("params", "overrides", "starts"), [
    ({"reload": False}, {}, True),  # `flask run`, embedded mode
    ({"reload": True}, {}, False),  # the reloader's watcher process (its child serves)
    ({"reload": False}, {"RQ_INLINE": False}, False),  # production: RQ's cron does it
    ({"reload": False}, {"EMBEDDED_SCHEDULER": False}, False),  # turned off
    ({"reload": False}, {"TESTING": True}, False),  # tests start their own
])
def test_flask_run_starts_it_in_embedded_mode_only(make_app, params, overrides, starts):
    with invoked_as(run_command, **params):
        app = make_app(**{"TESTING": False, **overrides})
    try:
        assert ("embedded_scheduler" in app.extensions) is starts
    finally:
        embedded_scheduler.stop(app)


def test_other_commands_never_start_it(make_app):
    upgrade = click.Command("upgrade")
    with invoked_as(upgrade):
        app = make_app(TESTING=False)
    assert "embedded_scheduler" not in app.extensions


def test_a_gunicorn_worker_finds_the_app_behind_a_wsgi_wrapper_and_boots_with_a_bare_callable(make_app):
    app = make_app(TESTING=False)

    def wrapper(environ, start_response):
        return app(environ, start_response)

    wrapper.flask_app = app
    try:
        assert embedded_scheduler.start_for_worker(wrapper) is app.extensions["embedded_scheduler"]
        embedded_scheduler.stop_for_worker(wrapper)
        assert "embedded_scheduler" not in app.extensions
        # a callable that names no app: the worker boots, without a schedule
        assert embedded_scheduler.start_for_worker(lambda environ, start_response: []) is None
        embedded_scheduler.stop_for_worker(lambda environ, start_response: [])
    finally:
        embedded_scheduler.stop(app)


def test_it_stops_cleanly(app):
    with running(app, [RECORDING]) as scheduler:
        assert eventually(lambda: bool(runs))
    assert not scheduler.running


def test_the_readme_says_what_runs_when():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("### What runs when", 1)[1].split("\n### ", 1)[0]
    assert all(f"| `{scheduled.name}` |" in section for scheduled in SCHEDULE)


def test_rq_cron_is_refused_where_the_serving_process_runs_the_schedule(runner):
    result = runner.invoke(args=["rq", "cron"])
    assert result.exit_code != 0 and "inline" in result.output
