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
from ..engine import Bundle, BundleError
from ..engine.bundle import NS, properties_of
from .routing import lane_problem

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


def check_files(files: dict[str, str], forms: dict[str, dict]) -> list[Problem]:
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
        if kind == "userTask" or (kind == "startEvent" and "formJsonSchemaFilename" in props):
            if has_lanes:
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
