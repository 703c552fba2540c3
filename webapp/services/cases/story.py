"""A case's story so far, as the next office needs it: what was reported at the start."""
from ...engine import Engine
from ...models import Case


def start_data(engine: Engine, case: Case) -> dict:
    """The start form's data as the opener submitted it (read from the workflow's start event,
    which keeps it for the case's whole life; a handed-over case's hand-over data likewise)."""
    workflow = engine.loads(case.workflow_json)
    for task in workflow.get_tasks():
        if task.workflow is workflow and type(task.task_spec).__name__ == "StartEvent":
            return dict(task.data)
    return {}
