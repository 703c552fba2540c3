"""Plausibility rules that forms declare as JSON Schema keywords, checked by the one validator.

Why keywords and not code per form: a designer puts `"x-not-future": true` on a new form's
date and it is checked like `minLength`, by the same `jsonschema` validator, with a Chinese
message beside the field. Rules that need the moment or the child (today, the child's birth
date) read a `Context` the caller passes; rules that compare two fields of one object
(`x-after`, `x-id-matches`) are checked where the object's properties are, so they see the
sibling. A rule whose inputs are missing or not yet valid dates stays silent: `required` and
`format: date` already say what is wrong there.

Keywords (see README "Plausibility keywords"):
  format: cn-resident-id   18-character resident ID number, GB 11643 check digit and birth date
  format: date-time        RFC 3339 with its offset (services/moments.py); date rules read its Beijing date
  x-id-matches             {"birth_date": field, "gender": field}: the ID agrees with the siblings
  x-not-future             true (the deployment's margin) or N days: not later than today + margin
  x-not-past               true: not earlier than today (a term that is still to run)
  x-within-years           N: not later than N years from today (hunan §六.3: reassess within two years)
  x-not-before-birth       true: not before the child's birth date
  x-max-age-years          N on a birth date: the child is younger than N years today
  x-after                  "field": strictly later than that sibling date
  x-enum-message           on an enum/const field: the message when the value is not offered
                           (why, and what to do instead); applied in services/forms.py
"""
import contextvars
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberInvalid

from ..engine.clock import local_date
from . import form_regex
from .moments import MOMENT_FORMAT, as_date, as_moment, years_before as _years_before

DEFAULT_FUTURE_MARGIN_DAYS = 30
ID_FORMAT = "cn-resident-id"
GENDERS = {"male": "男", "female": "女", "男": "男", "女": "女"}
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


@dataclass(frozen=True)
class Context:
    """What time-dependent rules compare with: today (China time) and the child's birth date."""

    today: date | None = None
    birth_date: date | None = None
    future_margin_days: int = DEFAULT_FUTURE_MARGIN_DAYS

    @classmethod
    def at(cls, now, birth_date: date | None = None, future_margin_days: int = DEFAULT_FUTURE_MARGIN_DAYS):
        return cls(today=local_date(now) if now is not None else None, birth_date=birth_date,
                   future_margin_days=future_margin_days)

    def with_form_child(self, data) -> "Context":
        """On a start form the child is in the data itself: its birth date, when no other is known."""
        if self.birth_date is not None or not isinstance(data, dict) or not isinstance(data.get("child"), dict):
            return self
        born = as_date(data["child"].get("birth_date"))
        return replace(self, birth_date=born) if born else self


_CONTEXT: contextvars.ContextVar[Context] = contextvars.ContextVar("tonghu_form_context", default=Context())


# -- the resident ID number ------------------------------------------------------------------
FORMAT_CHECKER = FormatChecker()


@FORMAT_CHECKER.checks(ID_FORMAT, raises=ValueError)
def is_resident_id(instance) -> bool:
    """GB 11643: 17 digits and a check digit (0-9 or X), digits 7-14 a real birth date.

    The region code is not looked up: a county created after python-stdnum's table was
    published would be refused for no fault of the child.
    """
    if not isinstance(instance, str):
        return True
    number = instance.upper()
    if not _ID_SHAPE.fullmatch(number):
        raise ValueError("公民身份号码应为 18 位：17 位数字加 1 位校验码（数字或 X）")
    if number[17] != ric.calc_check_digit(number):
        raise ValueError("公民身份号码校验码不正确，请核对号码")
    try:
        ric.get_birth_date(number)
    except NumberInvalid:
        raise ValueError("公民身份号码中的出生日期不存在，请核对号码") from None
    return True


@FORMAT_CHECKER.checks(MOMENT_FORMAT, raises=ValueError)
def is_moment(instance) -> bool:
    """RFC 3339 (JSON Schema `date-time`): a real date and time with its offset."""
    if isinstance(instance, str) and as_moment(instance) is None:
        raise ValueError("请输入有效的日期和时间（年-月-日 时:分，北京时间）")
    return True


