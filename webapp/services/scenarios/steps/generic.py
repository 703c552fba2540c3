"""The generic steps: start a procedure, complete a task with a data table, look at an office's
list, let time pass, look at where the case ended and at the child's file.

Steps drive the same services the web app and the API use, so a scenario needs no new Python.
"""
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from stdnum.cn import ric

from ....engine.clock import LOCAL_TZ
from ....models import CaseFileEntry, HumanTask, Notification, Unit
from ... import cases, definitions, routing, scheduler, units
from ..vocabulary import given, then, when


def parse_value(raw: str):
    text = raw.strip()
    lowered = text.lower()
    if lowered in ("true", "是"):
        return True
    if lowered in ("false", "否"):
        return False
    return text


def table(**fields) -> list[list[str]]:
    """A 字段 | 值 data table, as a scenario writes one, from keyword arguments (for step shortcuts)."""
    return [["字段", "值"]] + [[k, str(v)] for k, v in fields.items()]


def table_data(datatable) -> dict:
    """A two-column table (字段 | 值) as nested data; dotted field names make objects."""
    data: dict = {}
    rows = datatable[1:] if datatable and datatable[0][0].strip() in ("字段", "field") else datatable
    for row in rows:
        assert len(row) == 2, f"数据表每行应有两列（字段 | 值），这一行有 {len(row)} 列：{' | '.join(row)}"
        field, value = row
        target = data
        *parents, leaf = field.strip().split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = parse_value(value)
    return data


def resident_id(region: str, birth_date: str, sequence: int) -> str:
    """A GB 11643-valid ID number: 6-digit region, birth date, 3-digit sequence (odd: male), check digit."""
    body = f"{region}{birth_date.replace('-', '')}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def child_for(name: str, birth_date: str = "2015-06-01", gender: str = "female") -> dict:
    """A stable, valid identity number per name (agreeing with birth date and sex), so one name is one child."""
    sequence = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 500 * 2 + (gender == "male")
    return {"name": name, "id_number": resident_id("430104", birth_date, sequence), "birth_date": birth_date, "gender": gender}


def _refusal(story) -> str:
    return f"{story.error.message} {getattr(story.error, 'errors', '') or ''}".strip()


# -- given / when -------------------------------------------------------------------------
@given("童护已部署全部流程并载入演示组织")
def deployed(story):
    """The demo organisation with the procedures (the scenario's database is made that way)."""


def _start(story, username, region, child, process_id, datatable=None):
    data = table_data(datatable) if datatable else {}
    supplied_child = data.pop("child", {})
    data["child"] = {**child_for(child, supplied_child.get("birth_date", "2015-06-01"), supplied_child.get("gender", "female")),
                     **supplied_child}
    case = story.attempt(lambda s: cases.start_case(s, story.engine, process_id, region, _start_unit_ids(s, process_id, data),
                                                     story.user(username), story.engine.clock.now()))
    if case is not None:
        story.case_id = case.id


@given('"{username}" 在 "{region}" 为儿童"{child}"发起"{process_id}"流程：')
@when('"{username}" 在 "{region}" 为儿童"{child}"发起"{process_id}"流程：')
def start_with_table(story, username, region, child, process_id, datatable):
    """发起一个流程，数据表给出发起表单的字段（字段 | 值）。"""
    _start(story, username, region, child, process_id, datatable)
    assert story.error is None, f"发起失败：{_refusal(story)}"


@when('"{username}" 尝试在 "{region}" 为儿童"{child}"发起"{process_id}"流程：')
def try_start(story, username, region, child, process_id, datatable):
    """尝试发起流程（可能被拒绝，随后用“请求被拒绝”检查）。"""
    _start(story, username, region, child, process_id, datatable)


def complete_task_with_table(story, username, task_id, datatable):
    """Complete one task with a data table as `username`; a refusal is kept in `story.error`."""
    data = table_data(datatable) if datatable else {}
    story.attempt(lambda s: cases.complete_task(s, story.engine, task_id, unit_ids(s, task_id, data),
                                                story.user(username), story.engine.clock.now()))


