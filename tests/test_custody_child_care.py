"""Children of a parent taken into custody (custody_child_care, audit row M10): who opens it, and that
the filing step refuses to record a carer who did not agree (the form refuses it first; this pins the
handler's own guard). The scenarios (features/custody_child_care.feature) walk the three outcomes."""
from datetime import datetime

import pytest

from handlers.registry import HandlerContext, HandlerError, dispatch
from webapp.engine.clock import LOCAL_TZ

POLICE = "police.430104000000"
REGION = "430104001001"
START = {"child": {"name": "小宇", "id_number": "430104201506010014", "birth_date": "2015-06-01", "gender": "male"},
         "parent_name": "李强", "parent_relation": "father", "measure": "arrest", "measure_on": "2026-11-20",
         "situation": "儿童独自在家"}


@pytest.fixture(autouse=True)
def pinned(clock):
    clock.travel_to(datetime(2026, 11, 20, 9, 0, tzinfo=LOCAL_TZ))


def test_the_police_open_it_and_another_office_is_refused(api):
    assert api("village.430104001001").post("/processes/custody_child_care/instances",
                                            {"region": REGION, "data": START}).status_code == 403
    bad = api(POLICE).post("/processes/custody_child_care/instances",
                           {"region": REGION, "data": {**START, "measure": "house_arrest_forever"}})
    assert bad.status_code == 422 and "measure" in bad.get_json()["errors"]
    case = api(POLICE).post("/processes/custody_child_care/instances", {"region": REGION, "data": START})
    assert case.status_code == 201
    assert [t["name"] for t in case.get_json()["open_tasks"]] == ["help_entrust"]


def test_a_carer_who_did_not_agree_is_never_filed():
    data = {"child": START["child"], "entrust_to": "person", "carer": {"name": "王秀英"}, "carer_consents": False}
    ctx = HandlerContext(1, REGION, "custody_child_care", "登记", data, datetime(2026, 11, 20, tzinfo=LOCAL_TZ))
    with pytest.raises(HandlerError, match="同意照护"):
        dispatch("file_detention_entrustment", ctx, {})
    assert ctx.effects == []
    ctx.data["carer_consents"] = True
    dispatch("file_detention_entrustment", ctx, {})
    assert [type(e).__name__ for e in ctx.effects] == ["Document", "Notice"]
