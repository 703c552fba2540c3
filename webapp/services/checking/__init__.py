"""Is a diagram acceptable? Everything Tonghu needs to run and route it, at every depth.

Problems come as (file, element id, message) so the CLI can print them and the designer can
highlight the element: `report` orchestrates; `support` reads the raw files (what cannot run or
needs a sender), `nodes` each flow element, `variables` the names conditions and scripts use,
`scripts` designers' code against the sandbox's rule.
"""
from .problem import Problem
from .report import Report, check_files, check_report
from .variables import BASE_VARIABLES, expression_names, known_variables, script_assignments

__all__ = ["BASE_VARIABLES", "Problem", "Report", "check_files", "check_report", "expression_names",
           "known_variables", "script_assignments"]
