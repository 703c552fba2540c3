"""The script engine: task-data expressions in the sandbox plus Tonghu's service-task dispatch."""
import json
from datetime import date, datetime, timedelta

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import WorkflowException

import handlers
from handlers import Effect, HandlerContext, HandlerError
from . import sandbox


class SandboxRefused(WorkflowException):
    """The sandbox refused some code; a SpiffWorkflow error, so every caller that handles a
    failing step (case service, timers) handles this one too, even outside a task."""

    def __init__(self, cause: sandbox.SandboxError, code: str):
        kind = "不允许的写法" if isinstance(cause, sandbox.SandboxViolation) else "超出沙箱限制"
        lines = (code or "").strip().splitlines()
        super().__init__(f"（{lines[0][:80] if lines else ''}）{kind}：{cause.message}")
        self.cause = cause


class SandboxFailed(WorkflowTaskException):
    """As SandboxRefused, with the element that ran the code named first."""

    def __init__(self, message, task, cause: sandbox.SandboxError):
        super().__init__(message, task=task, exception=cause)
        self.cause = cause


class SandboxEnvironment(TaskDataEnvironment):
    """Every expression and script SpiffWorkflow evaluates (conditions, timers, scripts, DMN
    cells, service parameters, dueAt) runs through the sandbox, so a diagram deployed before
    the rule existed, or written straight into the database, is held to it all the same."""

    def __init__(self):
        super().__init__(dict(sandbox.HELPERS))

    def evaluate(self, expression, context, external_context=None):
        try:
            return sandbox.evaluate(expression, context, external_context)
        except sandbox.SandboxError as err:
            raise SandboxRefused(err, expression) from err

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        try:
            result = sandbox.execute(script, context, external_context)
        except sandbox.SandboxError as err:
            raise SandboxRefused(err, script) from err
        context.clear()
        context.update(result)
        return True


class ServiceTaskFailed(WorkflowTaskException):
    """A handler failed; carries the handler's own error so the caller can show it."""

    def __init__(self, message, task, cause: HandlerError):
        super().__init__(message, task=task, exception=cause)
        self.cause = cause


class TonghuScriptEngine(PythonScriptEngine):
    """One per engine step, holding the context the handlers of that step see.

    SpiffWorkflow 3.2's ``call_service`` raises ``NameError`` on any handler failure
    (it refers to an unset ``script``); this override keeps the handler's real error.
    """

    def __init__(self, context_factory=None):
        super().__init__(environment=SandboxEnvironment())
        self.context_factory = context_factory
        self.effects: list[Effect] = []  # asked for by the handlers of the current run

    def take_effects(self) -> list[Effect]:
        """The effects the handlers asked for since the last call (the engine returns them)."""
        effects, self.effects = self.effects, []
        return effects

    def evaluate(self, task, expression, external_context=None):
        try:
            value = super().evaluate(task, expression, external_context)
        except SandboxRefused as err:
            raise _naming(err, task, "表达式") from err.cause
        return _timer_value(task, value)

    def execute(self, task, script, external_context=None):
        try:
            return super().execute(task, script, external_context)
        except SandboxRefused as err:
            raise _naming(err, task, "脚本") from err.cause

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        params = {name: p["value"] for name, p in (operation_params or {}).items()}
        ctx: HandlerContext = self.context_factory(task)
        try:
            result = handlers.dispatch(operation_name, ctx, params)
        except HandlerError as err:
            raise ServiceTaskFailed(f"{task.task_spec.bpmn_name or operation_name}：{err.message}", task, err) from err
        except Exception as err:  # a handler bug: report the real cause, keep nothing
            cause = HandlerError("handler_crashed", f"{type(err).__name__}: {err}")
            raise ServiceTaskFailed(f"{task.task_spec.bpmn_name or operation_name}：处理程序出错（{cause.message}）", task, cause) from err
        self.effects.extend(ctx.effects)
        return json.dumps(result, default=str)



def _timer_value(task, value):
    """A timer written the SpiffArena way (`timedelta(seconds=30)`, a `datetime`) is given to
    SpiffWorkflow as the ISO 8601 text it parses; any other expression's value is unchanged."""
    if not isinstance(getattr(getattr(task, "task_spec", None), "event_definition", None), TimerEventDefinition):
        return value
    if isinstance(value, timedelta):
        days, seconds = value.days, value.seconds + (1 if value.microseconds else 0)
        return f"P{days}DT{seconds}S" if days else f"PT{seconds}S"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _naming(err: SandboxRefused, task, what: str) -> SandboxFailed:
    spec = task.task_spec
    label = spec.bpmn_name or spec.bpmn_id or spec.name
    return SandboxFailed(f"“{label}”的{what}{err.args[0]}", task, err.cause)
