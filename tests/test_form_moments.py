"""The date-time field kind: RFC 3339 with its offset, a datetime-local input in Beijing time."""
from datetime import datetime, timezone

import pytest

from webapp.services import forms
from webapp.services.errors import Invalid
from webapp.services.moments import beijing_input
from webapp.services.plausibility import Context

SCHEMA = {"type": "object", "properties": {
    "accepted_at": {"type": "string", "title": "受理时间", "format": "date-time", "x-not-future": 0,
                    "x-not-before-birth": True}},
    "required": ["accepted_at"], "additionalProperties": False}
NOON_20TH = Context.at(datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc))  # 12:00 in Beijing


def _refusal(value) -> str:
    with pytest.raises(Invalid) as refused:
        forms.validate(SCHEMA, {"accepted_at": value}, context=NOON_20TH)
    return refused.value.errors["accepted_at"]


@pytest.mark.parametrize("value", ["2026-11-20", "2026-11-20T10:30", "2026-11-20 10:30+08:00", "2026-13-01T10:30:00+08:00",
                                   "2026-11-20T25:00:00+08:00", "昨天上午", ""])
def test_a_moment_without_its_offset_or_not_a_moment_is_refused_in_chinese(value):
    assert "日期和时间" in _refusal(value)


def test_a_moment_in_any_offset_is_accepted_and_its_beijing_date_is_checked():
    forms.validate(SCHEMA, {"accepted_at": "2026-11-20T10:30:00+08:00"}, context=NOON_20TH)
    forms.validate(SCHEMA, {"accepted_at": "2026-11-20T02:30:00Z"}, context=NOON_20TH)
    # 20 Nov 17:00 UTC is already 21 Nov in Beijing: later than today there
    assert "晚于今天" in _refusal("2026-11-20T17:00:00Z")


def test_the_browser_input_is_beijing_time_and_shown_back_as_such():
    data = forms.from_browser(SCHEMA, {"accepted_at": "2026-11-20T10:30"})
    assert data == {"accepted_at": "2026-11-20T10:30:00+08:00"}
    forms.validate(SCHEMA, data, context=NOON_20TH)
    assert beijing_input("2026-11-20T02:30:00Z") == "2026-11-20T10:30"
    assert beijing_input("2026-11-20") is None  # an older version's plain date is shown as it is
