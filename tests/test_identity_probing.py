"""Guessing a masked child's birth date through the registry (services/registry/probing.py): each answer
revealing that a number is registered to a child the user sees masked is counted per user and day; past
the allowance every number the user does not see is refused alike, audited, and the county told once."""
import io

import pytest
from sqlalchemy import func, select

from tests.helpers import resident_id
from webapp.models import AuditEntry, Child, Notification

VILLAGE = "village.430104001001"
OTHER_VILLAGE = "village.430104002001"  # sees the child's number masked: 430104********nnnn
HIDDEN = resident_id("430104", "2014-06-09", 21)
ENTRY = {"name": "小红", "region": "430104001001", "categories": ["left_behind"]}
HEADER = "id_number,name,gender,birth_date,region,categories\n"


@pytest.fixture
def setup(app, api):
    app.config["IDENTITY_PROBE_ALLOWANCE"] = 2
    made = api(VILLAGE).post("/children", {**ENTRY, "id_number": HIDDEN})
    assert made.status_code == 201, made.get_json()
    return api(OTHER_VILLAGE)


def _guess(birth: str) -> str:
    return resident_id("430104", birth, 21)


def _children(db_session, name):
    return db_session.scalar(select(func.count()).select_from(Child).where(Child.name == name))


def test_registering_guessed_numbers_is_refused_alike_past_the_allowance(setup, api, db_session):
    attacker = setup
    body = {**ENTRY, "region": "430104002001", "name": "试探"}
    for _ in range(2):  # within the allowance a registered number is refused, pointing at the county
        answer = attacker.post("/children", {**body, "id_number": HIDDEN})
        assert answer.status_code == 409 and "请联系县级民政部门" in answer.get_json()["error"]
    past = attacker.post("/children", {**body, "id_number": HIDDEN})
    wrong = attacker.post("/children", {**body, "id_number": _guess("2014-06-10")})
    assert past.status_code == wrong.status_code == 403
    assert past.get_json()["error"] == wrong.get_json()["error"] and "已达上限" in past.get_json()["error"]
    assert _children(db_session, "试探") == 0  # the wrong guess left no junk child either
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "registry.identity_probe")).all()
    assert [e.detail["refused"] for e in entries] == [False, False, True]
    [notice] = db_session.scalars(select(Notification).where(Notification.kind == "identity_probe")).all()
    assert (notice.department, notice.office_region) == ("civil_affairs", "430104000000")
    assert OTHER_VILLAGE in notice.message
    told = [n for n in api("civil_affairs.430104000000").get("/notifications").get_json() if n["kind"] == "identity_probe"]
    assert len(told) == 1  # the county's civil affairs sees it in its notices
    # the child's own village sees the number: its duplicate is refused as before, never counted or held
    for _ in range(3):
        again = api(VILLAGE).post("/children", {**ENTRY, "id_number": HIDDEN})
        assert again.status_code == 409 and "请查找该儿童" in again.get_json()["error"]
    fresh = api(VILLAGE).post("/children", {**ENTRY, "id_number": _guess("2013-01-01"), "name": "新生"})
    assert fresh.status_code == 201


def test_an_import_counts_each_revealing_row_and_then_tells_nothing(setup, client, db_session):
    attacker = setup
    post = lambda text: client.post("/api/v1/children/import", data=text.encode(), headers={  # noqa: E731
        **attacker.headers, "Content-Type": "text/csv"})
    guesses = [("2014-06-08", _guess("2014-06-08")), ("2014-06-09", HIDDEN), ("2014-06-10", _guess("2014-06-10"))]
    file = HEADER + "".join(f"{n},试探,male,{b},430104002001,left_behind\n" for b, n in guesses)
    first = post(file).get_json()
    assert [(e["row"], e["field"]) for e in first["errors"]] == [(3, "region")]  # the registered guess shows
    assert "请联系县级民政部门" in first["errors"][0]["message"]
    second = post(file).get_json()
    assert [(e["row"], e["field"]) for e in second["errors"]] == [(3, "region")]
    third = post(file)
    assert third.status_code == 422
    errors = third.get_json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "id_number"), (3, "id_number"), (4, "id_number")]
    assert len({e["message"] for e in errors}) == 1 and "已达上限" in errors[0]["message"]
    # held for the day: a file of one genuinely new child is refused the same way, nothing is imported
    alone = post(HEADER + f"{_guess('2012-03-03')},试探,male,2012-03-03,430104002001,left_behind\n").get_json()
    assert [e["message"] for e in alone["errors"]] == [errors[0]["message"]]
    assert _children(db_session, "试探") == 0
    assert db_session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind == "identity_probe")) == 1


def test_the_web_import_of_a_held_official_says_the_same(setup, browser, db_session):
    file = HEADER + f"{HIDDEN},试探,male,2014-06-09,430104002001,left_behind\n"
    browser.sign_in(OTHER_VILLAGE)
    for _ in range(2):
        page = browser.post("/children/import", {"file": (io.BytesIO(file.encode()), "list.csv")},
                            content_type="multipart/form-data")
        assert page.status_code == 422 and "请联系县级民政部门" in page.get_data(as_text=True)
    page = browser.post("/children/import", {"file": (io.BytesIO(file.encode()), "list.csv")},
                        content_type="multipart/form-data")
    assert page.status_code == 422 and "已达上限" in page.get_data(as_text=True)
    assert "与名册登记的住所地不符" not in page.get_data(as_text=True)
    assert _children(db_session, "试探") == 0
