"""A wide jurisdiction's page (a city's or province's) as a merge of its counties' index-ordered reads.

Below a county a jurisdiction is one index range in due order (`routing.in_jurisdiction`); above
it, it is a range of counties, which an index can only give sorted per county. Rather than sort
the whole range, each county (and the city or province office itself) reads its first
`offset + limit` ids in index order, and only those few entries are merged and cut to the page:
a UNION ALL of LIMITed reads, one statement.
"""
from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from ..models import HumanTask, Region
from .routing import within

# Above this many places the merge's own sort outweighs the range's: the range is read instead.
MAX_PARTS = 400


def wide_counties(session: Session, prefix: str) -> list[str] | None:
    """The counties (and the city or province offices) under `prefix`, whose lists `merged_ids`
    merges; None when `prefix` is a county or finer (one range already) or when there are too many."""
    if len(prefix) >= 6:
        return None
    codes = session.scalars(select(Region.code).where(Region.level.in_(("province", "city", "county")),
                                                      within(Region.code, prefix)).order_by(Region.code)).all()
    return list(codes) if codes and len(codes) <= MAX_PARTS else None


def _key(term):
    """(expression, descending) of an ORDER BY term."""
    if isinstance(term, UnaryExpression) and term.modifier in (operators.desc_op, operators.asc_op):
        return term.element, term.modifier is operators.desc_op
    return term, False


def merged_ids(session: Session, parts: list[Select], order, limit: int, offset: int) -> list[int]:
    """The ids of the union of `parts` (one query per county) in `order` from `offset`, `limit` of
    them: each part read in its index's order up to `offset + limit`, then those entries merged."""
    keys = [_key(term) for term in order]
    columns = [HumanTask.id.label("id")] + [expression.label(f"k{n}") for n, (expression, _desc) in enumerate(keys)]
    branches = []
    for part in parts:
        read = part.with_only_columns(*columns).order_by(*order).limit(offset + limit).subquery()
        branches.append(select(*read.c))
    merged = union_all(*branches).subquery()
    ordering = [merged.c[f"k{n}"].desc() if desc else merged.c[f"k{n}"] for n, (_e, desc) in enumerate(keys)]
    return list(session.scalars(select(merged.c.id).order_by(*ordering).limit(limit).offset(offset)))
