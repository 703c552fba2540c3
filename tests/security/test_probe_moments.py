"""Attacker's probe (session 5): a date-time whose Beijing date does not exist. `9999-12-31T23:00:00-10:00`
and `0001-01-01T00:30:00+14:00` are well-formed RFC 3339, but in Beijing time they fall in year 10000 and
year 0: the date rules (`x-not-future`…) converted them and raised OverflowError, so the police's
「受理并处置强制报告」 answered 500 over the API. Now refused like any other impossible moment (422, in
Chinese, beside the field), the task still open."""
import pytest

from tests.helpers import only_task
from tests.test_revocation import POLICE, POLICE_HANDLING, report  # noqa: F401 (fixture)
from webapp.services import forms
from webapp.services.errors import Invalid
from webapp.services.moments import as_date, beijing_input

from tests.test_form_moments import NOON_20TH, SCHEMA

EDGES = ["9999-12-31T23:00:00-10:00", "0001-01-01T00:30:00+14:00"]


@pytest.mark.parametrize("value", EDGES)
def test_a_moment_without_a_beijing_date_is_refused_in_chinese(value):
    with pytest.raises(Invalid) as refused:
        forms.validate(SCHEMA, {"accepted_at": value}, context=NOON_20TH)
    assert "日期和时间" in refused.value.errors["accepted_at"]
    assert as_date(value) is None and beijing_input(value) is None


def test_the_police_task_answers_422_and_stays_open(api, report):  # noqa: F811
    police = api(POLICE)
    task = only_task(police, "police_handle_report")
    for value in EDGES:
        response = police.post(f"/tasks/{task['id']}/complete", {"data": {**POLICE_HANDLING, "accepted_at": value}})
        assert response.status_code == 422 and response.is_json, (value, response.status_code)
        assert "日期和时间" in response.get_json()["errors"]["accepted_at"]
    assert only_task(police, "police_handle_report")["id"] == task["id"]
    done = police.post(f"/tasks/{task['id']}/complete", {"data": POLICE_HANDLING})
    assert done.status_code == 200, done.get_json()
