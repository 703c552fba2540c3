"""What a case's diagram shows: the done and open steps and the offices that hold them.

People's steps are read from the task list; the steps the engine ran by itself (service and
script tasks) from one read of the workflow (`ran_steps`). Officials see it; designers never
see cases.
"""
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine import Engine
from ..engine.bundle import NS
from ..models import Case, HumanTask
from . import cases, definitions, routing


def ran_steps(engine: Engine, case: Case) -> dict[str, set[str]]:
    """Per process, the elements the engine has run (service and script tasks, gateways,
    events): the task list knows only people's steps. One read of the workflow, for one page."""
    done: dict[str, set[str]] = {}
    for task in engine.loads(case.workflow_json).get_tasks(state=TaskState.COMPLETED):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id:
            done.setdefault(task.workflow.spec.name, set()).add(bpmn_id)
    return done


def diagram_of(session: Session, case: Case, ran: dict[str, set[str]] | None = None) -> dict:
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
    for pid, ids in (ran or {}).items():
        marks.setdefault(pid, {"completed": set(), "open": {}})["completed"] |= ids
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
