"""RQ cron configuration: `rq cron app/catalog/cron.py --url "$REDIS_URL"` applies the shelf
schedule every minute on the default queue (a `flask rq worker` then executes it)."""

from rq import cron

from app.core.jobs import run_job

cron.register(run_job, "default", args=("app.catalog.jobs:apply_shelf_schedule_job",), interval=60)
