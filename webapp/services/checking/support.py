"""What the raw files say before SpiffWorkflow parses them: constructs Tonghu cannot run or
that need someone outside the diagram (a message, a signal), told in the designer's terms
instead of the parser's traceback or silence."""
import weakref

from ...engine.bundle import NS, is_executable
from .problem import Problem, label, local

BPMN_NS = NS["bpmn"]
# The DMN namespaces SpiffWorkflow 3.2 reads (SpiffWorkflow/dmn/parser/BpmnDmnParser.py).
DMN_VERSIONS = {"http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
                "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
                "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3"}
_CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent", "receiveTask")
_THROWING = ("intermediateThrowEvent", "endEvent", "sendTask")
_TIMER_PARTS = ("timeDate", "timeDuration", "timeCycle")


def support_report(trees: dict) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) over every file; `trees` maps a file name to its parsed root."""
    problems, warnings = [], []
    bpmn = {f: t for f, t in trees.items() if not f.endswith(".dmn")}
    for filename, tree in trees.items():
        if filename.endswith(".dmn"):
            problems += _dmn_problems(filename, tree)
        else:
            found, warned = _bpmn_report(filename, tree)
            problems += found
            warnings += warned
    warnings += _event_warnings(bpmn)
    return problems, warnings


def _dmn_problems(filename, tree) -> list[Problem]:
    namespace = tree.tag.split("}")[0].lstrip("{") if "}" in tree.tag else ""
    if local(tree) != "definitions" or namespace not in DMN_VERSIONS:
        return [Problem(filename, None, f"不是 Tonghu 支持的 DMN 文件（命名空间 {namespace or '无'}）；"
                                        f"支持 DMN {'、'.join(sorted(set(DMN_VERSIONS.values())))} 的决策表")]
    decisions = tree.findall(f"{{{namespace}}}decision")
    if len(decisions) != 1:
        return [Problem(filename, None, f"文件中有 {len(decisions)} 个决策：Tonghu 每个 DMN 文件只支持一个决策表")]
    problems = []
    unsupported = sorted({local(n) for n in tree if local(n) in (
        "decisionService", "businessKnowledgeModel", "knowledgeSource", "inputData", "itemDefinition")} - {"inputData"})
    if unsupported:
        problems.append(Problem(filename, None, f"文件使用了 Tonghu 不支持的 DMN 元素：{'、'.join(unsupported)}（只支持决策表）"))
    if decisions[0].find(f"{{{namespace}}}decisionTable") is None:
        problems.append(Problem(filename, decisions[0].get("id"), (
            f"决策“{label(decisions[0])}”不是决策表（如文字表达式 literalExpression）：Tonghu 只支持决策表（decisionTable）")))
    return problems


def _bpmn_report(filename, tree) -> tuple[list[Problem], list[Problem]]:
    problems, warnings = [], []
    if local(tree) != "definitions" or not tree.tag.startswith(f"{{{BPMN_NS}}}"):
        return [Problem(filename, None, "不是 BPMN 2.0 文件（根元素应为 bpmn:definitions）")], []
    processes = tree.findall(f"{{{BPMN_NS}}}process")
    executable = [p for p in processes if is_executable(p)]
    if not processes:
        problems.append(Problem(filename, None, "文件中没有流程（bpmn:process），没有可部署的内容"))
    for proc in processes:
        if is_executable(proc):
            continue
        said = f"isExecutable=\"{proc.get('isExecutable')}\""
        if proc.get("isExecutable") != "false":  # "1", "True", " true": SpiffWorkflow reads only "true"
            said += "，只能写 \"true\" 或 \"false\""
        if executable:
            warnings.append(Problem(filename, proc.get("id"), f"流程“{label(proc)}”不可执行（{said}），只作图示，不会部署"))
        else:
            problems.append(Problem(filename, proc.get("id"), (
                f"流程“{label(proc)}”不可执行（{said}），Tonghu 不会部署它：请在建模器中勾选“可执行”（isExecutable=\"true\"）")))
    for node in tree.iter():
        kind = local(node)
        owner = node.getparent()
        if kind == "timerEventDefinition" and not any((c.text or "").strip() for c in node if local(c) in _TIMER_PARTS):
            problems.append(Problem(filename, owner.get("id"), (
                f"定时事件“{label(owner)}”没有设置时间（timeDate、timeDuration 或 timeCycle）")))
        elif kind in ("dataStoreReference", "dataStore"):
            problems.append(Problem(filename, node.get("id"), (
                f"“{label(node)}”是数据存储（{kind}）：Tonghu 不支持数据存储，请改用数据对象（dataObject）或表单字段")))
        elif kind == "scriptTask":
            problems += _script_task_problems(filename, node)
        elif kind == "businessRuleTask":
            problems += _rule_task_problems(filename, node)
        elif kind == "messageEventDefinition" and not node.get("messageRef") and not owner.get("name") \
                or kind == "signalEventDefinition" and not node.get("signalRef") and not owner.get("name"):
            what = "消息（messageRef）" if kind.startswith("message") else "信号（signalRef）"
            problems.append(Problem(filename, owner.get("id"), f"“{label(owner)}”的事件既没有指定{what}也没有名称"))
    return problems, warnings


def _script_task_problems(filename, node) -> list[Problem]:
    """Tonghu runs a script written inside the diagram in Python, nothing else (Camunda's groovy,
    xslt or a `camunda:resource` file would crash the case at start)."""
    language = (node.get("scriptFormat") or "python").strip().lower()
    script = node.find(f"{{{BPMN_NS}}}script")
    if language not in ("python", "python3", "py"):
        return [Problem(filename, node.get("id"), (
            f"脚本任务“{label(node)}”的脚本语言是 {language}：Tonghu 只运行写在图中的 Python 脚本"))]
    if script is None or not (script.text or "").strip():
        return [Problem(filename, node.get("id"), f"脚本任务“{label(node)}”没有脚本内容（bpmn:script）")]
    return []


def _rule_task_problems(filename, node) -> list[Problem]:
    if any(name.endswith("}decisionRef") or name == "decisionRef" for name in node.attrib):
        return [Problem(filename, node.get("id"), (
            f"业务规则任务“{label(node)}”使用了 camunda:decisionRef：Tonghu 不支持该属性，"
            "请改用 spiffworkflow:calledDecisionId 指定决策表"))]
    if not node.xpath("./bpmn:extensionElements/spiffworkflow:calledDecisionId", namespaces=NS):
        return [Problem(filename, node.get("id"), f"业务规则任务“{label(node)}”没有指定决策表（spiffworkflow:calledDecisionId）")]
    return []


def _event_names(trees, kind, ref) -> tuple[dict, set]:
    """(catching element -> event name, names thrown) for messages or signals over all files."""
    names = {}
    for tree in trees.values():
        for item in tree.iter(f"{{{BPMN_NS}}}{kind}"):
            names[item.get("id")] = item.get("name") or item.get("id")
    catching, thrown = {}, set()
    for filename, tree in trees.items():
        for definition in tree.iter(f"{{{BPMN_NS}}}{kind}EventDefinition"):
            owner = definition.getparent()
            name = names.get(definition.get(ref), definition.get(ref)) or owner.get("name")  # as SpiffWorkflow names it
            if local(owner) in _CATCHING:
                catching[(filename, owner)] = name
            elif local(owner) in _THROWING:
                thrown.add(name)
        for task in tree.iter(f"{{{BPMN_NS}}}receiveTask", f"{{{BPMN_NS}}}sendTask"):
            if kind == "message" and task.get("messageRef"):
                name = names.get(task.get("messageRef"), task.get("messageRef"))
                if local(task) == "receiveTask":
                    catching[(filename, task)] = name
                else:
                    thrown.add(name)
    return catching, thrown


_POINTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def event_points(bundle, kind: str) -> tuple[dict[str, list[tuple[str, str]]], frozenset]:
    """({name: [(process id, catching element id)]}, names thrown) of the messages or signals of
    `bundle`, read from the files once per bundle (a version's bundle never changes)."""
    cached = _POINTS.setdefault(bundle, {})
    if kind not in cached:
        catching, thrown = _event_names(bundle.trees, kind, f"{kind}Ref")
        by_name: dict[str, list[tuple[str, str]]] = {}
        for (_filename, owner), name in catching.items():
            process = next((a for a in owner.iterancestors() if local(a) == "process"), None)
            if process is not None and name is not None:
                by_name.setdefault(name, []).append((process.get("id"), owner.get("id")))
        cached[kind] = (by_name, frozenset(thrown))
    return cached[kind]


def thrown_inside(bundle, kind: str) -> frozenset:
    """Names of the messages (or signals) the diagrams of `bundle` throw themselves."""
    return event_points(bundle, kind)[1]


def _event_warnings(trees) -> list[Problem]:
    """A catching event nobody in these files throws waits for someone outside: say who may send it."""
    warnings = []
    for kind, ref, how in (("message", "messageRef", "POST /api/v1/instances/{id}/messages"),
                           ("signal", "signalRef", "POST /api/v1/signals")):
        catching, thrown = _event_names(trees, kind, ref)
        what = "消息" if kind == "message" else "信号"
        for (filename, owner), name in catching.items():
            if name in thrown or name is None:
                continue
            parent = owner.getparent()
            in_event_subprocess = parent is not None and parent.get("triggeredByEvent") == "true"
            if local(owner) == "startEvent" and not in_event_subprocess:
                text = f"开始事件“{label(owner)}”由{what}“{name}”触发：立案即视为收到该{what}，立案数据即其内容"
            else:
                text = f"“{label(owner)}”等待{what}“{name}”：本流程中没有发送方，需由有权限的单位通过 {how} 发送"
            warnings.append(Problem(filename, owner.get("id"), text))
    return warnings
