"""Steps of the school's yearly mental-health check (features/psych_referral.feature): the light
check per pupil and school year in the school's list, recorded by the school; a concern starts
the psychological referral, which becomes the scenario's case."""
from sqlalchemy import select

from ....engine.clock import local_date
from ....models import SchoolCheck
from ... import school_checks
from ..vocabulary import then, when
from .generic import table_data
from .roster import child_named, listed_in, record_first


def _checks(story, name, state="open"):
    query = select(SchoolCheck).where(SchoolCheck.child_id == child_named(story, name).id)
    if state:
        query = query.where(SchoolCheck.state == state)
    return story.session().scalars(query.order_by(SchoolCheck.school_year)).all()


@then('儿童"{name}"有待办的学校年度心理健康监测，{year:d} 学年，期限 {due}')
def open_check(story, name, year, due):
    """儿童有本学年待办的学校年度心理健康监测（学年、期限）。"""
    with story.reading():
        found = [(c.school_year, local_date(c.due).isoformat()) for c in _checks(story, name)]
        assert found == [(year, due.strip())], f"待办的学校年度心理健康监测为 {found}"


@then('儿童"{name}"没有待办的学校年度心理健康监测')
def no_open_check(story, name):
    """儿童没有待办的学校年度心理健康监测。"""
    with story.reading():
        assert not _checks(story, name), "仍有待办的学校年度心理健康监测"


@then('儿童"{name}"的学校年度心理健康监测共 {count:d} 项')
def check_count(story, name, count):
    """儿童的学校年度心理健康监测（无论状态）共几项。"""
    with story.reading():
        found = _checks(story, name, state=None)
        assert len(found) == count, f"共 {len(found)} 项：{[(c.school_year, c.state) for c in found]}"


def _listed(story, username, name):
    return listed_in(story, school_checks.checks_page, username, name)


@then('"{username}"的学校心理健康监测中有学生"{name}"')
def listed(story, username, name):
    """某用户（学校、教育局）的学校心理健康监测列表中有该学生。"""
    assert _listed(story, username, name), f"{username} 的学校心理健康监测中没有“{name}”"


@then('"{username}"的学校心理健康监测中没有学生"{name}"')
def not_listed(story, username, name):
    """某用户的学校心理健康监测列表中没有该学生（或无权查看）。"""
    story.attempt(lambda s: school_checks.checks_page(s, story.user(username), story.engine.clock.now(), per_page=200))
    if story.error is None:
        assert not _listed(story, username, name), f"{username} 的学校心理健康监测中不应有“{name}”"


def _record(story, username, name, datatable):
    return record_first(story, lambda: _checks(story, name), school_checks.record, username, table_data(datatable),
                        ("signs",), f"儿童“{name}”没有待办的学校年度心理健康监测")


@when('"{username}" 登记学生"{name}"的学校年度心理健康监测：')
def record(story, username, name, datatable):
    """学校登记学生的年度心理健康监测结果（发现苗头的据此发起心理健康转介）。"""
    done = _record(story, username, name, datatable)
    assert story.error is None, f"登记失败：{story.error.message} {getattr(story.error, 'errors', '')}"
    if done.started_case_id:
        story.case_id = done.started_case_id


@when('"{username}" 尝试登记学生"{name}"的学校年度心理健康监测：')
def try_record(story, username, name, datatable):
    """尝试登记（预期被拒绝，用“请求被拒绝”检查）。"""
    _record(story, username, name, datatable)
