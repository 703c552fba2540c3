"""Validate diagrams before deploy: everything Tonghu needs to run and route them.

Returns problems as (file, element id, message) so the CLI can print them and the designer
can highlight the element.
"""
import ast
from dataclasses import dataclass

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

import handlers
from ..catalog import DEPARTMENTS
from ..engine import Bundle, BundleError, sandbox
from ..engine.bundle import NS, properties_of
from .routing import lane_problem
from .script_checks import bpmn_problems, dmn_problems
from .region_checks import region_lane_problems
from .unit_checks import unit_lane_problems

FLOW_NODES = ("userTask", "manualTask", "serviceTask", "scriptTask", "task", "callActivity", "subProcess",
              "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
              "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "businessRuleTask")


@dataclass(frozen=True)
class Problem:
    file: str
    element: str | None
    message: str

    def __str__(self):
        where = f"{self.file}" + (f" [{self.element}]" if self.element else "")
        return f"{where}: {self.message}"


def check_files(files: dict[str, str], forms: dict[str, dict], known_variables=()) -> list[Problem]:
    """`known_variables`: names set from outside these files (e.g. carried in by another procedure)."""
    try:
        bundle = Bundle(files)
    except BundleError as err:
        return [Problem(p.split(":", 1)[0], None, p.split(":", 1)[-1].strip()) for p in err.problems]
    problems: list[Problem] = []
    for filename, tree in bundle.trees.items():
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            problems += _check_process(bundle, filename, proc, forms)
    for info in bundle.top_level_processes():
        try:
            bundle.spec(info.id)
        except Exception as err:  # the parser's own complaint, e.g. a missing called process
            problems.append(Problem(info.filename, info.id, f"流程无法解析：{err}"))
    problems += _check_condition_variables(bundle, forms, set(known_variables))
    for filename, tree in bundle.trees.items():  # designers' code against the sandbox's rule
        found = dmn_problems(tree) if filename.endswith(".dmn") else bpmn_problems(tree)
        problems += [Problem(filename, element, message) for element, message in found]
    return problems


def _check_process(bundle, filename, proc, forms) -> list[Problem]:
    problems = []
    info = bundle.processes[proc.get("id")]
    has_lanes = bool(proc.xpath(".//bpmn:lane", namespaces=NS))
    for node in proc.xpath("./*"):
        kind = node.tag.split("}")[-1]
        if kind not in FLOW_NODES:
            continue
        node_id = node.get("id")
        label = node.get("name") or node_id

        def add(message, node_id=node_id):
            problems.append(Problem(filename, node_id, message))

        props = properties_of(node)
        if kind == "startEvent":
            problems += [Problem(filename, node_id, m) for m in _start_rule_problems(label, props)]
        if kind == "userTask" or (kind == "startEvent" and "formJsonSchemaFilename" in props):
            if has_lanes or kind == "userTask":  # a task nobody's lane holds could never be routed
                problem = lane_problem(info.lanes.get(node_id))
                if problem:
                    add(f"“{label}”{problem}" if problem.startswith("不在") else problem)
            form = props.get("formJsonSchemaFilename")
            if not form:
                add(f"用户任务“{label}”没有指定表单（formJsonSchemaFilename）")
            elif form not in forms:
                add(f"“{label}”的表单文件 forms/{form} 不存在")
            else:
                try:
                    Draft202012Validator.check_schema(forms[form])
                except SchemaError as err:
                    add(f"表单 forms/{form} 不是有效的 JSON Schema：{err.message}")
        if "dueIn" in props:
            try:
                TimerEventDefinition.parse_iso_duration(props["dueIn"])
            except Exception:
                add(f"“{label}”的办理期限 dueIn={props['dueIn']} 不是 ISO 8601 时长（如 P7D、PT24H）")
        if "dueAt" in props:  # an expression over the task data giving an ISO date (webapp/engine/engine.py)
            try:
                ast.parse(props["dueAt"], mode="eval")
            except SyntaxError:
                add(f"“{label}”的办理期限 dueAt={props['dueAt']} 不是有效的表达式（如 visit_due）")
        if kind == "serviceTask":
            operator = node.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NS)
            name = operator[0].get("id") if operator else None
            if not name:
                add(f"服务任务“{label}”没有指定处理程序（serviceTaskOperator）")
            elif name not in handlers.OPERATORS:
                add(f"服务任务“{label}”的处理程序“{name}”未注册")
        if kind in ("exclusiveGateway", "inclusiveGateway"):
            problems += _check_gateway(filename, proc, node, label)
        if kind == "parallelGateway":
            incoming = node.xpath("./bpmn:incoming", namespaces=NS)
            outgoing = node.xpath("./bpmn:outgoing", namespaces=NS)
            if len(incoming) > 1 and len(outgoing) > 1:
                add(f"并行网关“{label}”既汇合又分支：汇合会等待所有入口，请拆成两个网关")
    problems += [Problem(filename, element, message) for element, message in unit_lane_problems(bundle, filename, proc, forms)]
    problems += [Problem(filename, element, message) for element, message in region_lane_problems(proc, forms)]
    return problems


STARTABLE_BY = ("any", "handover")


def _start_rule_problems(label, props) -> list[str]:
    """Who may start (`startableBy`) and who sees confidential start data (`confidentialTo`)."""
    problems = []
    if props.get("startableBy") not in (None, *STARTABLE_BY):
        problems.append(f"开始事件“{label}”的 startableBy={props['startableBy']} 无效（可选：{'、'.join(STARTABLE_BY)}）")
    for department in (d.strip() for d in (props.get("confidentialTo") or "").split(",") if d.strip()):
        if department not in DEPARTMENTS:
            problems.append(f"开始事件“{label}”的 confidentialTo 中“{department}”不是已知部门")
    return problems


