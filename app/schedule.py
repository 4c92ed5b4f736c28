"""Every scheduled job, once: what runs, on which queue, how often.

Production reads this list through RQ's cron (`rq cron app/cron.py`, or `flask rq cron`);
the embedded mode reads it through app.core.embedded_scheduler. Each entry is a job path
that app.core.jobs.run_job resolves, so both run the same functions the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

MINUTE, HOUR, DAY = 60, 3600, 86_400


@dataclass(frozen=True)
class ScheduledJob:
    path: str  # "module:function", resolved by app.core.jobs.run_job
    queue: str  # the RQ queue a worker takes it from in production
    interval: int  # seconds between two runs
    why: str  # what would wait without it

    @property
    def name(self) -> str:
        return self.path.rpartition(":")[2]


SCHEDULE: tuple[ScheduledJob, ...] = (
    ScheduledJob("app.orders.closing:sweep_unpaid_orders", "default", MINUTE,
                 "unpaid orders past their payment time close and return their stock"),
    ScheduledJob("app.catalog.jobs:apply_shelf_schedule_job", "default", MINUTE,
                 "scheduled on/off shelf times are written down"),
    ScheduledJob("app.reports.jobs:refresh_rollups", "default", MINUTE,
                 "the dashboard's daily figures take in the payments, refunds, commission, shoppers and agents "
                 "of the last minute (and any earlier day they changed)"),
    ScheduledJob("app.payments.jobs:sweep_stale_payments", "money", 5 * MINUTE,
                 "payments and refunds WeChat never notified us about are asked about"),
    ScheduledJob("app.orders.fulfilment_jobs:sweep_auto_receipts", "default", 10 * MINUTE,
                 "shipped orders past the receipt time are received automatically"),
    ScheduledJob("app.distribution.jobs:release_due_commissions", "money", 10 * MINUTE,
                 "frozen commission past its freeze days becomes available"),
    ScheduledJob("app.distribution.jobs:sweep_stuck_withdrawals", "money", 10 * MINUTE,
                 "WeChat withdrawals whose transfer never notified us are settled"),
    ScheduledJob("app.distribution.jobs:upgrade_agents", "default", DAY,
                 "agents move up to the levels they qualify for"),
    ScheduledJob("app.marketing.jobs:expire_points", "default", DAY,
                 "points earned two years ago expire (when the shop turned expiry on)"),
    ScheduledJob("app.marketing.jobs:expire_coupons", "default", HOUR,
                 "unused coupons past their date are marked expired (the console's counts follow)"),
    ScheduledJob("app.marketing.jobs:expire_bargains", "default", MINUTE,
                 "bargains out of time that never reached the floor price end (their friends can no longer help)"),
    ScheduledJob("app.marketing.jobs:reconcile_flash_gates", "default", MINUTE,
                 "the flash sale gates of the session on now agree with the database (lost holds given back)"),
    ScheduledJob("app.marketing.jobs:end_flash_sales", "default", MINUTE,
                 "flash sales past their last session give their unsold stock back to the products"),
    ScheduledJob("app.marketing.jobs:grant_level_coupons", "default", DAY,
                 "members of levels with a monthly coupon receive this month's (once a month)"),
    ScheduledJob("app.marketing.jobs:expire_groups", "default", MINUTE,
                 "group-buy groups past their time succeed virtually or fail; members of failed groups (and "
                 "shoppers who found no seat) are refunded in full"),
    ScheduledJob("app.members.jobs:review_levels", "default", HOUR,
                 "with the yearly downgrade on, member levels are reviewed from the last year's growth "
                 "at each Beijing year start"),
)
