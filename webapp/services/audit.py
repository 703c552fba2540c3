"""Append to the audit log (who, when, which office, what)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEntry, User


def record(session: Session, now, user: User | None, action: str, target: str | None = None,
           detail: dict | None = None, remote_addr: str | None = None) -> None:
    session.add(AuditEntry(
        at=now, user_id=user.id if user else None, username=user.username if user else None,
        office_id=user.office_id if user else None, action=action, target=target,
        detail=detail, remote_addr=remote_addr,
    ))


def latest(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