def id_parts(number: str) -> tuple[date, str] | None:
    """(birth date, 男/女) encoded in a well-formed ID number, else None."""
    if not _ID_SHAPE.fullmatch(number.upper()):
        return None
    try:
        return ric.get_birth_date(number), ("男" if int(number[16]) % 2 else "女")
    except (NumberInvalid, ValueError, IndexError):
        return None


# -- keywords on one value ------------------------------------------------------------------
def _not_future(validator, value, instance, schema):
    day, today = as_date(instance), _CONTEXT.get().today
    margin = (_CONTEXT.get().future_margin_days if value else None) if isinstance(value, bool) else value
    if not isinstance(margin, int) or day is None or today is None:
        return
    try:
        latest = today + timedelta(days=margin)
    except OverflowError:  # a designer's absurd margin: nothing is that far ahead
        return
    if day > latest:
        yield ValidationError("日期不能晚于今天" if margin == 0 else
                              f"日期不能晚于今天之后 {margin} 天（{latest.isoformat()}）")


def _not_past(validator, value, instance, schema):
    day, today = as_date(instance), _CONTEXT.get().today
    if value and day is not None and today is not None and day < today:
        yield ValidationError(f"日期不能早于今天（{today.isoformat()}）")


def _years_keyword(value, instance) -> tuple[date, date] | None:
    """The date and today for a keyword counting whole years (`value` ≥ 1); None when either is
    missing or `value` is no whole number of years, and the keyword then does not apply."""
    day, today = as_date(instance), _CONTEXT.get().today
    if day is None or today is None or isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None
    return day, today


def _within_years(validator, value, instance, schema):
    if (dates := _years_keyword(value, instance)) is None:
        return
    day, today = dates
    latest = _years_before(today, -value)
    if latest != date.min and day > latest:
        yield ValidationError(f"日期不能晚于今天起 {value} 年（{latest.isoformat()}）")


def _not_before_birth(validator, value, instance, schema):
    day, born = as_date(instance), _CONTEXT.get().birth_date
    if value and day is not None and born is not None and day < born:
        yield ValidationError(f"日期不能早于儿童出生日期（{born.isoformat()}）")


def _max_age_years(validator, value, instance, schema):
    if (dates := _years_keyword(value, instance)) is None:
        return
    day, today = dates
    if day <= _years_before(today, value):
        yield ValidationError(f"儿童已年满 {value} 周岁，不属于本程序的对象，请核对出生日期")


# -- keywords comparing siblings --------------------------------------------------------------
def _after(value, instance, siblings: dict, schema: dict) -> str | None:
    day, start = as_date(instance), as_date(siblings.get(value)) if isinstance(value, str) else None
    if day is None or start is None or day > start:
        return None
    return f"应晚于{_title(schema, value)}（{start.isoformat()}）"


def _id_matches(value, instance, siblings: dict, schema: dict) -> str | None:
    parts = id_parts(instance) if isinstance(instance, str) and isinstance(value, dict) else None
    if parts is None:
        return None
    born, sex = parts
    problems = []
    given_birth = as_date(_sibling(siblings, value.get("birth_date")))
    if given_birth is not None and given_birth != born:
        problems.append(f"号码中的出生日期为 {born.isoformat()}，与填写的 {given_birth.isoformat()} 不一致")
    gender = _sibling(siblings, value.get("gender"))
    given_sex = GENDERS.get(gender) if isinstance(gender, str) else None
    if given_sex is not None and given_sex != sex:
        problems.append(f"号码表示的性别为{sex}，与填写的“{given_sex}”不一致")
    return "公民身份号码与所填信息不符：" + "；".join(problems) if problems else None


def _sibling(siblings: dict, name):
    return siblings.get(name) if isinstance(name, str) else None


SIBLING_RULES = {"x-after": _after, "x-id-matches": _id_matches}


