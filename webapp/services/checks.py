"""The diagram checks, under the name their callers know (they live in `services/checking/`)."""
from .checking import (
    BASE_VARIABLES, Problem, Report, check_files, check_report, expression_names, known_variables, script_assignments,
)

__all__ = ["BASE_VARIABLES", "Problem", "Report", "check_files", "check_report", "expression_names",
           "known_variables", "script_assignments"]
