"""Decision tables (DMN) edited in the browser: which tables a procedure uses, and the checks an
edited table must pass beyond parsing and the sandbox (`checks.check_files`): its decisions
keep the ids the diagrams call, and its input expressions read only variables the calling
procedure has (form fields, handler and decision outputs, script assignments, carried fields).
"""
from lxml import etree

from ...engine import Bundle, BundleError
from ...engine.bundle import NS
from ...models import ProcessDefinition
from ..checks import Problem, expression_names, known_variables

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


def decision_problems(files: dict[str, str], forms: dict[str, dict], extra=()) -> list[Problem]:
    """Input expressions of every table read only variables of the procedures that call it."""
    try:
        bundle = Bundle(files)
    except BundleError:
        return []  # reported by check_files
    callers: dict[str, set[str]] = {}
    for info in bundle.processes.values():
        tree = bundle.trees[info.filename]
        for proc in tree.xpath(f"//bpmn:process[@id='{info.id}']", namespaces=NS):
            for task in proc.xpath(".//bpmn:businessRuleTask/bpmn:extensionElements/spiffworkflow:calledDecisionId",
                                   namespaces=NS):
                callers.setdefault((task.text or "").strip(), set()).add(info.id)
    problems = []
    known_cache: dict[str, set[str]] = {}
    for filename, tree in bundle.trees.items():
        if not filename.endswith(".dmn"):
            continue
        for decision in tree.iter(f"{DMN}decision"):
            pids = callers.get(decision.get("id"), set())
            if not pids:
                continue  # no procedure here calls it: nothing to read from
            known = set(extra)
            for pid in pids:
                if pid not in known_cache:
                    known_cache[pid] = known_variables(bundle, pid, forms)
                known |= known_cache[pid]
            title = decision.get("name") or decision.get("id")
            for column in decision.iter(f"{DMN}input"):
                text_node = column.find(f"{DMN}inputExpression/{DMN}text")
                text = (text_node.text or "").strip() if text_node is not None else ""
                label = column.get("label") or column.get("id")
                if not text:
                    problems.append(Problem(filename, column.get("id"), f"决策表“{title}”的输入“{label}”没有输入表达式"))
                    continue
                try:
                    unknown = sorted(expression_names(text) - known)
                except SyntaxError:
                    continue  # the sandbox check reports it
                if unknown:
                    problems.append(Problem(filename, column.get("id"), (
                        f"决策表“{title}”的输入“{label}”使用了未知变量：{'、'.join(unknown)}"
                        "（不是调用它的流程中任何表单的字段、服务任务或决策表的输出、脚本赋值的变量）")))
    return problems
