"""A place chosen in a form (`x-region`) and a lane routed to it (`regionFrom`): the resettled young
adult's new residence street (webapp/services/region_choice.py)."""
import json
from pathlib import Path

import pytest

from webapp.engine import Bundle
from webapp.services import region_choice
from webapp.services.checks import check_files
from webapp.services.errors import Invalid
from webapp.services.forms import load_forms, validate

ROOT = Path(__file__).resolve().parent.parent
PLAN = json.loads((ROOT / "forms/resettlement_plan.json").read_text(encoding="utf-8"))
FILLED = {"housing_plan": "公共租赁住房", "household_registration_plan": "迁入新住所", "employment_plan": "就业援助",
          "care_plan": "结对关爱", "planned_move_date": "2050-10-01"}


def test_the_plan_offers_the_streets_of_the_childs_city_by_name(db_session):
    form = region_choice.for_case(db_session, PLAN, "430104001001")
    field = form["properties"]["new_residence_street"]
    assert field["enum"] == ["430104001000", "430104002000"]  # Changsha's streets, not Shanghai's
    assert field["x-enum-titles"] == ["长沙市岳麓区望月湖街道", "长沙市岳麓区岳麓街道"]
    assert "enum" not in PLAN["properties"]["new_residence_street"]  # the stored form is left as it was
    shanghai = region_choice.for_case(db_session, PLAN, "310104001001")["properties"]["new_residence_street"]
    assert shanghai["enum"] == ["310104001000"]


def test_a_street_outside_the_city_or_not_a_street_is_refused(db_session):
    form = region_choice.for_case(db_session, PLAN, "430104001001")
    validate(form, {**FILLED, "new_residence_street": "430104002000"})
    for wrong in ("310104001000", "430104001001", "430104000000", "999999999999", 430104002000):
        with pytest.raises(Invalid) as refused:
            validate(form, {**FILLED, "new_residence_street": wrong})
        assert "new_residence_street" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        validate(form, FILLED)
    assert "new_residence_street" in refused.value.errors


def test_a_chosen_place_must_be_a_known_region_as_fine_as_the_lane(db_session):
    assert region_choice.chosen_place(db_session, "430104002000", "township") == "430104002000"
    assert region_choice.chosen_place(db_session, "430104002001", "township") == "430104002001"  # a village: its street acts
    assert region_choice.chosen_place(db_session, "430104000000", "township") is None  # a county names no street
    for junk in (None, "", "4301", "999999999999", 430104002000, ["430104002000"]):
        assert region_choice.chosen_place(db_session, junk, "township") is None


def test_the_resettlement_lane_of_the_new_residence_reads_the_plan():
    bundle = Bundle({"orphan_resettlement.bpmn": (ROOT / "processes/orphan_resettlement.bpmn").read_text(encoding="utf-8")})
    for task in ("long_term_care_measures", "follow_up_visit"):
        lane = bundle.lane_of("orphan_resettlement", task)
        assert (lane.route, lane.region_from) == ("township@township", "new_residence_street")


# -- tonghu check ----------------------------------------------------------------------------
def resettlement_files():
    files = {"orphan_resettlement.bpmn": (ROOT / "processes/orphan_resettlement.bpmn").read_text(encoding="utf-8")}
    return files, json.loads(json.dumps(load_forms(ROOT / "forms")))


def messages(files, forms) -> str:
    return "\n".join(str(p) for p in check_files(files, forms))


def test_check_accepts_the_shipped_region_lane():
    assert messages(*resettlement_files()) == ""


def test_check_refuses_a_region_field_no_form_chooses():
    files, forms = resettlement_files()
    del forms["resettlement_plan.json"]["properties"]["new_residence_street"]["x-region"]
    found = messages(files, forms)
    assert "long_term_care_measures" in found and "没有表单以地区选择（x-region）填写该字段" in found
    files, forms = resettlement_files()
    files["orphan_resettlement.bpmn"] = files["orphan_resettlement.bpmn"].replace(
        'name="regionFrom" value="new_residence_street"', 'name="regionFrom" value=" "')
    assert "regionFrom 为空" in messages(files, forms)


def test_check_refuses_a_choice_coarser_than_the_lane():
    files, forms = resettlement_files()
    forms["resettlement_plan.json"]["properties"]["new_residence_street"]["x-region"] = {"level": "county"}
    assert "x-region 的 level 须为 township 或更细" in messages(files, forms)
