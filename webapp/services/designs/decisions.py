"""Decision tables (DMN) edited in the browser: which tables a procedure uses, and why an edited
table cannot replace the deployed one (its decisions keep the ids the diagrams call). The checks
every table passes — called decisions exist, input expressions read known variables, the sandbox
per cell — are `checks.check_files`' (`services/checking/decisions.py`), as in `tonghu check`.
"""
from lxml import etree

from ...engine.bundle import NS
from ...models import ProcessDefinition

DMN = "{%s}" % NS["dmn"]


def _tree(xml: str):
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None


def decision_ids(xml: str) -> set[str]:
    tree = _tree(xml)
    return set() if tree is None else {d.get("id") for d in tree.iter(f"{DMN}decision") if d.get("id")}


def called_decisions(files: dict[str, str]) -> set[str]:
    """Decision ids the BPMN files' business rule tasks call."""
    called = set()
    for filename, xml in files.items():
        tree = _tree(xml) if filename.endswith(".bpmn") else None
        if tree is not None:
            called |= {(c.text or "").strip() for c in tree.xpath(
                "//bpmn:businessRuleTask/bpmn:extensionElements/spiffworkflow:calledDecisionId", namespaces=NS)}
    return called


def uses_table(definition: ProcessDefinition, filename: str) -> bool:
    """Whether the procedure calls a decision of `filename` (every version carries every table)."""
    return filename in definition.files and bool(decision_ids(definition.files[filename])
                                                 & called_decisions(definition.files))


def tables_of(definition: ProcessDefinition) -> list[str]:
    """The decision-table files a procedure calls, by name."""
    return sorted(f for f in definition.files if f.endswith(".dmn") and uses_table(definition, f))


def same_decisions(filename: str, deployed_xml: str, xml: str) -> str | None:
    """Why an edited table cannot replace the deployed one (None: it can)."""
    tree = _tree(xml)
    if tree is None or etree.QName(tree).namespace != NS["dmn"] or etree.QName(tree).localname != "definitions":
        return f"{filename} 不是有效的 DMN 1.3 决策表"
    missing = sorted(decision_ids(deployed_xml) - decision_ids(xml))
    if missing:
        return f"{filename} 缺少决策 {'、'.join(missing)}：流程按这些标识调用决策表，标识不能修改或删除"
    return None
