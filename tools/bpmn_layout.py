#!/usr/bin/env python3
"""(Re)generate the diagram interchange (DI) of hand-written BPMN 2.0 files.

The semantic part of our process files (process, lanes, collaboration, flow
nodes, sequence flows) is written by hand; modelers such as bpmn.io do not draw
elements without DI. This tool derives a deterministic layered layout from
the semantic model and replaces every ``bpmndi:BPMNDiagram`` in the file, so
hand edits never have to touch coordinates.

Usage::

    python tools/bpmn_layout.py processes/*.bpmn          # rewrite in place
    python tools/bpmn_layout.py --check processes/*.bpmn  # CI: fail on stale DI

Layout: one horizontal pool per participant, lanes stacked in laneSet order,
nodes in columns ranked by the longest forward path from the start events
(back edges found by DFS are ignored for ranking and routed below the lane).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
DI_NSMAP = {"bpmndi": BPMNDI, "dc": DC, "di": DI}

SUBPROCESS_TAGS = frozenset({"subProcess", "transaction", "adHocSubProcess"})
ACTIVITY_TAGS = SUBPROCESS_TAGS | {
    "task", "userTask", "serviceTask", "scriptTask", "manualTask",
    "businessRuleTask", "sendTask", "receiveTask", "callActivity",
}
EVENT_TAGS = frozenset({
    "startEvent", "endEvent", "intermediateCatchEvent",
    "intermediateThrowEvent", "boundaryEvent",
})
GATEWAY_TAGS = frozenset({
    "exclusiveGateway", "parallelGateway", "inclusiveGateway",
    "eventBasedGateway", "complexGateway",
})
SIZES = {
    **{tag: (100, 80) for tag in ACTIVITY_TAGS},
    **{tag: (36, 36) for tag in EVENT_TAGS},
    **{tag: (50, 50) for tag in GATEWAY_TAGS},
}

ORIGIN = (160, 80)          # top-left corner of the first pool / plain layout
POOL_LABEL_WIDTH = 30       # vertical band holding the pool name
POOL_GAP = 40               # vertical gap between stacked pools
BLACK_BOX_HEIGHT = 60       # pools without a process have no content
COLUMN_PITCH = 150          # horizontal distance between rank columns
FIRST_COLUMN_CENTER = 70    # x of column 0's center, relative to band start
ROW_PITCH = 120             # height of one sub-row inside a lane band
ROW_CENTER = 50             # node center, relative to the sub-row top
BAND_PADDING = 15           # free space above and below the sub-rows
DETOUR = 15                 # last horizontal stub before entering a target
BACK_EDGE_CLEARANCE = 10    # distance of back edges from the band bottom
BACK_EDGE_SPACING = 5       # separates parallel back edges in one band

Point = tuple[int, int]


# --------------------------------------------------------------------------
# Semantic model
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A flow node; ``host`` is set for boundary events."""

    id: str
    tag: str
    host: str | None = None

    @property
    def size(self) -> tuple[int, int]:
        return SIZES[self.tag]


@dataclass(frozen=True)
class Flow:
    """A directed connection; ``id`` is None for the virtual host->boundary edge
    that lets boundary events (and their targets) inherit the host's rank."""

    id: str | None
    source: str
    target: str

    @property
    def weight(self) -> int:
        return 1 if self.id else 0


@dataclass
class Graph:
    """Flow nodes and sequence flows of one process or sub-process."""

    nodes: dict[str, Node]
    flows: list[Flow]

    def outgoing(self) -> dict[str, list[Flow]]:
        """Adjacency including the virtual host->boundary edges."""
        out: dict[str, list[Flow]] = {node_id: [] for node_id in self.nodes}
        for node in self.nodes.values():
            if node.host in out:
                out[node.host].append(Flow(None, node.host, node.id))
        for flow in self.flows:
            out[flow.source].append(flow)
        return out


