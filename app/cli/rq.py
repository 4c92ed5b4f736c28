"""`flask rq worker`: an RQ worker (with the scheduler, for retries) on the app's queues;
`flask rq cron`: RQ's cron, enqueueing app/schedule.py's jobs (what `rq cron app/cron.py` does)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker
from rq.cron import CronScheduler

from app.extensions import QUEUE_NAMES, queues

rq_cli = AppGroup("rq", help="Background job workers.")


@rq_cli.command("worker")
@click.argument("queue_names", nargs=-1)
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
def worker(queue_names: tuple[str, ...], burst: bool) -> None:
    """Work QUEUE_NAMES (default: money notify media default, in that priority)."""
    if current_app.config.get("RQ_INLINE"):
        raise click.ClickException("jobs run inline here (no REDIS_URL, or RQ_INLINE=1): no worker is needed.")
    names = queue_names or ("money", "notify", "media", "default")
    unknown = set(names) - set(QUEUE_NAMES)
    if unknown:
        raise click.ClickException(f"unknown queues: {', '.join(sorted(unknown))}")
    connection = current_app.extensions["redis"]
    Worker([queues.get(name) for name in names], connection=connection).work(
        with_scheduler=True, burst=burst)


@rq_cli.command("cron")
def cron() -> None:
    """Enqueue every scheduled job (app/schedule.py) on its queue at its interval; run one."""
    if current_app.config.get("RQ_INLINE"):
        raise click.ClickException("jobs run inline here: the serving process runs the schedule itself.")
    scheduler = CronScheduler(connection=current_app.extensions["redis"])
    scheduler.load_config_from_file("app.cron")
    scheduler.start()
