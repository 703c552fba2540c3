"""The index of children by category: the registry's `?category=` filter read as one index range.

`Child.categories` is a JSON list (several categories a child); a filter on it reads every row
of a county. This table holds one row per (category, child) with the child's residence and
grade, so a county's orphans are one range of (category, region_code, child_id) in the list's
order (residence, then file number), and its red orphans one range of
(category, risk_grade, region_code, child_id): the page's LIMIT stops the read, nothing is sorted.

Kept by one listener on every ORM flush that writes a child's categories, residence or grade
(register, edit, import, a case that registers the child, a move, a re-grade), as
`child_name_grams` is; bulk SQL that bypasses the ORM (bench/roster.py) fills it with
`refill_sql`, and migration 0020 back-filled it from the JSON.
"""
from sqlalchemy import ForeignKey, Index, PrimaryKeyConstraint, String, delete, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base
from .case import Child

# The registry's category codes (services/registry/codes.py holds their names): the only ones indexed.
CODES = ("orphan", "de_facto_unsupported", "left_behind", "disabled", "seriously_ill", "low_income_family",
         "guardianship_lacking", "migrant")


class ChildCategory(Base):
    __tablename__ = "child_categories"
    __table_args__ = (PrimaryKeyConstraint("category", "region_code", "child_id", name="pk_child_categories"),
                      Index("ix_child_categories_risk", "category", "risk_grade", "region_code", "child_id"),
                      Index("ix_child_categories_child", "child_id"))

    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", name="fk_child_categories_child", ondelete="CASCADE"), primary_key=True)
    risk_grade: Mapped[str | None] = mapped_column(String(10))


def written_children(session: Session, *attributes: str) -> tuple[list[Child], list[Child]]:
    """(children this flush inserted, children whose `attributes` it updated), those with an id."""
    added = [c for c in session.new if isinstance(c, Child) and c.id is not None]
    edited = [c for c in session.dirty if isinstance(c, Child) and c.id is not None
              and any(getattr(inspect(c).attrs, a).history.has_changes() for a in attributes)]
    return added, edited


def rows_of(child: Child) -> list[dict]:
    if not child.region_code or not isinstance(child.categories, list):
        return []
    return [{"category": c, "region_code": child.region_code, "child_id": child.id, "risk_grade": child.risk_grade}
            for c in dict.fromkeys(child.categories) if c in CODES]


@event.listens_for(Session, "after_flush")
def _keep_categories(session: Session, _context) -> None:
    """Insert a new child's rows; rewrite an edited child's (categories, residence or grade changed)."""
    added, edited = written_children(session, "categories", "region_code", "risk_grade")
    if not added and not edited:
        return
    connection, table = session.connection(), ChildCategory.__table__
    if edited:
        connection.execute(delete(table).where(table.c.child_id.in_([c.id for c in edited])))
    rows = [row for child in added + edited for row in rows_of(child)]
    if rows:
        connection.execute(insert(table), rows)


def refill_sql(code: str) -> str:
    """SQL that fills the rows of category `code` for the children with ids in [:first, :last)
    (a bulk load, the migration's back-fill): the JSON list holds the code in quotes, whatever its spacing."""
    if code not in CODES:
        raise ValueError(code)
    return ("INSERT INTO child_categories (category, region_code, child_id, risk_grade) "
            f"SELECT '{code}', region_code, id, risk_grade FROM children WHERE id >= :first AND id < :last "
            f"AND region_code IS NOT NULL AND CAST(categories AS TEXT) LIKE '%\"{code}\"%'")
