"""Business dates: China time and calendar months, the one implementation.

A visit due on 2027-06-01 or an 18th birthday is a day in China's time zone. The engine's
clock module (`webapp/engine/clock.py`) re-exports these for the app; handlers import them
from here because handlers sit below the engine and never import it.
"""
from calendar import monthrange
from datetime import date, datetime, time, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_date(moment: datetime) -> date:
    """The calendar date in China of an aware moment."""
    return moment.astimezone(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """00:00 local time on `day`, as an aware UTC moment."""
    return datetime.combine(day, time(0, 0), LOCAL_TZ).astimezone(timezone.utc)


def end_of_day(day: date) -> datetime:
    """The last second of `day`, local time: something due on a day is late only after it."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).astimezone(timezone.utc)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
