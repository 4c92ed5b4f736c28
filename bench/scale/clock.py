"""Generated times: seconds since the epoch (UTC), written the way the database stores a
naive UTC DateTime, formatted without datetime objects (tens of millions of them)."""

from __future__ import annotations

from datetime import UTC, date, datetime

DAY = 86_400
HOUR = 3_600
MINUTE = 60


class Clock:
    def __init__(self, today: date, suffix: str) -> None:
        self.now = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
        self.suffix = suffix
        self._days: dict[int, str] = {}
        # " HH:MM:SS" for every second of a day: a look-up instead of formatting each time
        self._times = [f" {second // HOUR:02d}:{second % HOUR // MINUTE:02d}:{second % MINUTE:02d}{suffix}"
                       for second in range(DAY)]

    def text(self, seconds: float | None) -> str | None:
        if seconds is None:
            return None
        day, rest = divmod(int(seconds), DAY)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = datetime.fromtimestamp(day * DAY, UTC).strftime("%Y-%m-%d")
        return prefix + self._times[rest]

    def beijing_digits(self, seconds: float) -> str:
        """yyyymmddHHMMSS in Beijing time (for order numbers, as checkout writes them)."""
        return self.text(seconds + 8 * HOUR)[:19].replace("-", "").replace(" ", "").replace(":", "")
