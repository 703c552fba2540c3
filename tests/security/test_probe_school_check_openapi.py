"""Attacker's probe (session 5, schemathesis against the school checks as the education bureau): the
OpenAPI document promises every `GET /school-checks/{id}` a `findings` key (the record to the child's
school, null to everyone else), but the bureau's answer left the key out, so a client generated from
the document failed on it. The bureau now gets `"findings": null`, never the record."""
from tests.helpers import run_due
from tests.test_school_checks import BUREAU, NORMAL, SCHOOL, at, check_id, register


def test_the_bureau_gets_findings_null_and_the_school_its_record(app, api, clock):
    at(clock, "2027-09-01")
    pupil = register(app, "小禾")
    run_due(app)
    cid = check_id(app, pupil)
    assert api(SCHOOL).post(f"/school-checks/{cid}/complete", {"data": NORMAL}).status_code == 200
    bureau = api(BUREAU).get(f"/school-checks/{cid}")
    assert bureau.status_code == 200
    body = bureau.get_json()
    assert "findings" in body and body["findings"] is None and body["may_record"] is False, body
    assert NORMAL["observation"] not in bureau.get_data(as_text=True)
    assert api(SCHOOL).get(f"/school-checks/{cid}").get_json()["findings"]["observation"] == NORMAL["observation"]
