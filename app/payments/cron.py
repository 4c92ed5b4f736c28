"""RQ cron configuration: `rq cron app/payments/cron.py --url "$REDIS_URL"` runs the sweep
every five minutes on the money queue (a `flask rq worker` then executes it)."""

from rq import cron

from app.core.jobs import run_job

cron.register(run_job, "money", args=("app.payments.jobs:sweep_stale_payments",), interval=300)
