"""Scenarios written in the browser: checked against the vocabulary, kept with their procedure,
and exported to `features/` (one file per procedure) so that `make test` runs them."""
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import SavedScenario, User
from .. import definitions
from ..errors import Invalid, NotFound
from .features import Feature, parse_feature
from .lookup import match

MAX_TEXT = 20_000
EXPORT_NAME = "{process_id}.saved.feature"
STEP_LINE = re.compile(r"^(假如|假设|假定|当|那么|而且|并且|同时|但是|\*)")  # zh-CN Gherkin step keywords


def check(process_id: str, text: str) -> Feature:
    """A written scenario parses, holds exactly one `场景:` and every line names a known step."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid({"text": "请填写场景"}, "请填写场景")
    if len(text) > MAX_TEXT:
        raise Invalid({"text": f"场景过长（不超过 {MAX_TEXT} 字）"}, "场景过长")
    if "\x00" in text or re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f]", text):
        raise Invalid({"text": "场景中含有控制字符"}, "场景中含有控制字符")
    added = 0 if re.search(r"^\s*功能[:：]", text, flags=re.M) else 1  # line numbers stay the writer's
    feature = parse_feature(f"功能: {process_id}\n" * added + text, f"已保存：{process_id}", added)
    if len(feature.scenarios) != 1:
        raise Invalid({"text": "请写且只写一个“场景:”"}, "请写且只写一个“场景:”")
    if not feature.scenarios[0].steps:
        raise Invalid({"text": "场景中没有步骤（每个步骤以 假如/当/那么/而且 开头）"}, "场景中没有步骤")
    unknown = [f"第 {s.line - added} 行：{s.label}" for s in feature.background + feature.scenarios[0].steps
               if match(s.kind, s.text) is None]
    if unknown:
        raise Invalid({"text": "以下各行没有相符的步骤：" + "；".join(unknown)}, "场景中有不认识的步骤")
    return feature


def save(session: Session, process_id: str, text: str, user: User, now: datetime) -> SavedScenario:
    """Save (or replace, by name) a written scenario of a deployed procedure."""
    definitions.get_latest_or_404(session, process_id)
    feature = check(process_id, text)
    name = feature.scenarios[0].name.strip()
    if not name:
        raise Invalid({"text": "场景须有名称（“场景: 名称”）"}, "场景须有名称")
    row = session.scalars(select(SavedScenario).where(SavedScenario.process_id == process_id,
                                                      SavedScenario.name == name)).first()
    if row is None:
        row = SavedScenario(process_id=process_id, name=name, text=text, saved_by_id=user.id, saved_at=now)
        session.add(row)
    else:
        row.text, row.saved_by_id, row.saved_at = text, user.id, now
    session.flush()
    return row


def of_procedure(session: Session, process_id: str) -> list[SavedScenario]:
    return list(session.scalars(select(SavedScenario).where(SavedScenario.process_id == process_id)
                                .order_by(SavedScenario.name)))


def get(session: Session, scenario_id: int) -> SavedScenario:
    row = session.get(SavedScenario, scenario_id)
    if row is None:
        raise NotFound("没有这个场景")
    return row


def delete(session: Session, scenario_id: int) -> None:
    session.delete(get(session, scenario_id))
    session.flush()


def as_features(rows: list[SavedScenario]) -> list[Feature]:
    return [parse_feature(_feature_text(r.process_id, [r]), f"已保存：{r.name}") for r in rows]


def _scenario_block(text: str) -> str:
    """The scenario of a saved text, without a `功能:`/language line of its own, indented as in a file.

    A `背景:` of its own is folded into the scenario (its steps first): in the procedure's shared
    file it would follow another scenario (the file no longer parses) or run before every other one."""
    lines = [line.strip() for line in text.strip().splitlines()
             if line.strip() and not re.match(r"^\s*(#\s*language:|功能[:：])", line)]
    background, rest, in_background = [], [], False
    for line in lines:
        if re.match(r"^背景[:：]", line):
            in_background = True
            continue
        if re.match(r"^(场景|@)", line):
            in_background = False
        (background if in_background else rest).append(line)
    head = next((i for i, line in enumerate(rest) if line.startswith("场景")), -1)
    first = next((i for i, line in enumerate(rest) if i > head and STEP_LINE.match(line)), len(rest))
    rest[first:first] = background
    return "\n".join("  " + line if re.match(r"^(场景|@)", line) else "    " + line
                     if not line.startswith("|") else "      " + line for line in rest)


def _feature_text(process_id: str, rows: list[SavedScenario]) -> str:
    head = f"# language: zh-CN\n功能: {process_id}：在浏览器中编写的场景\n  由测试员在童护中编写并保存（tonghu scenarios export 导出）。\n"
    return head + "".join(f"\n{_scenario_block(r.text)}\n" for r in rows)


def export(session: Session, directory: Path) -> list[Path]:
    """Write every saved scenario to `<directory>/<process_id>.saved.feature`; return the files written."""
    by_process: dict[str, list[SavedScenario]] = {}
    for row in session.scalars(select(SavedScenario).order_by(SavedScenario.process_id, SavedScenario.name)):
        by_process.setdefault(row.process_id, []).append(row)
    written = []
    for process_id, rows in by_process.items():
        path = directory / EXPORT_NAME.format(process_id=process_id)
        path.write_text(_feature_text(process_id, rows), encoding="utf-8")
        written.append(path)
    return written
