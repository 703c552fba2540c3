"""Steps of the left-behind scenarios (features/left_behind_entrustment.feature).

Only one shortcut: the signing of the 委托照护协议书, whose full table would repeat in every
scenario; everything else uses the generic vocabulary (scenario_steps, timer_steps).
"""

from ..vocabulary import given, when
from .generic import _complete, table

GRANDMOTHER_ID = "43010419580315004X"  # a valid resident ID of an adult (born 1958)
AUNT_ID = "430104198507090066"


def agreement(carer: str, starts_on: str, ends_on: str, carer_id: str = GRANDMOTHER_ID) -> dict:
    """A complete 委托照护协议书: both parents entrust `carer` (the child's grandmother)."""
    return {
        "entrustor.name": "李强", "entrustor.relation": "father", "entrustor.phone": "13800000001",
        "entrustor.work_place": "广东省东莞市",
        "second_entrustor.name": "张丽", "second_entrustor.relation": "mother", "second_entrustor.phone": "13800000002",
        "carer.name": carer, "carer.id_number": carer_id, "carer.relation": "grandparent", "carer.phone": "13900000003",
        "carer.address": "望月湖街道第一社区 3 栋", "carer_eligible": "true", "child_heard": "true",
        "contact_arrangement": "父母每周日晚视频通话，每月给祖母打生活费", "starts_on": starts_on, "ends_on": ends_on,
        "school_informed": "true", "signed_on": starts_on,
    }


@given('儿童主任指导父母与"{carer}"签订委托照护协议书，期限 {starts_on} 至 {ends_on}')
@when('儿童主任指导父母与"{carer}"签订委托照护协议书，期限 {starts_on} 至 {ends_on}')
def sign_agreement(story, carer, starts_on, ends_on):
    _complete(story, "village.430104001001", "guide_agreement", table(**agreement(carer, starts_on.strip(), ends_on.strip())))
    assert story.error is None, f"办理失败：{story.error.message} {getattr(story.error, 'errors', '')}"
