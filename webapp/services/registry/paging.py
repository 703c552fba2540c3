"""Pages whose total is counted only up to a cap: a county's hundred thousand children or roster
tasks are not counted row by row for every page (the page says "more than N" and offers the next)."""
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..tasklists import Page

# Counted at most this many (a LIMIT inside the count): an index range read that stops there.
COUNT_CAP = 2_000


def capped_count(session: Session, query: Select, cap: int | None = None) -> tuple[int, bool]:
    """(the rows of `query`, a select of one column, up to `cap` or `COUNT_CAP`; whether there are more)."""
    cap = COUNT_CAP if cap is None else min(cap, COUNT_CAP)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).limit(cap + 1).subquery())) or 0
    return min(total, cap), total > cap


@dataclass(frozen=True)
class CappedPage(Page):
    """A page whose total may be capped: then there are at least `total`, and a full page always
    has a next one."""

    capped: bool = False

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.capped and len(self.items) == self.per_page)
