"""The process designer's work: the catalog the modeler chooses from, drafts, validate,
deploy, the version list, the difference between two versions, forms edited in the browser,
and what a case's diagram shows.

No Flask here; every function takes the session and plain values and leaves the commit to
the caller. The unit a designer edits is a BPMN *file* of a deployed procedure (its own
diagram or a reusable one it calls); deploying a draft makes a new version of every
procedure whose files include it, so procedures that share a called diagram stay in step.
"""
import json
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import handlers
from ..catalog import DEPARTMENTS, LEVEL_NAMES
from ..engine.bundle import NS, properties_of
from ..models import Case, Draft, HumanTask, LEVELS, ProcessDefinition, User
from . import cases, definitions, plausibility, routing
from .checks import Problem, check_files
from .errors import Conflict, Invalid, NotFound

FILENAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")


# -- what the modeler chooses from ---------------------------------------------------------
def catalog(forms: dict[str, dict]) -> dict:
    """Departments with their levels, levels, forms and handlers with their typed parameters."""
    return {
        "departments": [{"code": code, "name": name, "levels": list(levels)}
                        for code, (name, levels) in DEPARTMENTS.items()],
        "levels": [{"code": level, "name": LEVEL_NAMES[level]} for level in LEVELS],
        "forms": [{"name": name, "title": schema.get("title") or name if isinstance(schema, dict) else name}
                  for name, schema in sorted(forms.items())],
        "handlers": [{"name": op.name, "title": op.title, "doc": (op.fn.__doc__ or "").strip(),
                      "parameters": [{"name": pname, "type": getattr(ptype, "__name__", str(ptype)),
                                      "required": pname in _required_parameters(op)}
                                     for pname, ptype in op.parameters.items()]}
                     for op in sorted(handlers.OPERATORS.values(), key=lambda o: o.name)],
    }


def _required_parameters(op) -> set[str]:
    import inspect
    params = list(inspect.signature(op.fn).parameters.values())[1:]
    return {p.name for p in params if p.default is inspect.Parameter.empty}


# -- forms: forms/ overlaid with the ones designers saved --------------------------------
def effective_forms(session: Session, disk_forms: dict[str, dict]) -> dict[str, dict]:
    """The forms a deploy from the designer uses: forms/ with the designers' saved versions on top."""
    forms = dict(disk_forms)
    for row in session.scalars(select(Draft).where(Draft.kind == "form")):
        try:
            forms[row.name] = json.loads(row.content)
        except ValueError:
            continue
    return forms


def saved_form(session: Session, name: str) -> Draft | None:
    return session.scalars(select(Draft).where(Draft.kind == "form", Draft.name == name)).first()


