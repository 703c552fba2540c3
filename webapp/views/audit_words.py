"""The audit log in words: `task.complete` on `task:96` reads "办结任务：入户调查监护情况（案件 12）",
with a link to what it names. Each verb is a literal `_()` so the catalogue extraction finds it."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from ..services import audit_targets


def verbs() -> dict[str, str]:
    return {
        "task.read": _("Read the task"), "task.claim": _("Claimed the task"), "task.release": _("Released the task"),
        "task.reassign": _("Reassigned the task"), "task.complete": _("Completed the task"),
        "task.overdue": _("The task became overdue"),
        "task.supervisor_open": _("Opened a task it was told is overdue"),
        "child.move": _("Recorded the child's move"), "child.school": _("Changed the child's school"),
        "case.start": _("Opened the case"), "case.read": _("Read the case"), "case.retry": _("Retried the failed case"),
        "case.cancel": _("Stopped the case"), "diagram.read": _("Read the case diagram"),
        "monitoring.read": _("Read the monitoring plans"), "document.read": _("Read the document"),
        "child.read": _("Read the child's file"), "child.institution_care": _("Recorded the child's institutional care"),
        "psych.read": _("Read the psychological health file"),
        "revocation.read": _("Read the guardianship revocation case"), "reporter.read": _("Learned the confidential reporter"),
        "login": _("Signed in"), "login.failed": _("Failed to sign in"), "login.locked": _("Account locked after failed sign-ins"),
        "logout": _("Signed out"), "password.change": _("Changed the password"),
        "admin.user.create": _("Created the account"), "admin.user.activate": _("Activated the account"),
        "admin.user.deactivate": _("Deactivated the account"), "admin.user.unlock": _("Unlocked the account"),
        "admin.office.create": _("Created the office"),
        "designer.draft.save": _("Saved a draft"), "designer.draft.discard": _("Discarded a draft"),
        "designer.deploy": _("Deployed the procedure"), "designer.form.save": _("Saved the form"),
        "engine.design_error": _("A procedure's design failed at run time"),
    }


@dataclass(frozen=True)
class Sentence:
    verb: str
    object: str | None  # what the action was done to, in words
    url: str | None  # where that can be seen


def _object(target: audit_targets.Target) -> tuple[str | None, str | None]:
    kind, key, name, case_id = target.kind, target.key, target.name, target.case_id
    case_page = url_for("repair.case", case_id=case_id) if case_id is not None else None
    if kind == "task":
        return (_("%(title)s (case %(case)s)", title=name, case=case_id) if name else _("task %(id)s", id=key)), case_page
    if kind == "document":
        return (_("%(title)s (case %(case)s)", title=name, case=case_id) if name else _("document %(id)s", id=key)), case_page
    if kind == "case":
        return (_("%(title)s (case %(case)s)", title=name, case=key) if name else _("case %(id)s", id=key)), case_page
    if kind == "child":
        return _("child's file %(id)s", id=key), url_for("admin.audit_log", child=key)
    if kind == "user":
        return _("account %(name)s", name=key), url_for("admin.audit_log", user=key)
    if kind == "office":
        return (name or _("office %(id)s", id=key)), url_for("admin.offices")
    if kind == "process":
        return (name or key), url_for("designer.procedure", process_id=key)
    if kind == "file":
        return _("file %(name)s", name=key), None
    if kind == "form":
        return _("form %(name)s", name=key), None
    if kind == "api":
        return _("through the API"), None
    return (key or None), None


def sentences(session, entries) -> dict[int, Sentence]:
    """{entry id: its sentence} for a page of entries."""
    words = verbs()
    targets = audit_targets.resolve(session, {e.target for e in entries})
    result = {}
    for e in entries:
        thing, url = _object(targets[e.target]) if e.target else (None, None)
        result[e.id] = Sentence(words.get(e.action, e.action), thing, url)
    return result
