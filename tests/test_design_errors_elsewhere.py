"""A procedure's design failing anywhere but a task's completion: when a case is opened, when a
message arrives, when a timer fires or a scheduled job opens a case. A person gets 422
`engine_error` naming the element (the form kept, nothing saved); the scheduler puts the one
case in `error` with the design named, goes on with the others, and records the failure once."""
import json
from datetime import timedelta
from html import unescape
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from tests.compat.conftest import ADAPTED, adapted  # noqa: F401 - the adapted diagrams, for a message
from tests.conftest import START_DATA
from tests.helpers import run_due
from webapp import db, openapi
from webapp.models import AuditEntry, Case, ProcessDefinition, User
from webapp.services import cases, definitions, forms

FIXTURES = Path(__file__).parent / "fixtures"
VILLAGE, COUNTY, COURT = "village.430104001001", "civil_affairs.430104000000", "court.430104000000"
CALL = 'calledElement="guardianship_assessment">'
AT_START = {"division_by_zero": ("x = 1/0", "ZeroDivisionError"), "unknown_name": ("x = no_such_name + 1", "no_such_name")}


def put_version(s, process_id, files, forms_=None):
    """A new version of `process_id` with `files`, written without any check (as a broken
    diagram deployed before the checks existed)."""
    current = s.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                        .order_by(ProcessDefinition.version.desc())).first()
    files = {**current.files, **files}
    s.add(ProcessDefinition(process_id=process_id, version=current.version + 1, name=current.name, files=files,
                            forms=dict(forms_ or current.forms), start_form=current.start_form,
                            checksum=definitions._checksum(files, dict(current.forms)), deployed_at=current.deployed_at))
    s.commit()
    return current.version + 1


def break_start(s, script):
    xml = s.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == "entrustment_care")
                    .order_by(ProcessDefinition.version.desc())).first().files["entrustment_care.bpmn"]
    assert CALL in xml  # the first step after the start: a script before the assessment is called
    broken = xml.replace(CALL, CALL + "<bpmn:extensionElements><spiffworkflow:preScript>"
                         f"{script}</spiffworkflow:preScript></bpmn:extensionElements>", 1)
    return put_version(s, "entrustment_care", {"entrustment_care.bpmn": broken})


def design_errors(s):
    return s.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error").order_by(AuditEntry.id)).all()


@pytest.mark.parametrize("kind", AT_START)
def test_opening_a_case_on_a_broken_start_answers_engine_error_and_opens_nothing(app, api, db_session, start_data, kind):
    script, cause = AT_START[kind]
    version = break_start(db_session, script)
    before = db_session.scalar(select(func.count(Case.id)))

    response = api(VILLAGE).post("/processes/entrustment_care/instances", {"region": "430104001001", "data": start_data})

    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "engine_error" and body["element"] == "assess_guardianship", body
    assert body["process_id"] == "entrustment_care" and body["version"] == version
    assert "本次立案未保存" in body["error"] and "流程设计有误" in body["error"] and cause in body["error"]
    db_session.expire_all()
    assert db_session.scalar(select(func.count(Case.id))) == before
    schema = openapi.document(app.url_map)  # the answer is the documented one
    jsonschema.validate(body, {**schema["components"]["schemas"]["CompletionRefused"], "components": schema["components"]})
    refused = schema["paths"]["/processes/{process_id}/instances"]["post"]["responses"]["422"]
    assert refused["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CompletionRefused"}
    entry = design_errors(db_session)[-1]
    assert entry.username == VILLAGE and entry.detail["element"] == "assess_guardianship" and entry.detail["case"] is None


def test_the_start_form_is_kept_in_the_browser(app, browser, start_data):
    with app.app_context():
        break_start(db.session(), "x = 1/0")
    browser.sign_in(VILLAGE)
    child = start_data["child"]
    form = {"process": "entrustment_care", "region": "430104001001", "child.name": child["name"],
            "child.id_number": child["id_number"], "child.birth_date": child["birth_date"], "child.gender": child["gender"],
            "category": start_data["category"], "discovered_by": start_data["discovered_by"],
            "reason": "祖母年迈无力照护（第一次填写）"}
    page = browser.post("/cases/new", form)
    text = unescape(page.get_data(as_text=True))
    assert page.status_code == 422, text[:2000]
    assert "流程设计有误" in text and "请联系流程设计人员或系统管理员" in text
    assert "祖母年迈无力照护（第一次填写）" in text


# -- a message ---------------------------------------------------------------------------------
def test_a_signal_into_a_broken_step_answers_engine_error_and_changes_nothing(adapted, api):
    """(Messages and signals arrive through the same `messages.arrive`.)"""
    app = adapted
    with app.app_context():
        s = db.session()
        xml = (ADAPTED / "compat_events.bpmn").read_text(encoding="utf-8")
        assert "<bpmn:script>" in xml
        broken = xml.replace("<bpmn:script>", "<bpmn:script>oops = 1/0\n", 1)
        files = {name: text for name, text in s.scalars(select(ProcessDefinition).where(
            ProcessDefinition.process_id == "compat_events")).first().files.items()}
        name = next(n for n, text in files.items() if text == xml)
        version = put_version(s, "compat_events", {name: broken})
    case_id = api(VILLAGE).post("/processes/compat_events/instances",
                                {"region": "430104001001", "data": dict(START_DATA)}).get_json()["id"]
    client = api(VILLAGE)
    task = next(t for t in client.get("/tasks").get_json() if t["instance_id"] == case_id)
    assert client.post(f"/tasks/{task['id']}/complete", {"data": {"note": "报告"}}).status_code == 200
    ruling = {"child": {"id_number": START_DATA["child"]["id_number"]}, "visits": ["家访"]}
    assert api(COURT).post(f"/instances/{case_id}/messages", {"name": "court_ruling", "data": ruling}).status_code == 200
    with app.app_context():
        before = db.session().get(Case, case_id).workflow_json

    answer = api(COUNTY).post("/signals", {"name": "province_sweep", "data": {}})  # into the broken script

    assert answer.status_code == 422, answer.get_json()
    body = answer.get_json()
    assert body["code"] == "engine_error" and body["process_id"] == "compat_events" and body["version"] == version
    assert body["element"] == "plan_visits" and "ZeroDivisionError" in body["error"] and "信号“province_sweep”未保存" in body["error"]
    with app.app_context():
        assert db.session().get(Case, case_id).workflow_json == before
        assert design_errors(db.session())[-1].detail["case"] == case_id