def unit_ids(session, task_id, data: dict) -> dict:
    """A scenario names a chosen unit by its name (| hospital_unit | 岳麓区精神卫生中心 |): the form takes its id."""
    for path in units.unit_fields(cases.task_form(session, session.get(HumanTask, task_id)) or {}):
        if "." not in path and isinstance(data.get(path), str):
            found = session.scalars(select(Unit.id).where(Unit.name == data[path])).first()
            data[path] = found if found is not None else data[path]
    return data


def _start_unit_ids(session, process_id, data: dict) -> dict:
    """A start form's chosen unit named by its name (| school_unit | 岳麓区望月湖小学 |), as its id."""
    definition = definitions.get_latest_or_404(session, process_id)
    for path in units.unit_fields(definitions.form_of(definition, definition.start_form) or {}):
        if "." not in path and isinstance(data.get(path), str):
            found = session.scalars(select(Unit.id).where(Unit.name == data[path])).first()
            data[path] = found if found is not None else data[path]
    return data


def _complete(story, username, task_name, datatable):
    complete_task_with_table(story, username, story.open_task(task_name).id, datatable)


@given('"{username}" 办理任务"{task_name}"：')
@when('"{username}" 办理任务"{task_name}"：')
def complete_with_table(story, username, task_name, datatable):
    """某用户办理本案件的一个待办任务，数据表给出表单字段。"""
    _complete(story, username, task_name, datatable)
    assert story.error is None, f"办理失败：{_refusal(story)}"


@when('"{username}" 尝试办理任务"{task_name}"：')
def try_complete(story, username, task_name, datatable):
    """尝试办理任务（可能被拒绝）。"""
    _complete(story, username, task_name, datatable)


@when("时间过去 {days:d} 天")
def time_passes(story, days):
    """测试时钟前进若干天，到期的定时器和期限随即触发。"""
    story.engine.clock.advance(timedelta(days=days))
    _fire(story)


@when("时间到达 {moment}")
def time_reaches(story, moment):
    """测试时钟前进到某一时刻（中国时间），到期的定时器随即触发。"""
    when_ = datetime.fromisoformat(moment.strip())
    if when_.tzinfo is None:
        when_ = when_.replace(tzinfo=LOCAL_TZ)
    story.engine.clock.travel_to(when_)
    _fire(story)


def _fire(story):
    story.attempt(lambda s: scheduler.run_due_work(s, story.engine, story.engine.clock.now()))
    assert story.error is None, story.error.message


# -- then ---------------------------------------------------------------------------------
def _visible(story, username):
    with story.reading():
        user = story.user(username)
        return [t for t in story.session().scalars(routing.visible_tasks(user)) if t.case_id == story.case_id]


@then('任务"{task_name}"在"{username}"的任务列表中')
def task_listed(story, task_name, username):
    """某任务出现在某用户的待办列表中。"""
    names = [(t.name, t.title) for t in _visible(story, username)]
    assert any(task_name in pair for pair in names), f"{username} 的列表中没有“{task_name}”，只有 {names}"


@then('任务"{task_name}"不在"{username}"的任务列表中')
def task_not_listed(story, task_name, username):
    """某任务不在某用户的待办列表中。"""
    names = [(t.name, t.title) for t in _visible(story, username)]
    assert not any(task_name in pair for pair in names), f"{username} 的列表中不应有“{task_name}”"


@then('"{username}"的任务列表中没有本案件的任务')
def nothing_listed(story, username):
    """某用户的列表中没有本案件的任何任务。"""
    listed = [t.name for t in _visible(story, username)]
    assert listed == [], f"{username} 的列表中不应有本案件的任务，却有 {listed}"


@then("请求被拒绝，状态码为 {status:d}")
def refused(story, status):
    """上一步被拒绝，状态码为给定值（如 403、422）。"""
    assert story.error is not None, "请求本应被拒绝，却成功了"
    assert story.error.status == status, f"状态码为 {story.error.status}：{story.error.message}"


