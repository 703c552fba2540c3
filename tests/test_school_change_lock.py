"""A change of the child's school takes the running cases' lock, as a completion does: on PostgreSQL
(row locks, where the race is real) a completion in flight cannot make the change move a task it
has already completed, nor lose a school task it creates."""
import threading
import time

import pytest
from sqlalchemy import select

from tests.conftest import demo_app_on_postgres
from tests.helpers import demo_unit_id
from webapp.models import AuditEntry, Child, HumanTask, Unit, User
from webapp.services import cases, units

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CIVIL, EDUCATION = "civil_affairs.430104000000", "education.430104000000"
CHILD = {"name": "小林", "id_number": "430104201403010126", "birth_date": "2014-03-01", "gender": "female"}
NO_SIGNS = {"contact_date": "2026-09-10", "sign_study_pressure": False, "sign_family_change": False,
            "sign_economic_hardship": False, "sign_behaviour": False, "observations": "情绪稳定"}


@pytest.fixture
def pg_app(postgres_url):
    with demo_app_on_postgres(postgres_url) as app:
        yield app


def user(s, username) -> User:
    return s.scalars(select(User).where(User.username == username)).one()


def test_a_school_change_waits_for_a_completion_in_flight_and_moves_only_what_is_still_open(pg_app):
    make, engine = pg_app.extensions["tonghu.sessionmaker"], pg_app.extensions["tonghu.engine"]
    with make() as s:
        case = cases.start_case(s, engine, "psych_referral", "430104001001", {
            "child": CHILD, "monitoring_source": "school_yearly_check", "reason": "2026 学年心理健康监测"},
            user(s, CIVIL), engine.clock.now())
        s.commit()
        case_id, child_id = case.id, case.child_id
        task_id = s.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open")).one()

    completing = make()  # the education office completes the school check (no school registered yet) ...
    cases.complete_task(completing, engine, task_id, NO_SIGNS, user(completing, EDUCATION), engine.clock.now())
    completing.flush()
    outcome, done = {}, threading.Event()

    def change_school():  # ... while civil affairs registers the school in another session
        with make() as other:
            moved = units.change_school(other, other.get(Child, child_id), other.get(Unit, demo_unit_id("yl-school-wyh")),
                                        user(other, CIVIL), engine.clock.now())
            other.commit()
            outcome["moved"] = [t.id for t in moved]
        done.set()

    worker = threading.Thread(target=change_school)
    worker.start()
    time.sleep(1.5)
    assert not done.is_set()  # it waits for the completion's lock
    completing.commit()
    completing.close()
    worker.join(30)
    assert done.is_set()

    with make() as s:
        task = s.get(HumanTask, task_id)
        # completed by the education office, and it stays so: the change did not rewrite finished work
        assert (task.state, task.unit_id, task.department, task.office_region) == (
            "completed", None, "education", "430104000000")
        assert outcome["moved"] == []
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "child.school")).one()
        assert audit.detail["tasks"] == []
        assert s.get(Child, child_id).school_unit_id == demo_unit_id("yl-school-wyh")
