"""The school checks' set-based SQL on PostgreSQL (ON CONFLICT on the unique school year), a concern that
starts the referral, the overdue watch (the same calls as tests/test_school_checks.py on SQLite)."""
import pytest
from sqlalchemy import select

from tests.conftest import Api, demo_app_on_postgres
from tests.helpers import run_due
from tests.test_school_checks import BUREAU, CONCERN, SCHOOL, at, check_id, checks_of, register
from webapp.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def pg_app(postgres_url):
    with demo_app_on_postgres(postgres_url) as app:
        yield app


def test_school_checks_run_on_postgresql(pg_app):
    app, clock = pg_app, pg_app.extensions["tonghu.engine"].clock
    at(clock, "2027-09-01")
    concern = register(app, "苗头", sequence=1)
    late = register(app, "逾期", sequence=2)
    assert run_due(app)["school_checks"] == 2 and run_due(app)["school_checks"] == 0
    at(clock, "2027-09-02")
    assert run_due(app)["school_checks"] == 0  # the next day's sweep: ON CONFLICT, nothing twice
    done = Api(app.test_client(), SCHOOL).post(f"/school-checks/{check_id(app, concern)}/complete", {"data": CONCERN})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["started_instance_id"] is not None
    at(clock, "2027-11-01")
    assert run_due(app)["school_check_escalation"] == 1 and checks_of(app, late)[0][1] == "open"
    with app.extensions["tonghu.sessionmaker"]() as s:
        notice = s.scalars(select(Notification).where(Notification.kind == "school_overdue")).one()
        assert notice.department == "education" and "逾期" in notice.message
    assert [c["child"]["name"] for c in Api(app.test_client(), BUREAU).get("/school-checks").get_json()] == ["逾期"]
