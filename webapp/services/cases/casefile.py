"""The child's file (一人一档) as the cases write it, and what a case page lists: entries, tasks, offices."""
from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.orm import Session, defer, joinedload, lazyload

from ...catalog import office_called
from ...models import Case, CaseFileEntry, Child, HumanTask, Office, Region, Unit, User
from ...models.org import region_at_level
from .. import definitions, routing


def add_entry(session, case: Case, kind: str, title: str, now, user: User | None, body=None, data=None,
              document_number: str | None = None) -> CaseFileEntry:
    entry = CaseFileEntry(child=case.child, case=case, kind=kind, title=title, body=body, data=data,
                          document_number=document_number, author_id=user.id if user else None,
                          office_id=user.office_id if user else None, created_at=now)
    session.add(entry)
    return entry


_INSERT_ENTRY = insert(CaseFileEntry.__table__)


def write_entry(session: Session, case: Case, kind: str, title: str, now, user: User | None, data=None) -> None:
    """The entry `add_entry` makes, written at once as one INSERT with no object to track: for a
    completion, whose transaction already holds the case's lock (the ORM's unit of work costs
    more than the row). On the session's connection: it flushes nothing of the caller's."""
    session.connection().execute(_INSERT_ENTRY, {
        "child_id": case.child_id, "case_id": case.id, "kind": kind, "title": title, "body": None,
        "document_number": None, "data": data, "author_id": user.id if user else None,
        "office_id": user.office_id if user else None, "created_at": now})


def note_on_file(session: Session, case: Case, title: str, now, data: dict | None = None, user: User | None = None) -> None:
    """An event on the child's file (一人一档), e.g. a deadline passed or a plan ended."""
    add_entry(session, case, "event", title, now, user, data=data)


# A case's own tasks: `task.case` is the case in hand (found in the session, no query), so the
# rows are read without joining the case and its workflow JSON once per row. Their holder and
# completer are shown by name only: their user row is joined, not the user's office and unit.
# Built once: each call only binds the case's id.
OF_CASE_IN_HAND = lazyload(HumanTask.case)
_OPEN = (select(HumanTask).where(HumanTask.case_id == bindparam("case_id"), HumanTask.state == "open")
         .options(OF_CASE_IN_HAND, lazyload(HumanTask.completed_by), joinedload(HumanTask.claimed_by).lazyload("*"))
         .order_by(HumanTask.id))
_COMPLETED = (select(HumanTask).where(HumanTask.case_id == bindparam("case_id"), HumanTask.state == "completed")
              .options(OF_CASE_IN_HAND, joinedload(HumanTask.claimed_by).lazyload("*"),
                       joinedload(HumanTask.completed_by).lazyload("*"))
              .order_by(HumanTask.completed_at, HumanTask.id))


def open_tasks(session: Session, case: Case) -> list[HumanTask]:
    """Open tasks have no completer: not joined (it is None without a query)."""
    return list(session.scalars(_OPEN, {"case_id": case.id}))


def completed_tasks(session: Session, case: Case) -> list[HumanTask]:
    return list(session.scalars(_COMPLETED, {"case_id": case.id}))


# A case's history as the API lists it (`GET /instances/{id}`, the answer to a completion), built
# as JSON text by the database: a case with hundreds of steps answers without a Python row, dict
# and encoding per step (bench/engine_floor.py, "flat with history"). Moments are written as
# `datetime.isoformat()` writes an aware UTC moment (microseconds left out when zero).
# SQLite holds the naive UTC moment as text, `2026-12-02 15:49:48.156189` (SQLAlchemy's form), or
# without the fraction: two replaces (the `.` can only be the fraction's) cost a third of slicing it.
_SQLITE_MOMENT = "replace(replace(t.completed_at, '.000000', ''), ' ', 'T') || '+00:00'"
_POSTGRES_MOMENT = ("to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE "
                    "WHEN to_char(t.completed_at, 'US') = '000000' THEN '' ELSE to_char(t.completed_at, '.US') END "
                    "|| '+00:00'")
_STEPS = ("FROM human_tasks t LEFT JOIN users u ON u.id = t.completed_by_id "
          "WHERE t.case_id = :case_id AND t.state = 'completed'")
