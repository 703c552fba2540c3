"""Impossible data is refused with a Chinese message beside the field, and nothing is saved:
resident ID numbers (GB 11643), birth dates, event dates against the child's birth and today,
an agreement that ends before it starts, a study that ends before enrolment."""
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.helpers import CHOOSE_WELFARE, GUARDIAN, agreement_draft, capacity_assessment, only_task, resident_id, start_entrustment_case
from tests.steps.entrustment_steps import SIGNERS
from webapp.engine.clock import LOCAL_TZ
from webapp.models import Case, CaseFileEntry, Child
from webapp.services import designs, forms
from webapp.services.errors import Invalid
from webapp.services.plausibility import keyword_problems

FORMS = Path(__file__).resolve().parent.parent / "forms"
VILLAGE, TOWNSHIP, CIVIL = "village.430104001001", "township.430104001000", "civil_affairs.430104000000"
TODAY = date(2026, 11, 20)
CONTEXT = forms.Context(today=TODAY, birth_date=date(2015, 1, 1))


def form(name: str) -> dict:
    return json.loads((FORMS / f"{name}.json").read_text(encoding="utf-8"))


def errors_of(schema: dict, data: dict, context=CONTEXT) -> dict:
    try:
        forms.validate(schema, data, context=context)
    except Invalid as err:
        return err.errors
    return {}


def pin(clock, day: date):
    clock.offset = datetime.combine(day, datetime.min.time().replace(hour=9), LOCAL_TZ) - datetime.now(timezone.utc)


def start(child: dict) -> dict:
    return {"child": {"name": "小明", **child}, "category": "de_facto_unsupported", "reason": "无人照料", "discovered_by": "other"}


MING = {"id_number": resident_id("430104", "2015-01-01", 1), "birth_date": "2015-01-01", "gender": "male"}


# -- the service: every rule, its message and its field -------------------------------------------
def test_a_valid_child_passes_every_start_form():
    for name in ("entrustment_care_start", "psych_referral_start", "revocation_start", "resettlement_start", "visit_start"):
        child_errors = {k: v for k, v in errors_of(form(name), start(MING)).items() if k.startswith("child.")}
        assert child_errors == {}, name


@pytest.mark.parametrize("id_number, message", [
    (MING["id_number"][:-1] + ("0" if MING["id_number"][-1] != "0" else "1"), "公民身份号码校验码不正确，请核对号码"),
    ("430104201502300016", "公民身份号码校验码不正确，请核对号码"),
])
def test_a_wrong_check_digit_is_refused(id_number, message):
    assert errors_of(form("entrustment_care_start"), start({**MING, "id_number": id_number})) == {"child.id_number": message}


def test_an_id_number_with_an_impossible_birth_date_is_refused():
    body = "43010420150230001"  # 30 February
    number = body + __import__("stdnum.cn.ric", fromlist=["ric"]).calc_check_digit(body + "0")
    assert errors_of(form("entrustment_care_start"), start({**MING, "id_number": number})) == {
        "child.id_number": "公民身份号码中的出生日期不存在，请核对号码"}


def test_the_id_number_must_agree_with_the_birth_date_and_sex_given():
    errors = errors_of(form("entrustment_care_start"), start({**MING, "birth_date": "2016-01-01", "gender": "female"}))
    assert errors == {"child.id_number": "公民身份号码与所填信息不符：号码中的出生日期为 2015-01-01，与填写的 2016-01-01 不一致；"
                                         "号码表示的性别为男，与填写的“女”不一致"}
    assert errors_of(form("entrustment_care_start"), start({**MING, "gender": "female"}))["child.id_number"].endswith(
        "号码表示的性别为男，与填写的“女”不一致")
    # a lower-case x is the same check digit
    number = next(resident_id("430104", "2015-01-01", n) for n in range(1, 999, 2) if resident_id("430104", "2015-01-01", n).endswith("X"))
    assert errors_of(form("entrustment_care_start"), start({**MING, "id_number": number.lower()})) == {}