def local_name(element) -> str:
    return etree.QName(element).localname


def bpmn_children(element, tag: str | None = None) -> Iterator:
    """Direct BPMN-namespace children (comments and foreign elements skipped)."""
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).namespace == BPMN:
            if tag is None or local_name(child) == tag:
                yield child


def read_graph(container) -> Graph:
    """Collect the flow nodes and sequence flows directly inside ``container``.

    A boundary event whose host is not in the same container is treated as a
    free-standing node rather than failing the whole layout.
    """
    elements = [child for child in bpmn_children(container)
                if local_name(child) in SIZES and child.get("id")]
    ids = {element.get("id") for element in elements}
    nodes = {
        element.get("id"): Node(
            element.get("id"), local_name(element),
            element.get("attachedToRef") if element.get("attachedToRef") in ids else None)
        for element in elements
    }
    flows = [
        Flow(flow.get("id"), flow.get("sourceRef"), flow.get("targetRef"))
        for flow in bpmn_children(container, "sequenceFlow")
        if flow.get("sourceRef") in nodes and flow.get("targetRef") in nodes
    ]
    return Graph(nodes, flows)


def read_lanes(process) -> list[tuple[str, list[str]]]:
    """Top-level lanes in document order with the node ids they reference.

    Node refs of nested child lanes are folded into their top-level lane.
    """
    lanes = []
    for lane_set in bpmn_children(process, "laneSet"):
        for lane in bpmn_children(lane_set, "lane"):
            refs = [ref.text.strip() for ref in lane.iter(f"{{{BPMN}}}flowNodeRef") if ref.text]
            lanes.append((lane.get("id"), refs))
    return lanes


# --------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------

def dfs_roots(graph: Graph) -> list[str]:
    """Start events first, then nodes without incoming flows, then the rest, so
    every node is visited and loops are cut where a modeler would expect."""
    targets = {flow.target for flow in graph.flows}
    nodes = [node for node in graph.nodes.values() if not node.host]
    starts = [node.id for node in nodes if node.tag == "startEvent"]
    sources = [node.id for node in nodes if node.id not in targets]
    return starts + sources + list(graph.nodes)


def find_back_edges(graph: Graph) -> tuple[set[str], list[str]]:
    """Return the ids of flows closing a cycle, and the DFS preorder of nodes.

    Iterative DFS keeps deep processes clear of Python's recursion limit.
    """
    out = graph.outgoing()
    state: dict[str, str] = {}
    back: set[str] = set()
    order: list[str] = []
    for root in dfs_roots(graph):
        if root in state:
            continue
        state[root] = "open"
        order.append(root)
        stack = [(root, iter(out[root]))]
        while stack:
            node_id, pending = stack[-1]
            for flow in pending:
                if flow.target not in state:
                    state[flow.target] = "open"
                    order.append(flow.target)
                    stack.append((flow.target, iter(out[flow.target])))
                    break
                if state[flow.target] == "open":
                    back.add(flow.id)
            else:
                state[node_id] = "done"
                stack.pop()
    return back, order


def rank_nodes(graph: Graph, back: set[str]) -> dict[str, int]:
    """Longest-path layering over the forward (acyclic) part of the graph."""
    forward = [flow for flows in graph.outgoing().values() for flow in flows
               if flow.id not in back]
    indegree = {node_id: 0 for node_id in graph.nodes}
    successors: dict[str, list[Flow]] = {node_id: [] for node_id in graph.nodes}
    for flow in forward:
        indegree[flow.target] += 1
        successors[flow.source].append(flow)
    rank = {node_id: 0 for node_id in graph.nodes}
    ready = [node_id for node_id, degree in indegree.items() if degree == 0]
    while ready:
        node_id = ready.pop()
        for flow in successors[node_id]:
            rank[flow.target] = max(rank[flow.target], rank[node_id] + flow.weight)
            indegree[flow.target] -= 1
            if indegree[flow.target] == 0:
                ready.append(flow.target)
    return rank


