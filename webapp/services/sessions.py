"""Sessions and API tokens that end: one server-side row per web login and per API token.

Why rows and not a per-user `session_epoch` counter in the cookie and token: an epoch can
only end *all* of a user's sessions at once, but logging out of one browser, or
`POST /api/v1/auth/logout` from one client, must end just that session; idle expiry needs
a last-seen time per session; and a row says when, from where and why a session ended.
The cookie or bearer token carries a random 256-bit secret; the table keeps its SHA-256,
so reading the database gives no usable credential. Checking a request costs one
primary-key lookup (joined with the user), and `last_seen_at` is written at most once a minute
per session: the session row is read as plain columns (no object to track), and loaded as an
object only when it is to be written (stale, expired or idle).
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, lazyload

from ..models import User, UserSession

KINDS = ("web", "api")
TOUCH_EVERY = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(session: Session, user: User, kind: str, now: datetime, remote_addr: str | None = None) -> str:
    """Start a session for `user` and return its secret (for the cookie or the bearer token)."""
    if kind not in KINDS:
        raise ValueError(kind)
    secret = secrets.token_urlsafe(32)
    session.add(UserSession(id=_digest(secret), kind=kind, user_id=user.id, created_at=now,
                            last_seen_at=now, remote_addr=(remote_addr or "")[:64] or None))
    session.flush()
    return secret


# Built once (each request only binds the digest): the session's columns and its user, with the
# user's office as usual; a unit official's unit is read only if a page asks for it.
_LIVE = (select(UserSession.kind, UserSession.created_at, UserSession.last_seen_at, UserSession.revoked_at, User)
         .join(User, User.id == UserSession.user_id).where(UserSession.id == bindparam("digest"))
         .options(lazyload(User.unit)))


def resolve(session: Session, secret: str, kind: str, now: datetime, *, max_age: timedelta,
            idle: timedelta | None = None) -> User | None:
    """The active user of a live session, or None. Ends a session found idle or too old."""
    if not secret or len(secret) > 200:
        return None
    digest = _digest(secret)
    found = session.execute(_LIVE, {"digest": digest}).first()
    if found is None:
        return None
    kind_found, created_at, last_seen_at, revoked_at, user = found
    if kind_found != kind or revoked_at is not None:
        return None
    if now - created_at > max_age:
        _end(session.get(UserSession, digest), now, "expired")
        return None
    if idle is not None and now - last_seen_at > idle:
        _end(session.get(UserSession, digest), now, "idle")
        return None
    if not user.active:
        return None
    if now - last_seen_at >= TOUCH_EVERY:
        session.get(UserSession, digest).last_seen_at = now
    return user


def revoke(session: Session, secret: str, now: datetime, reason: str = "logout") -> bool:
    """End the session holding `secret`; False when there was no live one."""
    row = session.get(UserSession, _digest(secret)) if secret else None
    if row is None or row.revoked_at is not None:
        return False
    _end(row, now, reason)
    return True


def revoke_all(session: Session, user_id: int, now: datetime, reason: str) -> int:
    """End every live session and token of a user (password change, deactivation)."""
    result = session.execute(update(UserSession)
                             .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
                             .values(revoked_at=now, revoked_reason=reason)
                             .execution_options(synchronize_session="fetch"))
    return result.rowcount


def _end(row: UserSession, now: datetime, reason: str) -> None:
    row.revoked_at = now
    row.revoked_reason = reason
