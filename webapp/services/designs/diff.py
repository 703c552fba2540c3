"""The difference between two versions of a procedure, element by element, in words a designer reads:
diagram elements, decision-table rules (conditions, outputs, order), forms."""
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
           "script", "timer", "properties", "documentation", "fields",
           "hitPolicy", "expression", "conditions", "outputs", "description", "order")


def _summaries(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str, dict]]:
    """(file, element id) -> (type, name, {aspect: text}) for every semantic element."""
    out = {}
    for filename, xml in files.items():
        if filename.endswith(".dmn"):
            out.update(_table_summaries(filename, xml))
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


def _dmn(tag: str) -> str:
    return "{%s}%s" % (NS["dmn"], tag)


def _text(node, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def _table_summaries(filename: str, xml: str) -> dict:
    """Each decision, input and output column and rule of a table; a rule in the columns' words."""
    out = {}
    tree = etree.fromstring(xml.encode("utf-8"))
    for decision in tree.iter(_dmn("decision")):
        table = decision.find(_dmn("decisionTable"))
        out[(filename, decision.get("id"))] = ("decision", decision.get("name") or "", {
            "name": decision.get("name") or "", "hitPolicy": table.get("hitPolicy", "UNIQUE") if table is not None else ""})
        if table is None:
            continue
        inputs = [(i.get("label") or i.get("id"), i) for i in table.findall(_dmn("input"))]
        outputs = [(o.get("label") or o.get("name") or o.get("id"), o) for o in table.findall(_dmn("output"))]
        for label, column in inputs:
            out[(filename, column.get("id"))] = ("input", label, {
                "name": label, "expression": _text(column, f"{_dmn('inputExpression')}/{_dmn('text')}")})
        for label, column in outputs:
            out[(filename, column.get("id"))] = ("output", label, {"name": label, "resultVariable": column.get("name") or ""})
        for n, rule in enumerate(table.findall(_dmn("rule")), 1):
            cells = [_text(e, _dmn("text")) for e in rule.findall(_dmn("inputEntry"))]
            results = [_text(e, _dmn("text")) for e in rule.findall(_dmn("outputEntry"))]
            conditions = "；".join(f"{label} {cell}" for (label, _c), cell in zip(inputs, cells) if cell not in ("", "-"))
            description = _text(rule, _dmn("description"))
            out[(filename, rule.get("id"))] = ("rule", description or f"规则 {n}", {
                "conditions": conditions or "（任何情况）",
                "outputs": "；".join(f"{label} = {cell}" for (label, _c), cell in zip(outputs, results)),
                "description": description})
    return out


def _rule_order(files: dict[str, str]) -> dict[str, list[str]]:
    """Rule ids of each table, top to bottom (with hit policy FIRST the order decides)."""
    orders = {}
    for filename, xml in files.items():
        if filename.endswith(".dmn"):
            tree = etree.fromstring(xml.encode("utf-8"))
            for table in tree.iter(_dmn("decisionTable")):
                orders[f"{filename}#{table.get('id')}"] = [r.get("id") for r in table.findall(_dmn("rule"))]
    return orders


def _moved_rules(old_files: dict[str, str], new_files: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Rules kept in both versions whose place among the kept ones changed: id -> (old, new place)."""
    moved = {}
    before, after = _rule_order(old_files), _rule_order(new_files)
    for table, old_ids in before.items():
        new_ids = after.get(table, [])
        kept_old = [r for r in old_ids if r in new_ids]
        kept_new = [r for r in new_ids if r in old_ids]
        if kept_old != kept_new:
            for rule in kept_new:
                if kept_old.index(rule) != kept_new.index(rule):
                    moved[rule] = (f"第 {old_ids.index(rule) + 1} 条", f"第 {new_ids.index(rule) + 1} 条")
    return moved


def diff(old: ProcessDefinition, new: ProcessDefinition) -> list[Change]:
    """Elements added, removed and changed from `old` to `new` (layout is ignored), then forms."""
    before, after = _summaries(old.files), _summaries(new.files)
    moved = _moved_rules(old.files, new.files)
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
            if kind == "rule" and element in moved:
                details.append(("order", *moved[element]))
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
