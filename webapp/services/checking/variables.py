"""Names: every name a condition reads must be set somewhere the process's data comes from, and
a script may call only the sandbox's helpers (SpiffArena's `get_current_user` does not exist here)."""
import ast

from ...engine import sandbox
from ...engine.bundle import NS
from .problem import Problem, label, local

# Always in task data or the script engine: the child (start forms), hand-over facts, helpers.
BASE_VARIABLES = frozenset({"child", "handed_over_from", "handed_over_case", *sandbox.HELPERS})
_BUILTINS = frozenset(dir(__import__("builtins")))
_SCRIPTS = {"script": "脚本", "preScript": "前置脚本", "postScript": "后置脚本"}
# Data a diagram declares: multi-instance items and collections, data objects, ioSpecification.
_DATA_NAMES = ("dataObject", "dataObjectReference", "dataInput", "dataOutput")
_DATA_REFS = ("loopDataInputRef", "loopDataOutputRef")
_DATA_ITEMS = ("inputDataItem", "outputDataItem")


def condition_problems(bundle, forms, extra: set[str]) -> list[Problem]:
    problems = []
    known_by_process = {pid: known_variables(bundle, pid, forms) | extra for pid in _drawn(bundle)}
    for filename, tree in bundle.trees.items():
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            known = known_by_process.get(proc.get("id"), set(extra))
            for timer in proc.xpath(".//bpmn:timeDate | .//bpmn:timeDuration | .//bpmn:timeCycle", namespaces=NS):
                try:
                    unknown = sorted(expression_names((timer.text or "").strip() or "None") - known)
                except (SyntaxError, ValueError):
                    continue  # the sandbox check reports it
                owner = timer.getparent().getparent()
                if unknown:
                    problems.append(Problem(filename, owner.get("id"), (
                        f"定时事件“{label(owner)}”的时间表达式使用了未知变量：{'、'.join(unknown)}")))
            for flow in proc.xpath(".//bpmn:sequenceFlow[bpmn:conditionExpression]", namespaces=NS):
                text = (flow.xpath("./bpmn:conditionExpression", namespaces=NS)[0].text or "").strip()
                try:
                    used = expression_names(text)
                except (SyntaxError, ValueError):
                    continue  # reported by the gateway check
                unknown = sorted(used - known)
                if unknown:
                    problems.append(Problem(filename, flow.get("id"), (
                        f"分支“{label(flow)}”的条件使用了未知变量：{'、'.join(unknown)}"
                        "（不是本流程任何表单的字段、服务任务或决策表的输出、脚本赋值的变量）")))
    return problems


def script_name_problems(bundle, forms, extra: set[str]) -> tuple[list[Problem], list[Problem]]:
    """A script calling a function the sandbox lacks fails at run time: a problem. A script
    reading a name nothing sets may still find it in the start data: a warning."""
    problems, warnings = [], []
    for filename, tree in bundle.trees.items():
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            known = known_variables(bundle, proc.get("id"), forms) | extra
            for node in proc.iter():
                what = _SCRIPTS.get(local(node))
                if what is None or not (node.text or "").strip():
                    continue
                owner = next((a for a in node.iterancestors() if a.get("id")), proc)
                called, read = _free_names(node.text)
                for name in sorted(called - known):
                    problems.append(Problem(filename, owner.get("id"), (
                        f"“{label(owner)}”的{what}调用了未知函数 {name}：Tonghu 的脚本只提供 date、datetime、"
                        "timedelta 和白名单内置函数（没有 SpiffArena 的 get_current_user、get_localtime 等）")))
                unknown = sorted(read - called - known)
                if unknown:
                    warnings.append(Problem(filename, owner.get("id"), (
                        f"“{label(owner)}”的{what}读取了未知变量：{'、'.join(unknown)}（若立案数据中没有，运行到此会出错）")))
    return problems, warnings


def _free_names(script: str) -> tuple[set[str], set[str]]:
    """(names called, names read) that the script neither binds nor gets from the builtins."""
    try:
        tree = ast.parse(script, mode="exec")
    except (SyntaxError, ValueError):
        return set(), set()  # the sandbox check reports it
    called, loaded, bound = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return called - bound - _BUILTINS, loaded - bound - _BUILTINS


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


def script_assignments(script: str) -> set[str]:
    """Names a script assigns (they land in task data)."""
    try:
        tree = ast.parse(script or "", mode="exec")
    except (SyntaxError, ValueError):
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
    edges: dict[str, set[str]] = {pid: set() for pid in _drawn(bundle)}
    for pid in _drawn(bundle):
        for call in _process_element(bundle, pid).xpath(".//bpmn:callActivity", namespaces=NS):
            called = call.get("calledElement")
            if called in edges:
                edges[pid].add(called)
                edges[called].add(pid)
    seen, todo = set(), [process_id]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(edges.get(pid, ()))
    return seen


def _drawn(bundle) -> list[str]:
    """The processes drawn in the files (not a collaboration deployed as one procedure)."""
    return [pid for pid, info in bundle.processes.items() if not info.participants]


def _process_element(bundle, process_id: str):
    info = bundle.processes[process_id]
    return next(p for p in bundle.trees[info.filename].xpath("//bpmn:process", namespaces=NS) if p.get("id") == process_id)


def known_variables(bundle, process_id: str, forms: dict[str, dict]) -> set[str]:
    """Names a condition in `process_id` may read: form fields, handler and decision outputs,
    script assignments (of the process and the processes it calls or is called by), fields
    another procedure carries in when it hands a child over, the data the diagram declares
    (multi-instance items and collections, data objects, ioSpecification) and the base fields."""
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
        for node in _process_element(bundle, pid).iter():
            tag = local(node)
            if tag == "property" and node.get("name") == "formJsonSchemaFilename":
                names |= set((forms.get(node.get("value")) or {}).get("properties", {}))
            elif tag == "serviceTaskOperator" and node.get("resultVariable"):
                names.add(node.get("resultVariable"))
            elif tag in ("preScript", "postScript", "script"):
                names |= script_assignments(node.text or "")
            elif tag == "businessRuleTask":
                names |= dmn_outputs
            elif tag in _DATA_NAMES:
                names |= {n for n in (node.get("id"), node.get("name"), node.get("dataObjectRef")) if n}
            elif tag in _DATA_REFS and (node.text or "").strip():
                names.add(node.text.strip())
            elif tag in ("messageVariable", "variableName") and (node.text or "").strip():
                names.add(node.text.strip())  # where a caught message's or signal's content lands
            elif tag in _DATA_ITEMS:
                names |= {n for n in (node.get("id"), node.get("name")) if n}
    return names
