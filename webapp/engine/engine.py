"""The workflow engine: parse, start, load, save, run a task, fire timers. No Flask here.

Each call works on a `BpmnWorkflow` in memory; the caller (the case service) decides when
to save, so a failure anywhere leaves the stored state as it was.
"""
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default import EventConverter
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from handlers import HandlerContext
from .. import living_settings
from .. import settings as deployment_settings
from . import clock as clock_module
from . import codec, events
from .bundle import Bundle, flat
from .checkout import DEFAULT_SIZE, WorkflowCache
from .event_subprocesses import close_listeners, interrupt, interrupting_ends
from .parser import InterruptingStartEvent
from .scripting import TonghuScriptEngine
from .specs import SharedSpecConverter


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


class DataInputMissing(SpiffWorkflowException):
    """A multi-instance task's input collection is not in the data (SpiffWorkflow 3.2 answers a
    parallel one with a bare `TypeError`)."""


class DateOutOfRange(SpiffWorkflowException):
    """A timer (or due date) the diagram computes past year 9999: a design error on the element
    whose task was being updated when the date overflowed (found on the traceback)."""

    def __init__(self, err: OverflowError):
        super().__init__(f"计时器算出的时间超出可表示的日期范围（{err}）")
        self.task = None
        tb = err.__traceback__
        while tb is not None:
            for name in ("my_task", "task", "self"):
                candidate = tb.tb_frame.f_locals.get(name)
                if isinstance(candidate, Task):
                    self.task = candidate
            tb = tb.tb_next


class RunawayRun(SpiffWorkflowException):
    """The diagram ran more automatic steps, or for longer, in one go than any procedure needs: a
    loop of script tasks and gateways that never waits for a person (SpiffWorkflow would run it until
    its task tree grows too deep, then silently call the case finished). A design error on the element."""

    def __init__(self, msg, task):
        super().__init__(msg)
        self.task = task


class StepBudget:
    """`did_complete_task` callback bounding one burst of automatic steps (per call of the engine)."""

    def __init__(self, steps: int, seconds: float):
        self.steps, self.left, self.seconds = steps, steps, seconds
        self.deadline = time.monotonic() + seconds

    def __call__(self, task) -> None:
        self.left -= 1
        if self.left < 0:
            raise RunawayRun(f"一次自动执行了超过 {self.steps} 个环节仍未停下（流程中可能有不经人工办理的无限循环）", task)
        if time.monotonic() > self.deadline:
            raise RunawayRun(f"自动执行的环节超过 {self.seconds:g} 秒仍未停下（流程中可能有不经人工办理的循环或耗时的脚本）",
                             task)


