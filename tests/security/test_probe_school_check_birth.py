"""Attacker's probe (session 5): the school sees its pupils' ID numbers masked and their age, never the
birth date; but its yearly check's date carried `x-not-before-birth`, so recording it with a date before
the birth answered 「日期不能早于儿童出生日期（2015-06-01）」, the birth date itself, and a few dates either
side were a binary search for it even without the words. The check's own rule (not before the school
year began, not after today) already rules such dates out: every date before the year gets that one
answer, whatever the child's birth date, and nothing is recorded."""
from tests.helpers import run_due
from tests.test_school_checks import NORMAL, SCHOOL, at, check_id, register


def test_a_date_before_the_birth_says_nothing_of_the_birth_date(app, api, clock):
    at(clock, "2027-09-01")
    pupil = register(app, "小禾", birth="2015-06-01")
    run_due(app)
    cid = check_id(app, pupil)
    school = api(SCHOOL)
    assert "2015-06-01" not in school.get(f"/school-checks/{cid}").get_data(as_text=True)
    answers = set()
    for day in ("1900-01-01", "2015-05-31", "2015-06-01", "2015-06-02", "2027-08-31"):
        response = school.post(f"/school-checks/{cid}/complete", {"data": {**NORMAL, "checked_on": day}})
        assert response.status_code == 422, (day, response.get_json())
        assert "2015-06-01" not in response.get_data(as_text=True), day
        answers.add(response.get_json()["errors"]["checked_on"])
    assert len(answers) == 1, answers  # one answer before the school year, born then or not
    assert school.get(f"/school-checks/{cid}").get_json()["state"] == "open"
    done = school.post(f"/school-checks/{cid}/complete", {"data": NORMAL})
    assert done.status_code == 200, done.get_json()
