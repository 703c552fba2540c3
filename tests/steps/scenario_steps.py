"""The generic step library of the Chinese scenarios in features/.

Steps drive the same services the web app and the API use, so a scenario needs no new
Python: start a procedure, complete a task with a data table, look at an office's list,
let time pass, look at where the case ended and at the child's file.
"""
import hashlib
from datetime import date, datetime, timedelta

import pytest
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select

from tests.helpers import resident_id
from webapp import db
from webapp.engine.clock import LOCAL_TZ
from webapp.models import Case, CaseFileEntry, HumanTask, Unit, User
from webapp.services import cases, routing, scheduler, units
from webapp.services.errors import ServiceError


class Story:
    """What a scenario remembers between steps: the case at hand and the last refusal."""

    def __init__(self, app):
        self.app = app
        self.case_id: int | None = None
        self.error: ServiceError | None = None

    @property
    def engine(self):
        return self.app.extensions["tonghu.engine"]

    def session(self):
        return db.session()

    def user(self, username) -> User:
        user = self.session().scalars(select(User).where(User.username == username)).first()
        assert user is not None, f"没有用户 {username}"
        return user

    def case(self) -> Case:
        assert self.case_id is not None, "本场景尚未发起案件"
        return self.session().get(Case, self.case_id)

    def open_task(self, name) -> HumanTask:
        tasks = [t for t in cases.open_tasks(self.session(), self.case()) if name in (t.name, t.title)]
        open_names = [t.name for t in cases.open_tasks(self.session(), self.case())]
        assert tasks, f"案件没有待办任务“{name}”，当前待办：{open_names}"
        return tasks[0]

    def attempt(self, action):
        """Run a service call in its own transaction; remember a refusal instead of raising."""
        self.error = None
        with self.app.app_context():
            try:
                result = action(self.session())
                self.session().commit()
                return result
            except ServiceError as err:
                self.session().rollback()
                self.error = err
                return None


@pytest.fixture
def story(app):
    with app.app_context():
        yield Story(app)


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
    for field, value in rows:
        target = data
        *parents, leaf = field.strip().split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = parse_value(value)
    return data


def child_for(name: str, birth_date: str = "2015-06-01", gender: str = "female") -> dict:
    """A stable, valid identity number per name (agreeing with birth date and sex), so one name is one child."""
    sequence = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 500 * 2 + (gender == "male")
    return {"name": name, "id_number": resident_id("430104", birth_date, sequence), "birth_date": birth_date, "gender": gender}


# -- given / when -------------------------------------------------------------------------
@given("童护已部署全部流程并载入演示组织")
def deployed(story):
    """The `app` fixture deploys processes/ and loads the demo organisation."""


def _start(story, username, region, child, process_id, datatable=None):
    data = table_data(datatable) if datatable else {}
    supplied_child = data.pop("child", {})
    data["child"] = {**child_for(child, supplied_child.get("birth_date", "2015-06-01"), supplied_child.get("gender", "female")),
                     **supplied_child}
    case = story.attempt(lambda s: cases.start_case(s, story.engine, process_id, region, data,
                                                     story.user(username), story.engine.clock.now()))
    if case is not None:
        story.case_id = case.id


@given(parsers.parse('"{username}" 在 "{region}" 为儿童"{child}"发起"{process_id}"流程：'))
@when(parsers.parse('"{username}" 在 "{region}" 为儿童"{child}"发起"{process_id}"流程：'))
def start_with_table(story, username, region, child, process_id, datatable):
    _start(story, username, region, child, process_id, datatable)
    assert story.error is None, f"发起失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@when(parsers.parse('"{username}" 尝试在 "{region}" 为儿童"{child}"发起"{process_id}"流程：'))
def try_start(story, username, region, child, process_id, datatable):
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


def _complete(story, username, task_name, datatable):
    complete_task_with_table(story, username, story.open_task(task_name).id, datatable)


@given(parsers.parse('"{username}" 办理任务"{task_name}"：'))
@when(parsers.parse('"{username}" 办理任务"{task_name}"：'))
def complete_with_table(story, username, task_name, datatable):
    _complete(story, username, task_name, datatable)
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@when(parsers.parse('"{username}" 尝试办理任务"{task_name}"：'))
def try_complete(story, username, task_name, datatable):
    _complete(story, username, task_name, datatable)


