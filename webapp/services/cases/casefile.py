"""The child's file (一人一档) as the cases write it, and what a case page lists: entries, tasks, offices."""
from sqlalchemy import select
from sqlalchemy.orm import Session, defer, lazyload

from ...catalog import department_name
from ...models import Case, CaseFileEntry, Child, HumanTask, Office, Region, User
from .. import routing


def add_entry(session, case: Case, kind: str, title: str, now, user: User | None, body=None, data=None):
    session.add(CaseFileEntry(child=case.child, case=case, kind=kind, title=title, body=body, data=data,
                              author_id=user.id if user else None,
                              office_id=user.office_id if user else None, created_at=now))


def note_on_file(session: Session, case: Case, title: str, now, data: dict | None = None, user: User | None = None) -> None:
    """An event on the child's file (一人一档), e.g. a deadline passed or a plan ended."""
    add_entry(session, case, "event", title, now, user, data=data)


# A case's own tasks: `task.case` is the case in hand (found in the session, no query), so the
# rows are read without joining the case and its workflow JSON once per row.
OF_CASE_IN_HAND = lazyload(HumanTask.case)


def open_tasks(session: Session, case: Case) -> list[HumanTask]:
    """Open tasks have no completer: not joined (it is None without a query)."""
    return list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open")
                                .options(OF_CASE_IN_HAND, lazyload(HumanTask.completed_by)).order_by(HumanTask.id)))


def completed_tasks(session: Session, case: Case) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "completed")
                                .options(OF_CASE_IN_HAND).order_by(HumanTask.completed_at, HumanTask.id)))


def history(session: Session, case: Case) -> list[dict]:
    """The case's completed steps as the API lists them, read as plain columns: a case with
    hundreds of steps answers without building a task object (and its data) per step."""
    rows = session.execute(
        select(HumanTask.name, HumanTask.title, HumanTask.department, User.username, HumanTask.completed_at)
        .outerjoin(User, User.id == HumanTask.completed_by_id)
        .where(HumanTask.case_id == case.id, HumanTask.state == "completed")
        .order_by(HumanTask.completed_at, HumanTask.id))
    return [{"name": name, "title": title, "department": department, "user": username,
             "completed_at": completed_at.isoformat() if completed_at else None}
            for name, title, department, username, completed_at in rows]


def office_label(session: Session, department: str, region_code: str) -> str:
    office = session.scalars(select(Office).where(Office.department_code == department, Office.region_code == region_code)).first()
    if office:
        return office.name
    region = session.get(Region, region_code)
    return f"{region.name if region else region_code}{department_name(department)}"


def why_routed(session: Session, task: HumanTask) -> str:
    route = routing.Route(task.department, task.lane_department, task.level, task.office_region)
    region = session.get(Region, task.case.region_code)
    return route.explain(task.lane_name, _full_region_name(session, region), office_label(session, task.department, task.office_region))


def _full_region_name(session: Session, region: Region | None) -> str:
    names = []
    while region is not None:
        names.append(region.name)
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return "".join(reversed(names))


def cases_of(session: Session, child: Child) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.child_id == child.id).options(defer(Case.workflow_json))
                                .order_by(Case.started_at, Case.id)))
