"""Data a run needs and lacks, said plainly: SpiffWorkflow's bare TypeError, NameError or data
exception becomes `DataInputMissing` naming the task and the missing input."""
from contextlib import contextmanager

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from .bundle import flat


class DataInputMissing(SpiffWorkflowException):
    """A multi-instance task's input collection is not in the data (SpiffWorkflow 3.2 answers a
    parallel one with a bare `TypeError`)."""


@contextmanager
def explained(workflow: BpmnWorkflow):
    """Run the block; a missing input or variable leaves it as `DataInputMissing`."""
    try:
        yield
    except (TypeError, WorkflowDataException) as err:
        missing = missing_input(workflow)
        if missing is None and not isinstance(err, WorkflowDataException):
            raise
        raise DataInputMissing(missing or data_problem(err)) from err
    except NameError as err:  # e.g. a timer's variable nobody set
        raise DataInputMissing(f"流程需要的变量“{err.name}”不存在（立案数据和之前的步骤都没有提供它）") from err
    except SpiffWorkflowException as err:
        if getattr(err, "error_type", None) != "NameError":
            raise
        raise DataInputMissing(f"“{getattr(err, 'task_name', '') or '?'}”需要的变量不存在：{flat(err)[:200]}") from err


def data_problem(err: WorkflowDataException) -> str:
    task = getattr(err, "task", None)
    spec = task.task_spec if task is not None else None
    name = (flat(spec.bpmn_name) or spec.bpmn_id) if spec is not None else "?"
    owners = [spec, task.parent.task_spec if task is not None and task.parent is not None else None]
    output = next((o.output_item.bpmn_id for o in owners if getattr(o, "output_item", None) is not None), None)
    if output and "output item" in str(err):
        return f"多实例任务“{name}”的每个实例都要给出输出项“{output}”"
    return f"“{name}”的数据不完整（{flat(err)[:200]}）"


def missing_input(workflow: BpmnWorkflow) -> str | None:
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
