"""`tonghu check` for lanes routed to a unit chosen in the case's data (lane property `unitFrom`).

The field must be chosen from the organisation (an `x-unit` field) in a form filled before
every task of the lane, and the units it offers must be of a department that may act for the
lane; otherwise the task would silently fall back to the office, or go to the wrong party.
"""
from ..catalog import department_name
from ..engine.bundle import NS, properties_of
from .routing import departments_acting_for
from .unit_forms import spec_departments, unit_fields


def unit_lane_problems(bundle, filename, proc, forms) -> list[tuple[str, str]]:
    """(element id, Chinese message) for every misuse of `unitFrom` in `proc`."""
    info = bundle.processes[proc.get("id")]
    problems = []
    form_of = {n.get("id"): properties_of(n).get("formJsonSchemaFilename") for n in proc.xpath("./*")}
    before = _predecessors(proc)
    starts = {n.get("id") for n in proc.xpath("./bpmn:startEvent", namespaces=NS)}
    for lane_el in proc.xpath(".//bpmn:lane", namespaces=NS):
        field = properties_of(lane_el).get("unitFrom")
        if field is None:
            continue
        lane_id, lane_name = lane_el.get("id"), lane_el.get("name") or lane_el.get("id")
        lane = next((entry for entry in info.lanes.values() if entry.id == lane_id), None)
        department = lane.department if lane else None
        if not field.strip():
            problems.append((lane_id, f"泳道“{lane_name}”的 unitFrom 为空：请填写案件数据中选定单位的字段名"))
            continue
        in_lane = [ref.text.strip() for ref in lane_el.xpath("./bpmn:flowNodeRef", namespaces=NS)]
        for node_id in in_lane:
            if node_id in starts or (not form_of.get(node_id) and node_id not in _user_tasks(proc)):
                continue  # a start form is filled by whoever starts the case, before anything is routed
            # the lane's own tasks are routed by the field before they can fill it: another form must
            # (or the start form, even one drawn in this lane)
            specs = [unit_fields(forms.get(form_of.get(n)) or {}).get(field) for n in before.get(node_id, ())
                     if n not in in_lane or n in starts]
            specs = [s for s in specs if s is not None]
            if not specs:
                problems.append((node_id, f"泳道“{lane_name}”按字段“{field}”选定单位（unitFrom），但在任务"
                                          f"“{node_id}”之前没有表单以单位选择（x-unit）填写该字段"))
                continue
            allowed = departments_acting_for(department) if department else ()
            for spec in specs:
                wrong = [d for d in spec_departments(spec) if d not in allowed]
                if wrong or not spec_departments(spec):
                    names = "、".join(department_name(d) for d in wrong) or "（未指定部门）"
                    problems.append((node_id, f"泳道“{lane_name}”属于{department_name(department or '')}，但字段“{field}”"
                                              f"可选的单位属于{names}，不能办理该泳道的任务"))
                    break
    return problems


def _user_tasks(proc) -> set[str]:
    return {n.get("id") for n in proc.xpath("./bpmn:userTask", namespaces=NS)}


def _predecessors(proc) -> dict[str, set[str]]:
    """Node id -> every node from which a path of sequence flows leads to it."""
    incoming: dict[str, set[str]] = {}
    for flow in proc.xpath("./bpmn:sequenceFlow", namespaces=NS):
        incoming.setdefault(flow.get("targetRef"), set()).add(flow.get("sourceRef"))
    result: dict[str, set[str]] = {}
    for node in proc.xpath("./*[@id]"):
        seen, todo = set(), list(incoming.get(node.get("id"), ()))
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(incoming.get(current, ()))
        result[node.get("id")] = seen
    return result
