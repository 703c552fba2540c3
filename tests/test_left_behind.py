"""Left-behind children entrusted to a person (issue 16.2): handler, service, API and web.

The scenarios (features/left_behind_entrustment.feature) walk the paths; these tests pin what a
user would notice at the edges: when an agreement ends, what is refused and how, who may open
what, and that the filed 委托照护协议书 escapes what people typed.
"""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from handlers.left_behind import TERM_ENDED, TURNED_18, agreement_end
from handlers.registry import HandlerContext, HandlerError, dispatch
from tests.steps.left_behind_steps import agreement
from webapp.engine.clock import LOCAL_TZ
from webapp.models import Case, MonitoringPlan
from webapp.services import scheduler

VILLAGE = "village.430104001001"
REGION = "430104001001"
CHILD = {"name": "小军", "id_number": "430104201506010014", "birth_date": "2015-06-01", "gender": "male"}
START = {"child": CHILD, "situation": "both_away", "parents_away_since": "2026-09-01",
         "reason": "父母在广东务工，拟委托祖母照护", "discovered_by": "monthly_contact"}
TODAY = datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def pinned(clock):
    clock.travel_to(TODAY)


def nested(flat: dict) -> dict:
    """The scenario step's dotted table as the JSON an API client sends (booleans as booleans)."""
    data: dict = {}
    for key, value in flat.items():
        target = data
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = {"true": True, "false": False}.get(value, value)
    return data


def start(api, data=None) -> dict:
    response = api(VILLAGE).post("/processes/left_behind_entrustment/instances", {"region": REGION, "data": data or START})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_task(api, username, name) -> dict:
    tasks = [t for t in api(username).get("/tasks").get_json() if t["name"] == name]
    assert len(tasks) == 1, (name, tasks)
    return tasks[0]


# -- when an agreement ends -------------------------------------------------------------------------
def test_the_agreement_ends_after_its_last_day_or_at_18_whichever_comes_first():
    assert agreement_end("2015-06-01", "2027-11-19") == (datetime(2027, 11, 20, tzinfo=LOCAL_TZ), TERM_ENDED)
    assert agreement_end("2009-03-01", "2027-11-19") == (datetime(2027, 3, 1, tzinfo=LOCAL_TZ), TURNED_18)
    # the term's last day is the day before the birthday: the same moment, and the child's age is the reason
    assert agreement_end("2009-11-20", "2027-11-19") == (datetime(2027, 11, 20, tzinfo=LOCAL_TZ), TURNED_18)
    assert agreement_end("2008-02-29", "2030-01-01")[0] == datetime(2026, 3, 1, tzinfo=LOCAL_TZ)


def test_the_letter_is_refused_until_the_agreement_is_filled_in():
    ctx = HandlerContext(1, REGION, "left_behind_entrustment", "生成委托照护协议书", {"child": CHILD}, TODAY)
    with pytest.raises(HandlerError) as refused:
        dispatch("generate_entrustment_letter", ctx, {})
    assert "委托人" in refused.value.message and "被委托人" in refused.value.message
    assert ctx.documents == []


# -- the API ---------------------------------------------------------------------------------------------
def test_the_agreement_through_the_api_refuses_what_the_law_forbids_and_files_the_letter(api, db_session):
    case = start(api)
    task = open_task(api, VILLAGE, "guide_agreement")
    assert task["office"] and open_task(api, VILLAGE, "guide_agreement")["department"] == "village"
    assert [t for t in api("civil_affairs.430104000000").get("/tasks").get_json() if t["instance_id"] == case["id"]] == []

    good = nested(agreement("王桂兰", "2026-11-20", "2027-11-19"))
    for broken, field in ((dict(good, carer_eligible=False), "carer_eligible"),       # 未成年人保护法 art. 22
                          (dict(good, ends_on="2026-11-01"), "ends_on"),              # before it starts
                          ({**good, "carer": {**good["carer"], "id_number": "430104195803150041"}}, "carer.id_number"),
                          ({k: v for k, v in good.items() if k != "contact_arrangement"}, "contact_arrangement")):
        answer = api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": broken})
        assert answer.status_code == 422, (field, answer.get_json())
        assert field in answer.get_json()["errors"], answer.get_json()
    assert db_session.scalars(select(MonitoringPlan)).all() == []  # nothing half-done

    good["carer"]["name"] = "王桂兰<script>alert(1)</script>"
    done = api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": good})
    assert done.status_code == 200, done.get_json()
    assert [t["name"] for t in done.get_json()["open_tasks"]] == ["register_termination"]
    plan = db_session.scalars(select(MonitoringPlan)).one()
    assert (plan.kind, plan.process_id, plan.carer) == ("left_behind_visit", "left_behind_visit", good["carer"]["name"])
    assert plan.next_due.astimezone(LOCAL_TZ).date().isoformat() == "2027-02-20"  # every three months (hubei 二.16)
    child = api(VILLAGE).get(f"/children/{db_session.get(Case, case['id']).child_id}").get_json()
    assert any(e["title"] == "委托照护协议书" for e in child["entries"])


