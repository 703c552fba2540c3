"""Steps of the intake scenarios (features/child_intake.feature): shortcuts for the steps every path
walks the same way (the police's medical check and DNA entry, the temporary guardianship, the protection
centre's admission and announcement), and the registry checks of a long-term guardianship."""
from sqlalchemy import func, select

from ....models import Case, Child, ProcessDefinition, RegistryChange
from ...registry.children import kind_name
from ...registry.codes import CATEGORIES
from ..vocabulary import given, then, when
from .generic import complete_with_table, table

POLICE_STATION = "police.430104001000"
CIVIL_AFFAIRS = "civil_affairs.430104000000"
CENTER = "unit.yl-protection"


@given("派出所完成体检并录入DNA信息")
@when("派出所完成体检并录入DNA信息")
def medical_check_done(story):
    """The police station's 体检并采集DNA信息 (medical_check_dna), complete."""
    complete_with_table(story, POLICE_STATION, "medical_check_dna", table(
        checked_on="2026-11-02", hospital="岳麓区人民医院", health_findings="营养不良，无外伤", needs_treatment="false",
        dna_entered="true", dna_entered_on="2026-11-02", dna_sample_number="DNA-430104-2026-0001",
        identity_search="失踪人口信息库、人口信息系统比对暂无结果"))


@given('县民政局接收移交，决定临时监护并选定"{unit}"')
@when('县民政局接收移交，决定临时监护并选定"{unit}"')
def temporary_guardianship(story, unit):
    """County civil affairs' 接收移交，决定临时监护并选定救助保护机构 (decide_temporary_guardianship)."""
    complete_with_table(story, CIVIL_AFFAIRS, "decide_temporary_guardianship", table(
        received_on="2026-11-02", basis="stray_or_unidentified", protection_center_unit=unit,
        decision_note="流浪乞讨，暂时查找不到父母"))


@given("救助保护机构接收儿童并于 {day} 发布寻亲公告")
@when("救助保护机构接收儿童并于 {day} 发布寻亲公告")
def admitted_and_announced(story, day):
    """The chosen centre's 救助保护机构接收儿童 (admit_to_protection_center) and 发布寻亲公告 (publish_announcement)."""
    complete_with_table(story, CENTER, "admit_to_protection_center", table(
        admitted_on="2026-11-02", care_arrangement="生活照料、体检随访、心理疏导"))
    complete_with_table(story, CENTER, "publish_announcement", table(
        published_on=day.strip(), channel="湖南日报、全国儿童福利信息系统",
        announcement_text="男孩，约八岁，2026年11月2日于望月湖街道被发现，请亲属与岳麓区未成年人救助保护中心联系"))


@then('本案儿童在儿童名册中的类别为"{names}"')
def categories_are(story, names):
    """The case's child's registry categories, by their Chinese names (separated by 、)."""
    with story.reading():
        child = story.case().child
        shown = sorted(CATEGORIES.get(c, c) for c in child.categories or [])
        assert shown == sorted(n.strip() for n in names.split("、")), f"儿童类别为 {shown}"


@then('本案儿童在儿童名册中没有"{name}"类别')
def category_absent(story, name):
    """A child returned to the family is not put in a category by this procedure."""
    with story.reading():
        shown = [CATEGORIES.get(c, c) for c in story.case().child.categories or []]
        assert name not in shown, f"儿童类别为 {shown}"


@then('本案儿童的登记变更记录中有"{kind}"：{text}')
def registry_change(story, kind, text):
    """A registry history row of that kind (its Chinese name) whose reason contains `text`."""
    with story.reading():
        rows = story.session().scalars(select(RegistryChange).where(RegistryChange.child_id == story.case().child_id)).all()
        found = [(kind_name(r.kind), r.reason or "") for r in rows]
        assert any(k == kind and text.strip() in reason for k, reason in found), f"变更记录：{found}"


@then('儿童名册中名为"{name}"的儿童只有 {count:d} 名')
def registered_once(story, name, count):
    """One child, one entry: no second registry entry was made."""
    with story.reading():
        found = story.session().scalar(select(func.count()).select_from(Child).where(Child.name == name))
        assert found == count, f"名为“{name}”的儿童有 {found} 名"


@then('没有为本案儿童发起"{process_id}"流程')
def not_started(story, process_id):
    """No case of `process_id` for the child (long-term guardianship needs no revocation)."""
    with story.reading():
        found = story.session().scalars(select(Case.id).join(ProcessDefinition).where(
            Case.child_id == story.case().child_id, ProcessDefinition.process_id == process_id)).all()
        assert found == [], f"为该儿童发起了 {process_id}：{found}"