# --------------------------------------------------------------------------
# Placement
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in diagram coordinates (dc:Bounds)."""

    x: float
    y: float
    w: float
    h: float

    @classmethod
    def centered(cls, cx: int, cy: int, size: tuple[int, int]) -> Box:
        w, h = size
        return cls(cx - w // 2, cy - h // 2, w, h)

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w // 2

    @property
    def cy(self) -> float:
        return self.y + self.h // 2

    def contains(self, other: Box) -> bool:
        return (self.x <= other.x and self.y <= other.y
                and other.right <= self.right and other.bottom <= self.bottom)


@dataclass
class Band:
    """A horizontal strip holding nodes: a lane, or ``lane_id`` None for a
    process without lanes (or nodes no lane references)."""

    lane_id: str | None
    members: list[str]


@dataclass
class Placement:
    """Positions of one graph plus the facts edge routing depends on."""

    boxes: dict[str, Box]
    bands: list[tuple[Band, Box]]
    band_of: dict[str, Box]
    ranks: dict[str, int]
    back: set[str]
    frame: Box

    def column_center(self, rank: int) -> int:
        return self.frame.x + FIRST_COLUMN_CENTER + rank * COLUMN_PITCH


def make_bands(graph: Graph, lanes: list[tuple[str, list[str]]]) -> list[Band]:
    """One band per lane (laneSet order); unreferenced nodes get a trailing band
    so they are still drawn. Boundary events ride on their host, not a band."""
    free = [node.id for node in graph.nodes.values() if not node.host]
    claimed: set[str] = set()
    bands = []
    for lane_id, refs in lanes:
        members = [node_id for node_id in free if node_id in refs and node_id not in claimed]
        claimed.update(members)
        bands.append(Band(lane_id, members))
    rest = [node_id for node_id in free if node_id not in claimed]
    if rest or not bands:
        bands.append(Band(None, rest))
    return bands


def assign_rows(members: list[str], ranks: dict[str, int], order: list[str]) -> dict[str, int]:
    """Sub-row index per node: nodes sharing a column in one band are stacked,
    in DFS order so that branches keep a stable top-to-bottom order."""
    position = {node_id: index for index, node_id in enumerate(order)}
    used: dict[int, int] = {}
    rows = {}
    for node_id in sorted(members, key=position.__getitem__):
        rows[node_id] = used.get(ranks[node_id], 0)
        used[ranks[node_id]] = rows[node_id] + 1
    return rows


def place_graph(graph: Graph, bands: list[Band], x: int, y: int) -> Placement:
    """Rank the graph and stack its bands downwards from (x, y)."""
    back, order = find_back_edges(graph)
    ranks = rank_nodes(graph, back)
    width = 2 * FIRST_COLUMN_CENTER + max(ranks.values(), default=0) * COLUMN_PITCH
    placement = Placement({}, [], {}, ranks, back, Box(x, y, width, 0))
    top = y
    for band in bands:
        rows = assign_rows(band.members, ranks, order)
        row_count = max(rows.values(), default=0) + 1
        band_box = Box(x, top, width, row_count * ROW_PITCH + 2 * BAND_PADDING)
        for node_id, row in rows.items():
            center_y = top + BAND_PADDING + row * ROW_PITCH + ROW_CENTER
            placement.boxes[node_id] = Box.centered(
                placement.column_center(ranks[node_id]), center_y, graph.nodes[node_id].size)
            placement.band_of[node_id] = band_box
        placement.bands.append((band, band_box))
        top = band_box.bottom
    placement.frame = Box(x, y, width, top - y)
    place_boundary_events(graph, placement)
    return placement


def place_boundary_events(graph: Graph, placement: Placement) -> None:
    """Center boundary events on the host's bottom border, spread evenly."""
    by_host: dict[str, list[Node]] = {}
    for node in graph.nodes.values():
        if node.host:
            by_host.setdefault(node.host, []).append(node)
    for host_id, events in by_host.items():
        host = placement.boxes[host_id]
        for index, event in enumerate(events, 1):
            center_x = host.x + host.w * index // (len(events) + 1)
            placement.boxes[event.id] = Box.centered(center_x, host.bottom, event.size)
            placement.band_of[event.id] = placement.band_of[host_id]


