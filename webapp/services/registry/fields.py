"""A registry entry's fields checked one by one, from JSON (the API), a web form or a CSV row.

Every value arrives as the client sent it (a string from a form or a file, a list or an int
from JSON); `check` returns the clean values and a Chinese message per bad field, so one
request, form or CSV row is told everything wrong with it at once. The ID number is checked
as the start forms check it (`plausibility`: GB 11643 check digit, a real birth date) and must
agree with the birth date and sex given; either may be left out and is then read from it.
"""
import re
from datetime import date

from sqlalchemy.orm import Session

from ...models import Region, Unit
from ...models.org import level_of
from .. import plausibility
from .codes import CATEGORIES, GENDERS, RELATIONS, RISKS, by_code_or_name

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_GUARDIANS = 6
TEXT_LIMITS = {"name": 50, "risk_reason": 500, "reason": 500, "description": 2000}


def _text(value, field: str, errors: dict, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = "此项必填"
        return None
    if not isinstance(value, str):
        errors[field] = "应为文本"
        return None
    value = value.strip()
    if len(value) > TEXT_LIMITS.get(field, 200) or not value.isprintable():
        errors[field] = f"不能超过 {TEXT_LIMITS.get(field, 200)} 个字，且不能含控制字符"
        return None
    return value


def _region(session: Session, value, field: str, errors: dict, village: bool) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not (value.isascii() and value.isdigit() and len(value) == 12):
        errors[field] = "应为 12 位行政区划代码"
        return None
    if session.get(Region, value) is None:
        errors[field] = f"行政区划“{value}”不存在"
    elif village and level_of(value) != "village":
        errors[field] = "住所地须精确到村（社区）"
    else:
        return value
    return None


def categories_of(value, errors: dict) -> list[str] | None:
    if value is None:
        return None
    items = [v for v in re.split(r"[;；,，、]", value)] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        errors["categories"] = "应为儿童类别代码的列表"
        return None
    codes, unknown = [], []
    for item in (v.strip() for v in items):
        if not item:
            continue
        code = by_code_or_name(CATEGORIES, item)
        (codes if code else unknown).append(code or item)
    if unknown:
        errors["categories"] = f"不是已知的儿童类别：{'、'.join(unknown)}（可选：{'、'.join(CATEGORIES.values())}）"
        return None
    return list(dict.fromkeys(codes))


def guardians_of(value, errors: dict) -> list[dict] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_GUARDIANS:
        errors["guardians"] = f"应为监护人列表（最多 {MAX_GUARDIANS} 人）"
        return None
    clean = []
    for number, item in enumerate(value):
        where = f"guardians.{number}"
        if not isinstance(item, dict):
            errors[where] = "应为包含姓名、关系和联系电话的对象"
            continue
        name = _text(item.get("name"), f"{where}.name", errors, required=True)
        relation = item.get("relation")
        relation = by_code_or_name(RELATIONS, relation) if isinstance(relation, str) else None
        if relation is None:
            errors[f"{where}.relation"] = f"请选择与儿童的关系（{'、'.join(RELATIONS.values())}）"
        phone = item.get("phone")
        if not isinstance(phone, str) or not PHONE.match(phone.strip()):
            errors[f"{where}.phone"] = "请填写有效的联系电话（5–20 位数字）"
            phone = None
        if name and relation and phone:
            clean.append({"name": name, "relation": relation, "phone": phone.strip()})
    return clean


def school_of(session: Session, value, residence: str | None, errors: dict) -> int | None | bool:
    """A school unit id; `False` when none is given (leave as is), `None` to clear."""
    if value is None:
        return False
    if value == "":
        return None
    number = int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else value
    unit = session.get(Unit, number) if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 2**31 else None
    if unit is None or not unit.active or unit.department_code != "education":
        errors["school_unit_id"] = "请从给定的学校中选择"
        return False
    if residence and not unit.serves_region(residence):
        errors["school_unit_id"] = f"{unit.name}不服务儿童住所地"
        return False
    return unit.id


def identity_of(raw: dict, errors: dict, known: dict) -> dict:
    """ID number, birth date and sex, checked against each other; `known` holds the entry's current ones."""
    out = {}
    number = raw.get("id_number")
    if number is not None:
        if not isinstance(number, str):
            errors["id_number"] = "应为文本"
        else:
            number = number.strip().upper()
            try:
                plausibility.is_resident_id(number)
                out["id_number"] = number
            except ValueError as err:
                errors["id_number"] = str(err)
    gender = raw.get("gender")
    if gender not in (None, ""):
        code = by_code_or_name(GENDERS, gender) if isinstance(gender, str) else None
        if code is None:
            errors["gender"] = "应为 male（男）或 female（女）"
        out["gender"] = code
    born = raw.get("birth_date")
    if born not in (None, ""):
        out["birth_date"] = plausibility.as_date(born)
        if out["birth_date"] is None:
            errors["birth_date"] = "应为有效日期（YYYY-MM-DD）"
    number = out.get("id_number") or known.get("id_number")
    parts = plausibility.id_parts(number) if number and "id_number" not in errors else None
    if parts:
        id_born, id_sex = parts
        birth = out.get("birth_date") or known.get("birth_date")
        if "birth_date" not in errors and raw.get("birth_date") not in (None, "") and birth != id_born:
            errors["birth_date"] = f"与公民身份号码中的出生日期（{id_born.isoformat()}）不符"
        sex = out.get("gender") if raw.get("gender") not in (None, "") else None
        if sex and GENDERS[sex] != id_sex:
            errors["gender"] = f"与公民身份号码中的性别（{id_sex}）不符"
        if "id_number" in out:  # read from the number what was not given
            out.setdefault("birth_date", id_born)
            if not out.get("gender"):
                out["gender"] = "male" if id_sex == "男" else "female"
    return out


def _eighteen_years_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 18, day=28)


