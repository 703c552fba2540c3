"""A child taken into long-term state guardianship (child_intake) gets the category civil affairs
decided on the one registry entry the case was opened for: added through the registry's own
`apply`, so the change is in the entry's history with who decided and why, never a new entry."""
from sqlalchemy.orm import Session

from handlers.intake import Categorize
from ..models import Case
from .cases.casefile import add_entry
from .registry.children import apply
from .registry.codes import CATEGORIES
from .registry.grading import _acted_by


def apply_categories(session: Session, engine, case: Case, requests: list[Categorize], now) -> None:
    child = case.child
    for request in requests:
        if request.category not in CATEGORIES:
            raise ValueError(f"unknown registry category {request.category!r}")
        if request.category in (child.categories or []):
            continue
        apply(session, child, {"categories": [*(child.categories or []), request.category], "reason": request.reason},
              _acted_by(session, case, now), now, "state_guardianship")
        add_entry(session, case, "event", f"儿童类别：{CATEGORIES[request.category]}", now, None, body=request.reason,
                  data={"category": request.category})
