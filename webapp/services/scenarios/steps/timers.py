"""Steps about time: today's date, deadlines and escalation, recurring visits of the child.

Time itself moves with the generic "时间过去 N 天" / "时间到达 2027-06-01" steps, which fire
timers through `scheduler.run_due_work`, the code the background worker and
`tonghu timers fire` run. A recurring visit is a case of its own (one per cycle), so the
steps here look at every case of the scenario's child, not only the case at hand.
"""
from datetime import date, datetime, timezone

from sqlalchemy import select

from ....engine.clock import LOCAL_TZ, local_date
from ....models import Case, CaseFileEntry, HumanTask, MonitoringPlan
from ... import deadlines, routing
from ..vocabulary import given, then, when
from .entrustment import INSTITUTION, all_sign, assessed_insufficient, consent_and_draft, investigation_done, table
from .generic import complete_task_with_table


@given("今天是 {day}")
def today_is(story, day):
    """Pin the scenario's clock to 09:00 (China time) on `day`, whatever the real date."""
    moment = datetime.combine(date.fromisoformat(day.strip()), datetime.min.time().replace(hour=9), LOCAL_TZ)
    story.engine.clock.offset = moment - datetime.now(timezone.utc)


@given("委托照护协议生效，儿童于 {day} 入住")
@when("委托照护协议生效，儿童于 {day} 入住")
def agreement_in_force(story, day):
    investigation_done(story)
    assessed_insufficient(story)
    consent_and_draft(story)
    all_sign(story)
    _complete_child_task(story, INSTITUTION, "admit_child", table(admitted_on=day.strip(), care_plan="日常照料、学业辅导"))


# -- the child's tasks, across the cases of the child -----------------------------------------
def _child_tasks(story, name, state="open"):
    session = story.session()
    child_id = story.case().child_id
    rows = session.scalars(select(HumanTask).join(Case, Case.id == HumanTask.case_id).where(
        Case.child_id == child_id, HumanTask.state == state).order_by(HumanTask.due, HumanTask.id)).all()
    return [t for t in rows if name in (t.name, t.title)]


def _try_child_task(story, username, name, datatable):
    tasks = _child_tasks(story, name)
    assert tasks, f"儿童没有待办任务“{name}”"
    complete_task_with_table(story, username, tasks[0].id, datatable)


def _complete_child_task(story, username, name, datatable):
    _try_child_task(story, username, name, datatable)
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"


@when('"{username}" 办理儿童的任务"{name}"：')
def complete_child_task(story, username, name, datatable):
    _complete_child_task(story, username, name, datatable)


@when('"{username}" 尝试办理儿童的任务"{name}"：')
def try_child_task(story, username, name, datatable):
    _try_child_task(story, username, name, datatable)


def _listed(story, username, name):
    with story.reading():
        user = story.user(username)
        child_id = story.case().child_id
        return [t for t in story.session().scalars(routing.visible_tasks(user))
                if t.case.child_id == child_id and name in (t.name, t.title)]


@then('"{username}"的任务列表中有儿童的任务"{name}"，办理期限为 {day}')
def child_task_listed_due(story, username, name, day):
    tasks = _listed(story, username, name)
    assert tasks, f"{username} 的列表中没有本儿童的“{name}”"
    assert [local_date(t.due).isoformat() for t in tasks] == [day.strip()], [t.due for t in tasks]


@then('"{username}"的任务列表中有儿童的任务"{name}"')
def child_task_listed(story, username, name):
    assert _listed(story, username, name), f"{username} 的列表中没有本儿童的“{name}”"


@then('"{username}"的任务列表中没有儿童的任务"{name}"')
def child_task_not_listed(story, username, name):
    tasks = _listed(story, username, name)
    assert not tasks, f"{username} 的列表中不应有“{name}”：期限 {[t.due for t in tasks]}"


@then('儿童的任务"{name}"已办结 {count:d} 次')
def child_task_done_times(story, name, count):
    with story.reading():
        assert len(_child_tasks(story, name, "completed")) == count


@then('儿童的任务"{name}"已取消')
def child_task_cancelled(story, name):
    with story.reading():
        assert _child_tasks(story, name, "cancelled"), f"“{name}”没有被取消"
        assert not _child_tasks(story, name), f"“{name}”仍在待办"


