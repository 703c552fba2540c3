"""Forms shown to people: a step's typed data as browser values, and what it recorded in words."""
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Case
from ..services import cases, definitions, forms
from ..services.moments import beijing_input
from .common import audit_read, session


def form_values(schema: dict, data: dict) -> dict[str, str]:
    """Browser values (by dotted path) of a form's fields, taken from typed data."""
    values = {}
    for path, prop in forms.field_paths(schema):
        value = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            values[path] = "true" if value else "false"
        elif prop.get("format") == "date-time" and beijing_input(value):
            values[path] = beijing_input(value)  # the datetime-local input shows Beijing time
        elif value is not None:
            values[path] = str(value)
    return values


def describe(schema: dict, data: dict | None, extras: bool = True) -> list[tuple[str, str]]:
    """What a step recorded, as (field title, readable value), in the form's order; `extras`:
    also keys the form no longer names (older versions), as they are."""
    rows = []
    data = data or {}
    for path, prop in forms.field_paths(schema):
        value, parent, titles = data, schema, []
        for part in path.split("."):
            parent_prop = parent.get("properties", {}).get(part, {})
            titles.append(parent_prop.get("title", part))
            parent = parent_prop
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or value == "":
            continue
        if "enum" in prop and "x-enum-titles" in prop and value in prop["enum"]:
            text = prop["x-enum-titles"][prop["enum"].index(value)]
        elif isinstance(value, bool):
            labels = prop.get("x-labels") or [_("Yes"), _("No")]
            text = labels[0] if value else labels[1]
        elif prop.get("format") == "date-time" and beijing_input(value):
            text = _("%(moment)s (Beijing time)", moment=beijing_input(value).replace("T", " "))
        else:
            text = str(value)
        rows.append((" · ".join(titles), text))
    for key, value in data.items():  # a confidential group, masked whole
        if value == cases.CONFIDENTIAL_MASK:
            rows.append((schema.get("properties", {}).get(key, {}).get("title", key), value))
    if not extras:
        return rows
    known = {p.split(".")[0] for p, _prop in forms.field_paths(schema)}
    for key, value in data.items():  # fields the form no longer names (older versions)
        if key not in known and not isinstance(value, (dict, list)) and value != cases.CONFIDENTIAL_MASK:
            rows.append((key, str(value)))
    return rows


def history(case: Case) -> list[dict]:
    """The completed steps of a case with who, which office, when and what they recorded."""
    s = session()
    return [{
        "task": t,
        "office": cases.task_office(s, t),
        "rows": describe(cases.task_form(s, t), cases.shown_data(current_user, case, t.data or {})),
    } for t in cases.completed_tasks(s, case)]


def opening(case: Case, data: dict) -> dict:
    """The story's first chapter: when, by which office (not named where the opener is a
    confidential reporter the viewer may not know) and what was reported (`data`: as shown)."""
    opener = cases.opener_shown(current_user, case)
    if opener is not None:
        source = opener.office.name if opener.office else opener.display_name
    elif case.started_by is not None:
        source = cases.CONFIDENTIAL_MASK
    elif data.get("handed_over_from"):
        source = _("Handed over from another procedure")
    else:
        source = _("Opened by the scheduler")
    schema = definitions.form_of(case.definition, case.definition.start_form)
    return {"at": case.started_at, "source": source, "rows": describe(schema, data, extras=False)}


def audit_reporter_read(user, case: Case, *datas, opener: bool = False) -> None:
    """Record that this request names the confidential reporter to `user` (one entry a request),
    in a private case too: its own read entry says the case was opened, not that the reporter was named.
    `datas` are the data shown; `opener`: the page names who opened the case."""
    names_opener = opener and cases.opener_shown(user, case) is not None and bool(cases.confidentiality(case.definition)[0])
    if names_opener or cases.reveals_confidential(user, case, *datas):
        audit_read(user, cases.REPORTER_READ, f"case:{case.id}", child_id=case.child_id, case_id=case.id)
