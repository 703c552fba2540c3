"""Issue 13: a jurisdiction's lists read their task rows' county copies (office_county,
case_county). They follow a move and a reassignment, and a neighbouring county's task never
appears in a county's supervisor list or overdue view, in due order, exactly the right rows."""
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, Api, demo_app_on_postgres, later
from tests.helpers import resident_id, start_entrustment_case
from tests.test_task_lists import Statements, _explain
from webapp.models import Case, HumanTask, Region, User, region_at_level
from webapp.services import organisation

NEIGHBOUR = "430105001001"  # a village of 天心区, the county beside 岳麓区 (430104), same city
CITY = "430100000000"
CIVIL, NEIGHBOUR_CIVIL = "civil_affairs.430104000000", "civil_affairs.430105000000"
COUNTY_SUP, NEIGHBOUR_SUP = "supervisor.township.430104000000", "supervisor.township.430105000000"
CITY_SUP, TOWNSHIP_SUP = "supervisor.township.430100000000", "supervisor.township.430104001000"
INVESTIGATION = "township_home_investigation"


@pytest.fixture
def counties(app, api, start_data, clock):
    """Two entrustment cases in 岳麓区 (two townships) and one in 天心区, a day apart: each opens the
    township's home investigation. Supervisors of the township department over each county and the city."""
    return open_cases(app, api, start_data, clock)


def open_cases(app, api, start_data, clock) -> dict:
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        now = clock.now()
        county = organisation.ensure_region(s, "430105000000", "天心区", CITY)
        township = organisation.ensure_region(s, "430105001000", "坡子街街道", county.code)
        village = organisation.ensure_region(s, NEIGHBOUR, "坡子街社区", township.code)
        organisation.ensure_user(s, "village.430105001001", PASSWORD, now, "坡子街社区儿童主任", "official",
                                 organisation.ensure_office(s, "village", village))
        organisation.ensure_user(s, "township.430105001000", PASSWORD, now, "坡子街街道", "official",
                                 organisation.ensure_office(s, "township", township))
        organisation.ensure_user(s, NEIGHBOUR_CIVIL, PASSWORD, now, "天心区民政局", "official",
                                 organisation.ensure_office(s, "civil_affairs", county))
        for name, code in ((COUNTY_SUP, "430104000000"), (NEIGHBOUR_SUP, "430105000000"), (CITY_SUP, CITY)):
            organisation.ensure_user(s, name, PASSWORD, now, name, "supervisor",
                                     organisation.ensure_office(s, "township", s.get(Region, code)))
        s.commit()
    ids = {"here": start_entrustment_case(api, start_data)["id"]}
    later(clock, 1)
    other = dict(start_data, child={**start_data["child"], "name": "小红", "gender": "female",
                                    "birth_date": "2015-03-01", "id_number": resident_id("430104", "2015-03-01", 22)})
    opened = api("village.430104002001").post("/processes/entrustment_care/instances",
                                              {"region": "430104002001", "data": other})
    assert opened.status_code == 201, opened.get_json()
    ids["second_township"] = opened.get_json()["id"]
    later(clock, 1)
    there = dict(start_data, child={**start_data["child"], "name": "小兰", "gender": "female",
                                    "birth_date": "2015-04-01", "id_number": resident_id("430105", "2015-04-01", 32)})
    opened = api("village.430105001001").post("/processes/entrustment_care/instances",
                                              {"region": NEIGHBOUR, "data": there})
    assert opened.status_code == 201, opened.get_json()
    ids["neighbour"] = opened.get_json()["id"]
    return ids


def case_ids(tasks) -> list[int]:
    return [t["instance_id"] for t in tasks]


def rows_of(db_session, case_id) -> list[HumanTask]:
    db_session.expire_all()
    return db_session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).all()


def test_a_county_supervisor_lists_its_county_only_in_due_order(api, counties):
    here, second, neighbour = counties["here"], counties["second_township"], counties["neighbour"]
    assert case_ids(api(COUNTY_SUP).get("/tasks").get_json()) == [here, second]
    assert case_ids(api(COUNTY_SUP).get("/tasks?sort=-due").get_json()) == [second, here]
    assert case_ids(api(NEIGHBOUR_SUP).get("/tasks").get_json()) == [neighbour]
    assert case_ids(api(CITY_SUP).get("/tasks").get_json()) == [here, second, neighbour]
    # a township's supervisor: its own township, not the county's other one
    assert case_ids(api(TOWNSHIP_SUP).get("/tasks").get_json()) == [here]
    assert api(COUNTY_SUP).get("/tasks?per_page=1").headers["X-Total-Count"] == "2"


def test_the_lead_departments_overdue_view_is_its_county_longest_overdue_first(api, browser, counties, clock):
    later(clock, 10)  # every investigation (7 days) is past due
    here, second, neighbour = counties["here"], counties["second_township"], counties["neighbour"]
    body = api(CIVIL).get("/overdue").get_json()
    assert case_ids(body["tasks"]) == [here, second] and body["total"] == 2
    assert sorted((g["region"], g["count"]) for g in body["groups"]) == [("430104001000", 1), ("430104002000", 1)]
    neighbours = api(NEIGHBOUR_CIVIL).get("/overdue").get_json()
    assert case_ids(neighbours["tasks"]) == [neighbour] and [g["region"] for g in neighbours["groups"]] == [
        "430105001000"]
    # a department's supervisor: the same edge, by the office's county
    assert case_ids(api(COUNTY_SUP).get("/overdue").get_json()["tasks"]) == [here, second]
    browser.sign_in(CIVIL)
    page = browser.get("/overdue").get_data(as_text=True)
    neighbour_task = api(NEIGHBOUR_SUP).get("/tasks").get_json()[0]["id"]
    assert f'data-task="{neighbour_task}"' not in page and "坡子街" not in page


