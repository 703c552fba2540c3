"""Reading Chinese Gherkin with the parser pytest-bdd uses (`gherkin-official`): features, their
scenarios (outlines expanded per example row, as pytest-bdd runs them) and the procedures they
exercise, for the scenario pages and the replay."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser
from gherkin.token_matcher import TokenMatcher
from gherkin.token_scanner import TokenScanner

from ..errors import Invalid

KIND_OF = {"Context": "given", "Action": "when", "Outcome": "then"}
STARTED = re.compile(r'发起"([a-z][a-z0-9_]*)"流程')


@dataclass
class ScenarioStep:
    keyword: str
    kind: str
    text: str
    line: int
    table: list[list[str]] | None = None

    @property
    def label(self) -> str:
        return f"{self.keyword.strip()} {self.text}"


@dataclass
class Scenario:
    name: str
    line: int
    steps: list[ScenarioStep]
    tags: list[str] = field(default_factory=list)

    @property
    def slow(self) -> bool:
        return "@slow" in self.tags


@dataclass
class Feature:
    name: str
    source: str  # the file name, or "已保存：<name>" for a scenario saved in the browser
    description: str
    background: list[ScenarioStep]
    scenarios: list[Scenario]

    @property
    def procedures(self) -> set[str]:
        """The procedures the feature starts (its file is named after one of them, usually)."""
        found = {m for s in self.background + [st for sc in self.scenarios for st in sc.steps]
                 for m in STARTED.findall(s.text)}
        stem = Path(self.source).stem
        return found | ({stem} if re.fullmatch(r"[a-z][a-z0-9_]*", stem) else set())


def _steps(raw_steps, substitute=lambda text: text) -> list[ScenarioStep]:
    steps, kind = [], "given"
    for raw in raw_steps:
        kind = KIND_OF.get(raw.get("keywordType"), kind)  # 而且 / 但是 continue the kind before them
        rows = None
        if raw.get("dataTable"):
            rows = [[substitute(c["value"]) for c in row["cells"]] for row in raw["dataTable"]["rows"]]
        steps.append(ScenarioStep(raw["keyword"], kind, substitute(raw["text"].strip()), raw["location"]["line"], rows))
    return steps


def _expand(block) -> list[Scenario]:
    tags = [t["name"] for t in block.get("tags", [])]
    examples = block.get("examples") or []
    if not examples:
        return [Scenario(block["name"], block["location"]["line"], _steps(block.get("steps", [])), tags)]
    found = []
    for table in examples:
        header = [c["value"] for c in table["tableHeader"]["cells"]] if table.get("tableHeader") else []
        for row in table.get("tableBody", []):
            values = dict(zip(header, (c["value"] for c in row["cells"])))

            def substitute(text, values=values):
                return re.sub(r"<([^<>]+)>", lambda m: values.get(m.group(1), m.group(0)), text)
            label = "，".join(f"{k}={v}" for k, v in values.items())
            found.append(Scenario(f"{block['name']}（{label}）", row["location"]["line"],
                                  _steps(block.get("steps", []), substitute), tags + [t["name"] for t in table.get("tags", [])]))
    return found


def parse_feature(text: str, source: str, line_offset: int = 0) -> Feature:
    """A feature from Gherkin text; a text that does not parse is refused with the line and the cause."""
    try:  # Chinese keywords without a "# language: zh-CN" line too
        document = Parser().parse(TokenScanner(text), TokenMatcher("zh-CN"))
    except (CompositeParserException, ParserError) as err:
        lines = sorted({int(n) - line_offset for n in re.findall(r"\((\d+):\d+\)", str(err))})
        where = f"第 {'、'.join(map(str, lines))} 行" if lines else "某处"
        message = f"场景文本无法解析：{where}不符合场景格式（每个步骤以 假如/当/那么/而且 开头，数据表紧跟在步骤下方）"
        raise Invalid({"text": message}, message) from None
    feature = document.get("feature")
    if not feature:
        raise Invalid({"text": "缺少“功能:”一行"}, "场景文本缺少“功能:”一行")
    background: list[ScenarioStep] = []
    scenarios: list[Scenario] = []
    children = list(feature.get("children", []))
    while children:
        child = children.pop(0)
        if "rule" in child:
            children[:0] = child["rule"].get("children", [])
        elif "background" in child:
            background = _steps(child["background"].get("steps", []))
        elif "scenario" in child:
            scenarios += _expand(child["scenario"])
    return Feature(feature.get("name", ""), source, (feature.get("description") or "").strip(), background, scenarios)


def read_features(directory: Path) -> list[Feature]:
    """Every `*.feature` of the directory, by file name."""
    return [parse_feature(path.read_text(encoding="utf-8"), path.name) for path in sorted(directory.glob("*.feature"))]


def of_procedure(features: list[Feature], process_id: str) -> list[Feature]:
    return [f for f in features if process_id in f.procedures]
