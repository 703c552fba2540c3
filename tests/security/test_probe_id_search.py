"""Attacker's probe (session 5): the masked ID number is no secret if a search by number reads
the masked digits. `430104********0015` hides the birth date; a township, a city office or a school
that sees only that could search `?q=4301042015`, `?q=43010420150`, … one digit at a time and read
the birth date off which prefix still lists the child (at most ten queries a digit). A search by
number matches only children whose full number the caller may see (`scope.sees_identity`); for
everyone else only the place code (the first six digits, shown anyway) is searchable."""
import pytest
from sqlalchemy import select

from webapp.models import User

VILLAGE = "village.430104001001"
TOWNSHIP = "township.430104001000"
COUNTY = "civil_affairs.430104000000"
CITY = "civil_affairs.430100000000"
SCHOOL = "unit.yl-school-wyh"
NUMBER = "430104201501010015"
ENTRY = {"id_number": NUMBER, "name": "小明", "region": "430104001001", "categories": ["left_behind"]}
PROBES = ("4301042", "4301042015", "43010420150101", NUMBER)


@pytest.fixture
def child_id(api, db_session):
    school = db_session.scalars(select(User).where(User.username == SCHOOL)).one().unit_id
    response = api(COUNTY).post("/children", {**ENTRY, "school_unit_id": school})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()]


@pytest.mark.parametrize("who", [TOWNSHIP, CITY, SCHOOL])
def test_a_number_search_does_not_read_the_masked_digits(api, child_id, who):
    client = api(who)
    assert ids(client.get("/children")) == [child_id]  # the child is in the caller's list, masked
    assert ids(client.get("/children?q=430104")) == [child_id]  # the place code is shown: searchable
    for probe in PROBES:
        assert ids(client.get(f"/children?q={probe}")) == [], (who, probe)
    assert ids(client.get("/children?q=小明")) == [child_id]  # by name, as before


def test_the_web_list_gives_no_answer_by_masked_digits(browser, child_id):
    browser.sign_in(TOWNSHIP)
    assert "430104********0015" in browser.get("/children").get_data(as_text=True)
    page = browser.get("/children?q=43010420150101").get_data(as_text=True)
    assert "430104********0015" not in page and "小明" not in page


@pytest.mark.parametrize("who", [VILLAGE, COUNTY])
def test_those_who_see_the_number_still_find_the_child_by_it(api, child_id, who):
    for probe in PROBES:
        assert ids(api(who).get(f"/children?q={probe}")) == [child_id], (who, probe)


def test_a_case_held_shows_the_number_and_finds_the_child_by_it(api, start_data):
    from tests.helpers import start_entrustment_case
    case = start_entrustment_case(api, start_data)  # the village files; the township's step is open
    assert ids(api(TOWNSHIP).get(f"/children?q={NUMBER}")) == [case["child_id"]]


def test_the_sql_rule_agrees_with_sees_identity(api, db_session, child_id, start_data):
    from tests.helpers import resident_id, start_entrustment_case
    from webapp.models import Child
    from webapp.services.registry import scope
    other = start_entrustment_case(api, {**start_data, "child": {**start_data["child"], "name": "小红", "gender": "female", "birth_date": "2016-01-01",
                                                                 "id_number": resident_id("430104", "2016-01-01", 22)}})
    users = db_session.scalars(select(User)).all()
    for child in (db_session.get(Child, child_id), db_session.get(Child, other["child_id"])):
        for user in users:
            held = scope.held_cases(db_session, user, [child.id]).get(child.id) is not None
            in_sql = db_session.scalar(select(Child.id).where(Child.id == child.id, scope.identity_visible(user)))
            assert (in_sql is not None) == scope.sees_identity(user, child, held), (user.username, child.name)
