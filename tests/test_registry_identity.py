"""One rule for a child's identity on every surface (`registry.scope.sees_identity`): offices that
see the ID number masked (`430104********0015`) see the age, never the birth date (the file page,
its history, the edit form, the lists, the API); the child's village, county civil affairs over it
and offices holding a case of the child see both."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import start_entrustment_case
from webapp.models import Child, User
from webapp.services.registry import scope

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
COUNTY = "civil_affairs.430104000000"
CITY = "civil_affairs.430100000000"
SCHOOL = "unit.yl-school-wyh"
NUMBER = "430104201501010015"  # conftest's CHILD: born 2015-01-01
ENTRY = {"id_number": NUMBER, "name": "小明", "region": "430104001001", "categories": ["left_behind"],
         "school_unit_id": None}
HIDDEN = ("2015-01-01", "20150101", "2015年1月1日")


def text(response) -> str:
    return response.get_data(as_text=True)


def age_now(clock) -> str:
    return f"{scope.age_years(date(2015, 1, 1), clock.now().date())}岁"


@pytest.fixture
def child_id(api, db_session):
    school = db_session.scalars(select(User).where(User.username == SCHOOL)).one().unit_id
    response = api(COUNTY).post("/children", {**ENTRY, "school_unit_id": school})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_the_rule(db_session, child_id, clock):
    child = db_session.get(Child, child_id)
    users = {u.username: u for u in db_session.scalars(select(User))}
    sees = {name: scope.sees_identity(users[name], child, False) for name in
            (VILLAGE, "village.430104001002", TOWNSHIP, COUNTY, CITY, SCHOOL, "supervisor.civil_affairs.430104000000")}
    assert sees == {VILLAGE: True, "village.430104001002": False, TOWNSHIP: False, COUNTY: True, CITY: False,
                    SCHOOL: False, "supervisor.civil_affairs.430104000000": True}
    assert scope.sees_identity(users[TOWNSHIP], child, True)  # a case it holds
    assert scope.age_years(date(2012, 2, 29), date(2024, 2, 28)) == 11
    assert scope.age_years(date(2012, 2, 29), date(2024, 2, 29)) == 12


def test_the_api_file_and_list_show_the_age_to_those_who_see_the_number_masked(api, child_id, clock):
    for who in (TOWNSHIP, CITY, SCHOOL):
        body = api(who).get(f"/children/{child_id}").get_json()
        assert body["id_number_masked"] == "430104********0015", who
        assert body["birth_date"] is None and body["age"] == scope.age_years(date(2015, 1, 1), clock.now().date()), who
        assert not any(h in str(body) for h in HIDDEN), who
        [item] = api(who).get("/children").get_json()
        assert item["id_number_masked"] == "430104********0015" and not any(h in str(item) for h in HIDDEN), who
    for who in (VILLAGE, COUNTY):
        body = api(who).get(f"/children/{child_id}").get_json()
        assert body["id_number_masked"] == NUMBER and body["birth_date"] == "2015-01-01", who
        [item] = api(who).get("/children").get_json()
        assert item["id_number_masked"] == NUMBER, who


def test_a_changed_birth_date_stays_hidden_in_the_history(api, client, child_id):
    county = api(COUNTY)
    changed = county.client.patch(f"/api/v1/children/{child_id}", headers=county.headers,
                                  json={"birth_date": "2015-01-01", "description": "出生日期核对无误"})
    assert changed.status_code == 200
    # a registry change that carries a birth date (the number's check fixes it; put one in the history directly)
    from webapp.models import RegistryChange
    with client.application.extensions["tonghu.sessionmaker"]() as s:
        s.add(RegistryChange(child_id=child_id, at=s.get(Child, child_id).created_at, kind="update",
                             changes={"birth_date": ["2015-01-02", "2015-01-01"]}, reason="更正"))
        s.commit()
    township = api(TOWNSHIP).get(f"/children/{child_id}").get_json()
    hidden = [h["changes"]["birth_date"] for h in township["history"] if "birth_date" in h["changes"]]
    assert hidden == [["（不予显示）", "（不予显示）"], [None, "（不予显示）"]]  # the correction, the registration
    assert not any(h in str(township) for h in HIDDEN + ("2015-01-02",))
    village = api(VILLAGE).get(f"/children/{child_id}").get_json()
    shown = [h["changes"]["birth_date"] for h in village["history"] if "birth_date" in h["changes"]]
    assert shown == [["2015-01-02", "2015-01-01"], [None, "2015-01-01"]]


def test_the_web_file_list_and_edit_form(browser, api, child_id, clock, db_session, start_data):
    from webapp.models import RegistryChange
    db_session.add(RegistryChange(child_id=child_id, at=db_session.get(Child, child_id).created_at, kind="update",
                                  changes={"birth_date": ["2015-01-02", "2015-01-01"]}, reason="更正"))
    db_session.commit()
    browser.sign_in(TOWNSHIP)
    page = text(browser.get(f"/children/{child_id}"))
    assert "430104********0015" in page and age_now(clock) in page and "年龄" in page
    assert not any(h in page for h in HIDDEN) and "2015-01-02" not in page and "出生日期：（不予显示）" in page
    listing = text(browser.get("/children"))
    assert "430104********0015" in listing and NUMBER not in listing
    form = text(browser.get(f"/children/{child_id}/edit"))
    assert not any(h in form for h in HIDDEN) and 'name="birth_date"' not in form and age_now(clock) in form
    saved = browser.post(f"/children/{child_id}/edit", {"name": "小明", "categories": ["left_behind", "disabled"]})
    assert saved.status_code == 302
    db_session.expire_all()
    assert db_session.get(Child, child_id).birth_date == date(2015, 1, 1)  # nothing lost by the hidden field
    browser.sign_in(VILLAGE)
    page = text(browser.get(f"/children/{child_id}"))
    assert NUMBER in page and "2015-01-01" in page and "2015-01-02" in page
    assert 'value="2015-01-01"' in text(browser.get(f"/children/{child_id}/edit"))
    # a case the township acts in: then it sees both
    start_entrustment_case(api, start_data)
    browser.sign_in(TOWNSHIP)
    page = text(browser.get(f"/children/{child_id}"))
    assert NUMBER in page and "2015-01-01" in page