def form_problems(name: str, text: str) -> tuple[dict | None, list[str]]:
    """Parse and check a form's JSON Schema as Tonghu renders and validates it."""
    problems = []
    if not name.endswith(".json") or not set(name) <= FILENAME_CHARS or name.startswith("."):
        problems.append("表单文件名只能包含小写字母、数字、下划线，并以 .json 结尾")
    try:
        schema = json.loads(text)
    except ValueError as err:
        return None, problems + [f"不是有效的 JSON：{err}"]
    if not isinstance(schema, dict):
        return None, problems + ["表单必须是一个 JSON 对象"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        problems.append(f"不是有效的 JSON Schema：{err.message}")
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        problems.append("表单的顶层必须是 \"type\": \"object\"，并有 \"properties\"")
        return schema, problems
    problems += _field_problems(schema, "") + plausibility.keyword_problems(schema)
    if name.endswith("_start.json"):
        child = schema["properties"].get("child")
        if not isinstance(child, dict) or child.get("type") != "object":
            problems.append("发起表单必须包含儿童信息对象 child（参见 entrustment_care_start.json）")
    return schema, problems


def _field_problems(schema: dict, prefix: str) -> list[str]:
    problems = []
    for fname, prop in schema.get("properties", {}).items():
        path = prefix + fname
        if not isinstance(prop, dict):
            problems.append(f"字段 {path} 的定义必须是对象")
            continue
        if not prop.get("title"):
            problems.append(f"字段 {path} 缺少中文标题（title）")
        if "enum" in prop and "x-enum-titles" in prop and len(prop["x-enum-titles"]) != len(prop["enum"]):
            problems.append(f"字段 {path} 的选项标题（x-enum-titles）与选项（enum）个数不一致")
        if prop.get("type") == "object":
            problems += _field_problems(prop, path + ".")
    for required in schema.get("required", []):
        if required not in schema.get("properties", {}):
            problems.append(f"必填字段 {prefix}{required} 不在 properties 中")
    return problems


def save_form(session: Session, name: str, text: str, user: User, now) -> Draft:
    schema, problems = form_problems(name, text)
    if problems:
        raise Invalid({"schema": "；".join(problems)}, "表单未保存：" + "；".join(problems))
    row = saved_form(session, name)
    content = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if row is None:
        row = Draft(kind="form", name=name, content=content, updated_by_id=user.id, updated_at=now)
        session.add(row)
    else:
        row.content, row.revision, row.updated_by_id, row.updated_at = content, row.revision + 1, user.id, now
    session.flush()
    return row


def procedures_using_form(session: Session, name: str) -> list[ProcessDefinition]:
    return [d for d in definitions.latest_all(session) if any(f'"{name}"' in xml for xml in d.files.values())]


# -- drafts ---------------------------------------------------------------------------------
@dataclass
class EditableFile:
    filename: str
    title: str
    xml: str
    processes: list[str]
    main: bool
    draft: Draft | None = None


def procedure(session: Session, process_id: str) -> ProcessDefinition:
    return definitions.get_latest_or_404(session, process_id)


def editable_files(session: Session, definition: ProcessDefinition) -> list[EditableFile]:
    """The BPMN files of a procedure's latest version, each with its draft if one is saved."""
    drafts = {d.name: d for d in session.scalars(select(Draft).where(Draft.kind == "bpmn",
                                                                   Draft.name.in_(list(definition.files))))}
    bundle = definitions.bundle_of(definition)
    main_file = bundle.processes[definition.process_id].filename
    files = []
    for filename, xml in definition.files.items():
        if not filename.endswith(".bpmn"):
            continue
        draft = drafts.get(filename)
        processes = [p for p in bundle.processes.values() if p.filename == filename]
        files.append(EditableFile(filename, "、".join(p.name for p in processes) or filename,
                                  draft.content if draft else xml, [p.id for p in processes],
                                  filename == main_file, draft))
    return sorted(files, key=lambda f: (not f.main, f.filename))


def _deployed_copy(session: Session, filename: str) -> tuple[str, ProcessDefinition] | None:
    """The newest deployed copy of a file, and the version it belongs to."""
    newest = None
    for definition in definitions.latest_all(session):
        if filename in definition.files and (newest is None or definition.deployed_at >= newest.deployed_at):
            newest = definition
    return (newest.files[filename], newest) if newest else None


def save_draft(session: Session, definition: ProcessDefinition, filename: str, xml: str, user: User, now,
               revision: int | None = None) -> Draft:
    """Save the designer's XML of one of a procedure's files; refuse a save based on an older revision."""
    _own_files(definition, {filename: xml})
    deployed = _deployed_copy(session, filename) or (definition.files[filename], definition)
    _check_same_processes(filename, deployed[0], xml)
    draft = session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name == filename)).first()
    if draft is None:
        draft = Draft(kind="bpmn", name=filename, content=xml, base_definition_id=deployed[1].id,
                      updated_by_id=user.id, updated_at=now)
        session.add(draft)
    else:
        if revision is not None and revision != draft.revision:
            who = draft.updated_by.display_name if draft.updated_by else "他人"
            raise Conflict(f"该草稿已由{who}于{draft.updated_at:%Y-%m-%d %H:%M}另行保存，请重新打开后再修改")
        draft.content, draft.revision, draft.updated_by_id, draft.updated_at = xml, draft.revision + 1, user.id, now
    session.flush()
    return draft


def discard_draft(session: Session, filename: str) -> None:
    draft = session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name == filename)).first()
    if draft is not None:
        session.delete(draft)
        session.flush()


def _process_ids(xml: str) -> list[str] | None:
    try:
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None
    return sorted(p.get("id") for p in tree.xpath("//bpmn:process", namespaces=NS))


def _check_same_processes(filename: str, deployed_xml: str, xml: str) -> None:
    ids = _process_ids(xml)
    if ids is None:
        raise Invalid({"xml": "不是有效的 BPMN XML"}, f"{filename} 不是有效的 BPMN XML")
    expected = _process_ids(deployed_xml) or []
    if ids != expected:
        raise Invalid({"xml": "流程标识不能修改"},
                      f"{filename} 的流程标识必须保持为 {', '.join(expected)}（现在是 {', '.join(ids) or '无'}）")


