"""RQ cron configuration: `rq cron app/orders/cron.py --url "$REDIS_URL"` sweeps unpaid orders
past their payment time every minute on the default queue (a `flask rq worker` then closes
each one in its own job)."""

from rq import cron

from app.core.jobs import run_job

cron.register(run_job, "default", args=("app.orders.closing:sweep_unpaid_orders",), interval=60)
