"""The monthly payment ledger: one row per child per month while a support runs, opened by the scheduler.

A month is owed from the support's first month through the month containing the first of: its
end (the 18th birthday, or the end of study for a young adult still in school, shanghai (一)),
its stop (paid for the month of the stop, none after: 自次月起停发), and today. The job opens
every owed month not yet opened, so a run after downtime catches up. `(support, month)` is
unique and each support is opened in its own SAVEPOINT: running the job twice, or two
schedulers at once, never opens a month twice.
"""
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...engine import Engine
from ...engine.clock import add_months, local_date
from ...models import LivingPayment, LivingSupport

# A stopped support is still looked at for this long, to open months it owed before it stopped.
STOPPED_CATCH_UP_DAYS = 400


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def owed_months(support: LivingSupport, today: date, after: date | None = None) -> list[date]:
    """The months owed by `today`, after the month `after` (the last one opened), oldest first."""
    ends = [support.ends_on, today] + ([support.stopped_on] if support.stopped_on else [])
    last = first_of_month(min(ends))
    month = add_months(after, 1) if after else support.start_month
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def open_due_payments(session: Session, engine: Engine, now) -> int:
    """The scheduler job: open every owed month of every support; returns how many rows it opened."""
    today = local_date(now)
    latest = (select(LivingPayment.support_id, func.max(LivingPayment.month).label("last"))
              .group_by(LivingPayment.support_id).subquery())
    rows = session.execute(
        select(LivingSupport, latest.c.last)
        .outerjoin(latest, latest.c.support_id == LivingSupport.id)
        .where(or_(LivingSupport.status == "active",
                   LivingSupport.stopped_on >= today - timedelta(days=STOPPED_CATCH_UP_DAYS)))
        .where(LivingSupport.start_month <= first_of_month(today))
        .where(or_(latest.c.last.is_(None), latest.c.last < first_of_month(today)))
        .order_by(LivingSupport.id)).all()
    opened = 0
    for support, last in rows:
        months = owed_months(support, today, last)
        if not months:
            continue
        try:
            with session.begin_nested():
                session.add_all(LivingPayment(support_id=support.id, child_id=support.child_id,
                                              region_code=support.region_code, month=month,
                                              amount_fen=support.monthly_amount_fen, category=support.category,
                                              opened_at=now) for month in months)
            opened += len(months)
        except IntegrityError:
            continue  # another scheduler opened them first
    return opened
