"""The script engine: task-data expressions plus Tonghu's service-task dispatch."""
import json
from datetime import date, datetime

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

import handlers
from handlers import HandlerContext, HandlerError


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
        super().__init__(environment=TaskDataEnvironment({"date": date, "datetime": datetime}))
        self.context_factory = context_factory
        self.documents = []
        self.follow_ups = []
        self.plan_requests = []
        self.notices = []

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
        self.documents.extend(ctx.documents)
        self.follow_ups.extend(ctx.follow_ups)
        self.plan_requests.extend(ctx.plan_requests)
        self.notices.extend(ctx.notices)
        return json.dumps(result, default=str)
