"""A collaboration whose pools exchange messages is one procedure (issue 18).

One case runs its pools side by side, as SpiffWorkflow runs a collaboration: each pool's tasks
are routed by that pool's lanes and a message thrown in one pool is caught by the other inside
the same case, without the API. Pools that exchange nothing stay separate procedures, as
before. A collaboration nobody can open (every pool waits for a message or a signal before it
starts) is a `check` problem saying so, not a case waiting forever.
"""
from dataclasses import replace

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
_EVENT_DEFINITIONS = ("messageEventDefinition", "signalEventDefinition", "timerEventDefinition",
                      "conditionalEventDefinition", "escalationEventDefinition", "errorEventDefinition")


def _flat(text) -> str:
    return " ".join(str(text or "").split())


def _opens(process) -> bool:
    """A pool a person can open: it has a plain start event (no trigger)."""
    return any(not any(child.tag == f"{BPMN}{d}" for d in _EVENT_DEFINITIONS for child in start)
               for start in process.findall(f"{BPMN}startEvent"))


def read(bundle, filename, tree) -> list[tuple[str, str, str]]:
    """Register each collaboration of `tree` whose executable pools exchange messages as one
    procedure in `bundle.processes`; return the (file, element, message) problems found."""
    problems = []
    processes = {p.get("id"): p for p in tree.iter(f"{BPMN}process")}
    for collab in tree.iter(f"{BPMN}collaboration"):
        pools = {p.get("id"): p.get("processRef") for p in collab.iter(f"{BPMN}participant") if p.get("processRef")}
        executable = [ref for ref in dict.fromkeys(pools.values())
                      if ref in bundle.processes and bundle.processes[ref].executable and ref in processes]
        if len(executable) < 2:
            continue
        owner = dict(pools)  # a pool or an element of an executable pool -> its process
        for ref in executable:
            owner.update({node.get("id"): ref for node in processes[ref].iter() if isinstance(node.tag, str) and node.get("id")})
        talking = set()
        for flow in collab.iter(f"{BPMN}messageFlow"):
            pair = owner.get(flow.get("sourceRef")), owner.get(flow.get("targetRef"))
            if pair[0] != pair[1] and all(p in executable for p in pair):
                talking.update(pair)
        if not talking:
            continue  # pools that exchange nothing: each its own procedure
        joint = [p for p in executable if p in talking]
        name = _flat(collab.get("name")) or "、".join(bundle.processes[p].name for p in joint)
        opening = [p for p in joint if _opens(processes[p])]
        if not opening:
            problems.append((filename, collab.get("id"), (
                f"协作“{name}”的泳池都要等消息或信号才开始：没有可以立案的泳池（至少一个泳池需要普通开始事件）")))
            continue
        if collab.get("id") in bundle.processes:
            problems.append((filename, collab.get("id"), f"协作的 id“{collab.get('id')}”与一个流程的 id 相同，无法作为一个流程部署"))
            continue
        ordered = opening[:1] + [p for p in joint if p != opening[0]]
        lanes = {}
        for ref in ordered:
            lanes.update(bundle.processes[ref].lanes)
        bundle.processes[collab.get("id")] = replace(
            bundle.processes[ordered[0]], id=collab.get("id"), name=name, lanes=lanes, participants=tuple(ordered))
    return problems


def spec(bundle, info):
    """The collaboration's spec: its pools' processes run side by side in one workflow."""
    parser = bundle.parser
    saved = parser.collaborations.get(info.id)
    parser.collaborations[info.id] = list(info.participants)  # only the pools Tonghu runs
    try:
        return parser.get_collaboration(info.id)
    finally:
        if saved is None:
            parser.collaborations.pop(info.id, None)
        else:
            parser.collaborations[info.id] = saved