@then('拒绝理由包含"{text}"')
def refusal_says(story, text):
    """上一步的拒绝理由包含某段文字。"""
    assert story.error is not None and text in (story.error.message + str(getattr(story.error, "errors", ""))), \
        f"拒绝理由中没有“{text}”：{_refusal(story) if story.error else '上一步没有被拒绝'}"


@then('流程在结束事件"{end_event}"结束')
def ended_at(story, end_event):
    """案件已办结，结束于给定的结束事件（标识或名称）。"""
    with story.reading():
        case = story.case()
        assert case.status == "completed", f"案件状态为 {case.status}，待办：{[t.name for t in cases.open_tasks(story.session(), case)]}"
        assert end_event in (case.end_event, case.end_event_name), f"结束于 {case.end_event}（{case.end_event_name}）"


@then("流程仍在进行中")
def still_running(story):
    """案件尚未办结。"""
    with story.reading():
        status = story.case().status
        assert status == "running", f"案件状态为 {status}，本应仍在进行中"


@then('案件待办任务为"{names}"')
def open_tasks_are(story, names):
    """案件当前的待办任务恰为这些（任务标识，以“、”分隔）。"""
    with story.reading():
        expected = sorted(n.strip() for n in names.split("、"))
        actual = sorted(t.name for t in cases.open_tasks(story.session(), story.case()))
        assert actual == expected, f"案件待办任务为“{'、'.join(actual) or '无'}”，本应为“{'、'.join(expected)}”"


@then('任务"{task_name}"须在 {hours:d} 小时内办理')
def due_within_hours(story, task_name, hours):
    """某待办任务的办理期限为若干小时。"""
    task = story.open_task(task_name)
    assert task.due is not None and task.due - task.created_at == timedelta(hours=hours), \
        f"“{task_name}”的办理期限为 {task.due}（{task.created_at} 起）"


@then('任务"{task_name}"须在 {days:d} 日内办理')
def due_within_days(story, task_name, days):
    """某待办任务的办理期限为若干日。"""
    due_within_hours(story, task_name, days * 24)


def titled(entry, title: str) -> bool:
    """An entry of that title, or of that title with a qualifier ("心理健康评估分类台账：低风险");
    not one that merely mentions it ("立案：五方委托照护协议" is not the agreement)."""
    return entry.title == title or entry.title.startswith(f"{title}：")


def _entries(story):
    return story.session().scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == story.case().child_id)).all()


@then('儿童档案中有"{title}"')
def file_has(story, title):
    """儿童档案中有某标题的条目。"""
    with story.reading():
        entries = _entries(story)
        assert any(titled(e, title) for e in entries), f"档案中没有“{title}”，只有：{[e.title for e in entries]}"


@then('儿童档案中的"{title}"包含"{text}"')
def file_entry_contains(story, title, text):
    """儿童档案中某标题的条目包含某段文字。"""
    with story.reading():
        bodies = [(e.body or "") + str(e.data or "") for e in _entries(story) if titled(e, title)]
        assert bodies and any(text in b for b in bodies), f"“{title}”中没有“{text}”"


@then('儿童档案中"{title}"的记录只有 {count:d} 条')
def file_entries_counted(story, title, count):
    with story.reading():
        case = story.case()
        entries = story.session().scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == case.child_id)).all()
        found = [e.title for e in entries if titled(e, title)]
        assert len(found) == count, f"“{title}”有 {len(found)} 条：{found}"


@then('"{username}"收到本案件的通知"{text}"')
def office_notified(story, username, text):
    """An office-wide notice about the case for the user's office (or one addressed to the user)."""
    with story.reading():
        user = story.user(username)
        notices = story.session().scalars(select(Notification).where(Notification.case_id == story.case_id)).all()
        mine = [n.message for n in notices if n.recipient_id == user.id or (
            n.recipient_id is None and n.department == user.office.department_code
            and n.office_region == user.office.region_code)]
        assert any(text in m for m in mine), f"{username} 的本案件通知：{mine}"
