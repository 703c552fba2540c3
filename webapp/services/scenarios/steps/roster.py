"""Steps of the roster scenarios (features/roster.feature): registered children, the child director's
走访名册, a contact that starts a procedure, the county's file check.

Children are registered through the registry (`registry.children.register`, by the village's
child director) and move through the move service (`moves.record_move`, by county civil
affairs). Time moves with the generic steps (`时间到达`, `时间过去`), which run the scheduler
as the worker does; "调度程序运行" runs it at the present moment. A started procedure becomes
the scenario's case, so the generic task and file steps apply to it.
"""
from sqlalchemy import select

from ....engine.clock import local_date
from ....models import Case, CaseFileEntry, Child, RosterFileCheck, RosterTask
from ... import deadlines, moves, roster
from ...registry import children
from ..vocabulary import given, then, when
from .generic import _fire, child_for, table_data

KINDS = {"联系": "contact", "走访": "visit", "入户走访": "visit"}
LISTS = ("signs", "follow_up")


def child_named(story, name) -> Child:
    child = story.session().scalars(select(Child).where(Child.name == name)).first()
    assert child is not None, f"没有登记儿童“{name}”"
    return child


@given('"{region}"登记困境儿童"{name}"：')
def register_child(story, region, name, datatable):
    """村（居）儿童主任在儿童名册中登记困境儿童（类别以“、”分隔，可带风险等级）。"""
    data = table_data(datatable)
    identity = child_for(name, data.get("birth_date", "2015-06-01"), data.get("gender", "female"))
    categories = [c.strip() for c in str(data.get("categories", "")).split("、") if c.strip()]
    grade = data.get("risk_grade") or None
    entry = {**identity, "name": name, "region": region.strip(), "categories": categories, "risk": grade,
             "risk_reason": "登记时评定" if grade else None}
    story.attempt(lambda s: children.register(s, story.user(f"village.{region.strip()}"), entry,
                                              story.engine.clock.now()))
    assert story.error is None, f"登记失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@given("调度程序运行")
@when("调度程序运行")
def scheduler_runs(story):
    """调度程序在当前时刻运行一次（开启名册任务、逾期提醒等）。"""
    _fire(story)


@when('儿童"{name}"迁居到"{region}"')
def child_moves(story, name, region):
    """县级民政部门登记儿童迁居（走访名册随住所地而定）。"""
    region = region.strip()
    county = f"civil_affairs.{region[:6]}000000"
    story.attempt(lambda s: moves.record_move(s, child_named(story, name), region, story.user(county),
                                              story.engine.clock.now()))
    assert story.error is None, f"迁居失败：{story.error.message}"


def _tasks(story, name, state="open", kind=None):
    query = select(RosterTask).where(RosterTask.child_id == child_named(story, name).id)
    if state:
        query = query.where(RosterTask.state == state)
    if kind:
        query = query.where(RosterTask.kind == kind)
    return story.session().scalars(query.order_by(RosterTask.due, RosterTask.id)).all()


@then('儿童"{name}"的名册任务为：')
def roster_tasks_are(story, name, datatable):
    """儿童待办的名册任务（类型、期限）恰为表中所列。"""
    with story.reading():
        expected = sorted((KINDS[kind.strip()], due.strip()) for kind, due in datatable[1:])
        actual = sorted((t.kind, local_date(t.due).isoformat()) for t in _tasks(story, name))
        assert actual == expected, f"实际为 {actual}"


@then('儿童"{name}"的名册任务均已取消')
def roster_tasks_cancelled(story, name):
    """儿童的名册任务均已取消（已离开名册）。"""
    with story.reading():
        assert _tasks(story, name, state=None) and not _tasks(story, name), "仍有待办的名册任务"


def listed_in(story, page_of, username, name) -> list:
    """The items of a light task's list (`page_of(session, user, now, per_page=…)`) for the child `name`."""
    with story.reading():
        page = page_of(story.session(), story.user(username), story.engine.clock.now(), per_page=200)
        return [t for t in page.items if t.child.name == name]


def _listed(story, username, name):
    return listed_in(story, roster.roster_page, username, name)


@then('"{username}"的走访名册中有儿童"{name}"')
def on_the_roster(story, username, name):
    """某用户的走访名册中有该儿童。"""
    assert _listed(story, username, name), f"{username} 的走访名册中没有“{name}”"


