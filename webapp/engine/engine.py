"""The workflow engine: parse, start, load, save, run a task, fire timers. No Flask here.

Each call works on a `BpmnWorkflow` in memory; the caller (the case service) decides when
to save, so a failure anywhere leaves the stored state as it was.
"""
import threading
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default import EventConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

from handlers import HandlerContext
from .. import living_settings
from .. import settings as deployment_settings
from . import clock as clock_module
from . import codec, events, reading
from .budget import StepBudget, dates_in_range
from .bundle import Bundle
from .checkout import DEFAULT_SIZE, WorkflowCache
from .data_problems import DataInputMissing, data_problem, explained
from .event_subprocesses import close_listeners, interrupt
from .parser import InterruptingStartEvent
from .reading import PendingTimer, ReadyTask
from .scripting import TonghuScriptEngine
from .specs import SharedSpecConverter


@dataclass(frozen=True)
class Run:
    """What one run of the engine left: the workflow, the user tasks now waiting for people
    (each `dueAt` already evaluated, so a refused one failed inside the run) and the effects
    its handlers asked for (documents, hand-overs, plans, notices), for the caller to apply."""

    workflow: BpmnWorkflow
    ready: list[ReadyTask]
    effects: list
    # Whether the workflow waited on a timer before this run. When it did not, no timer row
    # of it can exist (rows are written from a stored workflow's timers), so none is deleted.
    waited_on_timers: bool = True


class TaskNotReady(Exception):
    """The task is not waiting for input (already done, cancelled, or unknown)."""


