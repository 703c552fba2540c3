"""A consenting guardian is a party to the five-party agreement: the village records the
guardian's ID number and address with the consent, and the agreement prints them."""

from tests.helpers import GUARDIAN, capacity_assessment, only_task, start_entrustment_case
from webapp.models import Case
from webapp.services import filing

VILLAGE, TOWNSHIP, CIVIL = "village.430104001001", "township.430104001000", "civil_affairs.430104000000"
INVESTIGATION = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈多病",
                 "income": "低保", "living_conditions": "祖孙二人同住"}


def complete(api, username, name, data):
    return api(username).post(f"/tasks/{only_task(api(username), name)['id']}/complete", {"data": data})


def at_consent(api, start_data) -> int:
    case_id = start_entrustment_case(api, start_data)["id"]
    assert complete(api, TOWNSHIP, "township_home_investigation", INVESTIGATION).status_code == 200
    assert complete(api, CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足")).status_code == 200
    return case_id


def test_consent_needs_the_guardians_id_number_and_address_and_the_parties_table_prints_them(api, start_data,
                                                                                           db_session):
    case_id = at_consent(api, start_data)
    missing = complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, "consent_note": "同意"})
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]) == {"guardian_id_number", "guardian_address"}
    wrong = complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, "consent_note": "同意",
                                                               "guardian_id_number": "430104195803150024",
                                                               "guardian_address": "  "})
    assert wrong.status_code == 422 and set(wrong.get_json()["errors"]) == {"guardian_id_number", "guardian_address"}
    assert "公民身份号码" in wrong.get_json()["errors"]["guardian_id_number"]
    done = complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN,
                                                              "consent_note": "同意"})
    assert done.status_code == 200, done.get_json()
    db_session.expire_all()
    guardian = next(p for p in filing.parties_of(db_session, db_session.get(Case, case_id), "五方委托照护协议")
                    if p.role == "监护人")
    assert (guardian.name, guardian.id_number, guardian.address) == (
        "王秀英", GUARDIAN["guardian_id_number"], GUARDIAN["guardian_address"])


def test_a_refusal_asks_no_id_number(api, start_data):
    at_consent(api, start_data)
    refused = complete(api, VILLAGE, "record_guardian_consent", {"guardian_consents": False, "child_in_danger": False,
                                                                 "consent_note": "祖母不同意"})
    assert refused.status_code == 200, refused.get_json()


def test_the_consent_page_asks_for_them(api, browser, start_data):
    at_consent(api, start_data)
    browser.sign_in(VILLAGE)
    page = browser.get(f"/tasks/{only_task(api(VILLAGE), 'record_guardian_consent')['id']}").get_data(as_text=True)
    assert "监护人公民身份号码" in page and "监护人住址" in page
