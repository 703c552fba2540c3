"""Small helpers several test modules share (plain functions; fixtures live in conftest.py)."""
from datetime import datetime, timezone

from stdnum.cn import ric

from sqlalchemy import select

from webapp.demo import UNITS
from webapp.models import User
from webapp.services import sessions
from webapp.services.scenarios.steps.filled import GUARDIAN, agreement_draft, capacity_assessment  # noqa: F401 (shared with the steps)
from webapp.services.scheduler import run_due_work

VILLAGE = "village.430104001001"


def demo_unit_id(code: str) -> int:
    """A demo unit's id on a fresh database: the demo creates its units in `webapp.demo.UNITS` order."""
    return [unit[0] for unit in UNITS].index(code) + 1


# The entrustment's care institution, chosen from the units (hunan §三.2), and its official.
WELFARE_UNIT = "unit.cs-welfare"
CHOOSE_WELFARE = {"care_institution_unit": demo_unit_id("cs-welfare")}


def resident_id(region: str, birth_date: str, sequence: int) -> str:
    """A GB 11643-valid ID number: 6-digit region, birth date, 3-digit sequence (odd: male), check digit."""
    body = f"{region}{birth_date.replace('-', '')}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


# What the village records of a consenting guardian: the agreement's parties table prints it.


def start_entrustment_case(api, start_data) -> dict:
    """The village opens an entrustment-care case through the JSON API; its JSON."""
    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def only_task(client, name) -> dict:
    """The one task named `name` in the client's API task list."""
    tasks = [t for t in client.get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, tasks
    return tasks[0]


def run_due(app) -> dict:
    """The scheduler's due work at the app's clock, committed."""
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        result = run_due_work(s, engine, engine.clock.now())
        s.commit()
    return result


def api_token(app, username: str) -> str:
    """A bearer token for `username`, as `POST /auth/token` would give (a live API session row)."""
    with app.extensions["tonghu.sessionmaker"]() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        token = sessions.open_session(s, user, "api", datetime.now(timezone.utc))
        s.commit()
    return token