# --------------------------------------------------------------------------
# Edge routing
# --------------------------------------------------------------------------

def route_flows(graph: Graph, placement: Placement) -> dict[str, list[Point]]:
    """Orthogonal waypoints for every sequence flow of the graph."""
    out_degree: dict[str, int] = {}
    for flow in graph.flows:
        out_degree[flow.source] = out_degree.get(flow.source, 0) + 1
    back_lanes: dict[Box, int] = {}
    routes = {}
    for flow in graph.flows:
        if flow.id in placement.back:
            points = route_back(flow, placement, back_lanes)
        elif graph.nodes[flow.source].host:
            points = route_from_boundary(flow, placement)
        else:
            points = route_forward(flow, placement, out_degree[flow.source] > 1)
        routes[flow.id] = simplify(points)
    return routes


def route_forward(flow: Flow, placement: Placement, is_split: bool) -> list[Point]:
    """Right side to left side; the vertical leg sits in the column gap next to
    the splitting source (fan-out) or next to the target (fan-in)."""
    source, target = placement.boxes[flow.source], placement.boxes[flow.target]
    if source.cy == target.cy:
        return [(source.right, source.cy), (target.x, target.cy)]
    if is_split:
        bend = placement.column_center(placement.ranks[flow.source]) + COLUMN_PITCH // 2
    else:
        bend = placement.column_center(placement.ranks[flow.target]) - COLUMN_PITCH // 2
    return [(source.right, source.cy), (bend, source.cy), (bend, target.cy), (target.x, target.cy)]


def route_from_boundary(flow: Flow, placement: Placement) -> list[Point]:
    """Leave the boundary event downwards, then run right into the target."""
    source, target = placement.boxes[flow.source], placement.boxes[flow.target]
    start = (source.cx, source.bottom)
    if target.cy > source.bottom:
        return [start, (source.cx, target.cy), (target.x, target.cy)]
    below = source.bottom + BACK_EDGE_CLEARANCE
    entry_x = target.x - DETOUR  # not the column gap, which forward flows use
    return [start, (source.cx, below), (entry_x, below), (entry_x, target.cy), (target.x, target.cy)]


def route_back(flow: Flow, placement: Placement, used: dict[Box, int]) -> list[Point]:
    """Loop edges leave downwards (keeping the right side for forward flows),
    run along the bottom of the lower band so they never cut through the nodes
    they skip, and enter the target from the left; parallel loops are offset."""
    source, target = placement.boxes[flow.source], placement.boxes[flow.target]
    band = max(placement.band_of[flow.source], placement.band_of[flow.target],
               key=lambda box: box.bottom)
    offset = used.get(band, 0)
    used[band] = offset + 1
    below = band.bottom - BACK_EDGE_CLEARANCE - (offset % 3) * BACK_EDGE_SPACING
    entry_x = target.x - DETOUR
    return [(source.cx, source.bottom), (source.cx, below), (entry_x, below),
            (entry_x, target.cy), (target.x, target.cy)]


def route_message(source: Box, target: Box) -> list[Point]:
    """Message flows cross between pools vertically, from the facing borders."""
    if target.cy >= source.cy:
        start, end = (source.cx, source.bottom), (target.cx, target.y)
    else:
        start, end = (source.cx, source.y), (target.cx, target.bottom)
    middle = (start[1] + end[1]) // 2
    return simplify([start, (start[0], middle), (end[0], middle), end])


