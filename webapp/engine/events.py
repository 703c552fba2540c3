"""Messages and signals from outside a workflow: what it waits for, and delivering one.

A message is correlated as SpiffWorkflow does (the catching event's correlation properties,
each a retrieval expression over the payload, must agree with the keys the workflow already
holds) and, besides, with what the waiting task's own data says for the same properties: a
message for another child's case is refused even before any key was set.
"""
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from .bundle import flat
from .event_subprocesses import interrupted

KINDS = {"message": "消息", "signal": "信号"}


class NotWaiting(Exception):
    """The case does not wait for this message or signal, or the message is not for this case."""


@dataclass(frozen=True)
class WaitingEvent:
    guid: str
    kind: str        # "message" or "signal"
    name: str        # the message's or signal's name, as senders give it
    element: str     # the catching element's id
    title: str       # its Chinese name
    process_id: str  # the (sub)process it sits in, as the bundle's lanes know it


def kind_of(definition) -> str | None:
    if isinstance(definition, MessageEventDefinition):
        return "message"
    if isinstance(definition, SignalEventDefinition):
        return "signal"
    return None


def catch_points(specs) -> list[tuple[str, str]]:
    """(process, element) of every message or signal catch in `specs` (a process spec and those it calls)."""
    return [(process_id, element) for _kind, _name, process_id, element in named_catch_points(specs)]


def named_catch_points(specs) -> list[tuple[str, str, str, str]]:
    """(kind, name, process, element) of every message or signal catch in `specs`: who may send
    what to a case, read from the version without loading any case."""
    return [(kind_of(task_spec.event_definition), task_spec.event_definition.name or "", spec.name, task_spec.bpmn_id)
            for spec in specs for task_spec in spec.task_specs.values()
            if isinstance(task_spec, CatchingEvent) and kind_of(getattr(task_spec, "event_definition", None))]


def _waiting_tasks(workflow):
    return [t for t in list(workflow.event_manager.tasks.values())
            if t.state == TaskState.WAITING and kind_of(getattr(t.task_spec, "event_definition", None))]


def _triggers(workflow) -> list:
    """(start event spec, event subprocess spec) of each event subprocess of the running top
    process that a message or signal starts (SpiffWorkflow starts them from the top process's
    start task, not from a waiting task)."""
    if workflow.is_completed() or interrupted(workflow):  # taken over: nothing else starts
        return []
    found = []
    for name in workflow.spec.start.trigger_specs:
        if type(workflow.spec.task_specs.get(name)).__name__ == "CallActivity":
            continue  # a collaboration's pool opened by a message from another pool (collaborations.py)
        sub_spec = workflow.subprocess_specs.get(name)
        for start in getattr(sub_spec, "bpmn_start_events", []):
            if kind_of(start.event_definition):
                found.append((start, sub_spec))
    return found


def waiting(workflow) -> list[WaitingEvent]:
    """Every message and signal the workflow waits for, in subprocesses and called processes too,
    and those that would start one of its event subprocesses."""
    found, seen = [], set()
    for task in _waiting_tasks(workflow):
        spec, definition = task.task_spec, task.task_spec.event_definition
        found.append(WaitingEvent(str(task.id), kind_of(definition), definition.name or "", spec.bpmn_id,
                                  flat(spec.bpmn_name) or spec.bpmn_id, task.workflow.spec.name))
        seen.add((found[-1].kind, found[-1].name, spec.bpmn_id))
    for start, sub_spec in _triggers(workflow):
        kind, name = kind_of(start.event_definition), start.event_definition.name or ""
        if (kind, name, start.bpmn_id) not in seen:
            found.append(WaitingEvent(f"{workflow.task_tree.id}:{sub_spec.name}", kind, name, start.bpmn_id,
                                      flat(start.bpmn_name) or start.bpmn_id, sub_spec.name))
    return sorted(found, key=lambda e: (e.kind, e.name, e.guid))


def deliver(workflow, kind: str, name: str, payload: dict) -> None:
    tasks = [t for t in _waiting_tasks(workflow)
             if kind_of(t.task_spec.event_definition) == kind and t.task_spec.event_definition.name == name]
    if not tasks:
        starts = [start for start, _ in _triggers(workflow)
                  if kind_of(start.event_definition) == kind and start.event_definition.name == name]
        if not starts:
            raise NotWaiting(f"该案件没有在等待{KINDS[kind]}“{name}”")
        _send(workflow, kind, name, starts[0].event_definition, payload)  # it starts the event subprocess
        return
    definition = tasks[0].task_spec.event_definition
    if kind == "message":
        reasons = [_mismatch(workflow, t, t.task_spec.event_definition, payload) for t in tasks]
        if all(reasons):
            raise NotWaiting(reasons[0])
    _send(workflow, kind, name, definition, payload)


def _send(workflow, kind, name, definition, payload: dict) -> None:
    correlations = {}
    if kind == "message":
        try:
            correlations = definition.calculate_correlations(
                workflow.script_engine, definition.correlation_properties, dict(payload))
        except Exception:  # noqa: BLE001 - a payload without the keys: SpiffWorkflow's own check below decides
            raise NotWaiting(f"消息“{name}”的内容缺少关联属性") from None
    try:
        workflow.send_event(BpmnEvent(definition, payload=dict(payload), correlations=correlations))
    except WorkflowTaskException:  # a step the event set going failed: the design's error, not the sender's
        raise
    except WorkflowException:  # SpiffWorkflow's own check: the keys the workflow holds differ
        raise NotWaiting(f"{KINDS[kind]}“{name}”的关联属性与本案件不符") from None


_UNSET = object()


def _mismatch(workflow, task, definition, payload: dict) -> str | None:
    """Why a message is not for this waiting task (None: it is)."""
    evaluate = workflow.script_engine.environment.evaluate
    for prop in definition.correlation_properties:
        try:
            sent = evaluate(prop.retrieval_expression, dict(payload))
        except Exception:  # noqa: BLE001 - any failure means the payload lacks the property
            return f"消息“{definition.name}”的内容缺少关联属性“{prop.name}”（{prop.retrieval_expression}）"
        try:
            own = evaluate(prop.retrieval_expression, dict(task.data))
        except Exception:  # noqa: BLE001 - the case does not hold it (yet): SpiffWorkflow's keys decide
            own = _UNSET
        if own is not _UNSET and own != sent:
            return f"消息“{definition.name}”的关联属性“{prop.name}”与本案件不符"
    return None


def trigger_start(workflow, data: dict) -> bool:
    """A process whose start event waits for a message or signal: opening the case delivers
    it, with the start data as its content. True when one was delivered."""
    for task in _waiting_tasks(workflow):
        if task.workflow is workflow and type(task.task_spec).__name__ == "StartEvent":
            definition = task.task_spec.event_definition
            payload = dict(data)
            correlations = {}
            if kind_of(definition) == "message":
                try:
                    correlations = definition.calculate_correlations(
                        workflow.script_engine, definition.correlation_properties, payload)
                except Exception:  # noqa: BLE001 - start data without the keys: the case holds none yet
                    correlations = {}
            workflow.send_event(BpmnEvent(definition, payload=payload, correlations=correlations))
            return True
    return False
