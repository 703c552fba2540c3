"""Decision tables against the diagrams that call them: every decision a business rule task names
exists among the files, and every input expression of a called table reads only variables the
calling procedure has (form fields, handler and decision outputs, script assignments, carried
fields). The same rule for `tonghu check`, `tonghu deploy` and the designer's DMN editor."""
import ast
import re

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


# SpiffWorkflow's DMNEngine.evaluate: a `?` outside quotes stands for the input's value.
_QUESTION = re.compile(r'(\?)(?=(?:[^\'"]|[\'"][^\'"]*[\'"])*$)')


def spiff_expression(input_text: str, cell: str) -> str:
    """The expression SpiffWorkflow evaluates for a rule's `cell` under `input_text`
    (DMNEngine.evaluate, 3.x): `?` replaced; a cell that parses alone compared with `==`;
    otherwise the input and the cell joined as they are, with no space between them."""
    if _QUESTION.search(cell):
        return _QUESTION.sub("dmninputexpr", cell)
    try:
        ast.parse(cell)
        return f"({input_text}) == ({cell})"
    except SyntaxError:
        return input_text + cell


def cell_problems(bundle) -> list[Problem]:
    """Rule cells SpiffWorkflow cannot evaluate as written: a cell that is no expression even
    after an input (`v <cell>`), or one that joined to its input without a space reads other
    names (`in ("a", "b")` under `category` becomes `categoryin(...)`: a NameError at run time)."""
    problems = []
    for filename, tree in bundle.trees.items():
        if not filename.endswith(".dmn"):
            continue
        for decision in tree.iter(f"{DMN}decision"):
            title = decision.get("name") or decision.get("id")
            columns = []
            for column in decision.iter(f"{DMN}input"):
                node = column.find(f"{DMN}inputExpression/{DMN}text")
                columns.append(((node.text or "").strip() if node is not None else "",
                                column.get("label") or column.get("id")))
            for number, rule in enumerate(decision.iter(f"{DMN}rule"), start=1):
                for (input_text, column_label), entry in zip(columns, rule.findall(f"{DMN}inputEntry")):
                    node = entry.find(f"{DMN}text")
                    cell = node.text if node is not None else None
                    if not input_text or cell is None or cell.strip() in ("", "-"):
                        continue
                    why = _cell_fault(input_text, cell)
                    if why:
                        problems.append(Problem(filename, entry.get("id") or rule.get("id"), (
                            f"决策表“{title}”第 {number} 条规则的“{column_label}”一格“{cell.strip()}”运行时无法求值：{why}")))
    return problems


def _cell_fault(input_text: str, cell: str) -> str | None:
    try:
        ast.parse(input_text)
    except SyntaxError:
        return None  # the input expression's own problem, reported with the column
    if not _QUESTION.search(cell):
        try:
            ast.parse(cell)
        except SyntaxError:
            try:
                ast.parse(f"v {cell}")
            except SyntaxError:
                return "既不是一个值，也不是可接在输入后的比较（如“> 5”、“== 'a'”）"
    joined = spiff_expression(input_text, cell)
    try:
        names = expression_names(joined) - {"dmninputexpr"}
    except SyntaxError:
        return f"与输入表达式连写为“{joined}”后不是有效的表达式"
    spaced = set()
    for text in (input_text, _QUESTION.sub("dmninputexpr", cell) if _QUESTION.search(cell) else None):
        if text:
            try:
                spaced |= expression_names(text)
            except SyntaxError:
                pass
    if not _QUESTION.search(cell):
        try:
            spaced |= expression_names(f"({input_text}) {cell}")
        except SyntaxError:
            spaced |= expression_names(f"({input_text}) == ({cell})")
    invented = sorted(names - spaced - {"dmninputexpr"})
    if invented:
        return (f"SpiffWorkflow 把输入表达式与单元格直接连写为“{joined}”，得到不存在的名称 {'、'.join(invented)}；"
                f"请改写为“? {cell.strip()}”（“?”代表输入值）")
    return None
