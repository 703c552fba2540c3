"""Forms edited in the browser: forms/ overlaid with the ones designers saved, checked before saving."""
import json
import re

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import jsonlimits
from ...models import Draft, ProcessDefinition, User
from .. import definitions, plausibility
from ..errors import Invalid


FILENAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")


def effective_forms(session: Session, disk_forms: dict[str, dict]) -> dict[str, dict]:
    """The forms a deploy from the designer uses: forms/ with the designers' saved versions on top."""
    forms = dict(disk_forms)
    for row in session.scalars(select(Draft).where(Draft.kind == "form")):
        try:
            forms[row.name] = json.loads(row.content)
        except ValueError:
            continue
    return forms


def saved_form(session: Session, name: str) -> Draft | None:
    return session.scalars(select(Draft).where(Draft.kind == "form", Draft.name == name)).first()


def form_problems(name: str, text: str) -> tuple[dict | None, list[str]]:
    """Parse and check a form's JSON Schema as Tonghu renders and validates it."""
    problems = []
    if not name.endswith(".json") or not set(name) <= FILENAME_CHARS or name.startswith("."):
        problems.append("表单文件名只能包含小写字母、数字、下划线，并以 .json 结尾")
    try:
        schema = jsonlimits.loads(text)  # bounded depth: a 100 000-level schema is a problem, not a crash
    except ValueError as err:
        return None, problems + [f"不是有效的 JSON：{err}"]
    if not isinstance(schema, dict):
        return None, problems + ["表单必须是一个 JSON 对象"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        problems.append(f"不是有效的 JSON Schema：{err.message}")
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        problems.append("表单的顶层必须是 \"type\": \"object\"，并有 \"properties\"")
        return schema, problems
    problems += _field_problems(schema, "") + plausibility.keyword_problems(schema)
    if name.endswith("_start.json"):
        child = schema["properties"].get("child")
        if not isinstance(child, dict) or child.get("type") != "object":
            problems.append("发起表单必须包含儿童信息对象 child（参见 entrustment_care_start.json）")
    return schema, problems


def _field_problems(schema: dict, prefix: str) -> list[str]:
    problems = []
    for fname, prop in schema.get("properties", {}).items():
        path = prefix + fname
        if not isinstance(prop, dict):
            problems.append(f"字段 {path} 的定义必须是对象")
            continue
        if not prop.get("title"):
            problems.append(f"字段 {path} 缺少中文标题（title）")
        if "enum" in prop and "x-enum-titles" in prop and len(prop["x-enum-titles"]) != len(prop["enum"]):
            problems.append(f"字段 {path} 的选项标题（x-enum-titles）与选项（enum）个数不一致")
        if prop.get("type") == "object":
            problems += _field_problems(prop, path + ".")
    for required in schema.get("required", []):
        if required not in schema.get("properties", {}):
            problems.append(f"必填字段 {prefix}{required} 不在 properties 中")
    return problems


def save_form(session: Session, name: str, text: str, user: User, now) -> Draft:
    schema, problems = form_problems(name, text)
    if problems:
        raise Invalid({"schema": "；".join(problems)}, "表单未保存：" + "；".join(problems))
    row = saved_form(session, name)
    content = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if row is None:
        row = Draft(kind="form", name=name, content=content, updated_by_id=user.id, updated_at=now)
        session.add(row)
    else:
        row.content, row.revision, row.updated_by_id, row.updated_at = content, row.revision + 1, user.id, now
    session.flush()
    return row


def procedures_using_form(session: Session, name: str) -> list[ProcessDefinition]:
    return [d for d in definitions.latest_all(session) if any(f'"{name}"' in xml for xml in d.files.values())]


FORM_ID = re.compile(r"[a-z][a-z0-9_]{1,59}")


def new_form(session: Session, form_id, title, forms: dict[str, dict], user: User, now) -> Draft:
    """A new form for a new user task, made in the browser: a valid, unused file name and a Chinese
    title; it starts with one required text field the designer then edits. Start forms (`*_start`)
    are made with their procedure (they must ask the child's identity)."""
    form_id = form_id.strip() if isinstance(form_id, str) else ""
    title = title.strip() if isinstance(title, str) else ""
    errors = {}
    if form_id.endswith(".json"):
        form_id = form_id[:-5]
    if not FORM_ID.fullmatch(form_id):
        errors["form_id"] = "表单标识只能用英文小写字母、数字和下划线（snake_case），以字母开头，2 至 60 个字符，如 school_dropout_visit"
    elif form_id.endswith("_start"):
        errors["form_id"] = "以 _start 结尾的是流程的发起表单，请在“新建流程”时一并创建"
    elif f"{form_id}.json" in forms or saved_form(session, f"{form_id}.json") is not None:
        errors["form_id"] = f"表单 {form_id}.json 已存在，请换一个标识或直接编辑它"
    if not title or len(title) > 100:
        errors["title"] = "请填写表单的中文标题（不超过 100 字）"
    if errors:
        raise Invalid(errors, "表单未创建：" + "；".join(errors.values()))
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, "type": "object",
              "properties": {"outcome": {"type": "string", "title": "办理情况", "minLength": 1, "maxLength": 2000}},
              "required": ["outcome"], "additionalProperties": False}
    return save_form(session, f"{form_id}.json", json.dumps(schema, ensure_ascii=False), user, now)