def check(session: Session, raw: dict, today: date, known: dict | None = None) -> tuple[dict, dict]:
    """(clean values of the fields `raw` gives, {field: Chinese message}). `known`: the entry's
    current values when changing one (a new entry needs the required fields)."""
    errors: dict[str, str] = {}
    new = known is None
    known = known or {}
    values = identity_of(raw, errors, known)
    if new and "id_number" not in values and "id_number" not in errors:
        errors["id_number"] = "此项必填"
    born = values.get("birth_date")
    if born and "birth_date" not in errors and (born > today or born <= _eighteen_years_before(today)):
        errors["birth_date"] = "儿童名册只登记未满 18 周岁的儿童" if born <= today else "出生日期不能晚于今天"
    if "name" in raw or new:
        values["name"] = _text(raw.get("name"), "name", errors, required=True)
    if "region" in raw or new:
        values["region"] = _region(session, raw.get("region"), "region", errors, village=True)
        if new and values["region"] is None and "region" not in errors:
            errors["region"] = "此项必填"
    if "household_region" in raw:
        values["household_region"] = _region(session, raw.get("household_region"), "household_region", errors, False)
    if "categories" in raw:
        values["categories"] = categories_of(raw["categories"], errors)
    if raw.get("risk") not in (None, ""):
        risk = by_code_or_name(RISKS, raw["risk"]) if isinstance(raw["risk"], str) else None
        if risk is None:
            errors["risk"] = f"应为 {', '.join(RISKS)} 之一"
        values["risk"] = risk
    for field in ("risk_reason", "reason", "description"):
        if field in raw:
            values[field] = _text(raw.get(field), field, errors)
    if "guardians" in raw:
        values["guardians"] = guardians_of(raw["guardians"], errors)
    school = school_of(session, raw.get("school_unit_id"), values.get("region") or known.get("region"), errors)
    if school is not False:
        values["school_unit_id"] = school
    return values, errors