def test_the_county_copies_follow_a_move_across_counties(api, db_session, counties, clock):
    here = counties["here"]
    [before] = [t for t in rows_of(db_session, here) if t.state == "open"]
    assert (before.office_county, before.case_county) == ("430104000000", "430104000000")
    child = db_session.get(Case, here).child_id
    moved = api(CIVIL).post(f"/children/{child}/move", {"region": NEIGHBOUR})
    assert moved.status_code == 200, moved.get_json()
    for task in rows_of(db_session, here):  # every row of the case: the county copies of its regions
        assert task.case_county == region_at_level(task.case_region, "county") == "430105000000"
        assert task.office_county == region_at_level(task.office_region, "county")
    assert case_ids(api(COUNTY_SUP).get("/tasks").get_json()) == [counties["second_township"]]
    assert case_ids(api(NEIGHBOUR_SUP).get("/tasks").get_json()) == [here, counties["neighbour"]]
    later(clock, 10)
    assert here not in case_ids(api(CIVIL).get("/overdue").get_json()["tasks"])
    assert case_ids(api(NEIGHBOUR_CIVIL).get("/overdue").get_json()["tasks"]) == [here, counties["neighbour"]]


def test_the_office_county_follows_a_reassignment_to_another_county(api, db_session, counties):
    here = counties["here"]
    task = api(COUNTY_SUP).get("/tasks").get_json()[0]
    assert task["instance_id"] == here
    assignee = db_session.scalars(select(User).where(User.username == "township.430105001000")).one()
    answer = api(CITY_SUP).post(f"/tasks/{task['id']}/reassign", {"user_id": assignee.id})
    assert answer.status_code == 200, answer.get_json()
    row = db_session.get(HumanTask, task["id"])
    db_session.refresh(row)
    assert (row.office_region, row.office_county, row.case_county) == ("430105001000", "430105000000",
                                                                       "430104000000")
    assert case_ids(api(COUNTY_SUP).get("/tasks").get_json()) == [counties["second_township"]]
    assert case_ids(api(NEIGHBOUR_SUP).get("/tasks").get_json()) == [here, counties["neighbour"]]
    assert case_ids(api("township.430105001000").get("/tasks").get_json()) == [here, counties["neighbour"]]


def test_a_citys_lists_merge_its_counties_in_due_order_page_by_page(app, api, counties, clock):
    """A city is a range of counties: each county's entries are read in index order and merged,
    so order and pages are the same as one sorted list's."""
    here, second, neighbour = counties["here"], counties["second_township"], counties["neighbour"]
    city = api(CITY_SUP)
    assert case_ids(city.get("/tasks?sort=-due").get_json()) == [neighbour, second, here]
    pages = [case_ids(city.get(f"/tasks?per_page=1&page={n}").get_json()) for n in (1, 2, 3, 4)]
    assert pages == [[here], [second], [neighbour], []]
    second_page = city.get("/tasks?per_page=2&page=2")
    assert case_ids(second_page.get_json()) == [neighbour] and second_page.headers["X-Total-Count"] == "3"
    later(clock, 10)
    overdue = api("civil_affairs.430100000000").get("/overdue?per_page=2").get_json()
    assert case_ids(overdue["tasks"]) == [here, second] and overdue["total"] == 3
    assert case_ids(api("civil_affairs.430100000000").get("/overdue?per_page=2&page=2").get_json()["tasks"]) == [
        neighbour]
    assert case_ids(city.get("/overdue").get_json()["tasks"]) == [here, second, neighbour]
    with Statements(app) as seen:
        city.get("/tasks")
    [page_query] = [(s, p) for s, p in seen.seen if "UNION ALL" in s]
    plan = _explain(app, *page_query)
    assert plan.count("ix_human_tasks_county_due (state=? AND department=? AND office_county=?)") >= 3


@pytest.mark.postgres
@pytest.mark.slow
def test_on_postgresql_a_citys_list_merges_its_counties_in_due_order(postgres_url, start_data):
    with demo_app_on_postgres(postgres_url) as app:
        client = app.test_client()
        clock = app.config["CLOCK"]
        ids = open_cases(app, lambda username: Api(client, username), start_data, clock)
        city = Api(client, CITY_SUP)
        order = [ids["here"], ids["second_township"], ids["neighbour"]]
        assert case_ids(city.get("/tasks").get_json()) == order
        assert case_ids(city.get("/tasks?sort=-due").get_json()) == order[::-1]
        assert [case_ids(city.get(f"/tasks?per_page=1&page={n}").get_json()) for n in (2, 3)] == [[order[1]],
                                                                                                   [order[2]]]
        assert case_ids(Api(client, COUNTY_SUP).get("/tasks").get_json()) == order[:2]
        later(clock, 10)
        assert case_ids(Api(client, "civil_affairs.430100000000").get("/overdue").get_json()["tasks"]) == order
        assert case_ids(Api(client, CIVIL).get("/overdue").get_json()["tasks"]) == order[:2]
