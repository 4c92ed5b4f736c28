"""RQ cron configuration: `rq cron app/distribution/cron.py --url "$REDIS_URL"` releases due
frozen commission every ten minutes on the money queue, asks WeChat Pay every ten minutes about
WeChat withdrawals whose transfer never notified us, and upgrades agents' levels daily
(a `flask rq worker` executes them)."""

from rq import cron

from app.core.jobs import run_job

cron.register(run_job, "money", args=("app.distribution.jobs:release_due_commissions",), interval=600)
cron.register(run_job, "money", args=("app.distribution.jobs:sweep_stuck_withdrawals",), interval=600)
cron.register(run_job, "default", args=("app.distribution.jobs:upgrade_agents",), interval=86_400)