def test_the_visit_is_opened_by_the_plan_never_by_hand(api):
    answer = api(VILLAGE).post("/processes/left_behind_visit/instances",
                               {"region": REGION, "data": {"child": CHILD, "carer": "王桂兰"}})
    assert answer.status_code == 403 and "移交" in answer.get_json()["error"]


def test_entrustment_care_refuses_a_left_behind_child_and_names_the_procedure_that_fits(api, start_data):
    form = api(VILLAGE).get("/processes/entrustment_care").get_json()["form"]
    assert form["properties"]["category"]["enum"] == ["scattered_orphan", "de_facto_unsupported"]
    assert form["x-see-also"][0]["process"] == "left_behind_entrustment"
    for category in ("left_behind", "other"):
        answer = api(VILLAGE).post("/processes/entrustment_care/instances",
                                   {"region": REGION, "data": {**start_data, "category": category}})
        assert answer.status_code == 422
        message = answer.get_json()["errors"]["category"]
        assert "散居孤儿和事实无人抚养儿童" in message and "留守儿童委托照护" in message
    assert api(VILLAGE).post("/processes/entrustment_care/instances",
                             {"region": REGION, "data": start_data}).status_code == 201


# -- the 18th birthday ends the agreement by itself ----------------------------------------------------
def test_an_agreement_running_past_the_18th_birthday_ends_on_it(app, api, db_session, clock):
    almost_adult = {**START, "child": {"name": "小兵", "id_number": "430104200903010013", "birth_date": "2009-03-01",
                                       "gender": "male"}}
    case = start(api, almost_adult)
    task = open_task(api, VILLAGE, "guide_agreement")
    done = api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": nested(agreement("王桂兰", "2026-11-20", "2027-11-19"))})
    assert done.status_code == 200, done.get_json()
    clock.travel_to(datetime(2027, 3, 1, 0, 0, tzinfo=LOCAL_TZ))
    scheduler.run_due_work(db_session, app.extensions["tonghu.engine"], clock.now())
    db_session.commit()
    ended = api(VILLAGE).get(f"/instances/{case['id']}").get_json()
    assert ended["status"] == "completed" and ended["open_tasks"] == []
    plan = db_session.scalars(select(MonitoringPlan)).one()
    db_session.refresh(plan)
    assert plan.status in ("closed", "ended") and "十八周岁" in plan.closed_reason


# -- the web UI ------------------------------------------------------------------------------------------
def test_the_start_page_links_the_left_behind_procedure_and_the_refusal_keeps_the_input(browser):
    browser.sign_in(VILLAGE)
    page = browser.get("/cases/new?process=entrustment_care").get_data(as_text=True)
    assert 'href="/cases/new?process=left_behind_entrustment"' in page
    assert "left_behind" not in re.findall(r'<select id="f-category".*?</select>', page, re.S)[0]
    answer = browser.post("/cases/new", {"process": "entrustment_care", "region": REGION, "child.name": "小明",
                                         "child.id_number": "430104201501010015", "child.birth_date": "2015-01-01",
                                         "child.gender": "male", "category": "left_behind", "reason": "父母外出务工",
                                         "discovered_by": "monthly_contact"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "请改为发起“留守儿童委托照护”" in text and "父母外出务工" in text
    offered = browser.get("/cases/new").get_data(as_text=True)
    assert "process=left_behind_entrustment" in offered and "process=left_behind_visit" not in offered


def test_the_filed_letter_shows_the_parties_and_escapes_what_was_typed(browser, api, db_session):
    case = start(api)
    task = open_task(api, VILLAGE, "guide_agreement")
    data = nested(agreement("王桂兰<b>", "2026-11-20", "2027-11-19"))
    assert api(VILLAGE).post(f"/tasks/{task['id']}/complete", {"data": data}).status_code == 200
    browser.sign_in(VILLAGE)
    page = browser.get(f"/cases/{case['id']}").get_data(as_text=True)
    link = re.search(rf'href="(/cases/{case["id"]}/documents/\d+)">委托照护协议书</a>', page)
    assert link, "no 委托照护协议书 on the case page"
    letter = browser.get(link.group(1)).get_data(as_text=True)
    for text in ("李强", "张丽", "43010419580315004X", "父母每周日晚视频通话", "2026-11-20", "2027-11-19", "王桂兰&lt;b&gt;"):
        assert text in letter, text
    assert "王桂兰<b>" not in letter


def test_the_designer_is_told_when_an_enum_message_has_no_choices_to_explain():
    from webapp.services.plausibility import keyword_problems
    assert keyword_problems({"properties": {"a": {"type": "string", "title": "甲", "x-enum-message": "只适用于……"}}}) == [
        "字段 a 的 x-enum-message 应为一段中文说明，且字段须有 enum 或 const"]
    assert keyword_problems({"properties": {"a": {"type": "string", "title": "甲", "enum": ["x"], "x-enum-message": " "}}})
    assert keyword_problems({"properties": {"a": {"type": "string", "title": "甲", "enum": ["x"], "x-enum-message": "说明"}}}) == []
