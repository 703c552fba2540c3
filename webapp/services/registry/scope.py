"""Who may see or change which registered child, why, and the ID number as each viewer may see it.

Reading: an office sees the children living in its jurisdiction; a unit's officials (a school)
see the children registered at that unit; anyone sees a child one of whose cases they may
read (`visibility.case_visible`). Writing: the registry is kept by the child director
(village), the township and civil affairs, each within its jurisdiction.

Identity (`sees_identity`, the one rule for every page, list, API answer and export): the full
ID number and the birth date are shown to offices that hold a case of the child, to the child's
own village (its child director) and to county civil affairs over the child's residence; every
other viewer sees `430104********0016` and the age in years (「12岁」), never the birth date,
which the ID number's masked middle would otherwise give away.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.orm import Session, defer, lazyload

from ...models import Case, Child, Region, User
from ...models.org import jurisdiction_prefix
from ..errors import Forbidden, NotFound
from ..routing import within
from .visibility import case_visible

WRITERS = ("village", "township", "civil_affairs")


def prefix_of(user: User) -> str | None:
    office = user.office
    return jurisdiction_prefix(office.region_code, office.level) if office is not None else None


def covers(user: User, region_code: str | None) -> bool:
    prefix = prefix_of(user)
    return prefix is not None and isinstance(region_code, str) and region_code.startswith(prefix)


def may_write(user: User, region_code: str | None = None) -> bool:
    """Whether `user` keeps the registry (for `region_code`, when given)."""
    office = user.office
    if office is None or user.unit_id is not None or office.department_code not in WRITERS:
        return False
    return region_code is None or covers(user, region_code)


def children_in_scope(user: User, by_residence_index: bool = True):
    """WHERE clause on `Child`: the children `user` may find (an index range on the residence; without
    `by_residence_index` the same test in a form no index serves, for a search another index drives)."""
    if user.office is None:
        return false()
    if user.unit_id is not None:
        return Child.school_unit_id == user.unit_id
    prefix = prefix_of(user)
    if not by_residence_index:
        return func.substr(Child.region_code, 1, len(prefix)) == prefix
    return within(Child.region_code, prefix)


def held_cases(session: Session, user: User, child_ids) -> dict[int, int]:
    """{child id: one case of that child `user` may read}, for the given children."""
    child_ids = list(child_ids)
    if not child_ids or user.office is None:
        return {}
    rows = session.execute(select(Case.child_id, Case.id).where(Case.child_id.in_(child_ids), case_visible(user))
                           .order_by(Case.id))
    held: dict[int, int] = {}
    for child_id, case_id in rows:
        held.setdefault(child_id, case_id)
    return held


def why_child(user: User, child: Child, held_case: int | None, region_names: dict[str, str]) -> str:
    """Why `user` may see `child`, in Chinese."""
    reasons = []
    if user.unit_id is not None and child.school_unit_id == user.unit_id:
        reasons.append(f"该儿童登记在{user.unit.name}就读")
    elif covers(user, child.region_code):
        place = region_names.get(child.region_code, child.region_code)
        reasons.append(f"住所地为本村（居）{place}" if user.office.level == "village"
                       else f"住所地{place}在{user.office.name}辖区内")
    if held_case is not None:
        reasons.append(f"{user.workplace}可查阅其案件（第 {held_case} 号）")
    return "；".join(reasons)


def masked(id_number: str | None) -> str | None:
    """`430104201501010016` → `430104********0016`: the place of birth registration and the last four."""
    if not id_number:
        return id_number
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def shown_id(id_number: str | None, holds_case: bool) -> str | None:
    return id_number if holds_case else masked(id_number)


def sees_identity(user: User, child: Child, holds_case: bool) -> bool:
    """Whether `user` sees the child's full ID number and birth date (see the module)."""
    office = user.office
    if office is None:
        return False
    if holds_case:
        return True
    if user.unit_id is not None:
        return False
    if office.department_code == "village":
        return office.region_code == child.region_code
    return office.department_code == "civil_affairs" and office.level == "county" and covers(user, child.region_code)


