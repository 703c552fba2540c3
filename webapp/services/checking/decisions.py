"""Decision tables against the diagrams that call them: every decision a business rule task names
exists among the files, and every input expression of a called table reads only variables the
calling procedure has (form fields, handler and decision outputs, script assignments, carried
fields). The same rule for `tonghu check`, `tonghu deploy` and the designer's DMN editor."""
from ...engine.bundle import NS
from .problem import Problem, label
from .variables import expression_names, known_variables

DMN = "{%s}" % NS["dmn"]


def _callers(bundle) -> dict[str, set[str]]:
    """Decision id -> the processes whose business rule tasks call it."""
    callers: dict[str, set[str]] = {}
    for info in bundle.processes.values():
        for proc in bundle.trees[info.filename].xpath(f"//bpmn:process[@id='{info.id}']", namespaces=NS):
            for task in proc.xpath(".//bpmn:businessRuleTask/bpmn:extensionElements/spiffworkflow:calledDecisionId",
                                   namespaces=NS):
                callers.setdefault((task.text or "").strip(), set()).add(info.id)
    return callers


def missing_decision_problems(bundle) -> list[Problem]:
    """A business rule task naming a decision no DMN file of the set defines."""
    known = {d.get("id") for f, tree in bundle.trees.items() if f.endswith(".dmn")
             for d in tree.iter() if isinstance(d.tag, str) and d.tag.endswith("}decision")}
    problems = []
    for filename, tree in bundle.trees.items():
        if filename.endswith(".dmn"):
            continue
        for task in tree.xpath("//bpmn:businessRuleTask", namespaces=NS):
            for ref in task.xpath("./bpmn:extensionElements/spiffworkflow:calledDecisionId", namespaces=NS):
                called = (ref.text or "").strip()
                if called and called not in known:
                    problems.append(Problem(filename, task.get("id"), (
                        f"业务规则任务“{label(task)}”调用的决策表 {called} 不存在"
                        f"（已有：{'、'.join(sorted(known)) or '无'}）；请一并提供定义该决策的 DMN 文件")))
    return problems


def input_problems(bundle, forms: dict[str, dict], extra=()) -> list[Problem]:
    """Input expressions of every called table read only variables of the procedures that call it."""
    callers = _callers(bundle)
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
            problems += _column_problems(filename, decision, known)
    return problems


def _column_problems(filename, decision, known: set[str]) -> list[Problem]:
    problems = []
    title = decision.get("name") or decision.get("id")
    for column in decision.iter(f"{DMN}input"):
        text_node = column.find(f"{DMN}inputExpression/{DMN}text")
        text = (text_node.text or "").strip() if text_node is not None else ""
        column_label = column.get("label") or column.get("id")
        if not text:
            problems.append(Problem(filename, column.get("id"), f"决策表“{title}”的输入“{column_label}”没有输入表达式"))
            continue
        try:
            unknown = sorted(expression_names(text) - known)
        except SyntaxError:
            continue  # the sandbox check reports it
        if unknown:
            problems.append(Problem(filename, column.get("id"), (
                f"决策表“{title}”的输入“{column_label}”使用了未知变量：{'、'.join(unknown)}"
                "（不是调用它的流程中任何表单的字段、服务任务或决策表的输出、脚本赋值的变量）")))
    return problems
