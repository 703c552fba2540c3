"""Finding children and cases: within the caller's reach, a page at a time, each saying why it is shown.

Children: those in the caller's scope (`scope.children_in_scope`: an index range on the
residence), by name or ID number, category, risk grade and place. Cases: those the caller may
read (`visibility.case_visible`), by child name or ID number, procedure, status, place and
start date; `mine` narrows them to cases the caller's office opened or acted on (我的案件).
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, false, func, select
from sqlalchemy.orm import Session, aliased, defer, joinedload

from ...engine.clock import LOCAL_TZ
from ...models import Case, Child, ChildCategory, ChildNameGram, ProcessDefinition, Region, Unit, User
from ...models import name_grams
from ...models.case import CASE_STATUSES
from ...models.org import jurisdiction_prefix, level_of
from ..errors import Invalid
from ..routing import within
from ..tasklists import PER_PAGE, Page
from . import scope
from .paging import CappedPage, capped_count
from .codes import CATEGORIES, RISKS
from .visibility import case_visible, mine as mine_condition, why_case

FINISHED = ("completed", "cancelled")
# A search counts ten pages' worth at most: "200 以上" is as useful to someone looking for one child as an
# exact figure, and a filter checked row by row (a name's category, a school's grade) reads no more to count.
SEARCH_COUNT_CAP = 200
MASK_KEEPS = 6  # `scope.masked` shows the first six digits (the place code) to everyone


@dataclass
class ChildItem:
    child: Child
    id_number: str | None   # full or masked, as the viewer may see it
    region_name: str
    school: str | None
    why: str


@dataclass
class CaseItem:
    case: Case
    region_name: str
    why: str


def _place(value, field: str, errors: dict) -> str | None:
    if not value:
        return None
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and 2 <= len(value) <= 12):
        errors[field] = "应为行政区划代码（或其前几位）"
        return None
    if len(value) == 12:
        try:
            return jurisdiction_prefix(value, level_of(value))
        except ValueError:
            errors[field] = "不是有效的行政区划代码"
            return None
    return value


def _check_query(q: str | None, errors: dict) -> None:
    if q is not None and (len(q) > 50 or not q.isprintable()):
        errors["q"] = "查询内容不能超过 50 个字，且不能含控制字符"


def _id_prefix(q: str) -> str | None:
    """A number of six digits or more is an ID number (or its start)."""
    q = q.strip().upper()
    return q if q.isascii() and q.replace("X", "").isdigit() and len(q) >= 6 else None


def _name_match(query, q: str, gram):
    """Children whose name contains `q`, read through `child_name_grams` (aliased as `gram`): the
    first gram's rows as a range, each further pair by key, a query of three or more characters
    checked against the name itself (its pairs in another order are not it)."""
    wanted = name_grams.query_grams(q)
    if not wanted:
        return query.where(false())
    query = query.where(gram.gram == wanted[0])
    for extra in wanted[1:]:
        other = aliased(ChildNameGram)
        query = query.where(exists(select(other.child_id).where(
            other.gram == extra, other.region_code == gram.region_code, other.child_id == gram.child_id)))
    if len(name_grams.normal(q)) > 2:
        query = query.where(func.lower(Child.name).contains(name_grams.normal(q), autoescape=True))
    return query


def _matching_children(q: str):
    """`select(Child.id)` of the children whose name contains `q` or whose ID number starts with it."""
    prefix = _id_prefix(q)
    if prefix:
        return select(Child.id).where(Child.id_number.startswith(prefix, autoescape=True))
    gram = aliased(ChildNameGram)
    return _name_match(select(gram.child_id).join(Child, Child.id == gram.child_id), q, gram)


def find_children(session: Session, user: User, q: str | None = None, category: str | None = None,
                  risk: str | None = None, region: str | None = None, page: int = 1,
                  per_page: int = PER_PAGE) -> Page:
    """A page of `ChildItem`s in the caller's scope, by residence then file number."""
    errors = {}
    if category and category not in CATEGORIES:
        errors["category"] = f"应为 {', '.join(CATEGORIES)} 之一"
    if risk and risk not in RISKS:
        errors["risk"] = f"应为 {', '.join(RISKS)} 之一"
    prefix = _place(region, "region", errors)
    _check_query(q, errors)
    if errors:
        raise Invalid(errors)
    number = _id_prefix(q) if q and q.strip() else None
    by_name = bool(q and q.strip()) and number is None
    office = user.unit_id is None and user.office is not None
    if category and office and not (q and q.strip()):
        return _category_page(session, user, category, risk, prefix, page, per_page)
    # A number's scope and place: on PostgreSQL the residence's range, which its statistics weigh right and
    # ix_children_id_number_region checks inside the number's range, read in number order and stopped by the
    # LIMIT. `substr(residence) = …` it guesses at 0.5 %: expecting a few dozen rows it read the whole number
    # range, sorted it and JIT-compiled that plan (150 ms at 1 M children). SQLite, whose planner has no
    # such statistics, could read the county's residence range instead: there the form no index serves.
    residence_range = number is None or session.get_bind().dialect.name == "postgresql"
    query = select(Child)
    if not (office and by_name):
        query = query.where(scope.children_in_scope(user, by_residence_index=residence_range))
    # else an office's reach is the range of the gram's residence (below): a second range on children's
    # would let PostgreSQL hash-join the county's children and sort them (80 ms at 1 M).
    order = (Child.region_code, Child.id)
    place = Child.region_code
    if number:
        # A range of the unique index in number order ("~" sorts after the digits and X): not a LIKE,
        # which SQLite does not read as a range, and no sort of a county's births of one year.
        query = query.where(Child.id_number >= number, Child.id_number < number + "~")
        if len(number) > MASK_KEEPS:  # the masked digits are searchable only by those who see them
            query = query.where(scope.identity_visible(user))
        order = (Child.id_number,)
    elif q and q.strip():
        # The gram rows carry the residence: a county's matches are one range of the gram's key, read
        # in the list's order, so the LIMIT stops the read (no sort of a county's matches).
        # Joined on the child alone: PostgreSQL estimates a join on (child, residence) at one row and then
        # hash-joins the whole table and sorts; the gram's residence is checked on the page instead (below).
        gram = aliased(ChildNameGram)
        query = _name_match(query.join(gram, gram.child_id == Child.id), q, gram)
        if office:
            query = query.where(within(gram.region_code, scope.prefix_of(user)))
        order, place = (gram.region_code, gram.child_id), gram.region_code
    if category:  # a name, a number or a school's pupils drive: each match's category checked by key
        query = query.where(exists(select(ChildCategory.child_id).where(
            ChildCategory.category == category, ChildCategory.region_code == Child.region_code,
            ChildCategory.child_id == Child.id)))
    if risk:
        query = query.where(Child.risk_grade == risk)
        if order == (Child.region_code, Child.id):  # the same order for one grade: ix_children_risk_region's
            order = (Child.risk_grade, Child.region_code, Child.id)
    if prefix:
        query = query.where(within(place, prefix) if residence_range
                            else func.substr(Child.region_code, 1, len(prefix)) == prefix)
    total, capped = capped_count(session, query.with_only_columns(Child.id), SEARCH_COUNT_CAP)
    children = list(session.scalars(query.options(defer(Child.description)).order_by(*order)
                                    .limit(per_page).offset((page - 1) * per_page)))
    if office and by_name:  # a gram row a bulk write outside the ORM left at an old residence shows nothing
        children = [c for c in children if scope.covers(user, c.region_code) and c.region_code.startswith(prefix or "")]
    return CappedPage(child_items(session, user, children), page, per_page, total, capped)


