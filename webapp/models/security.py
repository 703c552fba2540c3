"""Server-side login sessions and the login throttle counters."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class UserSession(Base):
    """One web login or API token. The browser or client holds a random secret; only its
    SHA-256 is stored here, so a copy of the database holds no usable credential."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "revoked_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the secret
    kind: Mapped[str] = mapped_column(String(10))                   # web | api
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(20))  # logout, idle, password, deactivated, …
    remote_addr: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed logins in a row for one key, in the database so every app node counts alike.

    `scope` is `pair` (a user name from one address; also remembers the name's last success
    there, its usual address), `address` (every name from one address, `username` empty) or
    `name` (a user name from addresses it never signed in from, `address` empty)."""

    __tablename__ = "login_throttles"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), primary_key=True, server_default="")
    address: Mapped[str] = mapped_column(String(64), primary_key=True, server_default="")
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