def deploy_set(session: Session, definition: ProcessDefinition, changed: dict[str, str]) -> dict[str, str]:
    """The files to deploy: the procedure's and those of every procedure that uses a changed file,
    with the changes."""
    affected = [d for d in definitions.latest_all(session) if set(d.files) & set(changed) and d.id != definition.id]
    affected = sorted(affected + [definition], key=lambda d: (d.deployed_at, d.id))
    files: dict[str, str] = {}
    for definition in affected:  # the newest copy of a shared file wins
        files.update(definition.files)
    files.update(changed)
    return files


def carried_variables(session: Session) -> set[str]:
    """Fields deployed procedures carry into others when they hand a child over."""
    names = set()
    for definition in definitions.latest_all(session):
        for xml in definition.files.values():
            if "start_procedure" not in xml:
                continue
            tree = etree.fromstring(xml.encode("utf-8"))
            for op in tree.xpath("//spiffworkflow:serviceTaskOperator[@id='start_procedure']", namespaces=NS):
                for param in op.xpath(".//spiffworkflow:parameter[@id='carry']", namespaces=NS):
                    carry = (param.get("value") or "").strip().strip("'\"")
                    names |= {n.strip() for n in carry.split(",") if n.strip()}
    return names


def _own_files(definition: ProcessDefinition, changed: dict[str, str]) -> None:
    strangers = sorted(set(changed) - {f for f in definition.files if f.endswith(".bpmn")})
    if strangers:
        raise Invalid({"files": "、".join(strangers)}, f"{'、'.join(strangers)} 不是流程 {definition.process_id} 的图文件")


def check(session: Session, definition: ProcessDefinition, changed: dict[str, str],
          forms: dict[str, dict]) -> list[Problem]:
    """Validate a procedure with its changed files, together with every procedure that uses them."""
    _own_files(definition, changed)
    for filename, xml in changed.items():
        try:
            _check_same_processes(filename, definition.files[filename], xml)
        except Invalid as err:
            return [Problem(filename, None, err.message)]
    return check_files(deploy_set(session, definition, changed), forms, carried_variables(session))


def deploy(session: Session, definition: ProcessDefinition, changed: dict[str, str], forms: dict[str, dict],
           user: User, now, note: str | None = None) -> list[ProcessDefinition]:
    """Deploy a procedure with its changed files as new versions of every procedure using them
    (a procedure whose files and forms did not change gets no new version); drop the drafts.

    Raises `definitions.DeployRefused` with the problems when they do not pass the checks.
    """
    problems = check(session, definition, changed, forms)
    if problems:
        raise definitions.DeployRefused(problems)
    files = deploy_set(session, definition, changed)
    deployed = definitions.deploy(session, files, forms, now, user, note, known_variables=carried_variables(session))
    for filename in changed:
        discard_draft(session, filename)
    return deployed


# -- versions ----------------------------------------------------------------------------
@dataclass
class VersionRow:
    definition: ProcessDefinition
    deployed_by: str | None
    running: int
    total: int


def versions(session: Session, process_id: str) -> list[VersionRow]:
    """Every version of a procedure, newest first, with who deployed it and its cases."""
    rows = list(session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
                                .order_by(ProcessDefinition.version.desc())))
    if not rows:
        raise NotFound(f"没有已部署的流程：{process_id}")
    counts = {}
    for definition_id, status, n in session.execute(
            select(Case.definition_id, Case.status, func.count(Case.id))
            .where(Case.definition_id.in_([d.id for d in rows])).group_by(Case.definition_id, Case.status)):
        counts.setdefault(definition_id, {})[status] = n
    users = {u.id: u.display_name for u in session.scalars(
        select(User).where(User.id.in_([d.deployed_by_id for d in rows if d.deployed_by_id])))}
    return [VersionRow(d, users.get(d.deployed_by_id), counts.get(d.id, {}).get("running", 0),
                       sum(counts.get(d.id, {}).values())) for d in rows]


def version(session: Session, process_id: str, number: int) -> ProcessDefinition:
    definition = session.scalars(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                                                 ProcessDefinition.version == number)).first()
    if definition is None:
        raise NotFound(f"流程 {process_id} 没有第 {number} 版")
    return definition


# -- the difference between two versions ---------------------------------------------------
@dataclass
class Change:
    kind: str            # added | removed | changed
    file: str
    element: str         # element id (or form file name)
    element_type: str    # userTask, lane, sequenceFlow, ..., form
    name: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (aspect, old, new)


