"""The embedded mode's scheduler: app/schedule.py's jobs, run on time inside the serving process.

In production `rq cron` enqueues them for RQ workers. The embedded mode has no worker and no
cron (jobs run inline), so each serving process (`flask run`, every gunicorn worker) runs this
thread instead: every few seconds it claims each due job in the database
(app.core.schedule_claims, so only one process runs it per interval) and enqueues it exactly
as RQ's cron does — on an inline queue that runs it there and then. It is never started by
CLI commands or in tests (a test starts one itself), and it stops when the process exits.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

import click
from flask import Flask
from flask.cli import run_command
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from app.core.jobs import run_job
from app.core.models import utcnow
from app.core.schedule_claims import claim
from app.extensions import db, queues
from app.schedule import SCHEDULE, ScheduledJob

log = logging.getLogger(__name__)

_EXTENSION = "embedded_scheduler"


class EmbeddedScheduler:
    """A daemon thread that runs each scheduled job when its interval has passed."""

    def __init__(self, app: Flask, jobs: Iterable[ScheduledJob] = SCHEDULE, *,
                 clock: Callable[[], datetime] = utcnow, poll_seconds: float = 5.0) -> None:
        self.app, self.jobs, self.clock, self.poll_seconds = app, tuple(jobs), clock, poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="fenxiao-scheduler", daemon=True)

    def start(self) -> EmbeddedScheduler:
        log.info("scheduler: running %d scheduled jobs in this process (embedded mode)", len(self.jobs))
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Let the job in hand finish, then end the thread."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        # The first tick waits one poll: by then the server listens, so a job that calls the
        # sandbox (served by this very process) reaches it.
        while not self._stop.wait(self.poll_seconds):
            self.tick()

    def tick(self) -> list[str]:
        """Run every job that is due now; returns the names of those this process ran."""
        ran = []
        for scheduled in self.jobs:
            if self._stop.is_set():
                break
            with self.app.app_context():
                try:
                    if not claim(scheduled.path, scheduled.interval, self.clock()):
                        continue
                    ran.append(scheduled.name)
                    self._run(scheduled)
                except Exception:  # one job's trouble never stops the others or the next tick
                    db.session.rollback()
                    log.exception("scheduler: %s could not run", scheduled.path)
        return ran

    @staticmethod
    def _run(scheduled: ScheduledJob) -> None:
        """Enqueue as RQ's cron would; the inline queue runs it now and keeps any failure."""
        job = queues.get(scheduled.queue).enqueue(run_job, scheduled.path, description=scheduled.path)
        if job.is_failed:
            result = job.latest_result()
            log.error("scheduler: %s failed:\n%s", scheduled.path, result.exc_string if result else "")
        else:
            log.info("scheduler: %s ran (%s)", scheduled.path, job.return_value())


def start_if_embedded(app: Flask) -> EmbeddedScheduler | None:
    """Start the scheduler for a serving process of the embedded mode (jobs inline); None in
    production (RQ's cron does it), in tests, or when EMBEDDED_SCHEDULER is off."""
    config = app.config
    if not (config.get("RQ_INLINE") and config.get("EMBEDDED_SCHEDULER", True)) or config.get("TESTING"):
        return None
    if _EXTENSION in app.extensions:
        return app.extensions[_EXTENSION]
    scheduler = app.extensions[_EXTENSION] = EmbeddedScheduler(app).start()
    atexit.register(scheduler.stop)
    return scheduler


def stop(app: Flask) -> None:
    scheduler = app.extensions.pop(_EXTENSION, None)
    if scheduler is not None:
        scheduler.stop()


def served_app(wsgi: object) -> Flask | None:
    """The Flask app a gunicorn worker serves: the callable itself, or the one a WSGI wrapper
    names as its `flask_app`; None for anything else (its worker runs no schedule, and boots)."""
    for candidate in (wsgi, getattr(wsgi, "flask_app", None)):
        if isinstance(candidate, Flask):
            return candidate
    log.warning("scheduler: %r is not a Flask app and names none (flask_app): no schedule here", wsgi)
    return None


def start_for_worker(wsgi: object) -> EmbeddedScheduler | None:
    """gunicorn's post_worker_init: start the embedded schedule for what this worker serves."""
    app = served_app(wsgi)
    return start_if_embedded(app) if app is not None else None


def stop_for_worker(wsgi: object) -> None:
    """gunicorn's worker_exit."""
    app = served_app(wsgi)
    if app is not None:
        stop(app)


def install(app: Flask) -> None:
    """Called by create_app: start when this process is `flask run` serving the app (gunicorn
    starts it from gunicorn.conf.py; every other command never does)."""
    if _serving_with_flask_run():
        start_if_embedded(app)


def _serving_with_flask_run() -> bool:
    context = click.get_current_context(silent=True)
    if context is None or context.command is not run_command:
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or is_running_from_reloader()  # the reloader's watcher process serves nothing
