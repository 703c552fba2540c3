"""A court ruling ends the child's running entrustment agreement (webapp/services/agreements.py):
revocation and restored capacity each end it through its own diagram, with a file entry, and
its monitoring plans close; a preparation not yet agreed is cancelled; other children's stay."""
from datetime import datetime, timezone

from sqlalchemy import select

from handlers import EndAgreement, HandlerContext, dispatch
from tests.conftest import START_DATA
from tests.helpers import resident_id
from tests.test_monitoring import admit
from webapp.models import Case, CaseFileEntry, HumanTask, MonitoringPlan, User
from webapp.services import agreements, cases

REPORT = {"reason": "儿童被父亲殴打", "location": "望月湖社区", "occurred_on": "2026-11-19", "child_in_danger": True,
          "reporter": {"name": "张老师", "organisation": "望月湖小学", "reporter_type": "school", "phone": "13800000000"}}
RULING = {"child_can_express_view": False, "ruling_reasons": "确有悔改表现",
          "child": {"name": "小刚", "id_number": "430104201601010039", "birth_date": "2016-01-01"}}


def _ruling_case(session, engine, child: dict) -> Case:
    """A revocation case of the same child: the case whose ruling asks for the agreement to end."""
    school = session.scalars(select(User).where(User.username == "education.430104000000")).one()
    return cases.start_case(session, engine, "guardianship_revocation", "430104001001", {**REPORT, "child": child},
                            school, engine.clock.now())


def _end(app, case_id: int, reason: str) -> None:
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    with make() as s:
        child = s.get(Case, case_id).child
        info = {"name": child.name, "id_number": child.id_number, "birth_date": child.birth_date.isoformat(),
                "gender": child.gender}
        ruling = _ruling_case(s, engine, info)
        agreements.end_agreements(s, engine, ruling, [EndAgreement(reason, "人民法院判决（2027-01-15）")],
                                  engine.clock.now())
        s.commit()


def test_restored_capacity_ends_the_agreement_in_force_and_closes_its_visits(app):
    case_id = admit(app)
    other = admit(app, birth_date="2016-03-01", name="小丽")  # another child's agreement is not touched
    _end(app, case_id, "capacity_restored")
    with app.extensions["tonghu.sessionmaker"]() as s:
        case = s.get(Case, case_id)
        assert case.status == "completed" and case.end_event == "end_agreement_terminated"
        done = s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.name == "terminate_agreement")).one()
        assert done.state == "completed" and done.data["termination_reason"] == "capacity_restored"
        plans = s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == case_id)).all()
        assert plans and {(p.status, p.closed_reason) for p in plans} == {("closed", "监护人监护能力恢复")}
        titles = [e.title for e in s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id))]
        assert "委托照护协议终止：监护人监护能力恢复" in titles
        assert s.get(Case, other).status == "running"
        assert {p.status for p in s.scalars(select(MonitoringPlan).where(MonitoringPlan.case_id == other))} == {"active"}


def test_an_entrustment_still_being_prepared_is_cancelled(app):
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    data = {**START_DATA, "child": {**START_DATA["child"], "name": "小雨", "birth_date": "2015-09-01",
                                    "id_number": resident_id("430104", "2015-09-01", 3)}}
    with make() as s:
        village = s.scalars(select(User).where(User.username == "village.430104001001")).one()
        case_id = cases.start_case(s, engine, "entrustment_care", "430104001001", data, village, engine.clock.now()).id
        s.commit()
    _end(app, case_id, "guardianship_revoked")
    with make() as s:
        case = s.get(Case, case_id)
        assert case.status == "cancelled"
        assert not [t for t in cases.open_tasks(s, case)]
        titles = [e.title for e in s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id))]
        assert any(t.startswith("流程取消：人民法院判决") for t in titles), titles


def test_the_rulings_ask_for_the_end():
    now = datetime(2027, 1, 14, 17, 0, tzinfo=timezone.utc)
    restored = HandlerContext(1, "430104001001", "guardianship_restoration", "登记", {**RULING, "restoration_ruling": "restored"}, now)
    dispatch("record_court_ruling", restored, {"kind": "restoration"})
    assert [e for e in restored.effects if isinstance(e, EndAgreement)] == [
        EndAgreement("capacity_restored", "人民法院判决恢复监护人资格（2027-01-15）")]
    revoked = HandlerContext(1, "430104001001", "guardianship_revocation", "登记", {
        **RULING, "court_ruling": "revoked", "designated_guardian": "civil_affairs", "maintenance_ordered": False}, now)
    dispatch("record_court_ruling", revoked, {"kind": "revocation"})
    assert [e.reason for e in revoked.effects if isinstance(e, EndAgreement)] == ["guardianship_revoked"]
    for kind, field in (("restoration", "restoration_ruling"), ("revocation", "court_ruling")):
        rejected = HandlerContext(1, "430104001001", "x", "登记", {**RULING, field: "rejected"}, now)
        dispatch("record_court_ruling", rejected, {"kind": kind})
        assert not [e for e in rejected.effects if isinstance(e, EndAgreement)]