def _check_gateway(filename, proc, node, label) -> list[Problem]:
    problems = []
    flows = [f for f in proc.xpath("./bpmn:sequenceFlow", namespaces=NS) if f.get("sourceRef") == node.get("id")]
    if len(flows) < 2:
        return problems
    default = node.get("default")
    for flow in flows:
        condition = flow.xpath("./bpmn:conditionExpression", namespaces=NS)
        text = condition[0].text.strip() if condition and condition[0].text else ""
        if flow.get("id") == default:
            continue
        if not text:
            problems.append(Problem(filename, flow.get("id"), f"网关“{label}”的分支“{flow.get('name') or flow.get('id')}”既无条件也不是默认分支"))
            continue
        try:
            ast.parse(text, mode="eval")
        except SyntaxError:
            problems.append(Problem(filename, flow.get("id"), f"网关“{label}”的条件不是有效的表达式：{text}"))
    if default is None and all(f.xpath("./bpmn:conditionExpression", namespaces=NS) for f in flows):
        problems.append(Problem(filename, node.get("id"), f"网关“{label}”没有默认分支：条件都不满足时流程会出错"))
    return problems


# -- conditions only use known variables ---------------------------------------------------
# Always in task data or the script engine: the child (start forms), hand-over facts, helpers.
BASE_VARIABLES = frozenset({"child", "handed_over_from", "handed_over_case", *sandbox.HELPERS})


def _check_condition_variables(bundle, forms, extra: set[str]) -> list[Problem]:
    """Every name a condition reads must be set somewhere the process's data comes from."""
    problems = []
    known_by_process = {pid: known_variables(bundle, pid, forms) | extra for pid in bundle.processes}
    for filename, tree in bundle.trees.items():
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            known = known_by_process.get(proc.get("id"), set(extra))
            for flow in proc.xpath(".//bpmn:sequenceFlow[bpmn:conditionExpression]", namespaces=NS):
                text = (flow.xpath("./bpmn:conditionExpression", namespaces=NS)[0].text or "").strip()
                try:
                    used = expression_names(text)
                except SyntaxError:
                    continue  # reported by the gateway check
                unknown = sorted(used - known)
                if unknown:
                    problems.append(Problem(filename, flow.get("id"), (
                        f"分支“{flow.get('name') or flow.get('id')}”的条件使用了未知变量：{'、'.join(unknown)}"
                        "（不是本流程任何表单的字段、服务任务或决策表的输出、脚本赋值的变量）")))
    return problems


def expression_names(text: str) -> set[str]:
    """Free variable names an expression reads (not builtins, not names it binds itself)."""
    tree = ast.parse(text, mode="eval")
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded - bound - _BUILTINS


_BUILTINS = frozenset(dir(__import__("builtins")))


def script_assignments(script: str) -> set[str]:
    """Names a script assigns (they land in task data)."""
    try:
        tree = ast.parse(script or "", mode="exec")
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _related_processes(bundle, process_id: str) -> set[str]:
    """The process, what it calls and what calls it (data flows both ways through a call)."""
    edges: dict[str, set[str]] = {pid: set() for pid in bundle.processes}
    for info in bundle.processes.values():
        proc = _process_element(bundle, info.id)
        for call in proc.xpath(".//bpmn:callActivity", namespaces=NS):
            called = call.get("calledElement")
            if called in edges:
                edges[info.id].add(called)
                edges[called].add(info.id)
    seen, todo = set(), [process_id]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo.extend(edges.get(pid, ()))
    return seen


def _process_element(bundle, process_id: str):
    info = bundle.processes[process_id]
    return bundle.trees[info.filename].xpath(f"//bpmn:process[@id='{process_id}']", namespaces=NS)[0]


def known_variables(bundle, process_id: str, forms: dict[str, dict]) -> set[str]:
    """Names a condition in `process_id` may read: form fields, handler and decision outputs,
    script assignments (of the process and the processes it calls or is called by), fields
    another procedure carries in when it hands a child over, and the base case fields."""
    names = set(BASE_VARIABLES)
    related = _related_processes(bundle, process_id)
    dmn_outputs = set()
    for tree in bundle.trees.values():
        dmn_outputs |= {o.get("name") for o in tree.xpath("//*[local-name()='output'][@name]")}
        for op in tree.xpath("//spiffworkflow:serviceTaskOperator[@id='start_procedure']", namespaces=NS):
            params = {p.get("id"): p.get("value") or "" for p in op.xpath(".//spiffworkflow:parameter", namespaces=NS)}
            target = params.get("process_id", "").strip().strip("'\"")
            if target in related:
                carry = params.get("carry", "").strip().strip("'\"")
                names |= {n.strip() for n in carry.split(",") if n.strip()}
    for pid in related:
        proc = _process_element(bundle, pid)
        for node in proc.iter():
            if not isinstance(node.tag, str):
                continue
            tag = node.tag.split("}")[-1]
            if tag == "property" and node.get("name") == "formJsonSchemaFilename":
                names |= set((forms.get(node.get("value")) or {}).get("properties", {}))
            elif tag == "serviceTaskOperator" and node.get("resultVariable"):
                names.add(node.get("resultVariable"))
            elif tag in ("preScript", "postScript", "script"):
                names |= script_assignments(node.text or "")
            elif tag == "businessRuleTask":
                names |= dmn_outputs
    return names
