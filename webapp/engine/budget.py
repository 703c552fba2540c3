"""Bounds on one run of the engine: a burst of automatic steps that never waits for a person, and
dates a diagram computes past year 9999. Both are design errors on an element (422, nothing saved),
never a case silently "completed" nor a bare 500."""
import time
from contextlib import contextmanager

from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task


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


@contextmanager
def dates_in_range():
    """A timer's duration or date past year 9999 (`'P99999Y'`, or from form data) as `DateOutOfRange`."""
    try:
        yield
    except OverflowError as err:
        raise DateOutOfRange(err) from err


class RunawayRun(SpiffWorkflowException):
    """The diagram ran more automatic steps, or for longer, in one go than any procedure needs: a
    loop of script tasks and gateways that never waits for a person (SpiffWorkflow would run it until
    its task tree grows too deep, then silently call the case finished). A design error on the element."""

    def __init__(self, msg, task):
        super().__init__(msg)
        self.task = task


class StepBudget:
    """`did_complete_task` callback bounding one burst of automatic steps (per call of the engine).

    A loop that never waits grows the task tree one level a step (SpiffWorkflow gives up near
    Python's recursion limit and calls the case finished): the tree may grow `depth` levels in one
    burst. A multi-instance activity over a long list runs many steps side by side (siblings, not
    deeper), bounded only by `steps` and `seconds`."""

    def __init__(self, steps: int, seconds: float, depth: int):
        self.steps, self.left, self.seconds, self.max_depth = steps, steps, seconds, depth
        self.deadline = time.monotonic() + seconds
        self.start_depth = None

    def __call__(self, task) -> None:
        self.left -= 1
        if self.left < 0:
            raise RunawayRun(f"一次自动执行了超过 {self.steps} 个环节仍未停下（流程中可能有不经人工办理的无限循环）", task)
        if time.monotonic() > self.deadline:
            raise RunawayRun(f"自动执行的环节超过 {self.seconds:g} 秒仍未停下（流程中可能有不经人工办理的循环或耗时的脚本）",
                             task)
        depth = task.depth
        if self.start_depth is None:
            self.start_depth = depth
        elif depth - self.start_depth > self.max_depth:
            raise RunawayRun(f"一次自动执行中同一路径连续走过超过 {self.max_depth} 个环节仍未停下"
                             "（流程中可能有不经人工办理的无限循环）", _looping_element(task))


def _looping_element(task):
    """The task to name for a loop: the nearest one up the path that is not a gateway (the work
    the loop repeats, not the diamond that sends it round)."""
    candidate = task
    while candidate is not None and "Gateway" in type(candidate.task_spec).__name__:
        candidate = candidate.parent
    return candidate or task