def identity_visible(user: User):
    """`sees_identity` as a WHERE clause on `Child` (for a search by ID number: the masked digits
    must not be searchable by those who see them masked, or the prefix that still finds the child
    would spell out the birth date)."""
    office = user.office
    if office is None:
        return false()
    held = exists(select(Case.id).where(Case.child_id == Child.id, case_visible(user)))
    if user.unit_id is not None:
        return held
    if office.department_code == "village":
        return or_(Child.region_code == office.region_code, held)
    if office.department_code == "civil_affairs" and office.level == "county":
        return or_(within(Child.region_code, prefix_of(user)), held)
    return held


def age_years(birth: date | None, today: date) -> int | None:
    """Whole years from `birth` to `today` (a child born on 29 February is a year older on 1 March)."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Identity:
    """The child's identity as one viewer may see it."""

    full: bool
    id_number: str | None     # full or masked
    birth_date: date | None   # None when hidden (or unknown)
    age: int | None

    @property
    def birth_label(self) -> str | None:
        """「2015-01-01」 or 「11岁」 (None when the birth date is not known)."""
        if self.birth_date is not None:
            return self.birth_date.isoformat()
        return f"{self.age}岁" if self.age is not None else None


def identity(user: User, child: Child, holds_case: bool, today: date) -> Identity:
    full = sees_identity(user, child, holds_case)
    return Identity(full, child.id_number if full else masked(child.id_number),
                    child.birth_date if full else None, age_years(child.birth_date, today))


def readable_child(session: Session, user: User, child_id) -> tuple[Child, str, int | None]:
    """(the child, why the user may see it, a case of it they may read or None); 404 / 403 otherwise."""
    child = session.get(Child, child_id) if isinstance(child_id, int) else None
    if child is None:
        raise NotFound("儿童档案不存在")
    held = held_cases(session, user, [child.id]).get(child.id)
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code == child.region_code)).all())
    return child, _admitted(user, child, held, names), held


def _admitted(user: User, child: Child, held: int | None, region_names: dict[str, str]) -> str:
    """Why `user` may see `child` (403 when they may not)."""
    in_scope = user.office is not None and (
        (user.unit_id is not None and child.school_unit_id == user.unit_id)
        or (user.unit_id is None and covers(user, child.region_code)))
    if not in_scope and held is None:
        raise Forbidden("您所在的单位无权查看该儿童档案")
    return why_child(user, child, held, region_names)


@dataclass
class OpenedFile:
    """A child's file as `open_file` found it for one viewer."""

    child: Child
    why: str
    held: int | None        # a case of the child the viewer may read (the lowest id), or None
    cases: list[Case]       # every case of the child, oldest first, without its workflow JSON
    readable: set[int]      # the ids of those the viewer may read (`visibility.case_visible`)

    @property
    def visible(self) -> list[Case]:
        return [c for c in self.cases if c.id in self.readable]


def open_file(session: Session, user: User, child_id) -> OpenedFile:
    """`readable_child` and the child's cases, each with whether `user` may read it, in two queries
    (the child with its residence's name, then its cases with `case_visible` as a column): the
    child's file page and API read nothing else to decide what to show. 404 / 403 as `readable_child`."""
    found = session.execute(select(Child, Region.name).outerjoin(Region, Region.code == Child.region_code)
                            .where(Child.id == child_id)).first() if isinstance(child_id, int) else None
    if found is None:
        raise NotFound("儿童档案不存在")
    child, place = found
    rows = session.execute(select(Case, case_visible(user).label("readable")).where(Case.child_id == child.id)
                           .options(defer(Case.workflow_json), lazyload(Case.child)).order_by(Case.started_at, Case.id))
    cases, readable = [], set()
    for case, may_read in rows:
        cases.append(case)
        if may_read:
            readable.add(case.id)
    held = min(readable) if readable else None
    why = _admitted(user, child, held, {child.region_code: place} if place is not None else {})
    return OpenedFile(child, why, held, cases, readable)


def writable_child(session: Session, user: User, child_id) -> Child:
    """A child whose entry `user` may change: registry keepers of the child's residence."""
    child, _why, _held = readable_child(session, user, child_id)
    if not may_write(user, child.region_code):
        raise Forbidden("只有儿童住所地的村（居）、乡镇（街道）和民政部门可以修改儿童名册")
    return child


def cases_of_child(session: Session, user: User, child: Child) -> list[Case]:
    """The child's cases `user` may read, oldest first, without their workflow JSON."""
    return list(session.scalars(select(Case).where(Case.child_id == child.id, case_visible(user))
                                .options(defer(Case.workflow_json)).order_by(Case.started_at, Case.id)))
