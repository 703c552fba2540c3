"""What a check reports: a problem (the diagram cannot be deployed) or a warning (it can run,
but a designer should know), each one line naming the file and the element."""
from dataclasses import dataclass

from ...engine.bundle import flat


@dataclass(frozen=True)
class Problem:
    file: str
    element: str | None
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", flat(self.message))  # one line, whatever the names hold

    def __str__(self):
        where = f"{self.file}" + (f" [{self.element}]" if self.element else "")
        return f"{where}: {self.message}"


def local(node) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    return node.tag.split("}")[-1] if isinstance(node.tag, str) else ""


def label(node) -> str:
    """The name a designer sees (on one line), else the id."""
    return flat(node.get("name")) or node.get("id") or "?"
