"""The child director's roster (issue 15.4–15.6): light tasks per child and period, not cases.

One concern a module: `periods` (which period a day is in, per grade's cadence), `opening`
(the set-based daily sweep and the overdue watch), `lists` (the roster a page at a time),
`recording` (who records a contact or visit, and what is kept), `referrals` (a finding starts
a procedure: the one place), `reassessment` (the two-yearly capacity assessment) and
`filecheck` (the county's six-monthly check). Why light tasks: README "The roster".
"""
from .filecheck import check_for, checks_query, complete_check, open_file_checks
from .lists import counts, roster_page, scope
from .opening import escalate_roster, on_roster, open_periods, open_roster
from .periods import CATEGORY_TITLES, GRADE_TITLES, GRADES, cadence_table, period_from_key
from .reassessment import open_reassessments
from .record_form import CARE, FOLLOW_UPS, METHODS, RECORD_FORM, SAFETY, SCHOOL, SIGNS, summary
from .recording import complete, may_record, task_for, title_of

__all__ = [
    "CARE", "CATEGORY_TITLES", "FOLLOW_UPS", "GRADES", "GRADE_TITLES", "METHODS", "RECORD_FORM", "SAFETY", "SCHOOL",
    "SIGNS", "cadence_table", "check_for", "checks_query", "complete", "complete_check", "counts", "escalate_roster",
    "may_record", "on_roster", "open_file_checks", "open_periods", "open_reassessments", "open_roster",
    "period_from_key", "roster_page", "scope", "summary", "task_for", "title_of",
]
