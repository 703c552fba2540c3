"""The two light tasks (roster contacts and visits, the school's yearly checks) share one record guard
and one bulk upkeep (`services/roster/light_tasks.py`): a second record or a record that lost a race
is told so and keeps nothing; a child who left loses their open tasks; a bulk change of residence
or school is caught up by the daily sweep."""
import pytest
from sqlalchemy import select, text

from tests.helpers import run_due
from tests.test_roster import FINDINGS, VILLAGE, at, register
from webapp.models import RosterTask, SchoolCheck, User
from webapp.services import roster
from webapp.services.errors import Conflict
from webapp.services.roster import light_tasks


def _open_task(app, child_id):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return s.scalars(select(RosterTask.id).where(RosterTask.child_id == child_id, RosterTask.kind == "contact")).one()


@pytest.fixture
def opened(app, clock):
    at(clock, "2027-03-01")
    child = register(app, "守卫", sequence=1)
    assert run_due(app)["roster"] == 2
    return app, child, _open_task(app, child)


def test_a_record_that_lost_the_race_is_refused_and_keeps_nothing(opened):
    app, _child, task_id = opened
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        director = s.scalars(select(User).where(User.username == VILLAGE)).one()
        task = s.get(RosterTask, task_id)
        light_tasks.ensure_open(task, "任务", "已取消")  # open: no complaint
        with app.extensions["tonghu.sessionmaker"]() as other:  # another director records it meanwhile
            other.execute(text("UPDATE roster_tasks SET state = 'completed' WHERE id = :i"), {"i": task_id})
            other.commit()
        with pytest.raises(Conflict, match="该任务刚被他人登记，本次未保存"):
            light_tasks.mark_completed(s, task, {"notes": "迟到的记录"}, director, engine.clock.now(), "任务")
        s.rollback()
        with pytest.raises(Conflict, match="该任务已由他人登记，不能重复登记"):
            roster.complete(s, engine, task_id, FINDINGS, director, engine.clock.now())
        assert s.get(RosterTask, task_id).findings is None  # nothing of either late record kept


def test_a_cancelled_task_says_why(opened):
    app, _child, task_id = opened
    with app.extensions["tonghu.sessionmaker"]() as s:
        s.execute(text("UPDATE roster_tasks SET state = 'cancelled' WHERE id = :i"), {"i": task_id})
        with pytest.raises(Conflict, match="该任务已取消（儿童已不在名册中）"):
            light_tasks.ensure_open(s.get(RosterTask, task_id), "任务", "该任务已取消（儿童已不在名册中）")


def test_the_sweep_catches_up_bulk_writes_and_departures(opened, clock):
    app, child, _task = opened
    other = register(app, "无类别了", sequence=2)
    assert run_due(app)["roster"] == 2
    with app.extensions["tonghu.sessionmaker"]() as s:  # bulk SQL, past the flush hooks
        s.execute(text("UPDATE children SET region_code = '430104002001' WHERE id = :i"), {"i": child})
        s.execute(text("UPDATE children SET categories = '[]' WHERE id = :i"), {"i": other})
        s.commit()
    at(clock, "2027-03-02")
    run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        moved = s.execute(select(RosterTask.office_region, RosterTask.state).where(RosterTask.child_id == child)).all()
        left = s.scalars(select(RosterTask.state).where(RosterTask.child_id == other)).all()
    assert sorted(moved) == [("430104002001", "open")] * 2
    assert left == ["cancelled", "cancelled"]


def test_the_school_checks_use_the_same_upkeep(app, clock):
    from tests.test_school_checks import register as register_pupil
    at(clock, "2027-09-01")
    pupil = register_pupil(app, "转学", sequence=1)
    assert run_due(app)["school_checks"] == 1
    with app.extensions["tonghu.sessionmaker"]() as s:
        first = s.scalars(select(SchoolCheck.unit_id).where(SchoolCheck.child_id == pupil)).one()
        second = s.execute(text("SELECT id FROM units WHERE department_code = 'education' AND id != :u "
                                "ORDER BY id LIMIT 1"), {"u": first}).scalar()
        s.execute(text("UPDATE children SET school_unit_id = :u WHERE id = :i"), {"u": second, "i": pupil})
        s.commit()
    at(clock, "2027-09-02")
    run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.execute(select(SchoolCheck.unit_id, SchoolCheck.state).where(SchoolCheck.child_id == pupil)).all() \
            == [(second, "open")]