@then('"{username}"的走访名册中没有儿童"{name}"')
def not_on_the_roster(story, username, name):
    """某用户的走访名册中没有该儿童。"""
    assert not _listed(story, username, name), f"{username} 的走访名册中不应有“{name}”"


@when('"{username}" 登记儿童"{name}"的{kind}：')
def record(story, username, name, kind, datatable):
    """儿童主任登记联系或入户走访的情况（可调整风险等级、据此发起流程）。"""
    done = record_first(story, lambda: _tasks(story, name, kind=KINDS[kind.strip()]), roster.complete, username,
                        table_data(datatable), LISTS, f"儿童“{name}”没有待办的{kind}")
    assert story.error is None, f"登记失败：{story.error.message} {getattr(story.error, 'errors', '')}"
    if done.started_case_id:
        story.case_id = done.started_case_id


def record_first(story, open_ones, record, username, data: dict, lists, missing: str):
    """Record the first of `open_ones()` (light tasks, soonest first) with the table's `data` (its
    `lists` fields split at 、) through `record(session, engine, id, data, user, now)`; None if refused."""
    for field in lists:
        if field in data:
            data[field] = [v.strip() for v in str(data[field]).split("、") if v.strip()]
    with story.reading():
        found = open_ones()
        assert found, missing
        task_id = found[0].id
    return story.attempt(lambda s: record(s, story.engine, task_id, data, story.user(username), story.engine.clock.now()))


@then('儿童"{name}"有正在进行的"{process_id}"案件')
def running_case(story, name, process_id):
    """儿童有正在进行的某流程案件（成为本场景的案件）。"""
    with story.reading():
        found = [c for c in story.session().scalars(select(Case).where(Case.child_id == child_named(story, name).id))
                 if c.definition.process_id == process_id and c.status == "running"]
        assert found, f"儿童“{name}”没有正在进行的 {process_id} 案件"
        story.case_id = found[-1].id


@then('儿童"{name}"的档案中有"{title}"')
def child_file_has(story, name, title):
    """儿童档案中有某标题（或以其开头）的条目。"""
    with story.reading():
        titles = story.session().scalars(select(CaseFileEntry.title).where(
            CaseFileEntry.child_id == child_named(story, name).id)).all()
        assert any(t == title or t.startswith(title) for t in titles), f"档案中没有“{title}”，只有 {titles}"


@then('"{username}"收到通知，内容包含"{text}"')
def notified(story, username, text):
    """某用户收到的通知中有包含该文字的。"""
    with story.reading():
        notices = story.session().scalars(deadlines.notifications_query(story.user(username))).all()
        assert any(text in n.message for n in notices), f"{username} 的通知：{[n.message for n in notices]}"


def _check(story, username, township, period):
    with story.reading():
        checks = story.session().scalars(roster.checks_query(story.user(username), None)).all()
        found = [c for c in checks if c.township_code == township and c.period == period]
        assert found, f"{username} 没有 {township} {period} 的档案检查，只有 {[(c.township_code, c.period) for c in checks]}"
        return found[0]


@then('"{username}"有"{township}"{period}的档案检查，列出儿童"{name}"：{problem}')
def check_lists(story, username, township, period, name, problem):
    """县级民政部门的档案检查列出该儿童及其问题。"""
    check = _check(story, username, township, period.strip())
    items = [i for i in check.items if i.get("name") == name]
    assert items and any(problem in p for p in items[0]["problems"]), f"档案检查所列：{check.items}"


@when('"{username}" 办理"{township}"{period}的档案检查：')
def complete_check(story, username, township, period, datatable):
    """县级民政部门办理档案检查，意见送乡镇。"""
    check_id = _check(story, username, township, period.strip()).id
    story.attempt(lambda s: roster.complete_check(s, check_id, table_data(datatable), story.user(username),
                                                  story.engine.clock.now()))
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@then('"{township}"{period}的档案检查只有 {count:d} 项')
def check_count(story, township, period, count):
    """某乡镇某期的档案检查只开启了若干项。"""
    with story.reading():
        found = story.session().scalars(select(RosterFileCheck).where(
            RosterFileCheck.township_code == township, RosterFileCheck.period == period.strip())).all()
        assert len(found) == count


@then('"{username}"没有收到走访名册逾期提醒')
def no_roster_notice(story, username):
    """某用户没有收到走访名册逾期提醒。"""
    with story.reading():
        notices = story.session().scalars(deadlines.notifications_query(story.user(username))).all()
        assert not [n for n in notices if n.kind == "roster_overdue"]

