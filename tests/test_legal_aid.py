"""Legal aid for child victims (legal_aid, audit row M14): only a revocation case opens it (no office
starts it by hand), it is private like that case, the justice office's assignment is refused without a lawyer, in JSON, and the
filing step never files an assignment without one. The scenario (features/legal_aid.feature) walks
the green channel from the police's finding to the school placement."""
from datetime import datetime

import pytest

from handlers.registry import HandlerContext, HandlerError, dispatch
from webapp.engine.clock import LOCAL_TZ

REGION = "430104001001"
CHILD = {"name": "小蕾", "id_number": "430104201506010022", "birth_date": "2015-06-01", "gender": "female"}
REPORT = {"child": CHILD, "reason": "儿童身上多处烫伤", "location": "望月湖社区", "occurred_on": "2026-11-19",
          "child_in_danger": True, "reporter": {"name": "周老师", "organisation": "望月湖小学", "reporter_type": "school",
                                                "phone": "13800000001"}}
POLICE = {"accepted_at": "2026-11-20T09:15:00+08:00", "police_measures": "criminal_case", "criminal_case": True,
          "child_in_danger": True, "child_victim": True, "handling_note": "继父涉嫌虐待，已立案"}


@pytest.fixture(autouse=True)
def pinned(clock):
    clock.travel_to(datetime(2026, 11, 20, 12, 0, tzinfo=LOCAL_TZ))


def _task(api, user, name):
    tasks = api(user).get("/tasks").get_json()
    return next(t for t in tasks if t["name"] == name)


def test_only_a_revocation_case_opens_it_and_a_missing_lawyer_is_refused(api):
    direct = api("justice.430104000000").post("/processes/legal_aid/instances", {"region": REGION, "data": {"child": CHILD}})
    assert direct.status_code == 403
    assert api("education.430104000000").post("/processes/guardianship_revocation/instances",
                                              {"region": REGION, "data": REPORT}).status_code == 201
    police = _task(api, "police.430104001000", "police_handle_report")
    assert api("police.430104001000").post(f"/tasks/{police['id']}/complete", {"data": POLICE}).status_code == 200
    assign = _task(api, "justice.430104000000", "assign_legal_aid")
    no_lawyer = {"assigned_on": "2026-11-20", "aid_institution": "岳麓区法律援助中心", "aid_matter": "judicial_aid",
                 "judicial_aid_requested": True}
    refused = api("justice.430104000000").post(f"/tasks/{assign['id']}/complete", {"data": no_lawyer})
    assert refused.status_code == 422 and "aid_lawyer" in refused.get_json()["errors"]
    done = api("justice.430104000000").post(f"/tasks/{assign['id']}/complete", {"data": {**no_lawyer, "aid_lawyer": "刘律师"}})
    assert done.status_code == 200
    assert [t["name"] for t in done.get_json()["open_tasks"]] == ["coordinate_help"]
    # A victim's legal aid is read like the revocation it came from: the acting offices, not the city or the village.
    case = assign["instance_id"]
    assert api("justice.430104000000").get(f"/instances/{case}").status_code == 200
    for other in ("civil_affairs.430100000000", "village.430104001001", "justice.310104000000"):
        assert api(other).get(f"/instances/{case}").status_code == 403, other


def test_an_assignment_without_a_lawyer_is_never_filed():
    ctx = HandlerContext(1, REGION, "legal_aid", "登记", {"child": CHILD, "aid_institution": "岳麓区法律援助中心"},
                         datetime(2026, 11, 20, tzinfo=LOCAL_TZ))
    with pytest.raises(HandlerError, match="法律援助人员"):
        dispatch("file_legal_aid", ctx, {})
    assert ctx.effects == []
    ctx.data["aid_lawyer"] = "刘律师"
    dispatch("file_legal_aid", ctx, {})
    assert [type(e).__name__ for e in ctx.effects] == ["Document", "Notice"]
