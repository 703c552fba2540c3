"""Small helpers several test modules share (plain functions; fixtures live in conftest.py)."""
from datetime import datetime, timezone

from stdnum.cn import ric

from sqlalchemy import select

from webapp.models import User
from webapp.services import sessions
from webapp.services.scheduler import run_due_work

VILLAGE = "village.430104001001"
# The rating of each hunan §六.3 dimension that agrees with a conclusion (webapp's risk grade follows it).
_RATING_FOR = {"adequate": "good", "insufficient": "weak", "severe_risk": "absent"}


def capacity_assessment(capacity: str = "insufficient", summary: str = "监护能力不足", **fields) -> dict:
    """A complete family guardianship capacity assessment (forms/assess_capacity.json): the three
    hunan §六.3 dimensions, the assessors and the date are required, so every test fills them here,
    rated to agree with `capacity`; `fields` override any of them."""
    rating = _RATING_FOR.get(capacity, "weak")
    return {"health_rating": rating, "income_rating": rating, "ability_rating": rating,
            "assessors": "县民政局评估组", "assessed_on": "2026-11-20",
            "guardianship_capacity": capacity, "assessment_summary": summary, **fields}


def agreement_draft(**fields) -> dict:
    """A complete five-party agreement draft (forms/draft_agreement.json, hunan §三.1): the parties,
    start and term, who manages the living allowance, visits, change and termination terms are
    required, so every test fills them here; `fields` override any of them."""
    return {"guardian_party": "王秀英", "village_party": "望月湖社区居民委员会", "township_party": "望月湖街道办事处",
            "civil_affairs_party": "岳麓区民政局", "rights_and_duties": "机构负责日常照料",
            "service_standards": "按湖南 §三.2 提供照料", "dispute_resolution": "由县级民政局协调",
            "keeps_household_registration": True, "start_date": "2026-11-20", "term_until": "2033-06-01",
            "allowance_manager": "care_institution", "allowance_terms": "专户管理，每季度向监护人公开收支",
            "visiting_arrangements": "监护人每月探视一次", "change_and_termination": "变更或解除须经各方书面同意", **fields}


def resident_id(region: str, birth_date: str, sequence: int) -> str:
    """A GB 11643-valid ID number: 6-digit region, birth date, 3-digit sequence (odd: male), check digit."""
    body = f"{region}{birth_date.replace('-', '')}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


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
