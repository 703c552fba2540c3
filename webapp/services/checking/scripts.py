"""Designers' code in diagrams and decision tables, checked against the sandbox's rule.

Every place SpiffWorkflow evaluates Python (conditions, timers, scripts, service-task
parameters, message payloads, `dueAt`, DMN input expressions and cells) is found in the XML
and handed to `sandbox.problems`, the same rule the engine applies again at run time.
"""
import ast

from ...engine import sandbox
from ...engine.bundle import NS

# element (local name) -> (what it is, in Chinese; "eval" for an expression, "exec" for a script)
BPMN_CODE = {
    "conditionExpression": ("条件", "eval"), "timeDate": ("定时器时间", "eval"),
    "timeDuration": ("定时器时长", "eval"), "timeCycle": ("定时器周期", "eval"),
    "script": ("脚本", "exec"), "preScript": ("前置脚本", "exec"), "postScript": ("后置脚本", "exec"),
    "loopCardinality": ("循环次数", "eval"), "completionCondition": ("完成条件", "eval"),
    "messagePayload": ("消息内容", "eval"), "formalExpression": ("关联表达式", "eval"),
}
# Reported by the older checks when they do not parse (see nodes.py); not twice.
_SYNTAX_CHECKED = ("conditionExpression",)
_CONTAINERS = ("extensionElements", "timerEventDefinition", "conditionalEventDefinition",
               "messageEventDefinition", "signalEventDefinition", "multiInstanceLoopCharacteristics",
               "standardLoopCharacteristics", "properties", "serviceTaskOperator", "parameters",
               "correlationPropertyRetrievalExpression", "messagePath")


def _local(node) -> str:
    return node.tag.split("}")[-1] if isinstance(node.tag, str) else ""


def _owner(node):
    """The element a designer would click: the nearest ancestor that is not a container."""
    parent = node.getparent()
    while parent is not None and (_local(parent) in _CONTAINERS or parent.get("id") is None):
        parent = parent.getparent()
    return parent


def _parses(text: str, mode: str) -> bool:
    try:
        ast.parse(text, mode=mode)
    except (SyntaxError, ValueError):
        return False
    return True


def bpmn_problems(tree) -> list[tuple[str | None, str]]:
    """(element id, Chinese message) for each refused piece of code in one BPMN file."""
    found = []
    for node in tree.iter():
        kind = _local(node)
        if kind in BPMN_CODE and (node.text or "").strip():
            what, mode = BPMN_CODE[kind]
            text = node.text.strip() if mode == "eval" else node.text
            if kind in _SYNTAX_CHECKED and not _parses(text, mode):
                continue
            found += _report(_owner(node), what, sandbox.problems(text, mode))
        elif kind == "parameter" and node.get("value"):
            found += _report(_owner(node), f"服务参数“{node.get('id')}”", sandbox.problems(node.get("value").strip(), "eval"))
        elif kind == "property" and node.get("name") == "dueAt" and _parses(node.get("value") or "", "eval"):
            found += _report(_owner(node), "办理期限 dueAt", sandbox.problems(node.get("value").strip(), "eval"))
    return found


def dmn_problems(tree) -> list[tuple[str | None, str]]:
    """The same for a decision table: input expressions, rule cells (as the DMN engine reads them)."""
    found = []
    for node in tree.xpath("//dmn:inputExpression/dmn:text | //dmn:inputEntry/dmn:text | //dmn:outputEntry/dmn:text",
                           namespaces=NS):
        text = (node.text or "").strip()
        if not text or text == "-":
            continue
        cell = node.getparent()
        kind = _local(cell)
        what = {"inputExpression": "输入表达式", "inputEntry": "规则条件", "outputEntry": "规则输出"}[kind]
        if kind == "inputEntry":
            # As SpiffWorkflow's DMN engine: `?` stands for the input; "> 5" is compared as "v > 5".
            text = text.replace("?", "dmninputexpr")
            if not _parses(text, "eval"):
                text = f"v {text}"
        decision = next((a for a in cell.iterancestors() if _local(a) == "decision"), None)
        place = cell.getparent()  # the input column or the rule
        where = f"决策表“{decision.get('name') or decision.get('id')}”" if decision is not None else "决策表"
        where += f"{'输入' if kind == 'inputExpression' else '规则'} {place.get('label') or place.get('id')}"
        found += [(cell.get("id") or place.get("id"), f"{where}的{what}：{m}") for m in sandbox.problems(text, "eval")]
    return found


def _report(owner, what, messages) -> list[tuple[str | None, str]]:
    if not messages:
        return []
    element = owner.get("id") if owner is not None else None
    label = (owner.get("name") or owner.get("label") or element) if owner is not None else "?"
    return [(element, f"“{label}”的{what}：{message}") for message in messages]
