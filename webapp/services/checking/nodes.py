"""Each flow element of a process, at every depth (inside embedded subprocesses and
transactions too): forms, lanes of human tasks, handlers, due dates, gateways, start rules."""
import ast
from datetime import datetime, timezone

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

import handlers
from ...catalog import DEPARTMENTS
from ...engine import Engine
from ...engine.bundle import NS, properties_of
from ..routing import lane_problem
from ..region_checks import region_lane_problems
from ..unit_checks import unit_lane_problems
from .problem import Problem, label, local

FLOW_NODES = ("userTask", "manualTask", "serviceTask", "scriptTask", "task", "callActivity", "subProcess",
              "transaction", "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
              "boundaryEvent", "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
              "businessRuleTask", "sendTask", "receiveTask")
# What the engine hands to people (SpiffWorkflow: `manual` specs): each needs a lane that routes.
HUMAN_TASKS = ("userTask", "manualTask", "task")
STARTABLE_BY = ("any", "handover")


def process_problems(bundle, filename, proc, forms) -> list[Problem]:
    problems = []
    info = bundle.processes[proc.get("id")]
    has_lanes = bool(proc.xpath(".//bpmn:lane", namespaces=NS))
    for node in proc.iter():
        kind = local(node)
        if kind not in FLOW_NODES:
            continue
        node_id, name = node.get("id"), label(node)

        def add(message, node_id=node_id):
            problems.append(Problem(filename, node_id, message))

        props = properties_of(node)
        if kind == "startEvent":
            problems += [Problem(filename, node_id, m) for m in _start_rule_problems(name, props)]
        is_start_form = kind == "startEvent" and "formJsonSchemaFilename" in props
        if kind in HUMAN_TASKS or (is_start_form and has_lanes):
            problem = lane_problem(info.lanes.get(node_id))  # a task nobody's lane holds could never be routed
            if problem:
                add(f"“{name}”{problem}" if problem.startswith("不在") else problem)
        if kind == "userTask" or is_start_form:
            problems += _form_problems(filename, node_id, name, props.get("formJsonSchemaFilename"), forms)
        if "dueIn" in props:
            try:
                TimerEventDefinition.parse_iso_duration(props["dueIn"])
            except Exception:  # noqa: BLE001 - any complaint of the parser means "not a duration"
                add(f"“{name}”的办理期限 dueIn={props['dueIn']} 不是 ISO 8601 时长（如 P7D、PT24H）")
            else:
                if Engine.due_at(datetime.now(timezone.utc), props["dueIn"]) is None:  # beyond any date
                    add(f"“{name}”的办理期限 dueIn={props['dueIn']} 过长，算不出到期日期（如 P7D、PT24H）")
        if "dueAt" in props and not _parses(props["dueAt"]):  # an expression giving an ISO date (engine.py)
            add(f"“{name}”的办理期限 dueAt={props['dueAt']} 不是有效的表达式（如 visit_due）")
        if kind == "serviceTask":
            operator = node.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NS)
            operator_name = operator[0].get("id") if operator else None
            if not operator_name:
                add(f"服务任务“{name}”没有指定处理程序（serviceTaskOperator）")
            elif operator_name not in handlers.OPERATORS:
                add(f"服务任务“{name}”的处理程序“{operator_name}”未注册")
        if kind in ("exclusiveGateway", "inclusiveGateway"):
            problems += _gateway_problems(filename, node, name)
        if kind == "parallelGateway":
            incoming = node.xpath("./bpmn:incoming", namespaces=NS)
            outgoing = node.xpath("./bpmn:outgoing", namespaces=NS)
            if len(incoming) > 1 and len(outgoing) > 1:
                add(f"并行网关“{name}”既汇合又分支：汇合会等待所有入口，请拆成两个网关")
    problems += [Problem(filename, element, message) for element, message in unit_lane_problems(bundle, filename, proc, forms)]
    problems += [Problem(filename, element, message) for element, message in region_lane_problems(proc, forms)]
    return problems


def _form_problems(filename, node_id, name, form, forms) -> list[Problem]:
    if not form:
        return [Problem(filename, node_id, f"用户任务“{name}”没有指定表单（formJsonSchemaFilename）")]
    if form not in forms:
        return [Problem(filename, node_id, f"“{name}”的表单文件 forms/{form} 不存在")]
    try:
        Draft202012Validator.check_schema(forms[form])
    except SchemaError as err:
        return [Problem(filename, node_id, f"表单 forms/{form} 不是有效的 JSON Schema：{err.message}")]
    return []


def _parses(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True


def _start_rule_problems(name, props) -> list[str]:
    """Who may start (`startableBy`) and who sees confidential start data (`confidentialTo`)."""
    problems = []
    value = props.get("startableBy")
    # "any", "handover", or the departments (comma-separated codes) whose offices covering the place may file it
    listed = [d.strip() for d in (value or "").split(",") if d.strip()]
    if value not in (None, *STARTABLE_BY) and (not listed or any(d not in DEPARTMENTS for d in listed)):
        problems.append(f"开始事件“{name}”的 startableBy={value} 无效（可选：{'、'.join(STARTABLE_BY)}，或以逗号分隔的部门代码）")
    for department in (d.strip() for d in (props.get("confidentialTo") or "").split(",") if d.strip()):
        if department not in DEPARTMENTS:
            problems.append(f"开始事件“{name}”的 confidentialTo 中“{department}”不是已知部门")
    return problems


def _gateway_problems(filename, node, name) -> list[Problem]:
    """The flows leaving a gateway live in the gateway's own container (process or subprocess)."""
    problems = []
    container = node.getparent()
    flows = [f for f in container.xpath("./bpmn:sequenceFlow", namespaces=NS) if f.get("sourceRef") == node.get("id")]
    if len(flows) < 2:
        return problems
    default = node.get("default")
    for flow in flows:
        condition = flow.xpath("./bpmn:conditionExpression", namespaces=NS)
        text = condition[0].text.strip() if condition and condition[0].text else ""
        if flow.get("id") == default:
            continue
        if not text:
            problems.append(Problem(filename, flow.get("id"), f"网关“{name}”的分支“{label(flow)}”既无条件也不是默认分支"))
        elif not _parses(text):
            problems.append(Problem(filename, flow.get("id"), f"网关“{name}”的条件不是有效的表达式：{text}"))
    if default is None and all(f.xpath("./bpmn:conditionExpression", namespaces=NS) for f in flows):
        problems.append(Problem(filename, node.get("id"), f"网关“{name}”没有默认分支：条件都不满足时流程会出错"))
    return problems
