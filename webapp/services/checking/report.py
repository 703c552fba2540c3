"""`check_files`: is a set of diagrams acceptable? Used by `tonghu check`, `tonghu deploy` and the
designer. Whatever the files hold, the answer is a list of problems, never a traceback."""
import re
from dataclasses import dataclass, field

from lxml import etree

from ...engine import Bundle, BundleError
from ...engine.bundle import NS, flat
from .decisions import cell_problems, input_problems, missing_decision_problems
from .nodes import process_problems
from .problem import Problem
from .scripts import bpmn_problems, dmn_problems
from .support import support_report
from .variables import condition_problems, script_name_problems


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)  # the files cannot be deployed
    warnings: list[Problem] = field(default_factory=list)  # they can run; a designer should know


def check_files(files: dict[str, str], forms: dict[str, dict], known_variables=()) -> list[Problem]:
    """`known_variables`: names set from outside these files (e.g. carried in by another procedure)."""
    return check_report(files, forms, known_variables).problems


def check_report(files: dict[str, str], forms: dict[str, dict], known_variables=()) -> Report:
    try:
        return _report(files, forms, set(known_variables))
    except Exception as err:  # noqa: BLE001 - a file no rule foresaw: still one clear line, never a traceback
        return Report([Problem(next(iter(files), "?"), None,
                               f"无法校验这些文件（{type(err).__name__}：{flat(err)[:200]}），请检查文件是否完整")])


def _report(files, forms, extra: set[str]) -> Report:
    report = Report()
    trees = {}
    for filename, xml in files.items():
        try:
            trees[filename] = etree.fromstring(xml.encode("utf-8"))
        except (etree.LxmlError, ValueError):
            continue  # the bundle below says what is wrong with it
    report.problems, report.warnings = support_report(trees)
    explained = {p.file for p in report.problems}
    try:
        bundle = Bundle(files)
    except BundleError as err:
        for text in err.problems:
            filename, _, message = text.partition(":")
            if filename not in explained:  # the parser's complaint would only repeat ours less clearly
                report.problems.append(Problem(filename, None, message.strip()))
        return report
    report.problems += [Problem(*found) for found in bundle.collaboration_problems]
    for filename, tree in bundle.trees.items():
        for proc in tree.xpath("//bpmn:process", namespaces=NS):
            report.problems += process_problems(bundle, filename, proc, forms)
    missing = missing_decision_problems(bundle)
    report.problems += missing
    explained |= {p.file for p in missing}  # the parser's "no DMN diagram" would only repeat it in English
    for info in bundle.top_level_processes():
        if info.filename in explained:
            continue
        try:
            bundle.spec(info.id)
        except Exception as err:  # noqa: BLE001 - the parser's own complaint, e.g. a missing called process
            report.problems.append(Problem(info.filename, info.id, f"流程无法解析：{_parser_complaint(err)}"))
            continue
        if info.id in bundle.parser_warnings:
            report.warnings.append(Problem(info.filename, info.id, (
                f"流程“{info.name}”使用了 SpiffWorkflow 的旧写法，仍可运行（解析器提示：{bundle.parser_warnings[info.id]}）")))
    report.problems += condition_problems(bundle, forms, extra)
    found, warned = script_name_problems(bundle, forms, extra)
    report.problems += found
    report.warnings += warned
    for filename, tree in bundle.trees.items():  # designers' code against the sandbox's rule
        code = dmn_problems(tree) if filename.endswith(".dmn") else bpmn_problems(tree)
        report.problems += [Problem(filename, element, message) for element, message in code]
    report.problems += [p for p in input_problems(bundle, forms, extra) if p not in report.problems]
    report.problems += cell_problems(bundle)
    return report


_MISSING_PROCESS = re.compile(r"The process '([^']*)' was not found")
_MISSING_DECISION = re.compile(r'No DMN Diagram available with id "([^"]*)"')


def _parser_complaint(err: Exception) -> str:
    """The parser's two commonest complaints said in Chinese (a called process or decision
    table missing from the files), anything else as it says it, on one line."""
    text = flat(err)
    if match := _MISSING_PROCESS.search(text):
        return f"调用的流程“{match[1]}”不在这些文件中（调用活动 calledElement 须指向一同校验或已部署的流程）"
    if match := _MISSING_DECISION.search(text):
        return f"业务规则任务使用的决策表“{match[1]}”不在这些文件中（请把该 DMN 文件一同校验、部署）"
    if "A Service Task must have an operator" in text:
        return "有服务任务没有指定处理程序（spiffworkflow:serviceTaskOperator）"
    if "multiinstance task must specify a cardinality or a loop input" in text:
        return "有多实例任务既没有实例数（loopCardinality）也没有输入集合（loopDataInputRef）"
    return text[:300]
