"""The school's yearly mental-health check (shanghai （十二）: 学校每学年开展心理健康监测) as light tasks.

Not a `psych_referral` case per pupil and year: at a province's million children that is hours of
scheduler work and a million cases mostly saying "nothing found" (issue 15 point 9). As the roster
does for routine contacts, one set-based INSERT opens a `school_checks` row per pupil and school
year (`opening`), held by the child's school; the school records the result (`recording`), and a
concern starts `psych_referral` with the child and the observation carried over, its first step
(学校年度心理健康监测) answered by the record. Overdue checks go to the county's education bureau.
"""
from .opening import SETTING, due_of, escalate_school_checks, open_school_checks, school_year
from .recording import RECORD_FORM, check_for, checks_page, may_record, record, school_counts

__all__ = ["RECORD_FORM", "SETTING", "check_for", "checks_page", "due_of", "escalate_school_checks", "may_record",
           "open_school_checks", "record", "school_counts", "school_year"]
