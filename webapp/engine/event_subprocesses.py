"""Event subprocesses as BPMN means them, where SpiffWorkflow 3.2 falls short.

SpiffWorkflow starts an event subprocess when its event comes (a message, a timer, an error, an
escalation) but lets the rest of the process run on, as if every one were non-interrupting. An
interrupting one (`isInterrupting` unset or "true", the BPMN default) takes over its process:
every other unfinished step of that process is cancelled (open tasks, waiting timers and
messages, running subprocesses), so the process ends when the event subprocess ends.

And a process whose own flow has ended still waited for the timer of an event subprocess that
never fired: the case stayed "running" for ever. Listeners that have not fired are closed when
nothing else of their process is left (one that has started runs to its end).
"""
from SpiffWorkflow.util.task import TaskState

from .parser import InterruptingStartEvent


def _interrupting_runs(workflow) -> list:
    """The event-subprocess tasks whose interrupting start event has fired, anywhere in the case."""
    found = []
    for sub_id, sub in list(workflow.subprocesses.items()):
        if not any(isinstance(s, InterruptingStartEvent) for s in sub.spec.task_specs.values()):
            continue
        started = any(isinstance(t.task_spec, InterruptingStartEvent) and t.state == TaskState.COMPLETED
                      for t in sub.get_tasks(state=TaskState.COMPLETED))
        if started and sub.parent_workflow is not None:
            owner = sub.parent_workflow.get_task_from_id(sub_id)
            if owner is not None:
                found.append(owner)
    return found


def _under(node, ancestor, up: str = "parent") -> bool:
    """Whether `node` is `ancestor` or lies (at any depth) below it, climbing by `up`: a task's
    `parent` in its tree, or a workflow's `parent_workflow` (a subprocess inside its process)."""
    while node is not None:
        if node is ancestor:
            return True
        node = getattr(node, up)
    return False


def interrupt(workflow) -> bool:
    """Cancel what a started interrupting event subprocess interrupts; True when anything was."""
    cancelled = False
    for owner in _interrupting_runs(workflow):
        own = workflow.subprocesses[owner.id]
        for task in owner.workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
            if not task.has_state(TaskState.NOT_FINISHED_MASK) or _under(task.workflow, own, "parent_workflow"):
                continue  # done meanwhile (a parent's cancel), or the event subprocess's own step
            if not _under(task.workflow, owner.workflow, "parent_workflow"):
                continue  # above the interrupted process
            if not _under(task, owner) and not _under(owner, task):
                task.cancel()
                cancelled = True
    return cancelled


def interrupted(workflow) -> bool:
    """Whether an interrupting event subprocess has taken over the top process."""
    return any(owner.workflow is workflow for owner in _interrupting_runs(workflow))


def interrupting_ends(workflow) -> list:
    """The completed end events of the interrupting event subprocesses of the top process."""
    return [t for owner in _interrupting_runs(workflow) if owner.workflow is workflow
            for t in workflow.subprocesses[owner.id].get_tasks(state=TaskState.COMPLETED)
            if type(t.task_spec).__name__ == "EndEvent"]


def _listening(task) -> bool:
    """An event subprocess (here: timer-started) whose start event still waits."""
    if task.parent is None or task.parent.task_spec.name != "Start":  # an event subprocess hangs off Start
        return False
    sub = task.workflow.top_workflow.subprocesses.get(task.id)
    return sub is not None and any(type(t.task_spec).__name__ in ("StartEvent", "InterruptingStartEvent")
                                   for t in sub.get_tasks(state=TaskState.WAITING))


def close_listeners(workflow) -> bool:
    """Cancel the unfired event-subprocess listeners of every process whose own flow has ended."""
    closed = False
    for wf in [workflow, *list(workflow.subprocesses.values())]:
        own = [t for t in wf.get_tasks(state=TaskState.NOT_FINISHED_MASK) if t.workflow is wf]
        listeners = [t for t in own if _listening(t)]
        if not listeners:
            continue
        rest = [t for t in own if not any(_under(t, listener) for listener in listeners)
                and t.task_spec.name != "End" and not t.task_spec.name.endswith(".EndJoin")]
        if not rest:
            for listener in listeners:
                listener.cancel()
            wf.update_waiting_tasks()  # the process's end join waited for them too
            closed = True
    return closed
