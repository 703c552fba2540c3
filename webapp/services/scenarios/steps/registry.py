"""Steps about the children's registry: register, change the risk grade, import a list, find children
and cases. A child is named by name; its ID number is the scenario library's stable one (`child_for`),
so a procedure started later for the same name finds the registered child."""
import csv
import io

from sqlalchemy import select

from ....models import Child
from ...registry import children, importing, scope, search
from ...registry.codes import CATEGORIES, by_code_or_name
from ..vocabulary import then, when
from .generic import child_for, table_data

GUARDIAN_FIELDS = {"监护人姓名": "name", "监护人关系": "relation", "监护人电话": "phone"}


def _entry(name: str, datatable) -> dict:
    data = table_data(datatable) if datatable else {}
    guardian = {GUARDIAN_FIELDS[k]: data.pop(k) for k in list(data) if k in GUARDIAN_FIELDS}
    if guardian:
        data["guardians"] = [guardian]
    identity = child_for(name, data.get("birth_date", "2015-06-01"), data.get("gender", "female"))
    return {"id_number": identity["id_number"], "name": name, **data}


def registered(story, name: str) -> Child:
    child = story.session().scalars(select(Child).where(Child.name == name)).first()
    assert child is not None, f"名册中没有儿童“{name}”"
    return child


@when('"{username}" 登记儿童"{name}"：')
def register(story, username, name, datatable):
    story.attempt(lambda s: children.register(s, story.user(username), _entry(name, datatable), story.engine.clock.now()))
    assert story.error is None, f"登记失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@when('"{username}" 尝试登记儿童"{name}"：')
def try_register(story, username, name, datatable):
    story.attempt(lambda s: children.register(s, story.user(username), _entry(name, datatable), story.engine.clock.now()))


@when('"{username}" 将儿童"{name}"的风险等级调整为"{risk}"，理由为"{reason}"')
def change_risk(story, username, name, risk, reason):
    story.attempt(lambda s: children.update(s, story.user(username), registered(story, name),
                                            {"risk": risk, "risk_reason": reason}, story.engine.clock.now()))
    assert story.error is None, f"修改失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@then('儿童"{name}"的风险等级为"{risk}"，由"{office}"评定，理由为"{reason}"')
def risk_is(story, name, risk, office, reason):
    child = registered(story, name)
    setting = children.risk_setting(story.session(), child)
    assert child.risk_grade == risk and setting is not None
    assert (setting.office.name, setting.reason) == (office, reason), (setting.office.name, setting.reason)


@then('儿童"{name}"的档案变更记录中有"{text}"')
def history_has(story, name, text):
    lines = [line for change in children.history(story.session(), registered(story, name))
             for line in children.describe(change) + [change.reason or ""]]
    assert any(text in line for line in lines), lines


@when('"{username}" 导入儿童名册：')
def import_list(story, username, datatable):
    header, *rows = datatable
    if "公民身份号码" not in header:
        header = ["公民身份号码", *header]
        rows = [[child_for(r[0], r[header.index("出生日期") - 1], "male" if r[header.index("性别") - 1] == "男" else "female")
                 ["id_number"], *r] for r in rows]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    story.imported = story.attempt(lambda s: importing.import_children(s, story.user(username), out.getvalue().encode(),
                                                                       story.engine.clock.now()))


@then("导入成功，新登记 {created:d} 名，更新 {updated:d} 名")
def imported(story, created, updated):
    assert story.error is None, f"导入失败：{story.error.message} {getattr(story.error, 'rows', '')}"
    assert (story.imported.created, story.imported.updated) == (created, updated)


@then('导入被拒绝，第 {row:d} 行的"{field}"有误："{text}"')
def import_refused(story, row, field, text):
    assert isinstance(story.error, importing.ImportFailed), story.error
    assert any(r["row"] == row and r["field"] == field and text in r["message"] for r in story.error.rows), story.error.rows


@then('名册中没有儿童"{name}"')
def not_registered(story, name):
    assert story.session().scalars(select(Child).where(Child.name == name)).first() is None


def _found(story, username, q=None, category=None) -> list[str]:
    return [i.child.name for i in search.find_children(story.session(), story.user(username), q=q,
                                                       category=category).items]


@then('"{username}" 在儿童名册中按类别"{category}"查询，结果为"{names}"')
def category_search(story, username, category, names):
    """按儿童类别（代码或中文名）查询儿童名册：只列本单位辖区内登记了该类别的儿童。"""
    code = by_code_or_name(CATEGORIES, category)
    assert code is not None, f"不是已知的儿童类别：{category}"
    assert _found(story, username, category=code) == [n for n in names.split("、") if n]


@then('"{username}" 在儿童名册中查询"{q}"，结果为"{names}"')
def child_search(story, username, q, names):
    assert _found(story, username, q) == names.split("、")


@then('"{username}" 的儿童名册中有"{names}"')
def child_list(story, username, names):
    assert _found(story, username) == names.split("、")


@then('"{username}" 的儿童名册中没有任何儿童')
def empty_list(story, username):
    assert _found(story, username) == []


@then('"{username}" 在儿童名册中查询"{q}"，没有结果')
def nothing_found(story, username, q):
    assert _found(story, username, q) == []


@then('"{username}" 在儿童名册中看到"{name}"的公民身份号码为{shown}')
def number_shown(story, username, name, shown):
    child = registered(story, name)
    [item] = [i for i in search.find_children(story.session(), story.user(username), q=name).items if i.child.id == child.id]
    expected = child.id_number if shown == "完整号码" else scope.masked(child.id_number)
    assert item.id_number == expected, item.id_number


@then('"{username}" 的我的案件中"{tab}"一栏{has}本案件')
def my_cases(story, username, tab, has):
    status = {"进行中": "running", "已结束": "finished"}[tab]
    ids = [i.case.id for i in search.find_cases(story.session(), story.user(username), status=status, mine=True).items]
    assert (story.case_id in ids) == (has == "有"), ids


def _case_found(story, username, name):
    return [i for i in search.find_cases(story.session(), story.user(username), q=name).items if i.case.id == story.case_id]


@then('"{username}" 按儿童姓名"{name}"查询案件，找到本案件，原因为"{why}"')
def case_search(story, username, name, why):
    found = _case_found(story, username, name)
    assert found and found[0].why == why, [i.why for i in found]


@then('"{username}" 按儿童姓名"{name}"查询案件，找不到本案件')
def case_not_found(story, username, name):
    assert _case_found(story, username, name) == []
