"""Basic living support (基本生活保障, POLICY.md §5): the supports a case grants, the monthly ledger, the county's list.

One concern a module: `support` (apply a case's grant, update and stop; hand over to resettlement),
`payments` (the scheduler job opening one row per child per month), `ledger` (the finance
office's list and CSV per county).
"""
from handlers.living import CATEGORY_TITLES

from .ledger import county_payments, export_csv, ledger_months
from .payments import open_due_payments
from .support import active_support, apply_requests, support_of_case

__all__ = ["CATEGORY_TITLES", "active_support", "apply_requests", "county_payments", "export_csv", "ledger_months",
           "open_due_payments", "support_of_case"]
