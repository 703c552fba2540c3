"""Logging in with brute force stopped: a lock per user name and a throttle per address.

- **Per name** (in the database, so every server process sees it): after
  `max_failures` failed logins in a row the name is locked for `lock_for`; while locked,
  even the right password is refused, without hashing anything. A failure older than
  `lock_for` starts a new series. Success clears the series; an admin can unlock.
- **Per address** (the `limits` library, the engine of Flask-Limiter, with the storage
  of `RATELIMIT_STORAGE_URI`): refused attempts from one address are counted in a
  moving window; past the limit the address gets 429 before any password is checked.
  `memory://` counts per process (tests, one-process demo); several processes share a
  `redis://` store, and the per-name lock holds across them anyway.

Unknown names go through the same code as known ones (a lock row, the same audit entries,
one argon2 verification against a dummy hash), so neither the answer nor its timing tells
whether an account exists. Each failure and each lock is written to the audit log.
"""
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import LoginLock, User
from . import accounts, audit


@dataclass(frozen=True)
class Policy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)
    address_limit: str = "20 per 10 minutes"


class AddressThrottle:
    """Refused attempts per remote address, in a `limits` storage."""

    def __init__(self, limit: str, storage_uri: str = "memory://"):
        self.limit = parse(limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def retry_after(self, address: str) -> int | None:
        """Seconds to wait when the address is over its limit, else None."""
        if self.limiter.test(self.limit, "login", address):
            return None
        reset = self.limiter.get_window_stats(self.limit, "login", address).reset_time
        return max(1, math.ceil(reset - time.time()))

    def count(self, address: str) -> None:
        self.limiter.hit(self.limit, "login", address)


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    retry_after: int | None = None   # seconds, when the attempt was refused as throttled

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def attempt(session: Session, throttle: AddressThrottle, policy: Policy, username: str, password: str,
            *, now: datetime, audit_now: datetime, remote_addr: str | None, via: str) -> Outcome:
    """One login attempt through `via` (web, api, password_change); the caller commits."""
    username = (username or "")[:80]
    address = remote_addr or "unknown"
    wait = throttle.retry_after(address)
    if wait is not None:
        _failure(session, audit_now, username, remote_addr, via, "address_throttled")
        return Outcome(retry_after=wait)
    locked_until = session.execute(select(LoginLock.locked_until).where(LoginLock.username == username)).scalar()
    if locked_until is not None and locked_until > now:
        return _refuse_locked(session, throttle, username, locked_until, now, audit_now, remote_addr, via)
    user = accounts.find(session, username)
    if accounts.verify(user, password):
        session.execute(delete(LoginLock).where(LoginLock.username == username))
        return Outcome(user=user)
    throttle.count(address)
    _failure(session, audit_now, username, remote_addr, via, "bad_credentials")
    failures = _count_failure(session, username, now, policy)
    if failures is None:   # another process locked the name meanwhile
        until = session.execute(select(LoginLock.locked_until).where(LoginLock.username == username)).scalar()
        return Outcome(retry_after=_seconds((until or now + policy.lock_for) - now))
    if failures >= policy.max_failures:
        until = now + policy.lock_for
        locked = session.execute(update(LoginLock).where(LoginLock.username == username,
                                                         LoginLock.locked_until.is_(None))
                                 .values(locked_until=until).returning(LoginLock.username)).first()
        if locked:
            audit.record(session, audit_now, None, "login.locked", f"user:{username}",
                         {"failures": failures, "until": until.isoformat(), "via": via}, remote_addr)
        return Outcome(retry_after=_seconds(policy.lock_for))
    return Outcome()


def _refuse_locked(session, throttle, username, locked_until, now, audit_now, remote_addr, via) -> Outcome:
    throttle.count(remote_addr or "unknown")
    _failure(session, audit_now, username, remote_addr, via, "locked")
    return Outcome(retry_after=_seconds(locked_until - now))


def _count_failure(session: Session, username: str, now: datetime, policy: Policy) -> int | None:
    """Add a failure to the name's series (a new series after `lock_for` without failures or
    after an expired lock) in one UPDATE, safe with parallel attempts; None if locked meanwhile."""
    _ensure_row(session, username, now)
    restart = or_(LoginLock.locked_until.is_not(None), LoginLock.last_failure_at < now - policy.lock_for)
    return session.execute(
        update(LoginLock)
        .where(LoginLock.username == username, or_(LoginLock.locked_until.is_(None), LoginLock.locked_until <= now))
        .values(failures=case((restart, 1), else_=LoginLock.failures + 1), last_failure_at=now, locked_until=None)
        .returning(LoginLock.failures)
        .execution_options(synchronize_session=False)
    ).scalar()


def _ensure_row(session: Session, username: str, now: datetime) -> None:
    values = {"username": username, "failures": 0, "last_failure_at": now}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(sqlite_insert(LoginLock).values(**values).on_conflict_do_nothing())
    elif dialect == "postgresql":
        session.execute(pg_insert(LoginLock).values(**values).on_conflict_do_nothing())
    elif session.get(LoginLock, username) is None:
        try:
            with session.begin_nested():
                session.add(LoginLock(**values))
        except IntegrityError:
            pass


def unlock(session: Session, username: str, now: datetime) -> bool:
    """Clear a name's failures and lock (admin); False when it was not locked."""
    locked_until = session.execute(select(LoginLock.locked_until).where(LoginLock.username == username)).scalar()
    session.execute(delete(LoginLock).where(LoginLock.username == username))
    return locked_until is not None and locked_until > now


def locked_names(session: Session, now: datetime) -> dict[str, datetime]:
    """User names locked at `now`, with the end of their lock."""
    rows = session.execute(select(LoginLock.username, LoginLock.locked_until)
                           .where(LoginLock.locked_until > now)).all()
    return dict(rows)


def _failure(session: Session, audit_now: datetime, username: str, remote_addr: str | None,
             via: str, reason: str) -> None:
    audit.record(session, audit_now, None, "login.failed", f"user:{username}", {"via": via, "reason": reason},
                 remote_addr)


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))