def _category_page(session: Session, user: User, category: str, risk: str | None, prefix: str | None,
                   page: int, per_page: int) -> CappedPage:
    """An office's children of one category (and grade): their ids from `child_categories` alone, one
    range of its key in the list's order that the LIMIT stops, then those children by id. Not a join:
    PostgreSQL estimates a join on the key's two columns at one row and hash-joins the county's children."""
    kept = ChildCategory
    ids = select(kept.child_id).where(kept.category == category, within(kept.region_code, scope.prefix_of(user)))
    if risk:
        ids = ids.where(kept.risk_grade == risk)
    if prefix:
        ids = ids.where(within(kept.region_code, prefix))
    total, capped = capped_count(session, ids, SEARCH_COUNT_CAP)
    listed = session.execute(ids.add_columns(kept.region_code).order_by(kept.region_code, kept.child_id)
                             .limit(per_page).offset((page - 1) * per_page)).all()
    rows = {c.id: c for c in session.scalars(select(Child).where(Child.id.in_([i for i, _r in listed]))
                                             .options(defer(Child.description)))} if listed else {}
    # A row a bulk write outside the ORM left behind is not shown at its old place or grade.
    children = [rows[i] for i, region in listed
                if i in rows and rows[i].region_code == region and (risk is None or rows[i].risk_grade == risk)]
    return CappedPage(child_items(session, user, children), page, per_page, total, capped)


