"""The workflow engine: parse, start, load, save, run a task, fire timers. No Flask here.

Each call works on a `BpmnWorkflow` in memory; the caller (the case service) decides when
to save, so a failure anywhere leaves the stored state as it was.
"""
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

from handlers import HandlerContext
from . import clock as clock_module
from .bundle import Bundle
from .scripting import TonghuScriptEngine


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


@dataclass(frozen=True)
class PendingTimer:
    guid: str
    name: str | None
    fire_at: datetime


class TaskNotReady(Exception):
    """The task is not waiting for input (already done, cancelled, or unknown)."""


class Engine:
    def __init__(self, clock: clock_module.Clock | None = None):
        self.clock = clock_module.install(clock or clock_module.Clock())
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))

    # -- storage -------------------------------------------------------------------
    def dumps(self, workflow: BpmnWorkflow) -> str:
        return self.serializer.serialize_json(workflow)

    def loads(self, blob: str, context_factory=None) -> BpmnWorkflow:
        workflow = self.serializer.deserialize_json(blob)
        workflow.script_engine = TonghuScriptEngine(context_factory)
        return workflow

    # -- running -------------------------------------------------------------------
    def start(self, bundle: Bundle, process_id: str, data: dict, context_factory=None) -> BpmnWorkflow:
        spec, subprocess_specs = bundle.spec(process_id)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=TonghuScriptEngine(context_factory))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        workflow.do_engine_steps()
        return workflow

    def complete(self, workflow: BpmnWorkflow, guid: str, data: dict) -> None:
        task = self._ready_task(workflow, guid)
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()

    def fire_timers(self, workflow: BpmnWorkflow) -> None:
        """Let every timer that is due at the clock's time fire, then run on."""
        workflow.refresh_waiting_tasks()
        workflow.do_engine_steps()

    def _ready_task(self, workflow, guid):
        try:
            task = workflow.get_task_from_id(UUID(guid))
        except Exception as err:
            raise TaskNotReady(guid) from err
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(guid)
        return task

    def task_data(self, workflow: BpmnWorkflow, guid: str) -> dict:
        return dict(self._ready_task(workflow, guid).data)

    # -- reading -------------------------------------------------------------------
    def ready_tasks(self, workflow: BpmnWorkflow) -> list[ReadyTask]:
        tasks = []
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = task.task_spec
            props = (getattr(spec, "extensions", None) or {}).get("properties", {})
            tasks.append(ReadyTask(
                guid=str(task.id), name=spec.bpmn_id, title=spec.bpmn_name or spec.bpmn_id,
                process_id=task.workflow.spec.name, lane_name=spec.lane,
                form=props.get("formJsonSchemaFilename"), due_in=props.get("dueIn"),
            ))
        return tasks

    def pending_timers(self, workflow: BpmnWorkflow) -> list[PendingTimer]:
        timers = []
        for task in workflow.get_tasks(state=TaskState.WAITING):
            event = getattr(task.task_spec, "event_definition", None)
            if not isinstance(event, TimerEventDefinition):
                continue
            detail = event.details(task)
            if detail.value:
                timers.append(PendingTimer(str(task.id), task.task_spec.bpmn_name, TimerEventDefinition.get_datetime(detail.value)))
        return timers

    def end_event(self, workflow: BpmnWorkflow) -> tuple[str, str] | None:
        """The end event a finished top-level process reached: (id, name)."""
        ends = [
            t for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if t.workflow is workflow and type(t.task_spec).__name__ == "EndEvent"
        ]
        if not ends:
            return None
        last = max(ends, key=lambda t: t.last_state_change)
        return last.task_spec.bpmn_id, last.task_spec.bpmn_name or last.task_spec.bpmn_id

    @staticmethod
    def due_at(start: datetime, due_in: str | None) -> datetime | None:
        if not due_in:
            return None
        return start + TimerEventDefinition.get_timedelta_from_start(TimerEventDefinition.parse_iso_duration(due_in), start)


def context_factory_for(engine: Engine, case_id, region_code, process_id):
    """Build the factory that gives each service task its `HandlerContext`."""

    def make(task) -> HandlerContext:
        return HandlerContext(
            case_id=case_id, region_code=region_code, process_id=process_id,
            task_title=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            data=dict(task.data), now=engine.clock.now(),
        )

    return make
