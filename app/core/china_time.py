"""China Standard Time at the edges: we store naive UTC, people read and type Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "CST")


def to_beijing(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as Beijing time."""
    if moment is None:
        return None
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(BEIJING)


def beijing_iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Beijing time with its offset, e.g. 2026-11-27T18:30:00+08:00 (as WeChat
    writes times, and as every JSON answer of ours does)."""
    local = to_beijing(moment)
    return local.isoformat(timespec="seconds") if local else None


def format_beijing(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    local = to_beijing(moment)
    return local.strftime(pattern) if local else ""


def day_start_utc(day: date) -> datetime:
    """Midnight of a Beijing calendar day, as naive UTC (for `created_at >= ...`)."""
    return datetime(day.year, day.month, day.day) - timedelta(hours=8)