def child_items(session: Session, user: User, children: list[Child]) -> list[ChildItem]:
    """The children as the viewer may see them, in a few queries whatever their number."""
    held = scope.held_cases(session, user, [c.id for c in children])
    codes = {c.region_code for c in children}
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all()) if codes else {}
    unit_ids = {c.school_unit_id for c in children if c.school_unit_id}
    schools = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    return [ChildItem(c, c.id_number if scope.sees_identity(user, c, c.id in held) else scope.masked(c.id_number),
                      names.get(c.region_code, c.region_code),
                      schools.get(c.school_unit_id), scope.why_child(user, c, held.get(c.id), names))
            for c in children]


def _day(value, field: str, errors: dict) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 and value.isascii() else None
    except ValueError:
        day = None
    if day is not None and date(1900, 1, 1) <= day <= date(9998, 12, 31):  # the day after `until` exists
        return day
    errors[field] = "应为 1900 至 9998 年间的日期（YYYY-MM-DD）"
    return None


def find_cases(session: Session, user: User, *, q: str | None = None, process: str | None = None,
               status: str | None = None, region: str | None = None, since: str | None = None,
               until: str | None = None, child_id: int | None = None, mine: bool = False,
               page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of `CaseItem`s the caller may read, newest first. `status` may also be `finished`."""
    errors = {}
    if status and status not in CASE_STATUSES + ("finished",):
        errors["status"] = f"应为 {', '.join(CASE_STATUSES + ('finished',))} 之一"
    prefix = _place(region, "region", errors)
    start, end = _day(since, "since", errors), _day(until, "until", errors)
    _check_query(q, errors)
    if process is not None and (len(process) > 100 or not process.isprintable()):
        errors["process_id"] = "不是已部署的流程"
    if errors:
        raise Invalid(errors)
    query = select(Case).where(case_visible(user))
    if mine:
        query = query.where(mine_condition(user))
    if status == "finished":
        query = query.where(Case.status.in_(FINISHED))
    elif status:
        query = query.where(Case.status == status)
    if process:
        query = query.where(Case.definition_id.in_(select(ProcessDefinition.id).where(ProcessDefinition.process_id == process)))
    if prefix:
        query = query.where(within(Case.region_code, prefix))
    if start and start > date.min:  # its midnight in Beijing is before the first UTC instant: no lower bound
        query = query.where(Case.started_at >= datetime.combine(start, time(0), LOCAL_TZ))
    if end and end < date.max:  # the calendar's last day has no day after: no upper bound then
        query = query.where(Case.started_at < datetime.combine(end + timedelta(days=1), time(0), LOCAL_TZ))
    if child_id is not None:
        query = query.where(Case.child_id == child_id)
    if q and q.strip():
        query = query.where(Case.child_id.in_(_matching_children(q)))
    total = session.scalar(query.with_only_columns(func.count(Case.id)).order_by(None)) or 0
    listed = list(session.scalars(query.options(
        defer(Case.workflow_json), joinedload(Case.child).load_only(Child.id, Child.name, Child.id_number))
        .order_by(Case.started_at.desc(), Case.id.desc()).limit(per_page).offset((page - 1) * per_page)).unique())
    codes = {c.region_code for c in listed}
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all()) if codes else {}
    return Page([CaseItem(c, names.get(c.region_code, c.region_code), why_case(session, user, c)) for c in listed],
                page, per_page, total)
