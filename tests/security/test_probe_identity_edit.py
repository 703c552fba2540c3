"""Attacker's probe (session 5): a registry keeper who sees the ID number masked (the township, a city
office) could read the hidden birth date off the edit's answer. `PATCH /children/{id}` with any wrong
birth date answered 「与公民身份号码中的出生日期（2015-01-01）不符」, the date itself; with the right one
200, so even without the date the answer was a yes/no oracle (at most 366 guesses, the age being shown),
and a guessed full number was told apart the same way. Such a caller may not send the hidden parts of
an identity already registered: one refusal, whatever the value, nothing saved, nothing said."""
import pytest
from sqlalchemy import select

from webapp.models import Child, RegistryChange

from .test_probe_id_search import CITY, COUNTY, NUMBER, TOWNSHIP, VILLAGE, child_id  # noqa: F401 (fixture)

GUESSES = [{"birth_date": "2010-01-01"}, {"birth_date": "2015-01-01"}, {"id_number": "43010420100101001X"},
           {"id_number": NUMBER}, {"birth_date": "2015-01-01", "id_number": NUMBER, "name": "小明"}]


def patch(api, who, child_id, body):
    client = api(who)
    return client.client.patch(f"/api/v1/children/{child_id}", headers=client.headers, json=body)


@pytest.mark.parametrize("who", [TOWNSHIP, CITY])
def test_a_masked_keeper_gets_one_answer_whatever_the_guess(api, db_session, child_id, who):
    answers = set()
    for guess in GUESSES:
        response = patch(api, who, child_id, {**guess, "description": "核对"})
        assert response.status_code == 422, (guess, response.get_json())
        body = response.get_json()
        assert "2015-01-01" not in response.get_data(as_text=True) and NUMBER not in response.get_data(as_text=True)
        answers.add(tuple(sorted((k, v) for k, v in body["errors"].items() if k in ("birth_date", "id_number"))
                          ) if set(guess) == {"birth_date"} else None)
        assert set(body["errors"]) == set(guess) & {"birth_date", "id_number"}, body
    assert len(answers - {None}) == 1  # the right and the wrong birth date get the same words
    db_session.expire_all()
    assert db_session.get(Child, child_id).description is None  # nothing of a refused edit is kept
    assert db_session.scalars(select(RegistryChange).where(RegistryChange.child_id == child_id)).all()[-1].kind == "register"
    # the rest of the entry stays theirs to keep
    assert patch(api, who, child_id, {"description": "家中无人照料"}).status_code == 200


def test_the_web_form_refuses_a_posted_birth_date_the_same_way(browser, db_session, child_id):
    browser.sign_in(TOWNSHIP)
    page = browser.get(f"/children/{child_id}/edit").get_data(as_text=True)
    assert "2015-01-01" not in page
    for guess in ("2010-01-01", "2015-01-01"):
        response = browser.post(f"/children/{child_id}/edit", {"name": "小明", "region": "430104001001",
                                                                "categories": "left_behind", "birth_date": guess})
        assert response.status_code == 422 and "2015-01-01" not in response.get_data(as_text=True), guess


@pytest.mark.parametrize("who", [VILLAGE, COUNTY])
def test_those_who_see_the_identity_still_correct_it(api, child_id, who):
    wrong = patch(api, who, child_id, {"birth_date": "2010-01-01"})
    assert wrong.status_code == 422 and "2015-01-01" in wrong.get_json()["errors"]["birth_date"]
    assert patch(api, who, child_id, {"birth_date": "2015-01-01", "description": "核对无误"}).status_code == 200
