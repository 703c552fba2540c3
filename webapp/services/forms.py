"""Form schemas: load, turn browser input into typed data, validate with Chinese messages."""
import json
from pathlib import Path

from .. import jsonlimits
from ..engine import clock as engine_clock
from .errors import Invalid
from .moments import MOMENT_FORMAT, from_beijing_input
from .plausibility import FORMAT_CHECKER, ID_FORMAT, Context, iter_errors

__all__ = ["Context", "FORMAT_CHECKER", "field_paths", "from_browser", "load_forms", "validate"]


def load_forms(directory: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}


def field_paths(schema: dict, prefix: str = "") -> list[tuple[str, dict]]:
    """(dotted path, property schema) of every leaf field, in order."""
    fields = []
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        if prop.get("type") == "object":
            fields.extend(field_paths(prop, path + "."))
        else:
            fields.append((path, prop))
    return fields


def _message(error) -> str:
    kind = error.validator
    if kind == "required":
        return "此项必填"
    if kind == "minLength" and error.validator_value == 1:
        return "此项必填"
    if kind in ("enum", "const"):
        # A form may say why a value is refused and what to do instead ("x-enum-message"), e.g. a
        # procedure meant for other children naming the one that fits.
        custom = error.schema.get("x-enum-message") if isinstance(error.schema, dict) else None
        if isinstance(custom, str) and custom:
            return custom
        return "请从给定选项中选择" if kind == "enum" else "必须确认此项"
    if kind == "format" and error.validator_value == "date":
        return "请输入有效日期（年-月-日）"
    if kind == "format" and error.validator_value in (ID_FORMAT, MOMENT_FORMAT):
        return str(error.cause) if error.cause else "公民身份号码不正确"
    if kind == "pattern":
        return "格式不正确"
    if kind == "type":
        return {"boolean": "请选择是或否", "string": "请填写文字", "object": "格式不正确",
                "integer": "请填写整数", "number": "请填写数字"}.get(error.validator_value, "类型不正确")
    if kind == "maxLength":
        return f"不能超过 {error.validator_value} 个字"
    if kind == "minimum":
        return f"不能小于 {error.validator_value}"
    if kind == "maximum":
        return f"不能大于 {error.validator_value}"
    if kind == "additionalProperties" and "patternProperties" not in error.schema:  # else plausibility's own words
        return "包含表单以外的字段：" + "、".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
    return error.message


def validate(schema: dict, data, *, context: Context | None = None) -> None:
    """Raise `Invalid` with one message per field when `data` does not fit `schema`.

    `context` (today, the child's birth date) feeds the plausibility keywords; without one,
    today is the engine clock's and the birth date the form's own `child.birth_date`.
    """
    if not isinstance(data, dict):
        raise Invalid({"_": "数据必须是一个对象"})
    if jsonlimits.has_nul(data):
        raise Invalid({"_": "填写的内容含有空字符（\\u0000），请删除后重试"})
    errors: dict[str, str] = {}
    context = context if context is not None else Context.at(engine_clock.active().now())
    for error in sorted(iter_errors(schema, data, context), key=lambda e: [str(p) for p in e.path]):
        path = ".".join(str(p) for p in error.path)
        if error.validator == "required":
            missing = [name for name in error.validator_value if name not in (error.instance or {})]
            for name in missing:
                errors.setdefault(f"{path}.{name}" if path else name, _missing(schema, list(error.path), name))
            continue
        if error.validator == "anyOf" and _one_of_required(error):
            # "name or description": said once, beside the first of the alternatives
            first, titles = _one_of_required(error)
            errors.setdefault(f"{path}.{first}" if path else first, "请至少填写其中一项：" + "、".join(titles))
            continue
        errors.setdefault(path or "_", _message(error))
    if errors:
        raise Invalid(errors)


def _missing(schema: dict, path: list, name: str) -> str:
    """A missing unit choice says which unit to choose (the task goes to its officials), not just "required"."""
    node = schema
    for part in [*path, name]:
        node = (node.get("properties") or {}).get(str(part)) if isinstance(node, dict) else None
    if isinstance(node, dict) and isinstance(node.get("x-unit"), dict) and node.get("title"):
        return f"请选择{node['title']}"
    return "此项必填"


def _one_of_required(error) -> tuple[str, list[str]] | None:
    """(first field, titles) when an `anyOf` only asks for one of several fields to be filled."""
    branches = error.validator_value
    if not all(isinstance(b, dict) and set(b) == {"required"} and len(b["required"]) == 1 for b in branches):
        return None
    names = [b["required"][0] for b in branches]
    props = error.schema.get("properties", {})
    return names[0], [str(props.get(n, {}).get("title", n)).split("（")[0] for n in names]


def from_browser(schema: dict, form) -> dict:
    """Build typed data from flat browser fields named by dotted path; blanks are left out."""
    data: dict = {}
    for path, prop in field_paths(schema):
        raw = form.get(path)
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        kind = prop.get("type")
        if kind == "boolean":
            value = {"true": True, "false": False}.get(value, value)
        elif prop.get("format") == MOMENT_FORMAT and isinstance(value, str):
            value = from_beijing_input(value)  # a datetime-local input is Beijing time
        elif kind in ("integer", "number"):
            try:
                value = int(value) if kind == "integer" else float(value)
            except ValueError:
                pass
        target = data
        *parents, leaf = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return data
