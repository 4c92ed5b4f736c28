"""RQ cron configuration: `rq cron app/orders/receive_cron.py --url "$REDIS_URL"` runs the
automatic-receipt sweep every ten minutes on the default queue (a `flask rq worker` then
executes it and the per-order jobs it enqueues)."""

from rq import cron

from app.core.jobs import run_job

cron.register(run_job, "default", args=("app.orders.fulfilment_jobs:sweep_auto_receipts",), interval=600)
