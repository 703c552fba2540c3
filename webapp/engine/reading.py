"""What a workflow waits on, read without running it: the user tasks waiting for people (with
their due moments), the timers, the end event reached."""
from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from . import clock as clock_module
from .event_subprocesses import interrupting_ends


@dataclass(frozen=True)
class ReadyTask:
    """A user task waiting for a person, as the task list needs it."""

    guid: str
    name: str
    title: str
    process_id: str
    lane_name: str | None
    form: str | None
    due_in: str | None
    # A due moment the diagram fixes for this instance: the `dueAt` property (an expression over
    # the task data giving an ISO date/datetime) or, failing that, the earliest boundary timer.
    due: datetime | None = None


@dataclass(frozen=True)
class PendingTimer:
    guid: str
    name: str | None
    fire_at: datetime


def ready_tasks(workflow: BpmnWorkflow) -> list[ReadyTask]:
    tasks = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        spec = task.task_spec
        props = (getattr(spec, "extensions", None) or {}).get("properties", {})
        tasks.append(ReadyTask(
            guid=str(task.id), name=spec.bpmn_id, title=spec.bpmn_name or spec.bpmn_id,
            process_id=task.workflow.spec.name, lane_name=spec.lane,
            form=props.get("formJsonSchemaFilename"), due_in=props.get("dueIn"),
            due=_due_at_property(task, props.get("dueAt")) or _boundary_timer_due(task),
        ))
    return tasks

def _due_at_property(task, expression: str | None) -> datetime | None:
    """`dueAt`: a Python expression over the task data; a name the data lacks gives no date."""
    if not expression:
        return None
    try:
        value = task.workflow.script_engine.evaluate(task, expression)
    except SpiffWorkflowException as err:
        if getattr(err, "error_type", None) == "NameError":
            return None
        raise
    return clock_module.as_moment(value)

def _boundary_timer_due(task) -> datetime | None:
    """The earliest interrupting timer on the task's boundary (the moment the task is taken
    away); without one, the earliest non-interrupting timer (a reminder)."""
    parent = task.parent
    if parent is None or not isinstance(parent.task_spec, BoundaryEventSplit):
        return None
    timers = [(not getattr(t.task_spec, "cancel_activity", False), timer_moment(t))
              for t in parent.children if t is not task and t.state == TaskState.WAITING]
    timers = [t for t in timers if t[1] is not None]
    return min(timers, default=(None, None))[1]

def timer_moment(task) -> datetime | None:
    event = getattr(task.task_spec, "event_definition", None)
    if not isinstance(event, TimerEventDefinition):
        return None
    value = event.details(task).value
    return TimerEventDefinition.get_datetime(value) if isinstance(value, str) and value else None

def pending_timers(workflow: BpmnWorkflow) -> list[PendingTimer]:
    """Every timer the instance waits on, in called processes too (the event manager's list)."""
    timers = []
    for task in waiting(workflow):
        moment = timer_moment(task)
        if moment is not None:
            timers.append(PendingTimer(str(task.id), task.task_spec.bpmn_name, moment))
    return sorted(timers, key=lambda t: (t.fire_at, t.guid))

def waiting(workflow: BpmnWorkflow) -> list:
    """The event tasks waiting for their event, in called processes too (the event manager's list)."""
    return [t for t in list(workflow.event_manager.tasks.values()) if t.state == TaskState.WAITING]

def end_event(workflow: BpmnWorkflow) -> tuple[str, str] | None:
    """The end event a finished top-level process reached: (id, name)."""
    completed = workflow.get_tasks(state=TaskState.COMPLETED)
    ends = [t for t in completed if t.workflow is workflow and type(t.task_spec).__name__ == "EndEvent"]
    if not any(type(s).__name__ == "EndEvent" for s in workflow.spec.task_specs.values()):
        # a collaboration run as one case: the end events its pools reached, the last one last
        ends = [t for t in completed if type(t.task_spec).__name__ == "EndEvent"
                and t.workflow.parent_workflow is workflow]
    ends += interrupting_ends(workflow)  # an interrupting event subprocess ended the process
    if not ends:
        return None
    last = max(ends, key=lambda t: t.last_state_change)
    return last.task_spec.bpmn_id, last.task_spec.bpmn_name or last.task_spec.bpmn_id

def due_at(start: datetime, due_in: str | None) -> datetime | None:
    if not due_in:
        return None
    try:
        return start + TimerEventDefinition.get_timedelta_from_start(TimerEventDefinition.parse_iso_duration(due_in),
                                                                     start)
    except OverflowError:  # `P99999Y`: past any date (refused by the check; an older version: no due date)
        return None
