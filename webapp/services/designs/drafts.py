"""Drafts of a procedure's BPMN and DMN files: save, discard, check, deploy as new versions.

The unit a designer edits is a *file* of a procedure (its own diagram, a reusable one it
calls, or a decision table it calls); deploying a draft makes a new version of every
procedure that uses the file, so procedures that share a called diagram or table stay in
step. A new procedure not deployed yet is a draft too (`procedures.draft_definition`).

A regional variant (`services/variants.py`) is edited as itself: its own files, its own drafts
(named `<prefix>/<file>`, as the shipped variants lie in `processes/variants/<prefix>/`), deployed
over the place's versions as that variant again — never the national file.
"""
from dataclasses import dataclass

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.bundle import NS
from ...models import Draft, ProcessDefinition, User
from .. import definitions, variants
from ..checks import Problem, check_report
from ..errors import Conflict, Invalid, NotFound
from . import decisions
from .procedures import draft_definition


@dataclass
class EditableFile:
    filename: str
    title: str
    xml: str
    processes: list[str]
    main: bool
    draft: Draft | None = None


def kind_of(filename: str) -> str:
    return "dmn" if filename.endswith(".dmn") else "bpmn"


def procedure(session: Session, process_id: str, region_prefix: str = "") -> ProcessDefinition:
    """The latest deployed version, or a new procedure's undeployed draft (version 0); with
    `region_prefix`, the latest version of that place's variant."""
    if region_prefix:
        prefix = variants.check_prefix(session, region_prefix)
        definition = definitions.latest(session, process_id, prefix)
        if definition is None:
            raise NotFound(f"流程 {process_id} 没有{variants.place_name(session, prefix)}（{prefix}）的地区版本")
        return definition
    definition = definitions.latest(session, process_id) or draft_definition(session, process_id)
    if definition is None:
        raise NotFound(f"没有已部署的流程：{process_id}")
    return definition


def draft_name(filename: str, region_prefix: str = "") -> str:
    """A draft's name: the file's, under its variant's prefix for a regional variant's copy."""
    return f"{region_prefix}/{filename}" if region_prefix else filename


def _drafts(session: Session, kind: str, names, region_prefix: str = "") -> dict[str, Draft]:
    """{file name: its draft} for `names` of the national files or of one variant's."""
    keys = {draft_name(n, region_prefix): n for n in names}
    return {keys[d.name]: d for d in session.scalars(select(Draft).where(Draft.kind == kind, Draft.name.in_(list(keys))))}


def _draft(session: Session, filename: str, region_prefix: str = "") -> Draft | None:
    return session.scalars(select(Draft).where(Draft.kind == kind_of(filename),
                                               Draft.name == draft_name(filename, region_prefix))).first()


def editable_files(session: Session, definition: ProcessDefinition) -> list[EditableFile]:
    """The BPMN files of a procedure's latest version, each with its draft if one is saved."""
    drafts = _drafts(session, "bpmn", definition.files, definition.region_prefix or "")
    files = []
    for filename, xml in definition.files.items():
        if not filename.endswith(".bpmn"):
            continue
        draft = drafts.get(filename)
        processes = _processes(xml)
        files.append(EditableFile(filename, "、".join(name for _id, name in processes) or filename,
                                  draft.content if draft else xml, [pid for pid, _name in processes],
                                  definition.process_id in [pid for pid, _name in processes], draft))
    return sorted(files, key=lambda f: (not f.main, f.filename))


def table_files(session: Session, definition: ProcessDefinition) -> list[EditableFile]:
    """The decision tables a procedure calls, each with its draft if one is saved."""
    names = decisions.tables_of(definition)
    drafts = _drafts(session, "dmn", names, definition.region_prefix or "")
    files = []
    for filename in names:
        tree = etree.fromstring(definition.files[filename].encode("utf-8"))
        draft = drafts.get(filename)
        files.append(EditableFile(filename, tree.get("name") or filename,
                                  draft.content if draft else definition.files[filename],
                                  sorted(decisions.decision_ids(definition.files[filename])), True, draft))
    return files


def _processes(xml: str) -> list[tuple[str, str]]:
    try:
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    return [(p.get("id"), p.get("name") or p.get("id")) for p in tree.xpath("//bpmn:process", namespaces=NS)]


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
    prefix = definition.region_prefix or ""
    deployed = (None if prefix else _deployed_copy(session, filename)) or (definition.files[filename], definition)
    _check_same_content(filename, deployed[0], xml)
    draft = _draft(session, filename, prefix)
    if draft is None:
        draft = Draft(kind=kind_of(filename), name=draft_name(filename, prefix), content=xml, base_definition_id=deployed[1].id,
                      updated_by_id=user.id, updated_at=now)
        session.add(draft)
    else:
        if revision is not None and revision != draft.revision:
            who = draft.updated_by.display_name if draft.updated_by else "他人"
            raise Conflict(f"该草稿已由{who}于{draft.updated_at:%Y-%m-%d %H:%M}另行保存，请重新打开后再修改")
        draft.content, draft.revision, draft.updated_by_id, draft.updated_at = xml, draft.revision + 1, user.id, now
    session.flush()
    return draft


