"""The order list's filters from query arguments, shared by the console list and its export
job (which stores the arguments), so an export contains exactly what the merchant was looking at."""

from __future__ import annotations

from datetime import date, timedelta

from werkzeug.datastructures import MultiDict

from app.core.china_time import day_start_utc
from app.orders.activity import ActivityKind
from app.orders.queries import OrderFilter
from app.orders.states import OrderStatus, PayMethod

FILTER_ARGS = ("status", "since", "until", "keyword", "pay_method", "exception", "activity_kind", "activity_id")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def order_filter_from_args(args: MultiDict) -> OrderFilter:
    """`since` and `until` are Beijing calendar days, both included; unknown values are ignored."""
    since, until = _day(args.get("since")), _day(args.get("until"))
    status = args.get("status", "")
    pay_method = args.get("pay_method", "")
    kind, activity = args.get("activity_kind", ""), args.get("activity_id", "")
    kind = kind if kind in set(ActivityKind) else ""
    return OrderFilter(
        status=status if status in set(OrderStatus) else "",
        since=day_start_utc(since) if since else None,
        until=day_start_utc(until + timedelta(days=1)) if until else None,
        keyword=(args.get("keyword") or "").strip()[:64],
        pay_method=pay_method if pay_method in set(PayMethod) else "",
        exception=(args.get("exception") or "").strip()[:32],
        activity_kind=kind,
        activity_id=int(activity) if kind and activity.isascii() and activity.isdigit() and len(activity) < 10
        else None,
    )


def filter_args(args: MultiDict) -> dict[str, str]:
    """The filter arguments present in `args`, to carry into links (pages, export)."""
    return {name: args[name] for name in FILTER_ARGS if args.get(name)}
