"""Imports every module that subscribes jobs to (or listens to) domain events, so they are registered."""

from app.distribution import jobs as distribution_jobs  # noqa: F401
from app.marketing import (
    activity_orders,  # noqa: F401  (an activity order's claim, sale and release follow its order)
    activity_pricing,  # noqa: F401  (checkout step 5: an activity order's price)
    bargains,  # noqa: F401  (the bargain activity kind)
    coupon_gifts,  # noqa: F401  (the new-user pack at first login, the invitee's gift at binding)
    coupon_lifecycle,  # noqa: F401  (a coupon follows its order; pricing step 30)
    flash_purchase,  # noqa: F401  (the flash sale activity kind)
    full_reduction_pricing,  # noqa: F401  (checkout step 20: full-reduction activities)
    group_kind,  # noqa: F401  (the group-buy activity kind)
    group_shipping,  # noqa: F401  (a group-buy order ships once its group formed)
    level_benefits,  # noqa: F401  (the member free-delivery pricing step)
    member_growth,  # noqa: F401  (growth from completed orders, refunds, sign-ins)
    order_gifts,  # noqa: F401  (a full-reduction tier's points or coupon, given with a completed order)
    points_orders,  # noqa: F401  (points spent, returned, earned with their orders)
    points_pricing,  # noqa: F401  (checkout step 40: points deduction)
)
from app.marketing import (
    jobs as marketing_jobs,  # noqa: F401  (a group-buy order that found no seat is refunded)
)
from app.media import order_pictures  # noqa: F401  (pictures sold in orders stay in the library)
from app.orders import (
    after_sale_subscribers,  # noqa: F401
    fulfilment_jobs,  # noqa: F401  (ships partly shipped orders whose rest was refunded)
)
from app.orders import subscribers as orders  # noqa: F401
from app.posters import jobs as poster_jobs  # noqa: F401  (counts official-account scans of poster codes)
from app.reports import marks as report_marks  # noqa: F401  (marks the days whose figures a change moved)