class Engine:
    # One burst of automatic steps (gateways, scripts, events) between two waits: the shipped
    # procedures take a few dozen; a loop that never waits is stopped, as a design error.
    MAX_AUTOMATIC_STEPS = 400
    MAX_AUTOMATIC_SECONDS = 20.0

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
        waited = any(self._timer_moment(t) is not None for t in self._waiting(workflow))
        task.data.update(data)
        with self.clock.running():
            try:
                task.run()
            except WorkflowDataException as err:  # e.g. a multi-instance output item the data lacks
                raise DataInputMissing(_data_problem(err)) from err
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
        return StepBudget(self.MAX_AUTOMATIC_STEPS, self.MAX_AUTOMATIC_SECONDS)

    def _steps(self, workflow: BpmnWorkflow) -> None:
        budget = self._budget()
        try:
            workflow.do_engine_steps(did_complete_task=budget)
            while interrupt(workflow) or close_listeners(workflow):  # see event_subprocesses.py
                workflow.do_engine_steps(did_complete_task=budget)
        except (TypeError, WorkflowDataException) as err:
            missing = _missing_input(workflow)
            if missing is None and not isinstance(err, WorkflowDataException):
                raise
            raise DataInputMissing(missing or _data_problem(err)) from err
        except OverflowError as err:  # a timer's duration or date past year 9999 (`'P99999Y'`, or from form data)
            raise DateOutOfRange(err) from err
        except NameError as err:  # e.g. a timer's variable nobody set
            raise DataInputMissing(f"流程需要的变量“{err.name}”不存在（立案数据和之前的步骤都没有提供它）") from err
        except SpiffWorkflowException as err:
            if getattr(err, "error_type", None) != "NameError":
                raise
            raise DataInputMissing(f"“{getattr(err, 'task_name', '') or '?'}”需要的变量不存在：{flat(err)[:200]}") from err

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
            self._fire_timers(workflow)
            return self._ran(workflow)

    def _fire_timers(self, workflow: BpmnWorkflow) -> None:
        try:
            self._replay_timers(workflow)
        except OverflowError as err:  # see _steps
            raise DateOutOfRange(err) from err

    def _replay_timers(self, workflow: BpmnWorkflow) -> None:
        now = self.clock.now()
        for _ in range(self.MAX_CATCH_UP):
            due = [t for t in self.pending_timers(workflow) if t.fire_at < now]
            if not due:
                break
            with clock_module.replaying(min(t.fire_at for t in due) + timedelta(microseconds=1)):
                workflow.refresh_timers()
                budget = self._budget()  # each replayed firing is its own burst
                workflow.do_engine_steps(did_complete_task=budget)
                while interrupt(workflow) or close_listeners(workflow):  # see event_subprocesses.py
                    workflow.do_engine_steps(did_complete_task=budget)
            if [(t.guid, t.fire_at) for t in self.pending_timers(workflow) if t.fire_at < now] == \
                    [(t.guid, t.fire_at) for t in due]:
                break  # nothing moved: do not spin
        workflow.refresh_timers()
        budget = self._budget()
        workflow.do_engine_steps(did_complete_task=budget)
        while interrupt(workflow) or close_listeners(workflow):
            workflow.do_engine_steps(did_complete_task=budget)

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
                due=self._due_at_property(task, props.get("dueAt")) or self._boundary_timer_due(task),
            ))
        return tasks

    @staticmethod
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

    def _boundary_timer_due(self, task) -> datetime | None:
        """The earliest interrupting timer on the task's boundary (the moment the task is taken
        away); without one, the earliest non-interrupting timer (a reminder)."""
        parent = task.parent
        if parent is None or not isinstance(parent.task_spec, BoundaryEventSplit):
            return None
        timers = [(not getattr(t.task_spec, "cancel_activity", False), self._timer_moment(t))
                  for t in parent.children if t is not task and t.state == TaskState.WAITING]
        timers = [t for t in timers if t[1] is not None]
        return min(timers, default=(None, None))[1]

    @staticmethod
    def _timer_moment(task) -> datetime | None:
        event = getattr(task.task_spec, "event_definition", None)
        if not isinstance(event, TimerEventDefinition):
            return None
        value = event.details(task).value
        return TimerEventDefinition.get_datetime(value) if isinstance(value, str) and value else None

    def pending_timers(self, workflow: BpmnWorkflow) -> list[PendingTimer]:
        """Every timer the instance waits on, in called processes too (the event manager's list)."""
        timers = []
        for task in self._waiting(workflow):
            moment = self._timer_moment(task)
            if moment is not None:
                timers.append(PendingTimer(str(task.id), task.task_spec.bpmn_name, moment))
        return sorted(timers, key=lambda t: (t.fire_at, t.guid))

    @staticmethod
    def _waiting(workflow: BpmnWorkflow) -> list:
        """The event tasks waiting for their event, in called processes too (the event manager's list)."""
        return [t for t in list(workflow.event_manager.tasks.values()) if t.state == TaskState.WAITING]

    def end_event(self, workflow: BpmnWorkflow) -> tuple[str, str] | None:
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

    @staticmethod
    def due_at(start: datetime, due_in: str | None) -> datetime | None:
        if not due_in:
            return None
        try:
            return start + TimerEventDefinition.get_timedelta_from_start(TimerEventDefinition.parse_iso_duration(due_in),
                                                                         start)
        except OverflowError:  # `P99999Y`: past any date (refused by the check; an older version: no due date)
            return None


def _data_problem(err: WorkflowDataException) -> str:
    task = getattr(err, "task", None)
    spec = task.task_spec if task is not None else None
    name = (flat(spec.bpmn_name) or spec.bpmn_id) if spec is not None else "?"
    owners = [spec, task.parent.task_spec if task is not None and task.parent is not None else None]
    output = next((o.output_item.bpmn_id for o in owners if getattr(o, "output_item", None) is not None), None)
    if output and "output item" in str(err):
        return f"多实例任务“{name}”的每个实例都要给出输出项“{output}”"
    return f"“{name}”的数据不完整（{flat(err)[:200]}）"


def _missing_input(workflow: BpmnWorkflow) -> str | None:
    """Say which multi-instance task lacks its input collection, if one does."""
    for task in workflow.get_tasks(state=TaskState.FUTURE | TaskState.READY | TaskState.STARTED):
        spec = task.task_spec
        data_input = getattr(spec, "data_input", None)
        if data_input is not None and not data_input.exists(task):
            inner = task.workflow.spec.task_specs.get(getattr(spec, "task_spec", None))  # the repeated task: its name
            name = flat(spec.bpmn_name) or flat(getattr(inner, "bpmn_name", None)) or spec.bpmn_id
            return (f"多实例任务“{name}”缺少输入集合“{data_input.bpmn_id}”"
                    "（立案数据和之前的步骤都没有提供它）")
    return None


def context_factory_for(engine: Engine, case_id, region_code, process_id):
    """Build the factory that gives each service task its `HandlerContext`."""

    def make(task) -> HandlerContext:
        return HandlerContext(
            case_id=case_id, region_code=region_code, process_id=process_id,
            task_title=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            data=dict(task.data), now=engine.clock.now(), settings={"living_support": engine.living},
        )

    return make
