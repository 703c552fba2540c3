"""The light tasks' set-based SQL on PostgreSQL, one demo database set-up for both kinds: the roster's
opening, daily marker, overdue watch, a record that starts a procedure, the file check (the same calls
as tests/test_roster.py on SQLite); the school checks' ON CONFLICT on the unique school year, a concern
that starts the referral, the overdue watch (as tests/test_school_checks.py)."""
import pytest
from sqlalchemy import func, select

from tests.conftest import Api, demo_app_on_postgres
from tests.helpers import run_due
from tests import test_school_checks as school
from tests.test_roster import FINDINGS, TOWNSHIP_SUPERVISOR, VILLAGE, at, register, tasks_of
from webapp.models import Notification, RosterFileCheck

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def pg_app(postgres_url):
    with demo_app_on_postgres(postgres_url) as app:
        yield app


def test_the_roster_runs_on_postgresql(pg_app):
    app, clock = pg_app, pg_app.extensions["tonghu.engine"].clock
    at(clock, "2027-03-01")
    red = register(app, "红娃", grade="red", sequence=1)
    green = register(app, "绿娃", grade=None, sequence=2)
    register(app, "无类别", categories=(), sequence=3)
    assert run_due(app)["roster"] == 4 and run_due(app)["roster"] == 0
    assert tasks_of(app, green) == [("contact", "P1M:2027-03-01", "open"), ("visit", "P3M:2027-01-01", "open")]
    village = Api(app.test_client(), VILLAGE)
    # the category filter reads child_categories (kept by the flush, as on SQLite)
    assert [c["name"] for c in village.get("/children?category=left_behind").get_json()] == ["红娃", "绿娃"]
    assert [c["name"] for c in village.get("/children?category=left_behind&risk=red").get_json()] == ["红娃"]
    items = village.get("/roster").get_json()
    assert sorted(i["child"]["name"] for i in items) == ["红娃", "红娃", "绿娃", "绿娃"]
    visit = next(i for i in items if i["child"]["id"] == green and i["kind"] == "visit")
    done = village.post(f"/roster/{visit['id']}/complete", {"data": {
        **FINDINGS, "method": "home_visit", "signs": ["emotional_behaviour"], "follow_up": ["psych_referral"]}})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["started_instance_id"] is not None
    at(clock, "2027-03-08")
    assert run_due(app)["roster_escalation"] == 1
    with app.extensions["tonghu.sessionmaker"]() as s:
        notice = s.scalars(select(Notification).where(Notification.kind == "roster_overdue")).one()
        assert notice.recipient.username == TOWNSHIP_SUPERVISOR and "红娃" in notice.message
        assert s.scalar(select(func.count()).select_from(RosterFileCheck)) == 1
    assert ("contact", "P1W:2027-03-08", "open") in tasks_of(app, red)


def test_school_checks_run_on_postgresql(pg_app):
    app, clock = pg_app, pg_app.extensions["tonghu.engine"].clock
    at(clock, "2027-09-01")
    concern = school.register(app, "苗头", sequence=1)
    late = school.register(app, "逾期", sequence=2)
    assert run_due(app)["school_checks"] == 2 and run_due(app)["school_checks"] == 0
    at(clock, "2027-09-02")
    assert run_due(app)["school_checks"] == 0  # the next day's sweep: ON CONFLICT, nothing twice
    done = Api(app.test_client(), school.SCHOOL).post(f"/school-checks/{school.check_id(app, concern)}/complete",
                                                      {"data": school.CONCERN})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["started_instance_id"] is not None
    at(clock, "2027-11-01")
    assert run_due(app)["school_check_escalation"] == 1 and school.checks_of(app, late)[0][1] == "open"
    with app.extensions["tonghu.sessionmaker"]() as s:
        notice = s.scalars(select(Notification).where(Notification.kind == "school_overdue")).one()
        assert notice.department == "education" and "逾期" in notice.message
    assert [c["child"]["name"] for c in Api(app.test_client(), school.BUREAU).get("/school-checks").get_json()] == ["逾期"]
