"""Deployment settings for time: the cadences of recurring monitoring (POLICY.md "Law and deadlines").

The seeds' values are the defaults. Places differ (POLICY.md "Regional variants"), so a
deployment overrides any of them without touching code, in this order (later wins):

1. the defaults below;
2. a TOML or JSON file named by ``TONGHU_CADENCES_FILE``;
3. JSON in ``TONGHU_CADENCES``;
4. ``create_app({"CADENCES": {...}})`` (tests, embedding).

Each override maps a kind to a duration (``"P3M"``) or to a table of fields
(``{"cadence": "P3M", "lead": "P14D"}``), e.g. in ``cadences.toml``::

    [supervisor_return_visit]
    cadence = "P3M"   # 属地儿童督导员每季度回访
    lead = "P14D"

A plan copies its cadence when it is opened, so a change of settings applies to plans opened
afterwards; running plans keep the rhythm they were opened with (and say so on the child's file).
"""
import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition


@dataclass(frozen=True)
class VisitKind:
    """One kind of recurring visit: who visits, how often, how early the task opens."""

    kind: str
    title: str       # Chinese name of the visit, shown on tasks and in the child's file
    cadence: str     # ISO 8601 duration between two visits
    lead: str        # ISO 8601 duration: the visit task opens this long before it is due
    source: str      # the clause the default comes from
    # The short procedure each visit of this kind runs (one case per cycle): the five-party
    # agreement's visits share `monitoring_visit`; a left-behind child's carer is watched by the
    # village in `left_behind_visit`, whose follow-up (parents, police) differs (湖北 二.5).
    process: str = "monitoring_visit"


