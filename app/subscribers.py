"""Imports every module that subscribes jobs to (or listens to) domain events, so they are registered."""

from app.distribution import jobs as distribution_jobs  # noqa: F401
from app.marketing import (
    level_benefits,  # noqa: F401  (the member free-delivery pricing step)
    member_growth,  # noqa: F401  (growth from completed orders, refunds, sign-ins)
)
from app.orders import (
    after_sale_subscribers,  # noqa: F401
    fulfilment_jobs,  # noqa: F401  (ships partly shipped orders whose rest was refunded)
)
from app.orders import subscribers as orders  # noqa: F401
from app.posters import jobs as poster_jobs  # noqa: F401  (counts official-account scans of poster codes)
from app.reports import marks as report_marks  # noqa: F401  (marks the days whose figures a change moved)