# -- deadlines ------------------------------------------------------------------------------------
def _task(story, name, state="open"):
    tasks = _child_tasks(story, name, state)
    assert tasks, f"儿童没有{'待办' if state == 'open' else ''}任务“{name}”"
    return tasks[0]


@then('任务"{name}"的办理期限为 {day}')
def task_due_on(story, name, day):
    with story.reading():
        assert local_date(_task(story, name).due).isoformat() == day.strip()


@then('任务"{name}"已逾期')
def task_overdue(story, name):
    with story.reading():
        task = _task(story, name)
        assert task.due < story.engine.clock.now(), f"期限 {task.due} 未到"
        assert task.escalated_at is not None, "逾期任务没有升级"


@then('任务"{name}"未逾期')
def task_not_overdue(story, name):
    with story.reading():
        task = _task(story, name)
        assert task.due >= story.engine.clock.now() and task.escalated_at is None


def _notices(story, username, name):
    with story.reading():
        user = story.user(username)
        child_id = story.case().child_id
        notices = story.session().scalars(deadlines.notifications_query(user)).all()
        return [n for n in notices if n.kind == "overdue" and n.task is not None
                and n.task.case.child_id == child_id and name in (n.task.name, n.task.title)]


@then('"{username}"收到任务"{name}"的逾期提醒')
def overdue_notice(story, username, name):
    assert _notices(story, username, name), f"{username} 没有收到“{name}”的逾期提醒"


@then('"{username}"收到任务"{name}"的逾期提醒 {count:d} 次')
def overdue_notice_times(story, username, name, count):
    assert len(_notices(story, username, name)) == count


@then('"{username}"没有收到任务"{name}"的逾期提醒')
def no_overdue_notice(story, username, name):
    assert not _notices(story, username, name)


@then('任务"{name}"在"{username}"的逾期清单中')
def in_overdue_view(story, name, username):
    with story.reading():
        user = story.user(username)
        now = story.engine.clock.now()
        tasks = story.session().scalars(deadlines.overdue_query(user, now)).all()
        child_id = story.case().child_id
        assert any(t.case.child_id == child_id and name in (t.name, t.title) for t in tasks), \
            f"{username} 的逾期清单中没有“{name}”"


# -- monitoring plans -------------------------------------------------------------------------------
def _plan(story, title) -> MonitoringPlan:
    session = story.session()
    plans = session.scalars(select(MonitoringPlan).where(MonitoringPlan.child_id == story.case().child_id)).all()
    matching = [p for p in plans if title == p.kind or title in p.title]
    assert matching, f"没有定期走访“{title}”，只有 {[p.title for p in plans]}"
    return matching[-1]


@then('定期走访"{title}"仍在进行，下次于 {day} 到期')
def plan_running(story, title, day):
    with story.reading():
        plan = _plan(story, title)
        assert plan.status == "active", f"状态为 {plan.status}（{plan.closed_reason}）"
        assert local_date(plan.next_due).isoformat() == day.strip()


@then('定期走访"{title}"已结束，原因为"{reason}"')
def plan_ended(story, title, reason):
    with story.reading():
        plan = _plan(story, title)
        assert plan.status in ("ended", "closed"), f"状态为 {plan.status}"
        assert reason in (plan.closed_reason or ""), plan.closed_reason


@then('定期走访"{title}"共发起 {count:d} 次')
def plan_cycles(story, title, count):
    with story.reading():
        assert _plan(story, title).cycle == count


@then('定期走访"{title}"的被委托照护人为"{carer}"')
def plan_carer(story, title, carer):
    with story.reading():
        assert _plan(story, title).carer == carer



@then('委托照护协议案件的档案记录"{title}"包含"{text}"')
def agreement_entry_contains(story, title, text):
    """The entry sits on the agreement's own case (story's case), not only on a visit's."""
    with story.reading():
        entries = story.session().scalars(select(CaseFileEntry).where(
            CaseFileEntry.case_id == story.case_id, CaseFileEntry.title == title)).all()
        assert entries, f"协议案件的档案中没有“{title}”"
        assert any(text in (e.body or "") + str(e.data or "") for e in entries), f"“{title}”中没有“{text}”：{[e.data for e in entries]}"
