"""Drive any case on to its end through the service layer, as its offices would.

Each open task is completed by an official of the office it is routed to, with data made
from the form of the task's own process version (every field given a valid value) and the decision variables
chosen by field name in `ANSWERS`; when a case waits on nothing but timers, the clock moves
to the next one and the scheduler fires it. Used by tools/make_release_fixture.py (to
leave cases half-way) and tests/test_migrations.py (to finish them after an upgrade).
"""
from datetime import date, timedelta

from sqlalchemy import select

from webapp.models import Case, HumanTask, Office, User, WaitingTimer
from webapp.services import cases
from webapp.services.scheduler import run_due_work

# Decision variables (by field name) chosen so that every procedure reaches an end event.
ANSWERS = {
    "guardianship_capacity": "insufficient", "guardian_consents": True, "signed": True,
    "mediation_outcome": "abandon", "court_ruling": "revoked", "designated_guardian": "relative",
    "screening_result": "no_concern", "stable": True, "in_school": False, "assessment_result": "able",
    "intervention": "revocation", "guardian_refuses_entrustment": True, "entrustment_attempted": True,
    "plan_approved": True,
}

GUARDIAN_ID_NUMBER = "430104195803150023"


def _value(name: str, schema: dict):
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "boolean":
        return False  # "another visit needed?", "continue follow-up?": no, so loops end
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "array":
        items = schema.get("items", {})
        return [_value(name, items)] * max(schema.get("minItems", 1), 1)
    if kind == "object":
        return fill(schema, {})
    if schema.get("format") == "cn-resident-id":
        return GUARDIAN_ID_NUMBER  # an adult's number (a guardian, a carer): task forms never ask the child's
    if schema.get("format") == "date":  # a date that must follow another (`x-after`) comes years later
        return (date(2033, 6, 1) if schema.get("x-after") else date(2027, 1, 1)).isoformat()
    return "测试填写"[: schema.get("maxLength", 40)] if name else "测试"


def fill(schema: dict, answers: dict) -> dict:
    """Every property of the form with a valid value, `answers` winning for the fields the form has."""
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    # A unit choice (`x-unit`) names a real unit of the organisation: given when answered or
    # required (the case's form offers the units serving its place as an `enum`).
    return {name: answers[name] if name in answers else _value(name, prop) for name, prop in properties.items()
            if name in answers or "x-unit" not in prop or name in required}


def actor(session, task: HumanTask) -> User:
    """An official of the office the task is routed to, or of its unit."""
    unit = User.unit_id.is_(None) if task.unit_id is None else User.unit_id == task.unit_id
    return session.scalars(select(User).join(Office, User.office_id == Office.id).where(
        Office.department_code == task.department, Office.region_code == task.office_region,
        User.role == "official", unit).order_by(User.id)).first()


def open_tasks(session, case_id: int) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")
                                .order_by(HumanTask.id)))


def step(session, engine, case_id: int, answers: dict | None = None) -> bool:
    """Complete the case's first open task, or fire its next timer; False when there is nothing to do."""
    answers = {**ANSWERS, **(answers or {})}
    tasks = open_tasks(session, case_id)
    if tasks:
        task = tasks[0]
        # the form of the case's own process version as the case offers it (a case on an old version keeps its
        # old forms; `x-unit` and `x-region` fields list the real units and places)
        form = (cases.task_form(session, task) or {}) if task.form else {}
        data = fill(form, answers)
        user = actor(session, task)
        assert user is not None, f"no official for {task.department}@{task.office_region} ({task.name})"
        cases.complete_task(session, engine, task.id, data, user, engine.clock.now())
        return True
    next_timer = session.scalar(select(WaitingTimer.fire_at).where(WaitingTimer.case_id == case_id)
                                .order_by(WaitingTimer.fire_at))
    if next_timer is None:
        return False
    engine.clock.travel_to(next_timer + timedelta(seconds=1))
    run_due_work(session, engine, engine.clock.now())
    return True


def drive_to_end(make, engine, case_id: int, answers: dict | None = None, max_steps: int = 80,
                 until=None) -> Case:
    """Step the case (committing each step) until it is no longer running, or `until(session, case_id)`."""
    for _ in range(max_steps):
        with make() as session:
            if session.get(Case, case_id).status != "running" or (until and until(session, case_id)):
                break
            moved = step(session, engine, case_id, answers)
            session.commit()
            if not moved:
                break
    with make() as session:
        return session.get(Case, case_id)
