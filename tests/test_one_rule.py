"""One decision, one place: code that answered the same question twice (and could drift apart)
now answers it once."""
import ast
from pathlib import Path

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"


def _climbers(path: Path) -> list[str]:
    """Functions that walk up a chain of ancestors (`while x is not None: … x = x.<link>`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(loop, ast.While) and isinstance(loop.test, ast.Compare)
                and isinstance(loop.test.ops[0], ast.IsNot) for loop in ast.walk(node)):
            found.append(node.name)
    return found


def test_event_subprocesses_climb_tasks_and_workflows_with_one_walker():
    assert _climbers(WEBAPP / "engine" / "event_subprocesses.py") == ["_under"]


def test_the_reporter_read_audit_is_decided_in_one_view_helper():
    """The case page, the task page and the API name a confidential reporter through `audit_reporter_read`."""
    users = sorted(p.name for p in (WEBAPP / "views").glob("*.py") if "REPORTER_READ" in p.read_text(encoding="utf-8"))
    assert users == ["form_display.py"]
    assert "audit_reporter_read(current_user, case, opener=True)" in (WEBAPP / "views" / "cases.py").read_text(encoding="utf-8")
