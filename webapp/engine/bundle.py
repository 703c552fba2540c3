"""A set of BPMN/DMN files parsed together, and what Tonghu reads from them.

The parser gives each task only its lane's *name*; the department and level that route a
task live on the lane itself as ``spiffworkflow:property`` entries, so the bundle reads
them from the XML and keeps a map (process id, element id) -> lane.
"""
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}


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
    lanes: dict[str, Lane] = field(default_factory=dict)  # element id -> lane
    # Start-event properties: who may start ("any" office covering the place, "handover" =
    # only another procedure; unset = the start lane's office), and start-data fields kept
    # confidential from every department not named in `confidential_to`.
    startable_by: str | None = None
    confidential_fields: tuple[str, ...] = ()
    confidential_to: tuple[str, ...] = ()


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
        self.parser = SpiffBpmnParser()
        self.processes: dict[str, ProcessInfo] = {}
        self.trees: dict[str, etree._Element] = {}
        problems = []
        for filename, xml in self.files.items():
            try:
                tree = etree.fromstring(xml.encode("utf-8"))
            except etree.XMLSyntaxError as err:
                problems.append(f"{filename}: XML 格式错误：{err}")
                continue
            self.trees[filename] = tree
            try:
                if filename.endswith(".dmn"):
                    self.parser.add_dmn_xml(tree, filename=filename)
                else:
                    self.parser.add_bpmn_xml(tree, filename=filename)
                    self._read_processes(filename, tree)
            except ValidationException as err:
                problems.append(f"{filename}: {err}")
        if problems:
            raise BundleError(problems)

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
                executable=proc.get("isExecutable") == "true",
            )
            for start in proc.xpath("./bpmn:startEvent", namespaces=NS):
                props = properties_of(start)
                info.start_form = props.get("formJsonSchemaFilename") or info.start_form
                info.startable_by = props.get("startableBy") or info.startable_by
                info.confidential_fields += _names(props.get("confidentialFields"))
                info.confidential_to += _names(props.get("confidentialTo"))
            for lane in proc.xpath(".//bpmn:lane", namespaces=NS):
                props = properties_of(lane)
                entry = Lane(lane.get("id"), lane.get("name") or lane.get("id"), props.get("department"), props.get("level"),
                             props.get("unitFrom") or None, props.get("regionFrom") or None)
                for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
                    info.lanes[ref.text.strip()] = entry
            self.processes[info.id] = info

    def spec(self, process_id: str):
        """The process spec and the specs of everything it calls."""
        return self.parser.get_spec(process_id), self.parser.get_subprocess_specs(process_id)

    def files_for(self, process_id: str) -> dict[str, str]:
        """The files a process needs: its own and those of the processes it calls."""
        _, subprocesses = self.spec(process_id)
        needed = {self.processes[process_id].filename}
        needed |= {self.processes[p].filename for p in subprocesses if p in self.processes}
        needed |= {name for name in self.files if name.endswith(".dmn")}
        return {name: self.files[name] for name in sorted(needed)}

    def lane_of(self, process_id: str, element_id: str) -> Lane | None:
        info = self.processes.get(process_id)
        return info.lanes.get(element_id) if info else None

    def top_level_processes(self) -> list[ProcessInfo]:
        """Executable processes that no other process calls: the procedures users start."""
        called = set()
        for tree in self.trees.values():
            called |= {c.get("calledElement") for c in tree.xpath("//bpmn:callActivity", namespaces=NS)}
        return [p for p in self.processes.values() if p.executable and p.id not in called]