def simplify(points: list[Point]) -> list[Point]:
    """Drop repeated and collinear points; modelers show them as odd handles."""
    result: list[Point] = []
    for point in points:
        if result and result[-1] == point:
            continue
        if len(result) >= 2 and is_collinear(result[-2], result[-1], point):
            result[-1] = point
        else:
            result.append(point)
    return result if len(result) >= 2 else [points[0], points[-1]]


def is_collinear(a: Point, b: Point, c: Point) -> bool:
    return (a[0] == b[0] == c[0]) or (a[1] == b[1] == c[1])


# --------------------------------------------------------------------------
# Diagram plans: what each BPMNPlane must contain
# --------------------------------------------------------------------------

@dataclass
class DiagramPlan:
    """Shapes and edges of one BPMNPlane, keyed by semantic element id."""

    plane_element: str
    shapes: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, list[Point]] = field(default_factory=dict)

    def include(self, graph: Graph, placement: Placement) -> None:
        """Add lanes before nodes so modelers stack them beneath the nodes."""
        for band, box in placement.bands:
            if band.lane_id:
                self.shapes[band.lane_id] = box
        self.shapes.update(placement.boxes)
        self.edges.update(route_flows(graph, placement))


def layout_process(process, x: int, y: int) -> tuple[Graph, Placement]:
    graph = read_graph(process)
    return graph, place_graph(graph, make_bands(graph, read_lanes(process)), x, y)


def plan_collaboration(collaboration, processes: dict) -> DiagramPlan:
    """Stack one pool per participant; participants without a process become
    empty (black-box) pools as wide as the widest pool."""
    plan = DiagramPlan(collaboration.get("id"))
    top = ORIGIN[1]
    black_boxes = []
    for participant in bpmn_children(collaboration, "participant"):
        process = processes.get(participant.get("processRef"))
        if process is None:
            black_boxes.append((participant.get("id"), top))
            top += BLACK_BOX_HEIGHT + POOL_GAP
            continue
        graph, placement = layout_process(process, ORIGIN[0] + POOL_LABEL_WIDTH, top)
        pool = Box(ORIGIN[0], top, placement.frame.w + POOL_LABEL_WIDTH, placement.frame.h)
        plan.shapes[participant.get("id")] = pool
        plan.include(graph, placement)
        top = pool.bottom + POOL_GAP
    width = max((box.w for box in plan.shapes.values()), default=600)
    for participant_id, pool_top in black_boxes:
        plan.shapes[participant_id] = Box(ORIGIN[0], pool_top, width, BLACK_BOX_HEIGHT)
    for flow in bpmn_children(collaboration, "messageFlow"):
        source, target = plan.shapes.get(flow.get("sourceRef")), plan.shapes.get(flow.get("targetRef"))
        if source and target:
            plan.edges[flow.get("id")] = route_message(source, target)
    return plan


def plan_container(container) -> DiagramPlan:
    """Plain layout without pool: processes outside a collaboration and the
    drill-down planes of collapsed sub-processes."""
    plan = DiagramPlan(container.get("id"))
    graph, placement = layout_process(container, *ORIGIN)
    plan.include(graph, placement)
    return plan


def subprocesses(container) -> Iterator:
    """All sub-processes with content, depth first."""
    for child in bpmn_children(container):
        if local_name(child) in SUBPROCESS_TAGS:
            if read_graph(child).nodes:
                yield child
            yield from subprocesses(child)


def build_plans(root) -> list[DiagramPlan]:
    """Collaboration plane first (modelers open the first diagram), then planes
    for processes no participant shows, then sub-process drill-down planes."""
    processes = {process.get("id"): process for process in bpmn_children(root, "process")}
    collaborations = list(bpmn_children(root, "collaboration"))[:1]
    plans = [plan_collaboration(collaboration, processes) for collaboration in collaborations]
    shown = {participant.get("processRef") for collaboration in collaborations
             for participant in bpmn_children(collaboration, "participant")}
    plans += [plan_container(process) for process_id, process in processes.items()
              if process_id not in shown]
    plans += [plan_container(sub) for process in processes.values() for sub in subprocesses(process)]
    return plans


