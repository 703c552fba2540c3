"""A set of BPMN/DMN files parsed together, and what Tonghu reads from them.

The parser gives each task only its lane's *name*; the department and level that route a
task live on the lane itself as ``spiffworkflow:property`` entries, so the bundle reads
them from the XML and keeps a map (process id, element id) -> lane.
"""
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException


from . import collaborations
from .parser import TonghuParser

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}


def is_executable(process) -> bool:
    """BPMN's default, as Camunda, Flowable and SpiffWorkflow's parser read it: a process without
    `isExecutable` is executable; only `isExecutable="false"` (or a value other than "true") is not."""
    return process.get("isExecutable", "true") == "true"


@dataclass(frozen=True)
class Lane:
    id: str
    name: str
    department: str | None
    level: str | None
    # A case-data field holding the id of the unit that acts (webapp/services/routing.py).
    unit_from: str | None = None
    # A case-data field holding a region code: the office of that place acts, not the case's
    # (e.g. the street of a young adult's new residence; webapp/services/region_choice.py).
    region_from: str | None = None

    @property
    def route(self) -> str:
        return f"{self.department}@{self.level}"


@dataclass
class ProcessInfo:
    id: str
    name: str
    filename: str
    executable: bool
    start_form: str | None = None
    # element id -> lane, at every depth: an element inside an embedded subprocess or transaction
    # has the lane drawn around it inside that subprocess, else the lane of the nearest enclosing
    # element a lane holds.
    lanes: dict[str, Lane] = field(default_factory=dict)
    # Start-event properties: who may start ("any" office covering the place, "handover" =
    # only another procedure; unset = the start lane's office), and start-data fields kept
    # confidential from every department not named in `confidential_to`.
    startable_by: str | None = None
    confidential_fields: tuple[str, ...] = ()
    confidential_to: tuple[str, ...] = ()
    # A collaboration deployed as one procedure: its pools' processes, the opening one first
    # (see `collaborations.py`); empty for a plain process.
    participants: tuple[str, ...] = ()


# Elements that hold flow elements of their own (SpiffWorkflow runs each as a sub-workflow whose
# spec is named by the element's id).
CONTAINERS = ("subProcess", "transaction", "adHocSubProcess")


def flat(text) -> str:
    """A name or message on one line (names drawn in bpmn.io often hold line breaks)."""
    return " ".join(str(text or "").split())