class Engine:
    # One burst of automatic steps (gateways, scripts, events) between two waits: the shipped
    # procedures take a few dozen; a loop that never waits is stopped, as a design error (budget.py).
    MAX_AUTOMATIC_STEPS = 20_000
    MAX_AUTOMATIC_SECONDS = 20.0
    MAX_AUTOMATIC_DEPTH = 300  # levels a burst may add to the task tree (see budget.StepBudget)

    def __init__(self, clock: clock_module.Clock | None = None, settings=None, living=None,
                 workflow_cache: int = DEFAULT_SIZE):
        self.clock = clock_module.install(clock or clock_module.Clock())
        # Deployment settings for time (visit cadences), read by the services with the clock.
        self.settings = settings or deployment_settings.DEFAULTS
        # Deployment settings of basic living support (plain values), read by its handlers.
        self.living = living or living_settings.DEFAULTS
        # Stock SpiffWorkflow JSON, with the specs restored and converted once (see specs.py).
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(
            {**DEFAULT_CONFIG, BpmnWorkflow: SharedSpecConverter, InterruptingStartEvent: EventConverter}))
        # SpiffWorkflow's serializer keeps a mode flag on its shared registry while it writes, and the
        # spec cache is one dict: threads of one server process (gunicorn's gthread) take turns here.
        self._serializing = threading.RLock()
        # Workflows committed by this process, taken back by the case's next step (see checkout.py).
        self.workflows = WorkflowCache(workflow_cache)

    # -- storage -------------------------------------------------------------------
    def dumps(self, workflow: BpmnWorkflow) -> str:
        with self._serializing:
            return codec.dumps(self.serializer, workflow)

    def loads(self, blob: str, context_factory=None) -> BpmnWorkflow:
        with self._serializing:
            workflow = self.serializer.deserialize_json(blob)
        workflow.script_engine = TonghuScriptEngine(context_factory)
        return workflow

    def checkout(self, case_id: int, blob: str, context_factory=None) -> BpmnWorkflow:
        """The case's workflow as its row stores it in `blob`: the one this process committed
        last if that is what the row still holds (taken out of the cache), else deserialized."""
        workflow = self.workflows.take(case_id, blob)
        if workflow is None:
            return self.loads(blob, context_factory)
        workflow.script_engine = TonghuScriptEngine(context_factory)
        return workflow

    # -- running -------------------------------------------------------------------
    def start(self, bundle: Bundle, process_id: str, data: dict, context_factory=None) -> Run:
        spec, subprocess_specs = bundle.spec(process_id)
        io_spec = getattr(spec, "io_specification", None)
        missing = [d.bpmn_id for d in (io_spec.data_inputs if io_spec else []) if d.bpmn_id not in data]
        if missing:
            raise DataInputMissing(f"流程的输入（ioSpecification）缺少：{'、'.join(missing)}")
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=TonghuScriptEngine(context_factory))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        with self.clock.running():
            self._steps(workflow)
            if events.trigger_start(workflow, data):  # a message or signal start event: opening the case is its arrival
                self._steps(workflow)
            return self._ran(workflow, waited_on_timers=False)

    def complete(self, workflow: BpmnWorkflow, guid: str, data: dict) -> Run:
        task = self._ready_task(workflow, guid)
        waited = any(reading.timer_moment(t) is not None for t in reading.waiting(workflow))
        task.data.update(data)
        with self.clock.running():
            try:
                task.run()
            except WorkflowDataException as err:  # e.g. a multi-instance output item the data lacks
                raise DataInputMissing(data_problem(err)) from err
            self._steps(workflow)
            return self._ran(workflow, waited)

    def deliver(self, workflow: BpmnWorkflow, kind: str, name: str, payload: dict) -> Run:
        """A message (correlated by the catching event's correlation properties) or a signal
        arrives from outside; raises `events.NotWaiting` when the case does not wait for it."""
        with self.clock.running():
            events.deliver(workflow, kind, name, payload)
            self._steps(workflow)
            return self._ran(workflow)

    def waiting_events(self, workflow: BpmnWorkflow) -> list["events.WaitingEvent"]:
        return events.waiting(workflow)

    def _budget(self) -> StepBudget:
        return StepBudget(self.MAX_AUTOMATIC_STEPS, self.MAX_AUTOMATIC_SECONDS, self.MAX_AUTOMATIC_DEPTH)

    def _steps(self, workflow: BpmnWorkflow) -> None:
        with explained(workflow), dates_in_range():
            settle(workflow, self._budget())

    def _ran(self, workflow: BpmnWorkflow, waited_on_timers: bool = True) -> Run:
        return Run(workflow, self.ready_tasks(workflow), workflow.script_engine.take_effects(), waited_on_timers)

    # Bound on the missed firings replayed in one call (a time cycle fires once per replay step).
    MAX_CATCH_UP = 1000

    def fire_timers(self, workflow: BpmnWorkflow) -> Run:
        """Let every timer that is due at the clock's time fire, then run on.

        Timers missed while nobody looked (the app was down) are replayed in the order they
        fell due, each at its own moment: two missed reminders fire before the escalation
        that came after them, a time cycle fires every missed cycle, and a timer started by
        a replayed step counts from when that step would have run.
        """
        with self.clock.running():
            with dates_in_range():
                self._fire_timers(workflow)
            return self._ran(workflow)

    def _fire_timers(self, workflow: BpmnWorkflow) -> None:
        now = self.clock.now()
        for _ in range(self.MAX_CATCH_UP):
            due = [t for t in self.pending_timers(workflow) if t.fire_at < now]
            if not due:
                break
            with clock_module.replaying(min(t.fire_at for t in due) + timedelta(microseconds=1)):
                workflow.refresh_timers()
                settle(workflow, self._budget())  # each replayed firing is its own burst
            if [(t.guid, t.fire_at) for t in self.pending_timers(workflow) if t.fire_at < now] == \
                    [(t.guid, t.fire_at) for t in due]:
                break  # nothing moved: do not spin
        workflow.refresh_timers()
        settle(workflow, self._budget())

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

    # -- reading (reading.py) -------------------------------------------------------
    def ready_tasks(self, workflow: BpmnWorkflow) -> list[ReadyTask]:
        return reading.ready_tasks(workflow)

    def pending_timers(self, workflow: BpmnWorkflow) -> list[PendingTimer]:
        return reading.pending_timers(workflow)

    def end_event(self, workflow: BpmnWorkflow) -> tuple[str, str] | None:
        return reading.end_event(workflow)

    due_at = staticmethod(reading.due_at)


def settle(workflow: BpmnWorkflow, budget: StepBudget) -> None:
    """Run the engine's steps until only people, timers and events are awaited, within `budget`."""
    workflow.do_engine_steps(did_complete_task=budget)
    while interrupt(workflow) or close_listeners(workflow):  # see event_subprocesses.py
        workflow.do_engine_steps(did_complete_task=budget)


def context_factory_for(engine: Engine, case_id, region_code, process_id):
    """Build the factory that gives each service task its `HandlerContext`."""

    def make(task) -> HandlerContext:
        return HandlerContext(
            case_id=case_id, region_code=region_code, process_id=process_id,
            task_title=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            data=dict(task.data), now=engine.clock.now(), settings={"living_support": engine.living},
        )

    return make