# -- timers and jobs -------------------------------------------------------------------------
def deploy_timers(app):
    all_forms = {**forms.load_forms(app.config["FORMS_DIR"]),
                 "fixture_note.json": json.loads((FIXTURES / "fixture_note.json").read_text(encoding="utf-8"))}
    with app.extensions["tonghu.sessionmaker"]() as s:
        definitions.deploy(s, {"report_timers.bpmn": (FIXTURES / "report_timers.bpmn").read_text(encoding="utf-8")},
                           all_forms, app.extensions["tonghu.engine"].clock.now())
        s.commit()


def start_report(app) -> int:
    engine = app.extensions["tonghu.engine"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        user = s.scalars(select(User).where(User.username == VILLAGE)).one()
        case = cases.start_case(s, engine, "report_timers", "430104001001", dict(START_DATA), user, engine.clock.now())
        s.commit()
        return case.id


def test_a_timer_into_a_broken_script_blocks_that_case_once_and_the_others_fire(app, clock, browser):
    deploy_timers(app)
    healthy = start_report(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        xml = (FIXTURES / "report_timers.bpmn").read_text(encoding="utf-8")
        version = put_version(s, "report_timers", {"report_timers.bpmn": xml.replace(
            "<bpmn:script>reminder_sent = True</bpmn:script>", "<bpmn:script>reminder_sent = 1/0</bpmn:script>")})
    broken = start_report(app)

    clock.advance(timedelta(hours=7))
    result = run_due(app)

    assert result["timers"] == 2 and list(result["failures"]) == [f"case:{broken}"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        blocked, fine = s.get(Case, broken), s.get(Case, healthy)
        assert fine.status == "running" and "reminder_sent" in json.dumps(fine.workflow_json, ensure_ascii=False)
        assert blocked.status == "error" and "流程设计有误" in blocked.error_message
        assert "count_reminder" in blocked.error_message and "ZeroDivisionError" in blocked.error_message
        stored = blocked.workflow_json
    for _minute in range(3):  # the worker runs every minute: recorded once, the case untouched
        clock.advance(timedelta(minutes=1))
        assert "failures" not in run_due(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        entries = design_errors(s)
        assert len(entries) == 1 and entries[0].target == "process:report_timers" and entries[0].user_id is None
        assert entries[0].detail["case"] == broken and entries[0].detail["version"] == version
        assert entries[0].detail["element"] == "count_reminder"
        assert s.get(Case, broken).workflow_json == stored

    browser.sign_in(COUNTY)
    page = unescape(browser.get(f"/cases/{broken}").get_data(as_text=True))
    assert "流程设计有误，案件已暂停" in page
    designer = type(browser)(app.test_client())
    designer.sign_in("designer")
    procedure = designer.get("/designer/procedures/report_timers").get_data(as_text=True)
    assert '<tr data-element="count_reminder">' in procedure


def test_a_job_opening_a_broken_procedure_records_once_and_goes_on(app, clock, monkeypatch, start_data):
    """A scheduled opening whose design fails is rolled back alone (`cases.contained`) and
    recorded once however often the worker retries it; the job's other openings go on. A job
    that lets the failure through is reported each run but recorded once too."""
    from webapp.services import scheduler
    deploy_timers(app)
    with app.extensions["tonghu.sessionmaker"]() as s:
        break_start(s, "x = 1/0")

    def contained_job(s, engine, now):
        opened = 0
        for process_id in ("entrustment_care", "report_timers"):
            opened += cases.contained(s, now, f"开启{process_id}", lambda p=process_id: cases.start_scheduled(
                s, engine, p, "430104001001", dict(start_data), now))
        return opened

    def bare_job(s, engine, now):
        return bool(cases.start_scheduled(s, engine, "entrustment_care", "430104001001", dict(start_data), now))

    def opened():
        with app.extensions["tonghu.sessionmaker"]() as s:
            return {p: s.scalar(select(func.count(Case.id)).join(ProcessDefinition).where(
                ProcessDefinition.process_id == p)) for p in ("entrustment_care", "report_timers")}

    before = opened()
    monkeypatch.setattr(scheduler, "JOBS", {"contained": contained_job, "bare": bare_job})
    for _minute in range(3):
        clock.advance(timedelta(minutes=1))
        result = run_due(app)
        assert result["contained"] == 1 and result["bare"] == 0, result
        assert list(result["failures"]) == ["job:bare"] and "流程设计有误" in result["failures"]["job:bare"]
    with app.extensions["tonghu.sessionmaker"]() as s:
        assert opened() == {"entrustment_care": before["entrustment_care"], "report_timers": before["report_timers"] + 3}
        entries = design_errors(s)
        assert sorted(e.detail["during"] for e in entries) == ["定时任务 bare", "开启entrustment_care"]
        assert all(e.detail["element"] == "assess_guardianship" for e in entries)