DEFAULT_KINDS: dict[str, VisitKind] = {k.kind: k for k in (
    VisitKind("institution_home_visit", "委托照护机构年度家访", "P1Y", "P1M", "湖南 §三.2 照护机构年度家访"),
    VisitKind("supervisor_return_visit", "儿童督导员半年回访", "P6M", "P1M", "湖南 §三.2 属地儿童督导员半年回访"),
    VisitKind("monthly_contact", "儿童主任每月联系", "P1M", "P7D", "重庆（十一）、湖北 二.16 至少每月联系一次"),
    VisitKind("quarterly_home_visit", "儿童主任季度入户走访", "P3M", "P14D", "重庆（十一）、湖北 二.16 每三个月入户走访一次"),
    VisitKind("left_behind_visit", "儿童主任委托照护走访", "P3M", "P14D",
              "湖北 二.5、二.16 儿童主任每三个月入户走访，督促被委托照护人履职", "left_behind_visit"),
    # The child director's roster by risk grade (green uses the two kinds above). Default: yellow and
    # orange twice as often as green; red a weekly contact and a monthly visit (our choice: the seeds
    # say only "more often for higher risk").
    # The school's yearly mental-health check (services/school_checks): opens on 1 September, due `lead`
    # later (default two months: by 31 October); the cadence is the school year.
    VisitKind("school_check", "学校年度心理健康监测", "P1Y", "P2M", "上海（十二）学校每学年开展心理健康监测"),
    VisitKind("contact_yellow", "儿童主任联系（黄色风险）", "P2W", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    VisitKind("contact_orange", "儿童主任联系（橙色风险）", "P2W", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    VisitKind("contact_red", "儿童主任联系（红色风险）", "P1W", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    VisitKind("home_visit_yellow", "儿童主任入户走访（黄色风险）", "P6W", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    VisitKind("home_visit_orange", "儿童主任入户走访（橙色风险）", "P6W", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    VisitKind("home_visit_red", "儿童主任入户走访（红色风险）", "P1M", "P0D", "重庆（十一）、湖北 二.16 风险较高的增加频次"),
    # Guardianship capacity reassessed at least every two years, opened `lead` before (湖南 §六.3).
    VisitKind("guardianship_reassessment", "家庭监护能力两年复评", "P2Y", "P1M", "湖南 §六.3 至少每两年复评一次"),
    # County civil affairs checks the files every six months (湖北 二.16).
    VisitKind("file_check", "县级民政部门半年档案检查", "P6M", "P0D", "湖北 二.16 县级民政部门每半年检查一次档案"),
)}

# The roster's setting for each (kind of roster task, risk grade); a child without a grade is green.
ROSTER_KINDS = {
    ("contact", "green"): "monthly_contact", ("contact", "yellow"): "contact_yellow",
    ("contact", "orange"): "contact_orange", ("contact", "red"): "contact_red",
    ("visit", "green"): "quarterly_home_visit", ("visit", "yellow"): "home_visit_yellow",
    ("visit", "orange"): "home_visit_orange", ("visit", "red"): "home_visit_red",
}

# Kinds the entrustment procedure opens after admission (湖南 §三.2).
ENTRUSTMENT_KINDS = ("institution_home_visit", "supervisor_return_visit")


class SettingsError(ValueError):
    """A deployment setting that cannot be used; the message says which and why."""


def parse_cadence(value: str) -> tuple[int, int]:
    """An ISO 8601 duration of whole years, months, weeks and days as (months, days)."""
    text = str(value).strip().upper()
    if not text.startswith("P") or "T" in text:
        raise ValueError(value)
    parts = TimerEventDefinition.parse_iso_duration(text)
    if any(not isinstance(v, int) for v in parts.values()):
        raise ValueError(value)
    return 12 * parts.get("years", 0) + parts.get("months", 0), 7 * parts.get("weeks", 0) + parts.get("days", 0)


def describe(value: str) -> str:
    """A cadence in Chinese: "P6M" -> "6 个月", "P1Y" -> "1 年", "P2W" -> "2 周"."""
    parts = TimerEventDefinition.parse_iso_duration(str(value).strip().upper())
    units = (("years", "年"), ("months", "个月"), ("weeks", "周"), ("days", "天"))
    return " ".join(f"{parts[key]} {unit}" for key, unit in units if parts.get(key)) or str(value)


def check_duration(value: str, where: str) -> str:
    """Visits are dated: cadences and leads are whole years, months, weeks or days."""
    try:
        parse_cadence(value)
    except Exception:
        raise SettingsError(f"{where}：{value!r} 不是以年、月、周、日计的 ISO 8601 时长（如 P1M、P6M、P1Y、P14D）") from None
    return str(value).strip().upper()


@dataclass(frozen=True)
class Settings:
    kinds: dict[str, VisitKind]

    def kind(self, name: str) -> VisitKind:
        try:
            return self.kinds[name]
        except KeyError:
            raise SettingsError(f"未配置的走访类型：{name}（已配置：{', '.join(self.kinds)}）") from None

    def with_overrides(self, overrides: dict | None, where: str = "CADENCES") -> "Settings":
        kinds = dict(self.kinds)
        for name, value in (overrides or {}).items():
            base = kinds.get(name)
            fields = {"cadence": value} if isinstance(value, str) else dict(value)
            unknown = set(fields) - {"cadence", "lead", "title"}
            if unknown:
                raise SettingsError(f"{where}.{name}：不认识的设置项 {', '.join(sorted(unknown))}")
            if base is None:
                if "cadence" not in fields:
                    raise SettingsError(f"{where}.{name}：新的走访类型必须给出 cadence")
                base = VisitKind(name, fields.get("title", name), fields["cadence"], fields.get("lead", "P0D"), "部署设置")
            for key in ("cadence", "lead"):
                if key in fields:
                    fields[key] = check_duration(fields[key], f"{where}.{name}.{key}")
            if "cadence" in fields and parse_cadence(fields["cadence"]) == (0, 0):
                raise SettingsError(f"{where}.{name}.cadence：间隔不能为零")
            kinds[name] = replace(base, **fields)
        return Settings(kinds)


DEFAULTS = Settings(dict(DEFAULT_KINDS))


def from_environment(environ=os.environ) -> Settings:
    settings = DEFAULTS
    path = environ.get("TONGHU_CADENCES_FILE")
    if path:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text) if not path.endswith(".json") else json.loads(text)
        settings = settings.with_overrides(data, path)
    if environ.get("TONGHU_CADENCES"):
        settings = settings.with_overrides(json.loads(environ["TONGHU_CADENCES"]), "TONGHU_CADENCES")
    return settings


def from_config(config) -> Settings:
    """The settings of an app: environment first, then the app's own `CADENCES`."""
    return from_environment().with_overrides(config.get("CADENCES"), "CADENCES")