# What each aspect of an element is called on the difference page.
ASPECTS = ("name", "lane", "route", "form", "dueIn", "handler", "resultVariable", "parameters", "condition",
           "default", "source", "target", "calledElement", "calledDecisionId", "preScript", "postScript",
           "script", "timer", "properties", "documentation", "fields")


def _summaries(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str, dict]]:
    """(file, element id) -> (type, name, {aspect: text}) for every semantic element."""
    out = {}
    for filename, xml in files.items():
        if not filename.endswith(".bpmn"):
            continue
        tree = etree.fromstring(xml.encode("utf-8"))
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            lanes = {}
            for lane in proc.xpath(".//bpmn:lane", namespaces=NS):
                props = properties_of(lane)
                out[(filename, lane.get("id"))] = ("lane", lane.get("name") or "", {
                    "name": lane.get("name") or "",
                    "route": f"{props.get('department') or '?'}@{props.get('level') or '?'}"})
                for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
                    lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id")
            docs = proc.xpath("./bpmn:documentation", namespaces=NS)
            out[(filename, proc.get("id"))] = ("process", proc.get("name") or "", {
                "name": proc.get("name") or "", "documentation": (docs[0].text or "").strip() if docs else ""})
            for node in proc.xpath("./*", namespaces=NS):
                tag = etree.QName(node).localname
                if tag in ("laneSet", "documentation", "extensionElements") or not node.get("id"):
                    continue
                out[(filename, node.get("id"))] = (tag, node.get("name") or "", _aspects(node, tag, lanes, proc))
    return out


def _aspects(node, tag: str, lanes: dict, proc) -> dict[str, str]:
    aspects = {"name": node.get("name") or ""}
    if node.get("id") in lanes:
        aspects["lane"] = lanes[node.get("id")]
    props = properties_of(node)
    if "formJsonSchemaFilename" in props:
        aspects["form"] = props.pop("formJsonSchemaFilename")
    if "dueIn" in props:
        aspects["dueIn"] = props.pop("dueIn")
    if props:
        aspects["properties"] = ", ".join(f"{k}={v}" for k, v in sorted(props.items()))
    for op in node.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NS):
        aspects["handler"] = op.get("id") or ""
        if op.get("resultVariable"):
            aspects["resultVariable"] = op.get("resultVariable")
        params = op.xpath(".//spiffworkflow:parameter", namespaces=NS)
        if params:
            aspects["parameters"] = ", ".join(f"{p.get('id')}={p.get('value')}" for p in params)
    for script in ("preScript", "postScript", "calledDecisionId"):
        found = node.xpath(f"./bpmn:extensionElements/spiffworkflow:{script}", namespaces=NS)
        if found:
            aspects[script] = (found[0].text or "").strip()
    script = node.xpath("./bpmn:script", namespaces=NS)
    if script:
        aspects["script"] = (script[0].text or "").strip()
    if tag == "sequenceFlow":
        aspects["source"], aspects["target"] = node.get("sourceRef") or "", node.get("targetRef") or ""
        condition = node.xpath("./bpmn:conditionExpression", namespaces=NS)
        if condition:
            aspects["condition"] = (condition[0].text or "").strip()
        source = proc.xpath(f"./*[@id='{node.get('sourceRef')}']")
        if source and source[0].get("default") == node.get("id"):
            aspects["default"] = "default"
    if node.get("calledElement"):
        aspects["calledElement"] = node.get("calledElement")
    timer = node.xpath(".//bpmn:timerEventDefinition/*", namespaces=NS)
    if timer:
        aspects["timer"] = "; ".join(f"{etree.QName(t).localname}={(t.text or '').strip()}" for t in timer)
    return aspects


