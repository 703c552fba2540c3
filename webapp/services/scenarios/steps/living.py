"""Steps of the basic living support scenarios: the payment ledger and the support's state.

Everything else is the generic vocabulary (start, complete a task with a table, time passes,
the child's file); these read what a finance office or a county official would look at.
"""
from sqlalchemy import select

from ....models import Child, LivingPayment, LivingSupport
from ..vocabulary import then


def _child(story, name) -> Child:
    child = story.session().scalars(select(Child).where(Child.name == name)).first()
    assert child is not None, f"没有儿童“{name}”"
    return child


def _support(story, name) -> LivingSupport:
    supports = story.session().scalars(select(LivingSupport).where(
        LivingSupport.child_id == _child(story, name).id).order_by(LivingSupport.id)).all()
    assert supports, f"儿童“{name}”没有基本生活保障"
    return supports[-1]


@then('儿童"{name}"的基本生活保障发放台账为"{months}"')
def ledger_is(story, name, months):
    rows = story.session().execute(select(LivingPayment.month, LivingPayment.amount_fen).where(
        LivingPayment.child_id == _child(story, name).id).order_by(LivingPayment.month)).all()
    actual = [f"{month:%Y-%m}" for month, _amount in rows]
    expected = [] if months == "无" else [m.strip() for m in months.split("、")]
    assert actual == expected, f"发放台账为 {actual}"


@then('儿童"{name}"每月领取"{category}" {amount} 元')
def monthly_amount(story, name, category, amount):
    from handlers.living import CATEGORY_TITLES
    support = _support(story, name)
    assert CATEGORY_TITLES[support.category] == category, f"保障类别为 {CATEGORY_TITLES[support.category]}"
    assert f"{support.monthly_amount_fen / 100:.2f}" == amount, f"金额为 {support.monthly_amount_fen / 100:.2f}"


@then('儿童"{name}"的基本生活保障已终止，原因是"{reason}"')
def stopped(story, name, reason):
    from handlers.living import STOP_REASONS
    support = _support(story, name)
    assert support.status == "stopped", f"保障状态为 {support.status}"
    assert STOP_REASONS[support.stop_reason] == reason, f"终止原因为 {STOP_REASONS[support.stop_reason]}"


@then('儿童"{name}"的基本生活保障正在发放')
def running(story, name):
    assert _support(story, name).status == "active"


@then('儿童"{name}"没有基本生活保障')
def none_granted(story, name):
    assert story.session().scalars(select(LivingSupport).where(
        LivingSupport.child_id == _child(story, name).id)).first() is None


@then('儿童"{name}"的基本生活保障发放台账共 {count:d} 个月，从 {first} 到 {last}')
def ledger_span(story, name, count, first, last):
    months = [f"{m:%Y-%m}" for m in story.session().scalars(select(LivingPayment.month).where(
        LivingPayment.child_id == _child(story, name).id).order_by(LivingPayment.month))]
    assert (len(months), months[:1], months[-1:]) == (count, [first], [last]), f"发放台账为 {months}"


@then('本案件按"{place}"的版本办理')
def case_on_variant(story, place):
    """Which version the case started on: "全国" or the place of a regional variant (e.g. "上海市")."""
    from ... import variants
    prefix = story.case().definition.region_prefix
    actual = variants.place_name(story.session(), prefix) if prefix else "全国"
    assert actual == place, f"本案件按“{actual}”的版本办理（区划前缀“{prefix}”）"


@then('儿童"{name}"的医疗救助参保资助比例为"{percent}"')
def medical_aid(story, name, percent):
    """The ratio on the child's support: a number with %, or "按当地规定" when the version sets none."""
    actual = _support(story, name).medical_aid_percent
    shown = f"{actual}%" if actual is not None else "按当地规定"
    assert shown == percent, f"医疗救助参保资助比例为 {shown}"
