"""Task lists a page at a time: filters, sorts and loading that stay index-backed at a million rows.

The list queries read `human_tasks` only (its copies of the case's region and procedure make
that possible), sort in the order of an index (`models.case`: `ix_human_tasks_*`) and stop at
the page's LIMIT; each row brings its case, procedure name, child's name and holder without
the case's workflow JSON or the definition's files and forms (bench/task_lists.py measures it).
"""
from collections import namedtuple
from dataclasses import dataclass
from datetime import timedelta
from math import ceil

from sqlalchemy import Select, bindparam, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..catalog import office_called
from ..models import Case, Child, HumanTask, Office, ProcessDefinition, Region, Unit, User
from ..models.case import NO_DUE
from ..models.org import jurisdiction_prefix
from . import routing
from .errors import Invalid
from .tasklists_merge import merged_ids, wide_counties

PER_PAGE = 50
MAX_PER_PAGE = 200

# Undated tasks come last when soonest is first, first when latest is first (no date = no end).
SORTS = {
    "due": (NO_DUE, HumanTask.due, HumanTask.id),
    "-due": (NO_DUE.desc(), HumanTask.due.desc(), HumanTask.id.desc()),
    "since": (HumanTask.created_at, HumanTask.id),
    "-since": (HumanTask.created_at.desc(), HumanTask.id.desc()),
}
# Among dated tasks only the `due IS NULL` term is constant and is left out of the order.
DATED_SORTS = {"due": (HumanTask.due, HumanTask.id), "-due": (HumanTask.due.desc(), HumanTask.id.desc())}
SHOWS = ("all", "mine", "unclaimed")
# The daily list leaves out tasks not due for months (e.g. ending an agreement in 2030): they
# are listed under 长期任务 (`term="long"`); undated tasks stay in the daily list.
TERMS = ("all", "daily", "long")
LONG_TERM = timedelta(days=90)


# What a list page's row shows, read as plain columns: no ORM objects, no per-row attribute loaders
# (a 50-row page of HumanTask + Case + ProcessDefinition + Child + User objects cost the web list
# as much as its SQL). The row's case is joined (`_rows`, one primary-key probe); the names are looked
# up by correlated subqueries rather than joins: each is one primary-key probe, and PostgreSQL plans
# them in a fraction of a seven-table join's time.
def _name_of(column, *where):
    return select(column).where(*where).scalar_subquery()


_PAGE_CASE = aliased(Case)
ROW_COLUMNS = (
    HumanTask.id, HumanTask.title, HumanTask.case_id, HumanTask.office_region, HumanTask.case_region,
    HumanTask.created_at, HumanTask.due, HumanTask.escalated_at, HumanTask.claimed_by_id,
    _name_of(ProcessDefinition.name, ProcessDefinition.id == _PAGE_CASE.definition_id).label("procedure_name"),
    _name_of(Child.name, Child.id == _PAGE_CASE.child_id).label("child_name"),
    _name_of(User.display_name, User.id == HumanTask.claimed_by_id).label("holder_name"),
    func.coalesce(_name_of(Region.name, Region.code == HumanTask.office_region), HumanTask.office_region)
    .label("office_place"),
    func.coalesce(_name_of(Region.name, Region.code == HumanTask.case_region), HumanTask.case_region)
    .label("case_place"),
)
# What the API's list item says besides (`views.api.task_json`), the office named as `cases.task_office` does.
API_COLUMNS = ROW_COLUMNS + (
    HumanTask.name, HumanTask.process_id, HumanTask.department, HumanTask.state, HumanTask.unit_id,
    _name_of(User.username, User.id == HumanTask.claimed_by_id).label("holder_username"),
    _name_of(Unit.name, Unit.id == HumanTask.unit_id).label("unit_name"),
    _name_of(Office.name, Office.department_code == HumanTask.department,
             Office.region_code == HumanTask.office_region).label("office_name"),
)


