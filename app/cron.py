"""RQ cron configuration for production: `rq cron app/cron.py --url "$REDIS_URL"` (or
`flask rq cron`) enqueues every job of app.schedule.SCHEDULE on its queue at its interval;
`flask rq worker` processes execute them."""

from rq import cron

from app.core.jobs import run_job
from app.schedule import SCHEDULE

for scheduled in SCHEDULE:
    cron.register(run_job, scheduled.queue, args=(scheduled.path,), interval=scheduled.interval)
