"""Roster periods: which contact and visit period a day falls in, for each risk grade's cadence.

Periods are calendar blocks, not counted from each child's own start: a cadence of whole months
starts its blocks in January (P1M: every month, P3M: the quarters, P6M: the half-years); a
cadence of weeks or days counts blocks from Monday 2000-01-03 (P1W: Monday to Sunday). So every
child of a grade shares one period, one set-based INSERT opens a period for all of them, and
a task is due at the end of its period's last day (China time).
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ...engine.clock import add_months, end_of_day
from ...settings import ROSTER_KINDS, Settings, SettingsError, describe, parse_cadence
from ..registry.codes import CATEGORIES, RISKS

GRADES = tuple(RISKS)  # lowest first
GRADE_TITLES = RISKS  # the registry's catalogue (services/registry/codes.py), never a copy
CATEGORY_TITLES = CATEGORIES
DEFAULT_GRADE = "green"  # a roster child without a grade yet
EPOCH = date(2000, 1, 3)  # a Monday
KIND_TITLES = {"contact": "儿童主任联系", "visit": "儿童主任入户走访"}


@dataclass(frozen=True)
class Period:
    kind: str          # contact | visit
    cadence: str       # ISO 8601 duration
    starts_on: date
    ends_on: date      # the last day

    @property
    def key(self) -> str:
        return f"{self.cadence}:{self.starts_on.isoformat()}"

    @property
    def due(self) -> datetime:
        return end_of_day(self.ends_on)

    @property
    def label(self) -> str:
        if self.starts_on.day == 1 and self.ends_on == add_months(self.starts_on, 1) - timedelta(days=1):
            return f"{self.starts_on.year}年{self.starts_on.month}月"
        return f"{self.starts_on.isoformat()} 至 {self.ends_on.isoformat()}"

    @property
    def title(self) -> str:
        return f"{KIND_TITLES[self.kind]}（{self.label}）"


def period_of(kind: str, cadence: str, day: date) -> Period:
    """The period of `cadence` that `day` falls in."""
    months, days = parse_cadence(cadence)
    if months and days or not (months or days):
        raise SettingsError(f"走访名册的周期须为整月或整周（天）：{cadence}")
    if months:
        index = (day.year * 12 + day.month - 1) // months * months
        start = date(index // 12, index % 12 + 1, 1)
        return Period(kind, cadence, start, add_months(start, months) - timedelta(days=1))
    start = EPOCH + timedelta(days=(day - EPOCH).days // days * days)
    return Period(kind, cadence, start, start + timedelta(days=days - 1))


def period_from_key(kind: str, key: str) -> Period:
    """The period a stored `period` key names (bad keys raise ValueError)."""
    cadence, _sep, start = key.partition(":")
    period = period_of(kind, cadence, date.fromisoformat(start))
    if period.starts_on.isoformat() != start:
        raise ValueError(key)
    return period


def cadence_of(settings: Settings, kind: str, grade: str | None) -> str:
    return settings.kind(ROSTER_KINDS[kind, grade if grade in GRADES else DEFAULT_GRADE]).cadence


def grades_by_cadence(settings: Settings, kind: str) -> dict[str, list[str]]:
    """Cadence → the grades that use it, for one kind (grades sharing a cadence open together)."""
    grouped: dict[str, list[str]] = {}
    for grade in GRADES:
        grouped.setdefault(cadence_of(settings, kind, grade), []).append(grade)
    return grouped


def current_periods(settings: Settings, day: date) -> list[tuple[Period, list[str]]]:
    """Every (period, grades) in force on `day`, for contacts and visits."""
    return [(period_of(kind, cadence, day), grades)
            for kind in KIND_TITLES for cadence, grades in grades_by_cadence(settings, kind).items()]


def cadence_table(settings: Settings) -> list[dict]:
    """The cadences by grade, in Chinese, for the roster page's legend."""
    return [{"grade": g, "contact": describe(cadence_of(settings, "contact", g)),
             "visit": describe(cadence_of(settings, "visit", g))} for g in GRADES]