def office_of(row) -> str:
    """The unit or office an `API_COLUMNS` row is routed to, named as `cases.task_office` names it."""
    return row.unit_name or office_called(row.department, row.office_place, row.office_name)


# Each kind of row's statement built once (`list_rows`): building and keying a select of a dozen
# correlated lookups cost a page more than running it.
_ROWS: dict[tuple, Select] = {}


# A page's rows as named tuples: its template or the API reads a dozen fields of each row, and an
# attribute of SQLAlchemy's Row costs ten times a named tuple's (half a millisecond a 50-row page).
_ROW_TYPES: dict[tuple, type] = {}


def _plain(result) -> list:
    """The rows of `result` as named tuples of its columns."""
    keys = tuple(result.keys())
    kind = _ROW_TYPES.get(keys)
    if kind is None:
        kind = _ROW_TYPES[keys] = namedtuple("TaskRow", keys, rename=True)
    return [kind._make(row) for row in result]


def _rows(columns: tuple) -> Select:
    """Task rows with `columns`, their case joined for the names that go through it."""
    return select(*columns).join_from(HumanTask, _PAGE_CASE, _PAGE_CASE.id == HumanTask.case_id)


def list_rows(session: Session, columns: tuple, ids: list[int]) -> list:
    """The rows of `ids`, in that order, each with `columns`' names (`ROW_COLUMNS`, `API_COLUMNS`)."""
    if not ids:
        return []
    statement = _ROWS.get(columns)
    if statement is None:
        statement = _ROWS[columns] = _rows(columns).where(HumanTask.id.in_(bindparam("ids", expanding=True)))
    found = {row.id: row for row in _plain(session.execute(statement, {"ids": ids}))}
    return [found[i] for i in ids if i in found]


# A case's open tasks as the API lists them, their offices named in the same statement.
_OPEN_OF_CASE = (_rows(API_COLUMNS).where(HumanTask.case_id == bindparam("case_id"), HumanTask.state == "open")
                 .order_by(HumanTask.id))


def open_rows(session: Session, case_id: int) -> list:
    """The case's open tasks, oldest first, as `API_COLUMNS` rows (`views.api.instance_json`: a
    completion's answer, one statement instead of the tasks and then their units, offices and places)."""
    return _plain(session.execute(_OPEN_OF_CASE, {"case_id": case_id}))


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_params(page, per_page, default: int = PER_PAGE) -> tuple[int, int]:
    """Parse `?page=` and `?per_page=` (strings or None); more than the maximum is cut to it."""
    numbers = []
    for name, raw, fallback in (("page", page, 1), ("per_page", per_page, default)):
        if raw is None or raw == "":
            numbers.append(fallback)
            continue
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
            raise Invalid({name: "应为正整数"})
        numbers.append(int(text))
    return numbers[0], min(numbers[1], MAX_PER_PAGE)


def paginate(session: Session, query: Select, order, page: int, per_page: int, total: int | None = None,
             parts: list | None = None, columns: tuple = ROW_COLUMNS) -> Page:
    """One page of `query` (HumanTask rows) in `order`, with the total count.

    The page is chosen on the index alone (the ids, filtered and sorted there, cut at the LIMIT),
    then only its rows are read with their case, procedure, child and holder: a sort the index
    cannot give (a jurisdiction's range of offices or places) orders small index entries, never
    thousands of joined rows, and an office's list is read in index order up to its LIMIT.
    `total`, when the caller already counted the rows, is taken as the count. `parts` (a wide
    jurisdiction's query per county, `tasklists_merge`) pages their merged index-ordered reads instead.
    The page's entries are `list_rows` of `columns` (`ROW_COLUMNS`, `API_COLUMNS`).
    """
    if total is None:
        total = session.scalar(query.with_only_columns(func.count(HumanTask.id)).order_by(None)) or 0
    if parts:
        ids = merged_ids(session, parts, order, per_page, (page - 1) * per_page)
    elif session.get_bind().dialect.name == "postgresql":
        return Page(_page_rows(session, query, order, page, per_page, columns), page, per_page, total)
    else:
        ids = list(session.scalars(query.with_only_columns(HumanTask.id).order_by(*order)
                                   .limit(per_page).offset((page - 1) * per_page)))
    return Page(list_rows(session, columns, ids), page, per_page, total)


