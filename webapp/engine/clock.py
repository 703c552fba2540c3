"""The one clock of the engine, due dates, the scheduler and the scenarios.

SpiffWorkflow's timer event definitions call ``datetime.now(timezone.utc)`` directly, with
no clock to inject. The first `install` (when an engine is built, never at import) replaces
the ``datetime`` name inside that module with a subclass whose ``now`` asks the clock of
the engine that is running right now (`Clock.running`, a context variable, so two apps with
two clocks in one process, or two threads, never see each other's time); outside an
engine's call it is plain real time. Everything else asks the clock itself.
"""
import contextvars
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

from handlers.dates import LOCAL_TZ, add_months, end_of_day, local_date, start_of_day

__all__ = ["Clock", "LOCAL_TZ", "active", "add_months", "as_moment", "end_of_day", "install", "local_date", "replaying", "start_of_day"]


class Clock:
    """Real time, optionally shifted (tests and scenarios move it forward)."""

    def __init__(self, offset: timedelta = timedelta(0)):
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def travel_to(self, moment: datetime) -> None:
        """Move forward to `moment`; time never goes back, so timers stay consistent."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        self.offset = max(self.offset, moment - datetime.now(timezone.utc))

    @contextmanager
    def running(self):
        """In this block (this thread or task only) the engine's timers read this clock."""
        token = _running.set(self)
        try:
            yield self
        finally:
            _running.reset(token)


_running: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("tonghu_clock", default=None)
_last = Clock()  # the most recently installed clock: `active()` outside an engine call
_replay = threading.local()


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        clock = _running.get()
        moment = getattr(_replay, "moment", None) or (clock.now() if clock else datetime.now(timezone.utc))
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


@contextmanager
def replaying(moment: datetime):
    """In this block, and in this thread only, the engine's timers take `moment` for now.

    Catching up after downtime replays missed timers in the order they fell due (a reminder
    at 6 h and 12 h before the escalation at 24 h), not all at once.
    """
    previous = getattr(_replay, "moment", None)
    _replay.moment = moment
    try:
        yield
    finally:
        _replay.moment = previous


def install(clock: Clock) -> Clock:
    """Let SpiffWorkflow's timers read the running engine's clock (patched once); return `clock`."""
    global _last
    from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
    if spiff_timer.datetime is not _ClockedDatetime:
        spiff_timer.datetime = _ClockedDatetime
    _last = clock
    return clock


def active() -> Clock:
    """The running engine's clock, else the last one installed."""
    return _running.get() or _last


# Business dates are days in China's time zone (handlers/dates.py holds the one implementation).


def as_moment(value, end_of_a_day: bool = True) -> datetime | None:
    """An ISO 8601 date or datetime (or a date/datetime object) as an aware UTC moment.

    A bare date means the end of that day (a deadline), or its start with
    ``end_of_a_day=False``; a naive datetime is local (China) time.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)).astimezone(timezone.utc)
    if isinstance(value, date):
        return end_of_day(value) if end_of_a_day else start_of_day(value)
    raise TypeError(f"not a date or datetime: {value!r}")