def _title(parent_schema: dict, name: str) -> str:
    prop = parent_schema.get("properties", {}).get(name)
    return prop.get("title", name) if isinstance(prop, dict) else name


_PROPERTIES = Draft202012Validator.VALIDATORS["properties"]


def _properties(validator, properties, instance, schema):
    yield from _PROPERTIES(validator, properties, instance, schema)
    if not validator.is_type(instance, "object"):
        return
    for name, sub in properties.items():
        if not isinstance(sub, dict) or name not in instance:
            continue
        for keyword, rule in SIBLING_RULES.items():
            if keyword in sub:
                message = rule(sub[keyword], instance[name], instance, schema)
                if message:
                    yield ValidationError(message, validator=keyword, validator_value=sub[keyword],
                                          instance=instance[name], schema=sub, path=[name])


TonghuValidator = validators.extend(Draft202012Validator, {
    "properties": _properties,
    "pattern": form_regex.pattern,
    "patternProperties": form_regex.pattern_properties,
    "additionalProperties": form_regex.additional_properties,
    "unevaluatedProperties": form_regex.unevaluated_properties,
    "x-not-future": _not_future,
    "x-not-past": _not_past,
    "x-not-before-birth": _not_before_birth,
    "x-max-age-years": _max_age_years,
    "x-within-years": _within_years,
})


def keyword_problems(schema: dict, prefix: str = "") -> list[str]:
    """What is wrong with the plausibility keywords of a form (for the designer and `tonghu check`)."""
    problems = []
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        path = prefix + name
        for keyword in ("x-not-past", "x-not-before-birth"):
            if keyword in prop and not isinstance(prop[keyword], bool):
                problems.append(f"字段 {path} 的 {keyword} 只能是 true 或 false")
        margin = prop.get("x-not-future", False)
        if not isinstance(margin, int) or (not isinstance(margin, bool) and margin < 0):
            problems.append(f"字段 {path} 的 x-not-future 应为 true（按部署设置的天数）或不小于 0 的天数")
        for keyword, unit in (("x-max-age-years", "周岁"), ("x-within-years", "年")):
            if keyword in prop and (isinstance(prop[keyword], bool) or not isinstance(prop[keyword], int) or prop[keyword] < 1):
                problems.append(f"字段 {path} 的 {keyword} 应为正整数（{unit}）")
        if "x-enum-message" in prop and (not isinstance(prop["x-enum-message"], str) or not prop["x-enum-message"].strip()
                                         or not ("enum" in prop or "const" in prop)):
            problems.append(f"字段 {path} 的 x-enum-message 应为一段中文说明，且字段须有 enum 或 const")
        if "x-after" in prop and prop["x-after"] not in properties:
            problems.append(f"字段 {path} 的 x-after 须指向同一层的另一字段，找不到“{prop['x-after']}”")
        matches = prop.get("x-id-matches")
        if matches is not None and (not isinstance(matches, dict) or set(matches) - {"birth_date", "gender"}
                                    or any(v not in properties for v in matches.values())):
            problems.append(f"字段 {path} 的 x-id-matches 应为 {{\"birth_date\": 同层字段, \"gender\": 同层字段}}")
        if "pattern" in prop and not form_regex.compiles(prop["pattern"]):
            problems.append(f"字段 {path} 的 pattern 只能用 RE2 支持的正则写法（不支持回溯引用和环视）")
        if prop.get("type") == "object":
            problems += keyword_problems(prop, path + ".")
    problems += [f"{prefix or '表单'}的 patternProperties “{p}”只能用 RE2 支持的正则写法（不支持回溯引用和环视）"
                 for p in (schema.get("patternProperties") or {}) if not form_regex.compiles(p)]
    return problems


def iter_errors(schema: dict, data, context: Context):
    """Every error of `data` against `schema`, plausibility rules included, under `context`."""
    token = _CONTEXT.set(context.with_form_child(data))
    try:
        return list(TonghuValidator(schema, format_checker=FORMAT_CHECKER).iter_errors(data))
    finally:
        _CONTEXT.reset(token)
