"""The policy audit's form findings (docs/policy-audit-status.md §9): what each form now asks, and that
a wrong or incomplete answer is refused beside the field in Chinese, not stored."""
import json
from datetime import date
from pathlib import Path

from webapp.services import forms
from webapp.services.errors import Invalid

FORMS = Path(__file__).resolve().parent.parent / "forms"
CONTEXT = forms.Context(today=date(2026, 11, 20), birth_date=date(2015, 1, 1))


def errors_of(name: str, data: dict) -> dict:
    schema = json.loads((FORMS / f"{name}.json").read_text(encoding="utf-8"))
    try:
        forms.validate(schema, data, context=CONTEXT)
    except Invalid as err:
        return err.errors
    return {}


def test_a_resettlement_plan_is_approved_with_the_housing_household_and_employment_departments():
    """shanghai (四): civil affairs approves together with three departments; a plan sent back needs none."""
    approved = {"plan_approved": True, "approval_opinion": "同意"}
    assert errors_of("resettlement_plan_approval", approved) == {
        "housing_opinion": "此项必填", "household_registration_opinion": "此项必填", "employment_opinion": "此项必填"}
    assert errors_of("resettlement_plan_approval", {**approved, "housing_opinion": "同意", "household_registration_opinion": "同意",
                                                    "employment_opinion": "同意"}) == {}
    assert errors_of("resettlement_plan_approval", {"plan_approved": False, "approval_opinion": "补充就业安排"}) == {}


def test_a_willing_person_is_designated_guardian_only_with_a_consenting_body():
    """民法典 art. 27: another willing person or organisation needs the village committee's or civil affairs' consent."""
    ruling = {"hearing_date": "2026-11-01", "child_can_express_view": False, "court_ruling": "revoked",
              "maintenance_ordered": False, "ruling_reasons": "严重侵害"}
    assert errors_of("revocation_court_ruling", {**ruling, "designated_guardian": "willing_person",
                                                 "designated_relative_name": "张某"}) == {"guardian_consent_by": "此项必填"}
    assert errors_of("revocation_court_ruling", {**ruling, "designated_guardian": "village_committee"}) == {
        "designated_relative_name": "此项必填"}
    assert errors_of("revocation_court_ruling", {**ruling, "designated_guardian": "willing_person", "designated_relative_name": "张某",
                                                 "guardian_consent_by": "civil_affairs"}) == {}


def test_the_home_investigation_records_the_actual_ability_and_the_guardians_willingness():
    """hunan §六.3's third dimension and the willingness the township finds at home."""
    visit = {"guardian_name": "王秀英", "guardian_relation": "grandparent", "health": "年迈", "income": "低保",
             "living_conditions": "祖孙同住", "actual_ability": "能做饭，不能辅导学习", "guardian_willingness": "willing"}
    assert errors_of("township_home_investigation", visit) == {}
    assert errors_of("township_home_investigation", {**visit, "guardian_willingness": "maybe"}) == {
        "guardian_willingness": "请从给定选项中选择"}


def test_a_visit_checks_the_home_for_hazards_from_a_fixed_list():
    """hubei 二.14: the child director's safety check of the living environment, item by item."""
    visit = {"visited_on": "2026-11-01", "visit_method": "home_visit", "findings": "良好", "carer_status": "adequate",
             "home_safety_checked": True, "home_safety": ["drowning", "fire_electricity_gas"]}
    assert errors_of("visit_record", visit) == {}
    assert errors_of("visit_record", {**visit, "home_safety": ["haunted"]}) == {"home_safety.0": "请从给定选项中选择"}


def test_admission_records_where_the_child_goes_to_school():
    admission = {"admitted_on": "2026-11-01", "care_plan": "日常照料", "school_status": "same_school"}
    assert errors_of("admit_child", admission) == {}
    assert errors_of("admit_child", {**admission, "school_status": "nowhere"}) == {"school_status": "请从给定选项中选择"}
