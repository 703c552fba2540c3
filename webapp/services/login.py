"""Logging in with brute force kept slow, without letting anyone lock a victim out.

Three counters of failed logins, rows of `login_throttles` (in the database, so every app
node and process shares them):

- **pair** (a user name from one address): after `max_failures` failures in a row that
  name is refused from that address for `lock_for`, doubled for each further failure after
  a block (`lock_for` · 2^(n − max_failures), at most `max_block`). A failure more than
  `lock_for` after the last one (or after the block ended) starts a new series; success
  clears it and marks the address as the name's usual one.
- **address** (every name from one address, `address_limit` such as "20 per 10 minutes"):
  past the limit the address is refused before any password is checked, doubling likewise.
- **name** (a user name from addresses it never signed in from): a brute force spread over
  many addresses is slowed after `name_max_failures`, but the name's usual addresses (a
  success within `usual_for`) are not held by it, so an attacker cannot keep the owner out.

Unknown names go through the same code as known ones (the same rows, audit entries and one
argon2 verification against a dummy hash), so neither the answer nor its timing tells
whether an account exists. Each failure and each block of a name is in the audit log.
"""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from limits import parse
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import LoginThrottle, User
from . import accounts, audit


@dataclass(frozen=True)
class Policy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)
    address_limit: str = "20 per 10 minutes"   # a `limits` rate string: failures per window
    name_max_failures: int = 20
    max_block: timedelta = timedelta(days=1)
    usual_for: timedelta = timedelta(days=90)

    def rule(self, scope: str) -> tuple[int, timedelta]:
        """(failures before a block, the first block) of a counter."""
        if scope == "address":
            item = parse(self.address_limit)
            return item.amount, timedelta(seconds=item.get_expiry())
        return (self.max_failures if scope == "pair" else self.name_max_failures), self.lock_for


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    retry_after: int | None = None   # seconds, when the attempt was refused as throttled

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def _keys(username: str, address: str) -> dict[str, tuple[str, str]]:
    return {"pair": (username, address), "address": ("", address), "name": (username, "")}


def attempt(session: Session, policy: Policy, username: str, password: str,
            *, now: datetime, audit_now: datetime, remote_addr: str | None, via: str) -> Outcome:
    """One login attempt through `via` (web, api, password_change); the caller commits."""
    username = (username or "")[:80]
    address = (remote_addr or "unknown")[:64]
    keys = _keys(username, address)
    rows = _rows(session, keys)
    blocked = {scope: row.blocked_until for scope, row in rows.items()
               if row.blocked_until is not None and row.blocked_until > now}
    if "address" in blocked:
        _failure(session, audit_now, username, remote_addr, via, "address_throttled")
        return Outcome(retry_after=_seconds(blocked["address"] - now))
    pair = rows.get("pair")
    usual = pair is not None and pair.last_success_at is not None and pair.last_success_at > now - policy.usual_for
    holding = [until for scope, until in blocked.items() if scope == "pair" or (scope == "name" and not usual)]
    if holding:
        _count(session, policy, "address", keys["address"], now)  # a blocked name still costs the address
        _failure(session, audit_now, username, remote_addr, via, "locked")
        return Outcome(retry_after=_seconds(max(holding) - now))
    user = accounts.find(session, username)
    if accounts.verify(user, password):
        _ensure_rows(session, {"pair": keys["pair"]})
        session.execute(update(LoginThrottle).where(*_where("pair", keys["pair"]))
                        .values(failures=0, blocked_until=None, last_success_at=now)
                        .execution_options(synchronize_session=False))
        return Outcome(user=user)
    _failure(session, audit_now, username, remote_addr, via, "bad_credentials")
    _count(session, policy, "address", keys["address"], now)
    refused = []
    for scope in ("pair", "name"):
        failures, until, started = _count(session, policy, scope, keys[scope], now)
        if started:
            audit.record(session, audit_now, None, "login.locked", f"user:{username}",
                         {"failures": failures, "until": until.isoformat(), "via": via, "scope": scope}, remote_addr)
        if until is not None and (scope == "pair" or not usual):
            refused.append(until)
    return Outcome(retry_after=_seconds(max(refused) - now)) if refused else Outcome()


def _where(scope: str, key: tuple[str, str]):
    return LoginThrottle.scope == scope, LoginThrottle.username == key[0], LoginThrottle.address == key[1]


def _rows(session: Session, keys: dict[str, tuple[str, str]]) -> dict[str, LoginThrottle]:
    wanted = or_(*(and_(*_where(scope, key)) for scope, key in keys.items()))
    return {row.scope: row for row in session.scalars(select(LoginThrottle).where(wanted)
                                                      .execution_options(populate_existing=True))}


