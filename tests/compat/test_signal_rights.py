"""`POST /api/v1/signals` reads only the cases its caller may signal (rights in the query, a bounded
number a call, the count in the answer), and a signal a procedure raises itself cannot be forged
from outside, the same rule as for messages."""
from pathlib import Path

from sqlalchemy import select

from tests.conftest import START_DATA
from tests.test_task_lists import Statements
from webapp.models import Case
from webapp.services import definitions, signals

from .conftest import all_forms
from .test_adapted import COUNTY, COURT, PLACE, VILLAGE, complete, open_tasks

XUHUI_VILLAGE, XUHUI_COUNTY = "village.310104001001", "civil_affairs.310104000000"
SIGNAL = "province_sweep"


def waiting_for_the_signal(api, village=VILLAGE, place=PLACE, n=1) -> list[int]:
    """`n` compat_events cases at `place`, each past the court's ruling: waiting for the sweep signal."""
    ids = []
    for _ in range(n):
        answer = api(village).post("/processes/compat_events/instances", {"region": place, "data": dict(START_DATA)})
        assert answer.status_code == 201, answer.get_json()
        case_id = answer.get_json()["id"]
        complete(api, village, case_id, "file_report", {"note": "报告"})
        ruling = {"child": {"id_number": START_DATA["child"]["id_number"]}, "visits": ["家访"]}
        court = "court.310104000000" if place.startswith("31") else COURT
        sent = api(court).post(f"/instances/{case_id}/messages", {"name": "court_ruling", "data": ruling})
        assert sent.status_code == 200, sent.get_json()
        ids.append(case_id)
    return ids


def case_reads(seen) -> list[str]:
    return [s for s, _ in seen if "FROM cases" in s]


def workflows_read(seen) -> list[tuple]:
    """The parameters of every statement that read a case's workflow."""
    return [p for s, p in seen if "workflow_json" in s and "FROM cases" in s and s.lstrip().upper().startswith("SELECT")]


def test_a_caller_without_rights_costs_no_case_query_and_learns_nothing(adapted, api):
    waiting_for_the_signal(api)
    village = api(VILLAGE)  # the sweep is county civil affairs' to send
    with Statements(adapted) as watched:
        refused = village.post("/signals", {"name": SIGNAL})
    assert refused.status_code == 409
    assert case_reads(watched.seen) == []  # not one case read, let alone all of them
    unknown = village.post("/signals", {"name": "nobody_waits_for_this"})
    assert unknown.status_code == 409 and unknown.get_json() == {
        **refused.get_json(), "error": refused.get_json()["error"].replace(SIGNAL, "nobody_waits_for_this")}


def test_another_countys_civil_affairs_reads_none_of_our_workflows(adapted, api):
    ours = waiting_for_the_signal(api)
    theirs = waiting_for_the_signal(api, XUHUI_VILLAGE, "310104001001")
    with Statements(adapted) as watched:
        sent = api(XUHUI_COUNTY).post("/signals", {"name": SIGNAL})
    assert sent.status_code == 200, sent.get_json()
    read = workflows_read(watched.seen)
    assert read and not any(ours[0] in tuple(p) for p in read), read  # only its own case was loaded
    assert [i["id"] for i in sent.get_json()["instances"]] == theirs and sent.get_json()["reached"] == 1
    assert open_tasks(adapted, ours[0]) == []  # ours still waits
    assert api(COUNTY).post("/signals", {"name": SIGNAL}).get_json()["reached"] == 1


def test_one_call_reaches_a_bounded_number_and_says_how_many(adapted, api, monkeypatch):
    ids = waiting_for_the_signal(api, n=3)
    monkeypatch.setattr(signals, "MAX_REACHED", 2)
    first = api(COUNTY).post("/signals", {"name": SIGNAL, "data": {}})
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["reached"] == 2 and body["more"] is True and [i["id"] for i in body["instances"]] == ids[:2]
    second = api(COUNTY).post("/signals", {"name": SIGNAL}).get_json()
    assert second["reached"] == 1 and second["more"] is False and [i["id"] for i in second["instances"]] == ids[2:]
    assert api(COUNTY).post("/signals", {"name": SIGNAL}).status_code == 409  # nobody waits any more
    assert [t[0] for t in open_tasks(adapted, ids[0])] == ["visit_each"]


def test_a_signal_the_procedure_raises_itself_is_refused_from_outside(adapted, api):
    make, engine = adapted.extensions["tonghu.sessionmaker"], adapted.extensions["tonghu.engine"]
    path = Path(__file__).resolve().parent.parent / "fixtures" / "signal_raised_inside.bpmn"
    with make() as s:
        definitions.deploy(s, {path.name: path.read_text(encoding="utf-8")}, all_forms(adapted), engine.clock.now())
        s.commit()
    started = api(VILLAGE).post("/processes/signal_inside/instances", {"region": PLACE, "data": dict(START_DATA)})
    assert started.status_code == 201, started.get_json()
    case_id = started.get_json()["id"]
    assert started.get_json()["waiting"] == [{"kind": "signal", "name": "report_filed", "title": "等待报告已交"}]
    # county civil affairs holds the catching lane, yet the signal is the village step's to raise
    forged = api(COUNTY).post("/signals", {"name": "report_filed"})
    assert forged.status_code == 409
    assert forged.get_json()["error"] == "信号“report_filed”由本流程自己的步骤发出，不能从外部发送"
    with make() as s:
        assert s.scalars(select(Case.status).where(Case.id == case_id)).one() == "running"
    assert [t[0] for t in open_tasks(adapted, case_id)] == ["file_report"]
    body = complete(api, VILLAGE, case_id, "file_report", {"note": "报告"})  # raised inside: caught inside
    assert body["status"] == "completed" and body["waiting"] == []
