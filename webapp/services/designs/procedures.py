"""New procedures from the browser (blank or a copy of a deployed one) and their life before
the first deploy; retiring a procedure (no new cases, running ones continue).

Before its first deploy a new procedure is a `ProcedureState` row and the ``bpmn`` draft of
its main file; `draft_definition` turns them into an unsaved `ProcessDefinition` (version 0)
so that the modeler, the checks and the deploy treat it as any other procedure.
"""
import hashlib
import json
import keyword
import re

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...catalog import DEPARTMENTS
from ...engine.bundle import NS
from ...models import Draft, ProcedureState, ProcessDefinition, User
from .. import definitions
from ..errors import Conflict, Invalid, NotFound
from . import template
from .form_drafts import effective_forms, procedures_using_form, save_form

PROCESS_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MAX_ID = 60
# Words a process id may not be: Python's keywords (ids are read next to Python code) and
# the words of Tonghu's own addresses and data.
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({
    "none", "true", "false", "new", "edit", "create", "copy", "retire", "api", "admin", "designer", "static",
    "forms", "processes", "process", "instances", "tasks", "cases", "case", "child", "children", "files",
    "drafts", "check", "deploy", "diff", "catalog", "decisions", "login", "logout", "healthz", "readyz",
    "handed_over_from", "handed_over_case", "reason",
})


def id_problems(session: Session, process_id, disk_forms: dict[str, dict]) -> list[str]:
    """Why `process_id` cannot name a new procedure (none: it can)."""
    if not isinstance(process_id, str) or not process_id:
        return ["请填写流程标识"]
    if len(process_id) > MAX_ID or not PROCESS_ID.match(process_id):
        return [f"流程标识只能用英文小写字母、数字和下划线（snake_case），以字母开头，不超过 {MAX_ID} 个字符，如 school_dropout_help"]
    if process_id in RESERVED:
        return [f"“{process_id}”是保留字，不能用作流程标识"]
    state = session.get(ProcedureState, process_id)
    taken = state is not None and state.main_file is not None
    for definition in definitions.latest_all(session):
        if definition.process_id == process_id or process_id in _process_ids(definition.files):
            taken = True
        if f"{process_id}.bpmn" in definition.files:
            taken = True
    if taken or session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name == f"{process_id}.bpmn")).first():
        return [f"流程标识“{process_id}”已被使用"]
    if start_form_name(process_id) in effective_forms(session, disk_forms):
        return [f"表单 {start_form_name(process_id)} 已存在，请换一个流程标识"]
    return []


def start_form_name(process_id: str) -> str:
    return f"{process_id}_start.json"


def _process_ids(files: dict[str, str]) -> set[str]:
    ids = set()
    for filename, xml in files.items():
        if filename.endswith(".bpmn"):
            ids |= set(re.findall(r'<bpmn:process\s[^>]*?id="([^"]+)"', xml))
    return ids


def _name_problems(name) -> list[str]:
    if not isinstance(name, str) or not name.strip():
        return ["请填写流程名称"]
    if len(name.strip()) > 100 or any(ord(c) < 32 for c in name):
        return ["流程名称不能超过 100 个字符，也不能含控制字符"]
    return []


def create_blank(session: Session, process_id, name, department, level, disk_forms: dict[str, dict],
                 user: User, now) -> ProcedureState:
    """A new procedure from the blank template, with its start form; not deployed yet."""
    errors = {}
    if problems := id_problems(session, process_id, disk_forms):
        errors["process_id"] = problems[0]
    if problems := _name_problems(name):
        errors["name"] = problems[0]
    if department not in DEPARTMENTS:
        errors["department"] = "请选择部门"
    elif level not in DEPARTMENTS[department][1]:
        errors["level"] = f"{DEPARTMENTS[department][0]}不在这一层级办理"
    if errors:
        raise Invalid(errors, "流程未创建：" + "；".join(errors.values()))
    name = name.strip()
    form = start_form_name(process_id)
    forms = effective_forms(session, disk_forms)
    save_form(session, form, json.dumps(template.start_form(name, forms), ensure_ascii=False), user, now)
    xml = template.blank_bpmn(process_id, name, department, level, form)
    return _new(session, process_id, name, xml, None, user, now)


def create_copy(session: Session, process_id, name, source_id: str, disk_forms: dict[str, dict],
                user: User, now) -> ProcedureState:
    """A new procedure as a copy of a deployed one: its main diagram under the new id, its start form
    copied (the other forms and the diagrams it calls are shared)."""
    source = definitions.latest(session, source_id) if isinstance(source_id, str) else None
    errors = {}
    if source is None:
        errors["source"] = "请选择要复制的已部署流程"
    if problems := id_problems(session, process_id, disk_forms):
        errors["process_id"] = problems[0]
    if problems := _name_problems(name):
        errors["name"] = problems[0]
    if errors:
        raise Invalid(errors, "流程未创建：" + "；".join(errors.values()))
    name = name.strip()
    main = _main_file(source.files, source.process_id)
    xml = _renamed(source.files[main], source.process_id, process_id, name)
    if source.start_form:
        form = start_form_name(process_id)
        forms = effective_forms(session, disk_forms)
        schema = dict(forms.get(source.start_form) or source.forms.get(source.start_form) or {})
        schema.pop("$id", None)
        schema["title"] = f"{name}：发起"
        save_form(session, form, json.dumps(schema, ensure_ascii=False), user, now)
        xml = xml.replace(f'value="{source.start_form}"', f'value="{form}"')
    return _new(session, process_id, name, xml, source.process_id, user, now)


