"""Cases: start one, act on its tasks, fire its timers, save what a run left, and read it back.

One concern a module (ARCHITECTURE.md): `lifecycle` (open, hand over, cancel), `tasks` (claim,
release, reassign, complete), `timers`, `saving` (the one place a workflow is written, under
the case's lock), `effects` (what handlers asked for), `access` (who may read what) and
`casefile` (the child's file). Every function takes the session and plain values and leaves
the commit to the caller (a view or a CLI command). Callers use the names re-exported here.
"""
from .lifecycle import cancel_case, needed_name, open_case, start_case, start_follow_ups, start_scheduled
from .tasks import (
    assignable_users, claim, complete_task, get_task, reassign, release, task_data, task_for_actor, task_form,
)
from .design_errors import contained
from .timers import describe_failure, fire_case_timers, fire_due_timers, run_again
from .saving import lock_case, save_run
from .access import (
    CONFIDENTIAL_MASK, PRIVATE_PROCESSES, PRIVATE_READ, REPORTER_READ, REVOCATION_READ, audit_private_read,
    audit_private_reads, can_view_case, private_read_action,
    case_for, child_for, confidentiality, file_entries, is_private, opener_shown, reveals_confidential,
    sees_confidential, shown_data,
)
from .starting import may_start_here, startable
from .identity import complete_identity, may_complete as may_complete_identity
from .story import start_data
from .casefile import (
    add_entry, cases_of, completed_tasks, history_json, note_on_file, office_label, open_tasks, task_office,
    task_offices, why_routed,
)

__all__ = [
    "CONFIDENTIAL_MASK", "PRIVATE_PROCESSES", "PRIVATE_READ", "REPORTER_READ", "REVOCATION_READ", "add_entry",
    "assignable_users", "audit_private_reads", "private_read_action",
    "audit_private_read", "can_view_case", "cancel_case", "case_for", "cases_of", "child_for",
    "claim", "complete_identity", "contained", "complete_task", "completed_tasks", "confidentiality", "describe_failure",
    "file_entries", "fire_case_timers", "fire_due_timers", "get_task", "history_json", "is_private", "lock_case",
    "may_complete_identity", "may_start_here",
    "needed_name", "note_on_file", "office_label", "open_case", "open_tasks", "opener_shown",
    "reassign", "release", "reveals_confidential", "run_again", "save_run", "sees_confidential", "shown_data",
    "start_data", "startable", "start_case", "start_follow_ups",
    "start_scheduled", "task_data", "task_for_actor", "task_form", "task_office", "task_offices", "why_routed",
]