def test_a_birth_date_in_the_future_or_18_years_back_is_refused():
    schema = form("entrustment_care_start")
    future = {**MING, "birth_date": "2026-11-21", "id_number": resident_id("430104", "2026-11-21", 1)}
    assert errors_of(schema, start(future)) == {"child.birth_date": "日期不能晚于今天"}
    adult = {**MING, "birth_date": "2008-11-20", "id_number": resident_id("430104", "2008-11-20", 1)}
    assert errors_of(schema, start(adult)) == {"child.birth_date": "儿童已年满 18 周岁，不属于本程序的对象，请核对出生日期"}
    almost = {**MING, "birth_date": "2008-11-21", "id_number": resident_id("430104", "2008-11-21", 1)}
    assert errors_of(schema, start(almost)) == {}


def test_a_signature_more_than_the_margin_ahead_or_before_birth_is_refused():
    schema = form("sign_agreement")
    sign = {"signed": True, "signatory": "王秀英"}
    assert errors_of(schema, {**sign, "signed_on": "2099-01-01"}) == {"signed_on": "日期不能晚于今天之后 30 天（2026-12-20）"}
    assert errors_of(schema, {**sign, "signed_on": "2026-12-20"}) == {}
    assert errors_of(schema, {**sign, "signed_on": "2014-12-31"}) == {"signed_on": "日期不能早于儿童出生日期（2015-01-01）"}
    strict = forms.Context(today=TODAY, birth_date=date(2015, 1, 1), future_margin_days=0)
    assert errors_of(schema, {**sign, "signed_on": "2026-11-21"}, strict) == {"signed_on": "日期不能晚于今天"}


def test_admission_and_visit_dates_are_bounded_too():
    assert errors_of(form("admit_child"), {"admitted_on": "2001-03-01", "care_plan": "日常照料"}) == {
        "admitted_on": "日期不能早于儿童出生日期（2015-01-01）"}
    visit = {"visit_method": "home_visit", "findings": "良好", "carer_status": "adequate"}
    assert errors_of(form("visit_record"), {**visit, "visited_on": "2027-06-01"}) == {
        "visited_on": "日期不能晚于今天之后 30 天（2026-12-20）"}


def test_an_agreement_cannot_end_before_it_starts():
    draft = agreement_draft(start_date="2026-11-01")
    assert errors_of(form("draft_agreement"), {**draft, "term_until": "2026-11-19"}) == {
        "term_until": "日期不能早于今天（2026-11-20）"}
    assert errors_of(form("draft_agreement"), {**draft, "term_until": "2033-01-01"}) == {}
    assert errors_of(form("draft_agreement"), {**draft, "start_date": "2034-01-01", "term_until": "2033-01-01"}) == {
        "term_until": "应晚于协议起始日期（2034-01-01）"}


def test_a_study_cannot_end_before_enrolment():
    check = {"in_school": True, "enrolment_proof": "在学证明 2050-017"}
    schema = form("resettlement_enrolment_check")
    context = forms.Context(today=date(2050, 9, 1), birth_date=date(2032, 9, 15))
    assert errors_of(schema, {**check, "enrolment_proof_date": "2050-09-01", "study_end_date": "2050-09-01"}, context) == {
        "study_end_date": "应晚于在学证明开具日期（2050-09-01）"}
    assert errors_of(schema, {**check, "enrolment_proof_date": "2050-09-01", "study_end_date": "2053-06-30"}, context) == {}


def test_a_designers_new_form_carries_the_keywords_and_the_editor_accepts_them():
    schema = {"type": "object", "title": "试用期协议", "properties": {
        "start_date": {"type": "string", "title": "开始日期", "format": "date", "x-not-before-birth": True},
        "end_date": {"type": "string", "title": "结束日期", "format": "date", "x-after": "start_date"},
        "met_on": {"type": "string", "title": "会面日期", "format": "date", "x-not-future": 3},
        "carer_id": {"type": "string", "title": "照护人身份号码", "format": "cn-resident-id"},
    }}
    _, problems = designs.form_problems("trial_agreement.json", json.dumps(schema, ensure_ascii=False))
    assert problems == []
    errors = errors_of(schema, {"start_date": "2027-01-01", "end_date": "2026-12-31", "met_on": "2026-11-24",
                                "carer_id": "110101199003070000"})
    assert errors == {"end_date": "应晚于开始日期（2027-01-01）", "met_on": "日期不能晚于今天之后 3 天（2026-11-23）",
                      "carer_id": "公民身份号码校验码不正确，请核对号码"}