_HISTORY_JSON = {
    # SQLite (3.40) has no ORDER BY inside an aggregate: the ordered subquery (read in that order from
    # `ix_human_tasks_case_steps`, not sorted) is aggregated in its order.
    "sqlite": text(f"SELECT json_group_array(json_object('name', name, 'title', title, 'department', department, "
                   f"'user', username, 'completed_at', moment)) FROM (SELECT t.name, t.title, t.department, "
                   f"u.username, {_SQLITE_MOMENT} AS moment {_STEPS} ORDER BY t.completed_at, t.id)"),
    "postgresql": text(f"SELECT coalesce(json_agg(json_build_object('name', t.name, 'title', t.title, 'department', "
                       f"t.department, 'user', u.username, 'completed_at', {_POSTGRES_MOMENT}) "
                       f"ORDER BY t.completed_at, t.id), '[]')::text {_STEPS}"),
}


def history_json(session: Session, case: Case) -> str:
    """The case's completed steps, oldest first, as a JSON array of `{"name", "title", "department",
    "user", "completed_at"}` (DESIGN.md, `GET /instances/{id}`), read after this unit of work's writes."""
    session.flush()
    connection = session.connection()
    return connection.execute(_HISTORY_JSON[connection.dialect.name], {"case_id": case.id}).scalar_one()


def office_label(session: Session, department: str, region_code: str) -> str:
    office = session.scalars(select(Office).where(Office.department_code == department, Office.region_code == region_code)).first()
    if office:
        return office.name
    region = session.get(Region, region_code)
    return office_called(department, region.name if region else region_code)


def task_office(session: Session, task: HumanTask) -> str:
    """The name of the unit or office a task is routed to."""
    unit = session.get(Unit, task.unit_id) if task.unit_id is not None else None
    return unit.name if unit else office_label(session, task.department, task.office_region)


_UNIT_NAMES = select(Unit.id, Unit.name).where(Unit.id.in_(bindparam("ids", expanding=True)))
_OFFICE_NAMES = select(Office.department_code, Office.region_code, Office.name) \
    .where(Office.region_code.in_(bindparam("regions", expanding=True)))


_REGION_NAMES = select(Region.code, Region.name).where(Region.code.in_(bindparam("regions", expanding=True)))


def task_offices(session: Session, tasks) -> dict[int, str]:
    """`task_office` of many tasks in at most three queries (lists stay one cost whatever their
    length), an office without its own row named after its place like `office_label` does."""
    tasks = list(tasks)
    unit_ids = {t.unit_id for t in tasks if t.unit_id is not None}
    unit_names = dict(session.execute(_UNIT_NAMES, {"ids": list(unit_ids)}).all()) if unit_ids else {}
    pairs = {(t.department, t.office_region) for t in tasks if t.unit_id is None}
    office_names = {}
    if pairs:
        regions = list({r for _d, r in pairs})
        office_names = {(d, r): n for d, r, n in session.execute(_OFFICE_NAMES, {"regions": regions})}
        unnamed = list({r for d, r in pairs if (d, r) not in office_names})
        places = dict(session.execute(_REGION_NAMES, {"regions": unnamed}).all()) if unnamed else {}
        office_names |= {(d, r): office_called(d, places.get(r, r))
                         for d, r in pairs if (d, r) not in office_names}
    names = {}
    for t in tasks:
        if t.unit_id is not None and t.unit_id in unit_names:
            names[t.id] = unit_names[t.unit_id]
        elif (t.department, t.office_region) in office_names:
            names[t.id] = office_names[(t.department, t.office_region)]
        else:
            names[t.id] = task_office(session, t)
    return names


def why_routed(session: Session, task: HumanTask) -> str:
    unit_field = None
    if task.unit_id is not None:
        lane = definitions.bundle_of(task.case.definition).lane_of(task.process_id, task.name)
        unit_field = lane.unit_from if lane else None
    route = routing.Route(task.department, task.lane_department, task.level, task.office_region,
                          task.unit_id, unit_field or "")
    region = session.get(Region, task.case.region_code)
    lane = definitions.bundle_of(task.case.definition).lane_of(task.process_id, task.name)
    if lane is not None and lane.region_from and task.unit_id is None \
            and task.office_region != region_at_level(task.case.region_code, task.level):
        place = _full_region_name(session, session.get(Region, task.office_region))
        return route.explain(task.lane_name, f"按案件数据字段“{lane.region_from}”选定的{place}", task_office(session, task))
    return route.explain(task.lane_name, _full_region_name(session, region), task_office(session, task))


def _full_region_name(session: Session, region: Region | None) -> str:
    names = []
    while region is not None:
        names.append(region.name)
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return "".join(reversed(names))


def cases_of(session: Session, child: Child) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.child_id == child.id).options(defer(Case.workflow_json))
                                .order_by(Case.started_at, Case.id)))
