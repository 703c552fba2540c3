"""The one clock of the engine, due dates, the scheduler and the scenarios.

SpiffWorkflow's timer event definitions call ``datetime.now(timezone.utc)`` directly, with
no clock to inject, so `install` replaces the ``datetime`` name inside that module with a
subclass whose ``now`` asks the active clock. Everything else asks the clock itself.
"""
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer


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


_active = Clock()


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _active.now()
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


def install(clock: Clock) -> Clock:
    """Make `clock` the engine's time source and return it."""
    global _active
    _active = clock
    _spiff_timer.datetime = _ClockedDatetime
    return clock


def active() -> Clock:
    return _active
