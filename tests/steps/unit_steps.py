"""Steps about units: choosing one in a form by its name, and the route explanation of a task."""
from pytest_bdd import parsers, then, when
from sqlalchemy import select

from tests.helpers import agreement_draft
from webapp.models import Unit
from webapp.services import cases

from .entrustment_steps import CIVIL_AFFAIRS, SIGNERS, VILLAGE, _sign
from .scenario_steps import complete_with_table, table


def _choose(story, username, name, institution_type):
    """Complete "choose_institution" naming the unit `name` (its id, as the form's select sends it)."""
    data = {"institution_type": institution_type, "institution_name": name, "care_institution_unit": unit_id(story, name)}
    story.attempt(lambda s: cases.complete_task(s, story.engine, story.open_task("choose_institution").id, data,
                                                story.user(username), story.engine.clock.now()))


def unit_id(story, name: str) -> int:
    with story.app.app_context():
        unit = story.session().scalars(select(Unit).where(Unit.name == name)).first()
        assert unit is not None, f"没有单位“{name}”"
        return unit.id


@when(parsers.parse('监护人同意委托且民政局选定照护机构"{name}"并拟定协议'))
def consent_choose_and_draft(story, name):
    complete_with_table(story, VILLAGE, "record_guardian_consent", table(guardian_consents="true", consent_note="同意委托"))
    _choose(story, CIVIL_AFFAIRS, name, "protection_center")
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"
    complete_with_table(story, CIVIL_AFFAIRS, "draft_agreement", table(**agreement_draft(
        rights_and_duties="机构负责日常照料；监护人保留探视权", service_standards="按湖南 §三.2 提供照料",
        dispute_resolution="由县级民政局协调", keeps_household_registration="true", term_until="2033-06-01")))


@when(parsers.parse('"{username}" 尝试选定照护机构"{name}"'))
def try_choose(story, username, name):
    _choose(story, username, name, "welfare_institution")


@then(parsers.parse('任务"{task_name}"的办理说明包含"{text}"'))
def why_says(story, task_name, text):
    with story.app.app_context():
        why = cases.why_routed(story.session(), story.open_task(task_name))
    assert text in why, why


@when("除照护机构外的四方签署协议")
def four_sign(story):
    _sign(story, [name for name in SIGNERS if name != "sign_institution"])