def _count(session: Session, policy: Policy, scope: str, key: tuple[str, str], now: datetime):
    """Add a failure to a counter in one UPDATE (safe with parallel attempts); block it once past
    its threshold. Returns (failures, the block's end or None, whether this failure started it)."""
    threshold, base = policy.rule(scope)
    _ensure_rows(session, {scope: key})
    quiet_since = func.coalesce(LoginThrottle.blocked_until, LoginThrottle.last_failure_at)
    restart = or_(LoginThrottle.last_failure_at.is_(None), quiet_since < now - base)
    failures = session.execute(
        update(LoginThrottle).where(*_where(scope, key))
        .values(failures=case((restart, 1), else_=LoginThrottle.failures + 1), last_failure_at=now)
        .returning(LoginThrottle.failures).execution_options(synchronize_session=False)).scalar_one()
    if failures < threshold:
        return failures, None, False
    until = now + min(base * 2 ** min(failures - threshold, 30), policy.max_block)
    started = session.execute(
        update(LoginThrottle).where(*_where(scope, key), or_(LoginThrottle.blocked_until.is_(None),
                                                             LoginThrottle.blocked_until <= now))
        .values(blocked_until=until).returning(LoginThrottle.scope)
        .execution_options(synchronize_session=False)).first() is not None
    if not started:  # blocked meanwhile by a parallel attempt: the longer block holds
        session.execute(update(LoginThrottle).where(*_where(scope, key), LoginThrottle.blocked_until < until)
                        .values(blocked_until=until).execution_options(synchronize_session=False))
    return failures, until, started


def _ensure_rows(session: Session, keys: dict[str, tuple[str, str]]) -> None:
    values = [{"scope": scope, "username": key[0], "address": key[1], "failures": 0} for scope, key in keys.items()]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(sqlite_insert(LoginThrottle).values(values).on_conflict_do_nothing())
    elif dialect == "postgresql":
        session.execute(pg_insert(LoginThrottle).values(values).on_conflict_do_nothing())
    else:
        for row in values:
            if session.get(LoginThrottle, (row["scope"], row["username"], row["address"])) is None:
                try:
                    with session.begin_nested():
                        session.add(LoginThrottle(**row))
                except IntegrityError:
                    pass


def unlock(session: Session, username: str, now: datetime) -> bool:
    """Clear a name's failures and blocks from every address (admin), keeping its usual
    addresses; False when nothing held it."""
    held = session.execute(select(func.count()).select_from(LoginThrottle).where(
        LoginThrottle.scope.in_(("pair", "name")), LoginThrottle.username == username,
        LoginThrottle.blocked_until > now)).scalar_one()
    session.execute(update(LoginThrottle).where(LoginThrottle.scope.in_(("pair", "name")),
                                                LoginThrottle.username == username)
                    .values(failures=0, blocked_until=None).execution_options(synchronize_session=False))
    return held > 0


def locked_names(session: Session, now: datetime) -> dict[str, datetime]:
    """User names held from some address at `now`, with the end of the longest hold."""
    rows = session.execute(select(LoginThrottle.username, func.max(LoginThrottle.blocked_until))
                           .where(LoginThrottle.scope.in_(("pair", "name")), LoginThrottle.blocked_until > now)
                           .group_by(LoginThrottle.username)).all()
    return dict(rows)


def _failure(session: Session, audit_now: datetime, username: str, remote_addr: str | None,
             via: str, reason: str) -> None:
    audit.record(session, audit_now, None, "login.failed", f"user:{username}", {"via": via, "reason": reason},
                 remote_addr)


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


STALE_AFTER = timedelta(days=1)


def forget_stale(session: Session, now: datetime, policy: Policy = Policy()) -> int:
    """The scheduler's sweep: delete counters with no failure for `STALE_AFTER` and no block
    running, so `login_throttles` does not grow with every address that ever mistyped. A row
    still remembering a recent success (the name's usual address, `usual_for`) stays: without
    it an attacker could hold the owner back. `now` is never later than the wall clock (an
    administrator firing timers "as of" a later day must not lift running blocks)."""
    now = min(now, datetime.now(now.tzinfo))
    quiet = now - STALE_AFTER
    result = session.execute(
        LoginThrottle.__table__.delete().where(
            or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < quiet),
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
            or_(LoginThrottle.last_success_at.is_(None), LoginThrottle.last_success_at < now - policy.usual_for)))
    return result.rowcount or 0
