"""`tonghu check` for lanes routed to a place chosen in the case's data (lane property `regionFrom`).

The field must be chosen from the organisation's regions (an `x-region` field) in a form filled
before every user task of the lane, at a level no coarser than the lane's; otherwise the task
would silently go to the office of the case's own place (see webapp/services/region_choice.py).
"""
from ..engine.bundle import NS, properties_of
from ..models import LEVELS
from .region_choice import region_fields
from .unit_checks import _predecessors, _user_tasks


def region_lane_problems(proc, forms) -> list[tuple[str, str]]:
    """(element id, Chinese message) for every misuse of `regionFrom` in `proc`."""
    problems = []
    form_of = {n.get("id"): properties_of(n).get("formJsonSchemaFilename") for n in proc.xpath("./*")}
    before = _predecessors(proc)
    for lane_el in proc.xpath(".//bpmn:lane", namespaces=NS):
        props = properties_of(lane_el)
        field = props.get("regionFrom")
        if field is None:
            continue
        lane_id, lane_name = lane_el.get("id"), lane_el.get("name") or lane_el.get("id")
        if not field.strip():
            problems.append((lane_id, f"泳道“{lane_name}”的 regionFrom 为空：请填写案件数据中选定地点的字段名"))
            continue
        level = props.get("level")
        for node_id in (ref.text.strip() for ref in lane_el.xpath("./bpmn:flowNodeRef", namespaces=NS)):
            if node_id not in _user_tasks(proc):
                continue
            specs = [region_fields(forms.get(form_of.get(n)) or {}).get(field) for n in before.get(node_id, ())]
            specs = [s for s in specs if s is not None]
            if not specs:
                problems.append((node_id, f"泳道“{lane_name}”按字段“{field}”选定地点（regionFrom），但在任务"
                                          f"“{node_id}”之前没有表单以地区选择（x-region）填写该字段"))
            elif level in LEVELS and any(LEVELS.index(s.get("level", "")) < LEVELS.index(level)
                                         if s.get("level") in LEVELS else True for s in specs):
                problems.append((node_id, f"泳道“{lane_name}”在{level}层级办理，但字段“{field}”可选的地区"
                                          f"不够精确（x-region 的 level 须为 {level} 或更细）"))
    return problems
