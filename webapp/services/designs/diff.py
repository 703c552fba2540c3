"""The difference between two versions of a procedure, element by element, in words a designer reads."""
from dataclasses import dataclass, field

from lxml import etree

from ...engine.bundle import NS, properties_of
from ...models import ProcessDefinition


@dataclass
class Change:
    kind: str            # added | removed | changed
    file: str
    element: str         # element id (or form file name)
    element_type: str    # userTask, lane, sequenceFlow, ..., form
    name: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (aspect, old, new)


# What each aspect of an element is called on the difference page.
ASPECTS = ("name", "lane", "route", "form", "dueIn", "handler", "resultVariable", "parameters", "condition",
           "default", "source", "target", "calledElement", "calledDecisionId", "preScript", "postScript",
           "script", "timer", "properties", "documentation", "fields")


def _summaries(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str, dict]]:
    """(file, element id) -> (type, name, {aspect: text}) for every semantic element."""
    out = {}
    for filename, xml in files.items():
        if not filename.endswith(".bpmn"):
            continue
        tree = etree.fromstring(xml.encode("utf-8"))
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            lanes = {}
            for lane in proc.xpath(".//bpmn:lane", namespaces=NS):
                props = properties_of(lane)
                out[(filename, lane.get("id"))] = ("lane", lane.get("name") or "", {
                    "name": lane.get("name") or "",
                    "route": f"{props.get('department') or '?'}@{props.get('level') or '?'}"})
                for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
                    lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id")
            docs = proc.xpath("./bpmn:documentation", namespaces=NS)
            out[(filename, proc.get("id"))] = ("process", proc.get("name") or "", {
                "name": proc.get("name") or "", "documentation": (docs[0].text or "").strip() if docs else ""})
            for node in proc.xpath("./*", namespaces=NS):
                tag = etree.QName(node).localname
                if tag in ("laneSet", "documentation", "extensionElements") or not node.get("id"):
                    continue
                out[(filename, node.get("id"))] = (tag, node.get("name") or "", _aspects(node, tag, lanes, proc))
    return out


def _aspects(node, tag: str, lanes: dict, proc) -> dict[str, str]:
    aspects = {"name": node.get("name") or ""}
    if node.get("id") in lanes:
        aspects["lane"] = lanes[node.get("id")]
    props = properties_of(node)
    if "formJsonSchemaFilename" in props:
        aspects["form"] = props.pop("formJsonSchemaFilename")
    if "dueIn" in props:
        aspects["dueIn"] = props.pop("dueIn")
    if props:
        aspects["properties"] = ", ".join(f"{k}={v}" for k, v in sorted(props.items()))
    for op in node.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NS):
        aspects["handler"] = op.get("id") or ""
        if op.get("resultVariable"):
            aspects["resultVariable"] = op.get("resultVariable")
        params = op.xpath(".//spiffworkflow:parameter", namespaces=NS)
        if params:
            aspects["parameters"] = ", ".join(f"{p.get('id')}={p.get('value')}" for p in params)
    for script in ("preScript", "postScript", "calledDecisionId"):
        found = node.xpath(f"./bpmn:extensionElements/spiffworkflow:{script}", namespaces=NS)
        if found:
            aspects[script] = (found[0].text or "").strip()
    script = node.xpath("./bpmn:script", namespaces=NS)
    if script:
        aspects["script"] = (script[0].text or "").strip()
    if tag == "sequenceFlow":
        aspects["source"], aspects["target"] = node.get("sourceRef") or "", node.get("targetRef") or ""
        condition = node.xpath("./bpmn:conditionExpression", namespaces=NS)
        if condition:
            aspects["condition"] = (condition[0].text or "").strip()
        source = proc.xpath(f"./*[@id='{node.get('sourceRef')}']")
        if source and source[0].get("default") == node.get("id"):
            aspects["default"] = "default"
    if node.get("calledElement"):
        aspects["calledElement"] = node.get("calledElement")
    timer = node.xpath(".//bpmn:timerEventDefinition/*", namespaces=NS)
    if timer:
        aspects["timer"] = "; ".join(f"{etree.QName(t).localname}={(t.text or '').strip()}" for t in timer)
    return aspects


def diff(old: ProcessDefinition, new: ProcessDefinition) -> list[Change]:
    """Elements added, removed and changed from `old` to `new` (layout is ignored), then forms."""
    before, after = _summaries(old.files), _summaries(new.files)
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        filename, element = key
        if key not in after:
            kind, name, _ = before[key]
            changes.append(Change("removed", filename, element, kind, name))
        elif key not in before:
            kind, name, _ = after[key]
            changes.append(Change("added", filename, element, kind, name))
        else:
            kind, name, a = before[key]
            _, new_name, b = after[key]
            details = [(aspect, a.get(aspect, ""), b.get(aspect, "")) for aspect in ASPECTS
                       if a.get(aspect, "") != b.get(aspect, "")]
            if details:
                changes.append(Change("changed", filename, element, kind, new_name or name, details))
    for name in sorted(set(old.forms) | set(new.forms)):
        if name not in new.forms:
            changes.append(Change("removed", "forms", name, "form", (old.forms[name] or {}).get("title", "")))
        elif name not in old.forms:
            changes.append(Change("added", "forms", name, "form", (new.forms[name] or {}).get("title", "")))
        elif old.forms[name] != new.forms[name]:
            a, b = set(old.forms[name].get("properties", {})), set(new.forms[name].get("properties", {}))
            detail = []
            if a != b:
                detail.append(("fields", ", ".join(sorted(a - b)), ", ".join(sorted(b - a))))
            else:
                detail.append(("fields", "", ""))
            changes.append(Change("changed", "forms", name, "form", new.forms[name].get("title", ""), detail))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.file, c.element))