# --------------------------------------------------------------------------
# Writing DI
# --------------------------------------------------------------------------

def di_tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def number(value: float) -> str:
    """Generated coordinates are whole pixels; avoid '1e+06' style output."""
    return str(round(value))


def shape_attributes(element) -> dict[str, str]:
    """DI flags modelers rely on to draw pools, lanes, gateways correctly."""
    tag = local_name(element)
    if tag in ("participant", "lane"):
        return {"isHorizontal": "true"}
    if tag in GATEWAY_TAGS:
        return {"isMarkerVisible": "true"}
    if tag in SUBPROCESS_TAGS:
        return {"isExpanded": "false"}
    return {}


def render_diagram(plan: DiagramPlan, index: dict, ordinal: int):
    diagram = etree.Element(di_tag(BPMNDI, "BPMNDiagram"), nsmap=DI_NSMAP,
                            id=f"BPMNDiagram_{ordinal}")
    plane = etree.SubElement(diagram, di_tag(BPMNDI, "BPMNPlane"),
                             id=f"BPMNPlane_{ordinal}", bpmnElement=plan.plane_element)
    for element_id, box in plan.shapes.items():
        shape = etree.SubElement(plane, di_tag(BPMNDI, "BPMNShape"), id=f"{element_id}_di",
                                 bpmnElement=element_id, **shape_attributes(index[element_id]))
        etree.SubElement(shape, di_tag(DC, "Bounds"), x=number(box.x), y=number(box.y),
                         width=number(box.w), height=number(box.h))
    for element_id, points in plan.edges.items():
        edge = etree.SubElement(plane, di_tag(BPMNDI, "BPMNEdge"), id=f"{element_id}_di",
                                bpmnElement=element_id)
        for x, y in points:
            etree.SubElement(edge, di_tag(DI, "waypoint"), x=number(x), y=number(y))
    return diagram


def element_index(root) -> dict:
    """Semantic elements by id (DI elements excluded)."""
    return {element.get("id"): element for element in root.iter(f"{{{BPMN}}}*")
            if element.get("id")}


def replace_diagrams(root) -> None:
    """Drop every existing BPMNDiagram and append freshly computed ones."""
    for old in root.findall(di_tag(BPMNDI, "BPMNDiagram")):
        root.remove(old)
    index = element_index(root)
    diagrams = [render_diagram(plan, index, ordinal)
                for ordinal, plan in enumerate(build_plans(root), 1)]
    for diagram in diagrams:
        etree.indent(diagram, space="  ", level=1)
        if len(root):
            root[-1].tail = "\n  "
        else:
            root.text = "\n  "
        root.append(diagram)
        diagram.tail = "\n"
    hoist_namespaces(root)


def hoist_namespaces(root) -> None:
    """Declare the DI prefixes once on the root, keeping every existing prefix
    (some are only used inside attribute values such as xsi:type)."""
    prefixes = {prefix for element in root.iter() if isinstance(element.tag, str)
                for prefix in element.nsmap if prefix}
    etree.cleanup_namespaces(root, top_nsmap=DI_NSMAP, keep_ns_prefixes=sorted(prefixes))


def parse(path: Path):
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False)
    return etree.parse(str(path), parser)


def serialize(tree) -> bytes:
    """UTF-8 with a conventional declaration; Chinese text stays readable.

    Top-level comments are written one per line because lxml forgets the
    whitespace between them and the root element.
    """
    root = tree.getroot()
    nodes = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    body = b"\n".join(etree.tostring(node, encoding="UTF-8", xml_declaration=False,
                                     with_tail=False) for node in nodes)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def layout_file(path: Path) -> bool:
    """Rewrite the file's DI in place; return whether the file changed."""
    tree = parse(path)
    replace_diagrams(tree.getroot())
    content = serialize(tree)
    if path.read_bytes() == content:
        return False
    path.write_bytes(content)
    return True