@when(parsers.parse("时间过去 {days:d} 天"))
def time_passes(story, days):
    story.engine.clock.advance(timedelta(days=days))
    _fire(story)


@when(parsers.parse("时间到达 {moment}"))
def time_reaches(story, moment):
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
    with story.app.app_context():
        user = story.user(username)
        return [t for t in story.session().scalars(routing.visible_tasks(user)) if t.case_id == story.case_id]


@then(parsers.parse('任务"{task_name}"在"{username}"的任务列表中'))
def task_listed(story, task_name, username):
    names = [(t.name, t.title) for t in _visible(story, username)]
    assert any(task_name in pair for pair in names), f"{username} 的列表中没有“{task_name}”，只有 {names}"


@then(parsers.parse('任务"{task_name}"不在"{username}"的任务列表中'))
def task_not_listed(story, task_name, username):
    names = [(t.name, t.title) for t in _visible(story, username)]
    assert not any(task_name in pair for pair in names), f"{username} 的列表中不应有“{task_name}”"


@then(parsers.parse('"{username}"的任务列表中没有本案件的任务'))
def nothing_listed(story, username):
    assert _visible(story, username) == []


@then(parsers.parse("请求被拒绝，状态码为 {status:d}"))
def refused(story, status):
    assert story.error is not None, "请求本应被拒绝，却成功了"
    assert story.error.status == status, f"状态码为 {story.error.status}：{story.error.message}"


@then(parsers.parse('拒绝理由包含"{text}"'))
def refusal_says(story, text):
    assert story.error is not None and text in (story.error.message + str(getattr(story.error, "errors", ""))), story.error


@then(parsers.parse('流程在结束事件"{end_event}"结束'))
def ended_at(story, end_event):
    with story.app.app_context():
        case = story.case()
        assert case.status == "completed", f"案件状态为 {case.status}，待办：{[t.name for t in cases.open_tasks(story.session(), case)]}"
        assert end_event in (case.end_event, case.end_event_name), f"结束于 {case.end_event}（{case.end_event_name}）"


@then("流程仍在进行中")
def still_running(story):
    with story.app.app_context():
        assert story.case().status == "running"


@then(parsers.parse('案件待办任务为"{names}"'))
def open_tasks_are(story, names):
    with story.app.app_context():
        expected = sorted(n.strip() for n in names.split("、"))
        actual = sorted(t.name for t in cases.open_tasks(story.session(), story.case()))
        assert actual == expected


@then(parsers.parse('任务"{task_name}"须在 {hours:d} 小时内办理'))
def due_within_hours(story, task_name, hours):
    task = story.open_task(task_name)
    assert task.due is not None and task.due - task.created_at == timedelta(hours=hours), \
        f"“{task_name}”的办理期限为 {task.due}（{task.created_at} 起）"


@then(parsers.parse('任务"{task_name}"须在 {days:d} 日内办理'))
def due_within_days(story, task_name, days):
    due_within_hours(story, task_name, days * 24)


def titled(entry, title: str) -> bool:
    """An entry of that title, or of that title with a qualifier ("心理健康评估分类台账：低风险");
    not one that merely mentions it ("立案：五方委托照护协议" is not the agreement)."""
    return entry.title == title or entry.title.startswith(f"{title}：")


@then(parsers.parse('儿童档案中有"{title}"'))
def file_has(story, title):
    with story.app.app_context():
        case = story.case()
        entries = story.session().scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == case.child_id)).all()
        assert any(titled(e, title) for e in entries), f"档案中没有“{title}”，只有：{[e.title for e in entries]}"


@then(parsers.parse('儿童档案中的"{title}"包含"{text}"'))
def file_entry_contains(story, title, text):
    with story.app.app_context():
        case = story.case()
        entries = story.session().scalars(select(CaseFileEntry).where(CaseFileEntry.child_id == case.child_id)).all()
        bodies = [(e.body or "") + str(e.data or "") for e in entries if titled(e, title)]
        assert bodies and any(text in b for b in bodies), f"“{title}”中没有“{text}”"


def today() -> str:
    return date.today().isoformat()