class BundleError(Exception):
    """The files do not parse; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def properties_of(node) -> dict[str, str]:
    return {
        p.get("name"): p.get("value")
        for p in node.xpath("./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)
    }


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


class Bundle:
    """Parsed files: specs for the engine, process and lane facts for routing and checks."""

    def __init__(self, files: dict[str, str]):
        self.files = dict(sorted(files.items()))
        self.parser = TonghuParser()
        # SpiffWorkflow parses a process on first use, filling dicts another thread may be reading:
        # the threads of one server process (gunicorn's gthread) take turns, and each result is kept.
        self._parsing = threading.Lock()
        self._specs: dict[str, tuple] = {}
        self.processes: dict[str, ProcessInfo] = {}
        self.trees: dict[str, etree._Element] = {}
        self.containers: dict[str, str] = {}  # embedded subprocess / transaction id -> its process id
        # What the parser warned about (old Spiff spellings it still reads): `check` shows them.
        self.parser_warnings: dict[str, str] = {}
        problems = []
        for filename, xml in self.files.items():
            try:
                tree = etree.fromstring(xml.encode("utf-8"))
            except (etree.LxmlError, ValueError) as err:
                problems.append(f"{filename}: XML 格式错误：{flat(err)}")
                continue
            self.trees[filename] = tree
            try:
                if filename.endswith(".dmn"):
                    self.parser.add_dmn_xml(tree, filename=filename)
                else:
                    self.parser.add_bpmn_xml(tree, filename=filename)
                    self._read_processes(filename, tree)
            except ValidationException as err:
                problems.append(f"{filename}: {_readable(err)}")
            except Exception as err:  # noqa: BLE001 - the parser's IndexError, XPathEvalError…: a problem, never a traceback
                problems.append(f"{filename}: 文件无法解析（{type(err).__name__}：{_readable(err)}）")
        if problems:
            raise BundleError(problems)
        self.collaboration_problems: list[tuple[str, str, str]] = []  # (file, element, message) for `check`
        for filename, tree in self.trees.items():
            if not filename.endswith(".dmn"):
                self.collaboration_problems += collaborations.read(self, filename, tree)

    @classmethod
    def from_directory(cls, path: Path) -> "Bundle":
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir()) if p.suffix in (".bpmn", ".dmn")}
        return cls(files)

    def _read_processes(self, filename, tree):
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            info = ProcessInfo(
                id=proc.get("id"),
                name=proc.get("name") or proc.get("id"),
                filename=filename,
                executable=is_executable(proc),
            )
            for start in proc.xpath("./bpmn:startEvent", namespaces=NS):
                props = properties_of(start)
                info.start_form = props.get("formJsonSchemaFilename") or info.start_form
                info.startable_by = props.get("startableBy") or info.startable_by
                info.confidential_fields += _names(props.get("confidentialFields"))
                info.confidential_to += _names(props.get("confidentialTo"))
            self._read_lanes(info, proc, None)
            self.processes[info.id] = info

    def _read_lanes(self, info: ProcessInfo, container, enclosing: Lane | None) -> None:
        """Each element's lane at every depth: the lanes drawn in its own container, else the
        lane of the enclosing subprocess (see `ProcessInfo.lanes`)."""
        drawn: dict[str, Lane] = {}
        for lane in container.xpath("./bpmn:laneSet//bpmn:lane", namespaces=NS):  # a child lane after its parent
            props = properties_of(lane)
            entry = Lane(lane.get("id"), flat(lane.get("name")) or lane.get("id"), props.get("department"),
                         props.get("level"), props.get("unitFrom") or None, props.get("regionFrom") or None)
            for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
                drawn[(ref.text or "").strip()] = entry
        for node in container:
            if not isinstance(node.tag, str) or node.get("id") is None:
                continue
            lane = drawn.get(node.get("id"), enclosing)
            if lane is not None:
                info.lanes[node.get("id")] = lane
            if node.tag.split("}")[-1] in CONTAINERS:
                self.containers[node.get("id")] = info.id
                self._read_lanes(info, node, lane)

    def process_of(self, container_id: str) -> str:
        """The process an embedded subprocess belongs to (a process id is its own)."""
        return self.containers.get(container_id, container_id)

    def spec(self, process_id: str):
        """The process spec and the specs of everything it calls (for a collaboration deployed
        as one procedure, a spec that runs its pools side by side); the mapping is the caller's own.
        Parsed once per bundle under a lock (SpiffWorkflow fills shared dicts while it parses).
        The parser's deprecation warnings (e.g. a message payload written the SpiffArena 2023 way)
        are kept, not raised: the same file must check and run alike whatever the warning filter."""
        with self._parsing:
            found = self._specs.get(process_id)
            if found is None:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    info = self.processes.get(process_id)
                    if info is not None and info.participants:
                        found = collaborations.spec(self, info)
                    else:
                        found = self.parser.get_spec(process_id), self.parser.get_subprocess_specs(process_id)
                for warning in caught:
                    self.parser_warnings.setdefault(process_id, flat(warning.message)[:300])
                self._specs[process_id] = found
        return found[0], dict(found[1])

    def files_for(self, process_id: str) -> dict[str, str]:
        """The files a process needs: its own and those of the processes it calls."""
        _, subprocesses = self.spec(process_id)
        needed = {self.processes[process_id].filename}
        needed |= {self.processes[p].filename for p in subprocesses if p in self.processes}
        needed |= {name for name in self.files if name.endswith(".dmn")}
        return {name: self.files[name] for name in sorted(needed)}

    def lane_of(self, process_id: str, element_id: str) -> Lane | None:
        """`process_id` as the engine names a task's workflow: a process, or an embedded subprocess."""
        info = self.processes.get(self.process_of(process_id))
        return info.lanes.get(element_id) if info else None

    def top_level_processes(self) -> list[ProcessInfo]:
        """Executable processes that no other process calls (the procedures users start), and called
        ones whose start event says they are also opened on their own by a hand-over or the scheduler
        (`startableBy`, e.g. the two-yearly capacity reassessment)."""
        called = set()
        for tree in self.trees.values():
            called |= {c.get("calledElement") for c in tree.xpath("//bpmn:callActivity", namespaces=NS)}
        joined = {pid for p in self.processes.values() for pid in p.participants}
        return [p for p in self.processes.values()
                if p.executable and p.id not in joined
                and (p.id not in called or p.startable_by in ("handover", "scheduler"))]

    def start_lane(self, process_id: str) -> Lane | None:
        """The lane of the start event a person opens the case at (of the opening pool in a collaboration)."""
        info = self.processes[process_id]
        opening = info.participants[0] if info.participants else process_id
        spec = self.parser.get_spec(opening) if info.participants else self.spec(process_id)[0]
        return next((info.lanes[s.bpmn_id] for s in spec.task_specs.values()
                     if type(s).__name__ == "StartEvent" and s.bpmn_id in info.lanes), None)


def _readable(err: Exception) -> str:
    """The parser's message on one line, without lxml's `<Element … at 0x7fa6…>` object names."""
    text = re.sub(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-f]+>", r"<\1>", str(err))
    return flat(text)[:300]
