"""Clause -> BPMN element -> scenario: which seed clause each step encodes and which scenario runs it.

A diagram element encodes a clause when the first line of its `<bpmn:documentation>` reads
`依据：<source> <clause>[；<source> <clause>…]`: a seed short name (hunan, chongqing, hubei,
hulin, shanghai: the files in the seeds folder) with its clause, or a national text
(未成年人保护法 第九十二条, 民发〔2019〕62号) with or without one.

A scenario exercises an element when the element's id or Chinese name is one of the quoted
tokens of the scenario's steps (background included; a quoted list "a、b" gives each item), or
of a step shortcut the scenario uses: a step of `webapp/services/scenarios/steps/*.py` whose function (with the module
constants and module functions it names) quotes the id, e.g. "乡镇完成入户调查" quotes
"township_home_investigation" (a shortcut choosing among tasks by a placeholder counts for all of
them: a slight over-approximation, never a miss). Exact tokens, not substrings, so
"签署" never counts as "监护人签署". The link is static (no scenario is run): cheap enough for a
CLI and a unit test, and it names a task only where a policy reader can see it named.

With `tables=True` (`tonghu trace`) the decision tables join in: each decision and rule of the
national `*.dmn` and of every regional variant (`variants/<prefix>/*.dmn`, and a variant's own
diagrams), whose `<description>` starts with the same `依据：` line; a variant's elements carry its
prefix, so a place's own rule (e.g. Shanghai's past-18 table, shanghai （一）) is listed as such.
"""
import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner
from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SEEDS = ("hunan", "chongqing", "hubei", "hulin", "shanghai")
PREFIX = "依据："
# Flow nodes that may encode a clause (lanes, flows and the process itself carry prose).
KINDS = ("userTask", "serviceTask", "scriptTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask",
         "callActivity", "subProcess", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
         "eventBasedGateway", "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
         "boundaryEvent")
QUOTED = re.compile(r'"([^"\n]+)"')


@dataclass
class Element:
    process_id: str
    file: str
    id: str
    name: str
    kind: str
    clauses: list[str] = field(default_factory=list)
    problem: str | None = None       # a documentation line that does not parse
    scenarios: list[str] = field(default_factory=list)
    region: str = ""                 # the prefix of the regional variant it belongs to ("" national)

    @property
    def label(self) -> str:
        path = self.id if self.id == self.process_id else f"{self.process_id}.{self.id}"
        text = f"{path}（{self.name}）" if self.name else path
        return f"{text}〔地区版本 {self.region}〕" if self.region else text


@dataclass(frozen=True)
class Scenario:
    title: str                       # "entrustment_care.feature: 五方全部签署，协议生效并归档"
    tokens: frozenset[str]


def parse_basis(line: str) -> list[str]:
    """The clauses of one `依据：` line, each "source clause"; ValueError with the reason otherwise."""
    body = line.strip()[len(PREFIX):].strip()
    if not body:
        raise ValueError("“依据：”后没有条款")
    clauses = []
    for part in re.split(r"[；;]", body):
        part = " ".join(part.split())
        if not part:
            continue
        source, _, clause = part.partition(" ")
        if source.lower() in SEEDS:
            if not clause:
                raise ValueError(f"“{part}”：种子文件 {source} 须注明条款")
            clauses.append(f"{source.lower()} {clause}")
        elif re.search(r"[\u4e00-\u9fff]", source):  # a national text by its Chinese title or document number
            clauses.append(part)
        else:
            raise ValueError(f"“{part}”：来源须为 {'、'.join(SEEDS)} 或国家法律法规文件名")
    if not clauses:
        raise ValueError("“依据：”后没有条款")
    return clauses


def _read_basis(element: Element, doc, prose_after: bool = False) -> Element:
    """`element` with the clauses of the first line of its documentation (or description) node;
    `prose_after`: a rule's line goes on with prose after the last clause (kept out of it)."""
    first = (doc.text or "").strip().splitlines()[0].strip() if doc is not None and (doc.text or "").strip() else ""
    if first.startswith(PREFIX):
        try:
            element.clauses = [_without_prose(c) for c in parse_basis(first)] if prose_after else parse_basis(first)
        except ValueError as err:
            element.problem = str(err)
    return element


def _without_prose(clause: str) -> str:
    """"hunan §二.1 无法定抚养人的儿童…" -> "hunan §二.1"; a national text keeps a 第…条 after its title."""
    words = clause.split(" ")
    keep = 2 if words[0] in SEEDS or (len(words) > 1 and re.fullmatch(r"第.+[条款项]", words[1])) else 1
    return " ".join(words[:keep])


def read_elements(processes: Path, region: str = "", root: Path | None = None) -> list[Element]:
    """Every flow node of every `*.bpmn` in `processes`, with the clauses its documentation names
    (files named from `root`, the folder of the national files)."""
    found = []
    for path in sorted(processes.glob("*.bpmn")):
        tree = etree.parse(str(path))
        for process in tree.iter(f"{{{BPMN}}}process"):
            for node in process.iter(*(f"{{{BPMN}}}{kind}" for kind in KINDS)):
                element = Element(process.get("id"), str(path.relative_to(root or processes)), node.get("id"),
                                  node.get("name") or "", etree.QName(node).localname, region=region)
                found.append(_read_basis(element, node.find(f"{{{BPMN}}}documentation")))
    return found