def diff(old: ProcessDefinition, new: ProcessDefinition) -> list[Change]:
    """Elements added, removed and changed from `old` to `new` (layout is ignored), then forms."""
    before, after = _summaries(old.files), _summaries(new.files)
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        filename, element = key
        if key not in after:
            kind, name, _ = before[key]
            changes.append(Change("removed", filename, element, kind, name))
        elif key not in before:
            kind, name, _ = after[key]
            changes.append(Change("added", filename, element, kind, name))
        else:
            kind, name, a = before[key]
            _, new_name, b = after[key]
            details = [(aspect, a.get(aspect, ""), b.get(aspect, "")) for aspect in ASPECTS
                       if a.get(aspect, "") != b.get(aspect, "")]
            if details:
                changes.append(Change("changed", filename, element, kind, new_name or name, details))
    for name in sorted(set(old.forms) | set(new.forms)):
        if name not in new.forms:
            changes.append(Change("removed", "forms", name, "form", (old.forms[name] or {}).get("title", "")))
        elif name not in old.forms:
            changes.append(Change("added", "forms", name, "form", (new.forms[name] or {}).get("title", "")))
        elif old.forms[name] != new.forms[name]:
            a, b = set(old.forms[name].get("properties", {})), set(new.forms[name].get("properties", {}))
            detail = []
            if a != b:
                detail.append(("fields", ", ".join(sorted(a - b)), ", ".join(sorted(b - a))))
            else:
                detail.append(("fields", "", ""))
            changes.append(Change("changed", "forms", name, "form", new.forms[name].get("title", ""), detail))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.file, c.element))


# -- a case's diagram -------------------------------------------------------------------
def case_diagram(session: Session, case: Case) -> dict:
    """The diagrams of the case's version with what is done, what is open and who holds it.

    Read from the task list, never from the workflow: completed and open user tasks, the
    call activities that contain them, the start event and the end event reached.
    """
    definition = case.definition
    bundle = definitions.bundle_of(definition)
    rows = list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id).order_by(HumanTask.id)))
    marks: dict[str, dict] = {pid: {"completed": set(), "open": {}} for pid in bundle.processes}
    for task in rows:
        mark = marks.setdefault(task.process_id, {"completed": set(), "open": {}})
        if task.state == "completed":
            mark["completed"].add(task.name)
        elif task.state == "open":
            mark["open"][task.name] = {
                "id": task.name, "title": task.title,
                "office": cases.office_label(session, task.department, task.office_region),
                "due": task.due.isoformat() if task.due else None,
                "claimed_by": task.claimed_by.display_name if task.claimed_by else None,
            }
    main = definition.process_id
    for pid, mark in marks.items():  # a process with any task has passed its start event
        if pid == main or mark["completed"] or mark["open"]:
            mark["completed"] |= {s.get("id") for s in _elements(bundle, pid, "startEvent")}
    if case.end_event:
        marks[main]["completed"].add(case.end_event)
    # A call activity is open while its called process has open tasks, done once it had tasks and has none.
    for _ in range(len(bundle.processes)):  # propagate up nested calls
        for pid in bundle.processes:
            for call in _elements(bundle, pid, "callActivity"):
                called = marks.get(call.get("calledElement"))
                if not called:
                    continue
                if called["open"]:
                    offices = sorted({t["office"] for t in called["open"].values()})
                    marks[pid]["open"][call.get("id")] = {"id": call.get("id"), "title": call.get("name") or "",
                                                          "office": "、".join(offices), "due": None, "claimed_by": None}
                elif called["completed"] - {s.get("id") for s in _elements(bundle, call.get("calledElement"), "startEvent")}:
                    marks[pid]["completed"].add(call.get("id"))
    for mark in marks.values():
        mark["completed"] -= set(mark["open"])
    diagrams = []
    for filename, xml in definition.files.items():
        if not filename.endswith(".bpmn"):
            continue
        pids = [p.id for p in bundle.processes.values() if p.filename == filename]
        lane_offices = {}
        for pid in pids:
            for lane in {lane.id: lane for lane in bundle.processes[pid].lanes.values()}.values():
                try:
                    route = routing.route(lane, case.region_code)
                except routing.Unroutable:
                    continue
                lane_offices[lane.id] = cases.office_label(session, route.department, route.office_region)
        diagrams.append({
            "file": filename, "title": "、".join(bundle.processes[p].name for p in pids) or filename,
            "xml": xml, "processes": pids, "main": main in pids,
            "completed": sorted(set().union(*(marks[p]["completed"] for p in pids))),
            "open": [task for p in pids for task in marks[p]["open"].values()],
            "lanes": lane_offices,
        })
    diagrams.sort(key=lambda d: not d["main"])
    return {"case": case.id, "process_id": main, "version": definition.version, "name": definition.name,
            "status": case.status, "diagrams": diagrams}


def _elements(bundle, process_id: str, tag: str) -> list:
    info = bundle.processes.get(process_id)
    if info is None:
        return []
    return bundle.trees[info.filename].xpath(f"//bpmn:process[@id='{process_id}']/bpmn:{tag}", namespaces=NS)