def test_rules_without_their_inputs_stay_silent_and_leave_the_other_messages():
    schema = form("sign_agreement")
    assert errors_of(schema, {"signed": True, "signatory": "甲", "signed_on": "2099-01-01"}, forms.Context()) == {}
    assert errors_of(schema, {"signed": True, "signatory": "甲", "signed_on": "2099-13-01"}) == {
        "signed_on": "请输入有效日期（年-月-日）"}


# -- the API: 422 {"errors": {field: message}} and nothing saved ------------------------------------
def _counts(app):
    with app.extensions["tonghu.sessionmaker"]() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Case, Child, CaseFileEntry))


def test_the_api_refuses_an_impossible_child_and_saves_nothing(app, api, clock, start_data):
    pin(clock, TODAY)
    before = _counts(app)
    village = api(VILLAGE)
    bad = {**start_data, "child": {**start_data["child"], "birth_date": "2030-05-01"}}
    response = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": bad})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "child.birth_date": "日期不能晚于今天",
        "child.id_number": "公民身份号码与所填信息不符：号码中的出生日期为 2015-01-01，与填写的 2030-05-01 不一致"}
    wrong_digit = {**start_data, "child": {**start_data["child"], "id_number": "430104201501010011"}}
    response = village.post("/processes/entrustment_care/instances", {"region": "430104001001", "data": wrong_digit})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"child.id_number": "公民身份号码校验码不正确，请核对号码"}
    assert _counts(app) == before


def test_the_api_refuses_a_past_term_and_a_signature_in_2099_and_the_case_stays_as_it_was(app, api, clock, start_data):
    pin(clock, TODAY)
    case = start_entrustment_case(api, start_data)
    steps = [(TOWNSHIP, "township_home_investigation", {"guardian_name": "王秀英", "guardian_relation": "grandparent",
                                                         "health": "年迈", "income": "低保", "living_conditions": "祖孙同住"}),
             (CIVIL, "assess_capacity", capacity_assessment("insufficient", "不足")),
             (VILLAGE, "record_guardian_consent", {"guardian_consents": True, **GUARDIAN, "consent_note": "同意"}),
             (CIVIL, "choose_institution", CHOOSE_WELFARE)]
    for username, name, data in steps:
        client = api(username)
        assert client.post(f"/tasks/{only_task(client, name)['id']}/complete", {"data": data}).status_code == 200
    civil = api(CIVIL)
    draft = agreement_draft(start_date="2019-06-01", term_until="2020-01-01")
    task = only_task(civil, "draft_agreement")
    before = civil.get(f"/instances/{case['id']}").get_json()
    response = civil.post(f"/tasks/{task['id']}/complete", {"data": draft})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"term_until": "日期不能早于今天（2026-11-20）"}
    assert civil.get(f"/instances/{case['id']}").get_json() == before
    assert civil.post(f"/tasks/{task['id']}/complete", {"data": {**draft, "term_until": "2033-01-01"}}).status_code == 200

    username, signatory = SIGNERS["sign_guardian"]
    village = api(username)
    task = only_task(village, "sign_guardian")
    before = village.get(f"/instances/{case['id']}").get_json()
    for signed_on, message in (("2099-01-01", "日期不能晚于今天之后 30 天（2026-12-20）"),
                               ("2014-06-01", "日期不能早于儿童出生日期（2015-01-01）")):
        response = village.post(f"/tasks/{task['id']}/complete",
                                {"data": {"signed": True, "signatory": signatory, "signed_on": signed_on}})
        assert response.status_code == 422
        assert response.get_json() == {**response.get_json(), "errors": {"signed_on": message}}
    assert village.get(f"/instances/{case['id']}").get_json() == before
    assert only_task(village, "sign_guardian")["id"] == task["id"]


