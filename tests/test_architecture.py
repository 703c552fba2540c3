"""The layout holds: no import circle inside the app, and no module outgrows one concern.

Imports are read from the source (module level and inside functions alike: a lazy import
that hides a circle is still a circle). A package's own `__init__` is not counted as
imported by its submodules, as Python's import system would, because it only gathers.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("webapp", "handlers")
# Lines per module: services hold one concern each; nothing else grows past a page or two.
LIMITS = {"webapp/services": 300, "webapp": 400, "handlers": 300}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:  # Alembic revisions are data, not the app's structure
                continue
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The app modules `name` imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in known else base)
    return {t for t in targets if t in known and t != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_in_the_app():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    # Gathering packages (`webapp`, `webapp.services` …) re-export; the app factory imports every
    # view, so count only edges into a package from outside it.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle)


def test_the_cycle_check_sees_a_lazy_import(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    known = {"webapp.x": ROOT / "x.py", "webapp.y": ROOT / "y.py"}
    source = "def later():\n    from . import y\n"
    probe = tmp_path / "x.py"
    probe.write_text(source, encoding="utf-8")
    assert imports_of("webapp.x", probe, known) == {"webapp.y"}


def test_modules_keep_to_one_concern():
    too_long = []
    for name, path in modules().items():
        relative = path.relative_to(ROOT).as_posix()
        limit = next(n for prefix, n in sorted(LIMITS.items(), key=lambda item: -len(item[0])) if relative.startswith(prefix))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            too_long.append(f"{relative}: {lines} lines (limit {limit})")
    assert not too_long, "split these by concern: " + "; ".join(too_long)


def test_models_and_services_do_not_import_flask():
    offenders = []
    for name, path in modules().items():
        if not name.startswith(("webapp.models", "webapp.services", "webapp.engine", "handlers")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n.split(".")[0] in ("flask", "flask_login", "flask_babel", "flask_wtf", "werkzeug") for n in names):
                offenders.append(name)
    assert not offenders, f"Flask inside the core: {sorted(set(offenders))}"
