"""A collaboration of two pools that exchange messages is one procedure (issue 18): one case,
each pool's tasks routed by its own lanes, the messages between them delivered inside the case
and never from outside; a collaboration nobody can open is refused by `check`."""
from sqlalchemy import select

from webapp.engine import Bundle
from webapp.models import Case, CaseFileEntry, ProcessDefinition
from webapp.services.checks import check_report

from .conftest import ADAPTED, all_forms
from .test_adapted import COUNTY, PLACE, VILLAGE, complete, open_tasks, start

COLLAB = (ADAPTED / "compat_collab.bpmn").read_text(encoding="utf-8")


def test_the_two_pools_deploy_as_one_procedure_not_two(adapted):
    with adapted.extensions["tonghu.sessionmaker"]() as s:
        ids = set(s.scalars(select(ProcessDefinition.process_id)))
    assert "compat_collab" in ids
    assert not ids & {"compat_collab_village", "compat_collab_county"}  # not unrelated procedures
    bundle = Bundle({"compat_collab.bpmn": COLLAB})
    info = bundle.processes["compat_collab"]
    assert info.name == "村与县协作转介（兼容性测试）" and info.start_form == "entrustment_care_start.json"
    assert info.participants == ("compat_collab_village", "compat_collab_county")
    assert bundle.start_lane("compat_collab").department == "village"


def test_the_pools_talk_by_message_inside_one_case_through_the_api(adapted, api, browser):
    app = adapted
    answer = start(api, "compat_collab")
    assert answer.status_code == 201, answer.get_json()
    case_id = answer.get_json()["id"]
    assert open_tasks(app, case_id) == [("file_referral", "village", PLACE)]
    body = complete(api, VILLAGE, case_id, "file_referral", {"note": "需要转介"})
    # The village pool's message opened the county pool in the same case: its task is the county's.
    assert open_tasks(app, case_id) == [("decide", "civil_affairs", "430104000000")]
    assert body["waiting"] == [{"kind": "message", "name": "referral_answer", "title": "等待县民政答复"}]

    # The answer comes from the county's pool, not from outside, whoever asks.
    path = f"/instances/{case_id}/messages"
    refused = api(VILLAGE).post(path, {"name": "referral_answer", "data": {"signed": True, "note": "伪造"}})
    assert refused.status_code == 409 and "本流程自己的步骤发出" in refused.get_json()["error"]
    assert open_tasks(app, case_id) == [("decide", "civil_affairs", "430104000000")]  # nothing moved

    # The case page and its diagram show both pools, the county's task open.
    browser.sign_in(COUNTY)
    assert "等待消息：referral_answer" in browser.get(f"/cases/{case_id}").get_data(as_text=True)
    drawn = browser.get(f"/cases/{case_id}/diagram.json")
    assert drawn.status_code == 200, drawn.get_data(as_text=True)[:300]
    diagram = drawn.get_json()["diagrams"][0]
    assert {"compat_collab_village", "compat_collab_county"} <= set(diagram["processes"])
    assert [t["id"] for t in diagram["open"]] == ["decide"] and "file_referral" in diagram["completed"]

    complete(api, COUNTY, case_id, "decide", {"signed": True})
    assert open_tasks(app, case_id) == [("inform_family", "village", PLACE)]
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, case_id)
        # what the county pool sent landed in the village pool's messageVariable
        task_data = app.extensions["tonghu.engine"].loads(case.workflow_json)
        answers = [t.data.get("answer") for t in task_data.get_tasks() if t.task_spec.bpmn_id == "inform_family"]
    assert answers == [{"signed": True, "note": "需要转介"}]
    body = complete(api, VILLAGE, case_id, "inform_family", {})
    assert body["status"] == "completed" and body["end_event"] == "v_end"
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert s.scalars(select(Case.id).where(Case.definition.has(process_id="compat_collab"))).all() == [case_id]
        assert s.scalars(select(CaseFileEntry.id).where(CaseFileEntry.case_id == case_id)).all()


def test_a_collaboration_nobody_can_open_is_a_check_problem():
    # the village pool now also waits for a message before it starts
    text = COLLAB.replace('<bpmn:startEvent id="v_start" name="立案">',
                          '<bpmn:startEvent id="v_start" name="立案"><bpmn:messageEventDefinition id="v_start_def" messageRef="msg_answer"/>')
    report = check_report({"compat_collab.bpmn": text}, all_forms())
    messages = [str(p) for p in report.problems]
    assert any("[compat_collab]" in m and "没有可以立案的泳池" in m for m in messages), messages


def test_pools_that_exchange_nothing_stay_separate_procedures():
    text = COLLAB.replace('<bpmn:messageFlow id="flow_referral" name="转介" sourceRef="send_referral" targetRef="receive_referral"/>', "")
    text = text.replace('<bpmn:messageFlow id="flow_answer" name="答复" sourceRef="send_answer" targetRef="await_answer"/>', "")
    bundle = Bundle({"compat_collab.bpmn": text})
    assert "compat_collab" not in bundle.processes
    assert sorted(p.id for p in bundle.top_level_processes()) == ["compat_collab_county", "compat_collab_village"]