# --------------------------------------------------------------------------
# Checking existing DI
# --------------------------------------------------------------------------

def read_bounds(shape) -> Box | None:
    bounds = shape.find(di_tag(DC, "Bounds"))
    try:
        return Box(*(float(bounds.get(name)) for name in ("x", "y", "width", "height")))
    except (AttributeError, TypeError, ValueError):
        return None


def find_problems(root) -> list[str]:
    """Everything that makes the DI incomplete or out of date with respect to
    the semantic model (missing/dangling/degenerate shapes and edges)."""
    if root.find(di_tag(BPMNDI, "BPMNDiagram")) is None:
        return ["no bpmndi:BPMNDiagram"]
    shapes = {shape.get("bpmnElement"): read_bounds(shape)
              for shape in root.iter(di_tag(BPMNDI, "BPMNShape"))}
    edges = {edge.get("bpmnElement"): len(edge.findall(di_tag(DI, "waypoint")))
             for edge in root.iter(di_tag(BPMNDI, "BPMNEdge"))}
    planes = {plane.get("bpmnElement") for plane in root.iter(di_tag(BPMNDI, "BPMNPlane"))}
    problems = []
    for plan in build_plans(root):
        if plan.plane_element not in planes:
            problems.append(f"no BPMNPlane for {plan.plane_element}")
        problems += [shape_problem(element_id, shapes) for element_id in plan.shapes]
        problems += [edge_problem(element_id, edges) for element_id in plan.edges]
    index = element_index(root)
    problems += [f"DI references unknown element {element_id}"
                 for element_id in [*shapes, *edges, *planes] if element_id not in index]
    problems += list(lane_problems(root, shapes))
    return [problem for problem in problems if problem]


def shape_problem(element_id: str, shapes: dict[str, Box | None]) -> str | None:
    if element_id not in shapes:
        return f"no shape for {element_id}"
    box = shapes[element_id]
    if box is None or box.w <= 0 or box.h <= 0:
        return f"shape of {element_id} has invalid bounds"
    return None


def edge_problem(element_id: str, edges: dict[str, int]) -> str | None:
    if element_id not in edges:
        return f"no edge for {element_id}"
    if edges[element_id] < 2:
        return f"edge of {element_id} has fewer than 2 waypoints"
    return None


def lane_problems(root, shapes: dict[str, Box | None]) -> Iterable[str]:
    """A node drawn outside the lane that references it means the lane
    assignment changed after the layout was made."""
    for lane in root.iter(f"{{{BPMN}}}lane"):
        lane_box = shapes.get(lane.get("id"))
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            node_box = shapes.get((ref.text or "").strip())
            if lane_box and node_box and not lane_box.contains(node_box):
                yield f"shape of {ref.text.strip()} lies outside lane {lane.get('id')}"


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

Outcome = tuple[list[str], bool]


def run(paths: list[Path], action: Callable[[Path], Outcome]) -> int:
    """Apply ``action`` to every file and print its messages; unreadable
    files count as failures. Returns the process exit status."""
    failed = False
    for path in paths:
        try:
            messages, ok = action(path)
        except (OSError, etree.XMLSyntaxError) as error:
            messages, ok = [f"error: {error}"], False
        for message in messages:
            print(f"{path}: {message}")
        failed = failed or not ok
    return 1 if failed else 0


def check_action(path: Path) -> Outcome:
    problems = find_problems(parse(path).getroot())
    return problems, not problems


def layout_action(path: Path) -> Outcome:
    return (["updated"] if layout_file(path) else []), True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="BPMN files")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 naming files whose DI is missing or stale")
    args = parser.parse_args(argv)
    return run(args.files, check_action if args.check else layout_action)


if __name__ == "__main__":
    sys.exit(main())