def _renamed(xml: str, old_id: str, new_id: str, name: str) -> str:
    """The source's main diagram with its process (and participant's reference) renamed."""
    tree = etree.fromstring(xml.encode("utf-8"))
    for proc in tree.xpath(f"//bpmn:process[@id='{old_id}']", namespaces=NS):
        proc.set("id", new_id)
        proc.set("name", name)
    for part in tree.xpath(f"//bpmn:participant[@processRef='{old_id}']", namespaces=NS):
        part.set("processRef", new_id)
        part.set("name", name)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _main_file(files: dict[str, str], process_id: str) -> str:
    return next(f for f, xml in files.items() if f.endswith(".bpmn") and process_id in _process_ids({f: xml}))


def _new(session, process_id, name, xml, copied_from, user, now) -> ProcedureState:
    filename = f"{process_id}.bpmn"
    session.add(Draft(kind="bpmn", name=filename, content=xml, updated_by_id=user.id, updated_at=now))
    state = session.get(ProcedureState, process_id)
    if state is None:
        state = ProcedureState(process_id=process_id)
        session.add(state)
    state.name, state.main_file, state.copied_from = name, filename, copied_from
    state.created_by_id, state.created_at = user.id, now
    session.flush()
    return state


def undeployed(session: Session) -> list[ProcedureState]:
    """Procedures made in the browser and not deployed yet."""
    deployed = {d.process_id for d in definitions.latest_all(session)}
    return [s for s in session.scalars(select(ProcedureState).where(ProcedureState.main_file.is_not(None))
                                       .order_by(ProcedureState.process_id)) if s.process_id not in deployed]


def draft_definition(session: Session, process_id: str) -> ProcessDefinition | None:
    """An undeployed new procedure as an unsaved version 0 (never added to the session)."""
    state = session.get(ProcedureState, process_id) if isinstance(process_id, str) else None
    if state is None or not state.main_file or definitions.latest(session, process_id) is not None:
        return None
    draft = session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name == state.main_file)).first()
    if draft is None:
        return None
    files = {}
    if state.copied_from and (source := definitions.latest(session, state.copied_from)):
        source_main = _main_file(source.files, source.process_id)
        files = {f: xml for f, xml in source.files.items() if f != source_main}
    files[state.main_file] = draft.content
    checksum = hashlib.sha256(json.dumps(files, sort_keys=True).encode("utf-8")).hexdigest()
    return ProcessDefinition(process_id=process_id, version=0, name=state.name or process_id, files=files, forms={},
                             checksum=checksum, start_form=start_form_name(process_id),
                             deployed_by_id=None, deployed_at=state.created_at, note=None)


def delete_undeployed(session: Session, process_id: str) -> None:
    """Drop a new procedure that was never deployed: its diagram draft and its state."""
    definition = draft_definition(session, process_id)
    if definition is None:
        raise NotFound(f"没有未部署的新流程：{process_id}")
    state = session.get(ProcedureState, process_id)
    for draft in session.scalars(select(Draft).where(Draft.kind == "bpmn", Draft.name == state.main_file)):
        session.delete(draft)
    form = start_form_name(process_id)
    if not procedures_using_form(session, form):
        for draft in session.scalars(select(Draft).where(Draft.kind == "form", Draft.name == form)):
            session.delete(draft)
    session.delete(state)
    session.flush()


# -- retiring ----------------------------------------------------------------------------------
def retired(session: Session, process_id: str) -> ProcedureState | None:
    state = session.get(ProcedureState, process_id) if isinstance(process_id, str) else None
    return state if state is not None and state.retired_at is not None else None


def retired_ids(session: Session) -> set[str]:
    return set(session.scalars(select(ProcedureState.process_id).where(ProcedureState.retired_at.is_not(None))))


def retire(session: Session, process_id: str, reason, user: User, now) -> ProcedureState:
    """No new cases of `process_id` from now on; its running cases go on on their versions."""
    definitions.get_latest_or_404(session, process_id)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        raise Invalid({"reason": "请填写停用原因（不超过 500 字）"}, "未停用：请填写停用原因")
    state = session.get(ProcedureState, process_id)
    if state is None:
        state = ProcedureState(process_id=process_id)
        session.add(state)
    elif state.retired_at is not None:
        raise Conflict(f"流程 {process_id} 已于 {state.retired_at:%Y-%m-%d} 停用")
    state.retired_at, state.retired_by_id, state.retired_reason = now, user.id, reason.strip()
    session.flush()
    return state


def reinstate(session: Session, process_id: str) -> None:
    state = retired(session, process_id)
    if state is None:
        raise Conflict(f"流程 {process_id} 没有停用")
    state.retired_at = state.retired_by_id = state.retired_reason = None
    session.flush()


def refuse_if_retired(session: Session, process_id: str, name: str) -> None:
    """The one rule every way of opening a case by hand asks."""
    if retired(session, process_id) is not None:
        message = f"流程“{name}”已停用，不能再发起新案件；已在办理的案件照常办理"
        raise Invalid({"process": message}, message)