def discard_draft(session: Session, filename: str, definition: ProcessDefinition | None = None,
                  region_prefix: str | None = None) -> None:
    """Drop a file's draft (of `definition`'s variant, else of `region_prefix`'s, else the national
    one); a new procedure's only diagram is not a draft to drop (delete the procedure)."""
    if definition is not None and definition.id is None and kind_of(filename) == "bpmn":
        raise Conflict("新流程尚未部署，它的流程图就是这份草稿，不能丢弃；如不再需要，请删除该新流程")
    if region_prefix is None:
        region_prefix = (definition.region_prefix or "") if definition is not None else ""
    draft = _draft(session, filename, region_prefix)
    if draft is not None:
        session.delete(draft)
        session.flush()


def _process_ids(xml: str) -> list[str] | None:
    try:
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None
    return sorted(p.get("id") for p in tree.xpath("//bpmn:process", namespaces=NS))


def _check_same_content(filename: str, deployed_xml: str, xml: str) -> None:
    """A BPMN draft keeps its process ids; a DMN draft keeps its decision ids."""
    if filename.endswith(".dmn"):
        problem = decisions.same_decisions(filename, deployed_xml, xml)
        if problem:
            raise Invalid({"xml": problem}, problem)
        return
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
    affected = [d for d in _latest_for(session, definition.region_prefix or "")
                if d.id != definition.id and _uses_any(d, changed)]
    # the procedure itself last (its copy wins), a new one's draft (no id yet) included
    affected = sorted(affected, key=lambda d: (d.deployed_at, d.id)) + [definition]
    files: dict[str, str] = {}
    for definition in affected:  # the newest copy of a shared file wins
        files.update(definition.files)
    files.update(changed)
    return files


def _latest_for(session: Session, region_prefix: str) -> list[ProcessDefinition]:
    """The newest version of every procedure for a place: its variant where it has one, else national."""
    national = definitions.latest_all(session)
    if not region_prefix:
        return national
    return [definitions.latest(session, d.process_id, region_prefix) or d for d in national]


def _uses_any(definition: ProcessDefinition, changed: dict[str, str]) -> bool:
    """A shared diagram is used by every procedure carrying it; a table only by those calling it."""
    return any(f.endswith(".bpmn") or decisions.uses_table(definition, f) for f in set(definition.files) & set(changed))


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
    strangers = sorted(set(changed) - {f for f in definition.files if f.endswith((".bpmn", ".dmn"))})
    if strangers:
        raise Invalid({"files": "、".join(strangers)}, f"{'、'.join(strangers)} 不是流程 {definition.process_id} 的图文件或决策表")


def check(session: Session, definition: ProcessDefinition, changed: dict[str, str],
          forms: dict[str, dict]) -> list[Problem]:
    """Validate a procedure with its changed files, together with every procedure that uses them."""
    return check_with_warnings(session, definition, changed, forms)[0]


def check_with_warnings(session: Session, definition: ProcessDefinition, changed: dict[str, str],
                        forms: dict[str, dict]) -> tuple[list[Problem], list[Problem]]:
    """`check`'s problems, and the warnings: what can run but needs someone outside the diagram
    (a message or signal nobody in the files sends, a non-executable pool, an old Spiff spelling)."""
    _own_files(definition, changed)
    for filename, xml in changed.items():
        try:
            _check_same_content(filename, definition.files[filename], xml)
        except Invalid as err:
            return [Problem(filename, None, err.message)], []
    files, carried = deploy_set(session, definition, changed), carried_variables(session)
    report = check_report(files, forms, carried)
    return report.problems, report.warnings


def deploy(session: Session, definition: ProcessDefinition, changed: dict[str, str], forms: dict[str, dict],
           user: User, now, note: str | None = None, region_prefix: str = "") -> list[ProcessDefinition]:
    """Deploy a procedure with its changed files as new versions of every procedure using them
    (a procedure whose files and forms did not change gets no new version); drop the drafts.

    Raises `definitions.DeployRefused` with the problems when they do not pass the checks.
    """
    if definition.id is None:  # a new procedure: its diagram is a draft, deployed with it
        main = next(f.filename for f in editable_files(session, definition) if f.main)
        changed = {main: definition.files[main], **changed}
    problems = check(session, definition, changed, forms)
    if problems:
        raise definitions.DeployRefused(problems)
    files = deploy_set(session, definition, changed)
    deployed = definitions.deploy(session, files, forms, now, user, note, known_variables=carried_variables(session),
                                  region_prefix=region_prefix)
    for filename in changed:
        discard_draft(session, filename, region_prefix=definition.region_prefix or "")
    return deployed