def _page_rows(session: Session, query: Select, order, page: int, per_page: int, columns: tuple) -> list:
    """The page's rows in one statement, for a database a round trip away (PostgreSQL): its ids, numbered
    in the index's order (a window over the ordered index scan, cut at the LIMIT), then their rows,
    put in that order here; SQLite, in this process, asks the two statements of `paginate`."""
    chosen = (query.with_only_columns(HumanTask.id.label("page_id"),
                                      func.row_number().over(order_by=order).label("position"))
              .order_by(*order).limit(per_page).offset((page - 1) * per_page).subquery("page"))
    rows = _plain(session.execute(_rows(columns).add_columns(chosen.c.position)
                                  .join(chosen, chosen.c.page_id == HumanTask.id)))
    return sorted(rows, key=lambda row: row.position)


def task_list(session: Session, user: User, *, process: str | None = None, show: str = "all",
              overdue_at=None, sort: str = "due", page: int = 1, per_page: int = PER_PAGE,
              term: str = "all", as_of=None, columns: tuple = ROW_COLUMNS, total: int | None = None) -> Page:
    """The open tasks `user` may act on, filtered, sorted and cut to one page.

    `process` is the case's procedure (a task's own process may be a called sub-process);
    `show` is all, mine (held by the user) or unclaimed; `overdue_at` keeps tasks due before it;
    `term` daily or long splits at `LONG_TERM` after `as_of`; `columns` and `total` as `paginate`'s.
    """
    query, order = _filtered(user, process, show, overdue_at, sort, term, as_of)
    counties = wide_counties(session, _prefix(user)) if user.is_supervisor and user.office is not None else None
    parts = [_filtered(user, process, show, overdue_at, sort, term, as_of, county)[0]
             for county in counties] if counties else None
    return paginate(session, query, order, page, per_page, total, parts, columns)


def _prefix(user: User) -> str:
    return jurisdiction_prefix(user.office.region_code, user.office.level)


def count_query(user: User, *, process: str | None = None, show: str = "all", overdue_at=None, term: str = "all",
                as_of=None) -> Select:
    """How many tasks `task_list` would list with these filters (counted on the index, no rows read), to be
    asked together with others (`counts`)."""
    query, _order = _filtered(user, process, show, overdue_at, "due", term, as_of)
    return query.with_only_columns(func.count(HumanTask.id)).order_by(None)


def counts(session: Session, **queries: Select) -> dict[str, int]:
    """Several one-number queries asked in one statement: a page's tabs and badges cost one round trip
    to the database, not one each (each is still counted on its own index)."""
    if not queries:
        return {}
    row = session.execute(select(*(q.scalar_subquery().label(name) for name, q in queries.items()))).one()
    return {name: value or 0 for name, value in row._mapping.items()}


def _filtered(user: User, process, show, overdue_at, sort, term, as_of, county=None) -> tuple[Select, tuple]:
    query = routing.visible_tasks(user, county)
    if process:
        query = query.where(HumanTask.procedure == process)
    if show == "mine":
        query = query.where(HumanTask.claimed_by_id == user.id)
    elif show == "unclaimed":
        query = query.where(HumanTask.claimed_by_id.is_(None))
    order = SORTS.get(sort, SORTS["due"])
    if overdue_at is not None:
        # Dated only: say so in the index's own terms, so the office's index seeks the due range.
        query = query.where(NO_DUE == false(), HumanTask.due < overdue_at)
        order = DATED_SORTS.get(sort, order)
    if term in ("daily", "long"):
        horizon = as_of + LONG_TERM
        query = (query.where(or_(NO_DUE, HumanTask.due <= horizon)) if term == "daily"
                 else query.where(NO_DUE == false(), HumanTask.due > horizon))
    return query, order