def test_the_start_page_shows_the_id_message_beside_the_field(app, browser, clock):
    pin(clock, TODAY)
    before = _counts(app)
    browser.sign_in(VILLAGE)
    browser.get("/cases/new?process=entrustment_care")
    page = browser.post("/cases/new", {
        "process": "entrustment_care", "region": "430104001001", "child.name": "小明",
        "child.id_number": "430104201501010011", "child.birth_date": "2015-01-01", "child.gender": "male",
        "category": "de_facto_unsupported", "reason": "无人照料", "discovered_by": "other"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert re.search(r'data-field="child.id_number">.*?value="430104201501010011".*?公民身份号码校验码不正确', text, re.S)
    assert _counts(app) == before


def test_the_form_editor_names_a_misused_keyword():
    schema = {"type": "object", "properties": {
        "end_date": {"type": "string", "title": "结束日期", "format": "date", "x-after": "begin"},
        "met_on": {"type": "string", "title": "会面日期", "format": "date", "x-not-future": -2}}}
    _, problems = designs.form_problems("trial.json", json.dumps(schema))
    assert problems == ["字段 end_date 的 x-after 须指向同一层的另一字段，找不到“begin”",
                        "字段 met_on 的 x-not-future 应为 true（按部署设置的天数）或不小于 0 的天数"]


def test_odd_values_get_messages_never_an_exception():
    schema = form("entrustment_care_start")
    odd = start({"id_number": MING["id_number"], "birth_date": ["2015-01-01"], "gender": ["male"]})
    assert errors_of(schema, odd) == {"child.birth_date": "请填写文字", "child.gender": "请填写文字"}
    only_format = {"type": "object", "properties": {"n": {"type": "string", "format": "cn-resident-id"}}}
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in MING["id_number"])
    for number in (fullwidth, " " + MING["id_number"], MING["id_number"][:-1]):
        assert errors_of(only_format, {"n": number}) == {"n": "公民身份号码应为 18 位：17 位数字加 1 位校验码（数字或 X）"}
    absurd = {"type": "object", "properties": {
        "a": {"type": "string", "x-not-future": 10 ** 12, "x-max-age-years": 10 ** 9, "x-after": ["b"]},
        "i": {"type": "string", "x-id-matches": {"birth_date": ["a"], "gender": {"x": 1}}}}}
    assert errors_of(absurd, {"a": "2026-01-01", "i": MING["id_number"]}) == {}


def test_a_backtracking_pattern_cannot_hang_the_form_check():
    """A designer's `^(a|a)+$` takes Python's `re` minutes on 40 characters; forms run patterns with RE2."""
    import time
    schema = {"type": "object", "properties": {"guardian_name": {"type": "string", "pattern": "^(a|a)+$"}}}
    started = time.monotonic()
    assert "guardian_name" in errors_of(schema, {"guardian_name": "a" * 5000 + "!"})
    assert errors_of(schema, {"guardian_name": "a" * 5000}) == {}
    assert time.monotonic() - started < 1


def test_the_designer_refuses_a_pattern_the_forms_cannot_run():
    schema = {"title": "试", "type": "object", "properties": {"code": {"type": "string", "title": "编号", "pattern": r"(a)\1"}}}
    _, problems = designs.form_problems("trial.json", json.dumps(schema))
    assert any("pattern 只能用 RE2" in p for p in problems), problems


@pytest.mark.parametrize("name", ["   ", "\u3000\u3000", "\u200b", "\ufeff "])
def test_a_child_name_of_blanks_only_is_refused(name):
    errors = errors_of(form("entrustment_care_start"), start({**MING, "name": name}))
    assert errors.get("child.name") == "格式不正确", errors
    assert "child.name" not in errors_of(form("entrustment_care_start"), start({**MING, "name": f"{name}小明"}))


def test_the_reassessment_date_is_within_two_years_and_not_past():
    """hunan §六.3: the capacity is reassessed at least every two years (ordinary_support)."""
    schema, base = form("ordinary_support"), {"support_measures": "每月走访"}
    assert errors_of(schema, {**base, "reassessment_date": "2028-11-20"}) == {}  # two years to the day
    assert errors_of(schema, {**base, "reassessment_date": "2028-11-21"}) == {
        "reassessment_date": "日期不能晚于今天起 2 年（2028-11-20）"}
    assert "早于今天" in errors_of(schema, {**base, "reassessment_date": "2026-11-19"})["reassessment_date"]
    leap = forms.Context(today=date(2028, 2, 29))
    assert errors_of(schema, {**base, "reassessment_date": "2030-02-28"}, leap) == {}
    assert errors_of(schema, {**base, "reassessment_date": "2030-03-01"}, leap) != {}
    assert keyword_problems({"properties": {"d": {"type": "string", "x-within-years": 0}}}) == [
        "字段 d 的 x-within-years 应为正整数（年）"]