def read_tables(processes: Path, region: str = "", root: Path | None = None) -> list[Element]:
    """Every decision of every `*.dmn` in `processes`, and each of its rules, with the clauses the
    first line of its `<description>` names."""
    found = []
    for path in sorted(processes.glob("*.dmn")):
        name = str(path.relative_to(root or processes))
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError as err:
            found.append(Element(path.stem, name, path.stem, "", "decision", problem=f"无法解析：{err}", region=region))
            continue
        for decision in tree.iter("{*}decision"):
            for node in [decision, *decision.iter("{*}rule")]:
                element = Element(decision.get("id"), name, node.get("id"), node.get("name") or "",
                                  etree.QName(node).localname, region=region)
                found.append(_read_basis(element, node.find("{*}description"), prose_after=True))
    return found


def _with_variants(processes: Path) -> list[Element]:
    """The national decision tables, then each regional variant's diagrams and tables."""
    found = read_tables(processes)
    for folder in sorted(p for p in (processes / "variants").glob("*") if p.is_dir()):
        found += read_elements(folder, folder.name, processes) + read_tables(folder, folder.name, processes)
    return found


def _pattern(decorator: ast.expr) -> str | None:
    """The step text of `@when("…")` or `@when(parsers.parse("…"))`."""
    if not isinstance(decorator, ast.Call) or not decorator.args:
        return None
    arg = decorator.args[0]
    if isinstance(arg, ast.Call) and arg.args:
        arg = arg.args[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _matcher(text: str) -> re.Pattern:
    """A step pattern ("乡镇儿童督导员评估心理状态{verdict}") as a regular expression."""
    return re.compile(re.sub(r"\\\{[^}]*\\\}", ".+?", re.escape(text)) + r"\Z")


def read_shortcuts(steps: Path) -> list[tuple[re.Pattern, frozenset[str]]]:
    """Each step pattern of the step library with the strings its definition quotes."""
    shortcuts: list[tuple[re.Pattern, frozenset[str]]] = []
    for path in sorted(steps.glob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: _strings(node.value) for node in module.body if isinstance(node, ast.Assign)
                     for t in node.targets if isinstance(t, ast.Name)}
        functions = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
        for fn in functions.values():
            texts = {p for p in map(_pattern, fn.decorator_list) if p}
            if not texts:
                continue
            names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
            quoted = _strings(fn).union(*(constants[n] for n in names if n in constants),
                                        *(_strings(functions[n]) for n in names if n in functions and n != fn.name))
            shortcuts += [(_matcher(text), frozenset(quoted)) for text in texts]
    return shortcuts


def _tokens(text: str) -> set[str]:
    return {item.strip() for quoted in QUOTED.findall(text) for item in quoted.split("、") if item.strip()}


def read_scenarios(features: Path, steps: Path | None = None) -> list[Scenario]:
    """Every scenario of `features/*.feature` with the tokens its steps (and their shortcuts) quote."""
    shortcuts = read_shortcuts(steps) if steps and steps.is_dir() else []
    found = []
    for path in sorted(features.glob("*.feature")):
        feature = Parser().parse(TokenScanner(path.read_text(encoding="utf-8"))).get("feature") or {}
        background: set[str] = set()
        children = list(feature.get("children", []))
        while children:
            child = children.pop(0)
            if "rule" in child:
                children[:0] = child["rule"].get("children", [])
                continue
            block = child.get("background") or child.get("scenario")
            tokens: set[str] = set()
            for step in block.get("steps", []):
                text = step["text"].strip()
                tokens |= _tokens(text).union(*(quoted for pattern, quoted in shortcuts if pattern.match(text)))
            if "background" in child:
                background = tokens
            else:
                found.append(Scenario(f"{path.name}: {block['name']}", frozenset(tokens | background)))
    return found


def trace(processes: Path, features: Path, steps: Path | None = None, tables: bool = False) -> list[Element]:
    """Every element, each with its clauses and the scenarios that exercise it (with `tables`, the
    decision tables' and the regional variants' too)."""
    elements = read_elements(processes) + (_with_variants(processes) if tables else [])
    scenarios = read_scenarios(features, steps)
    for element in elements:
        element.scenarios = [s.title for s in scenarios if element.id in s.tokens or (element.name and element.name in s.tokens)]
    return elements


def problems(elements: list[Element]) -> list[str]:
    """What keeps the trace from being complete: a bad `依据` line anywhere, a user task without a
    clause or without a scenario."""
    found = [f"{e.file}：{e.label} 的依据无法识别：{e.problem}" for e in elements if e.problem]
    for e in elements:
        if e.kind != "userTask" or e.problem:
            continue
        if not e.clauses:
            found.append(f"{e.file}：用户任务 {e.label} 没有注明依据条款（documentation 首行“依据：…”）")
        if not e.scenarios:
            found.append(f"{e.file}：用户任务 {e.label} 没有任何场景办理或检查它")
    return found


def table(elements: list[Element]) -> list[tuple[str, list[str], list[str]]]:
    """Clause -> the elements that encode it -> the scenarios that exercise any of them, clauses sorted."""
    by_clause: dict[str, list[Element]] = {}
    for element in elements:
        for clause in element.clauses:
            by_clause.setdefault(clause, []).append(element)
    rows = []
    for clause in sorted(by_clause, key=lambda c: (c.split(" ")[0] not in SEEDS, c)):
        encoded = by_clause[clause]
        scenarios = sorted({s for e in encoded for s in e.scenarios})
        rows.append((clause, [e.label for e in encoded], scenarios))
    return rows
