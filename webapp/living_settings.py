"""Deployment settings of basic living support (POLICY.md §5): deadlines, public notice, regional standards.

Places differ (POLICY.md "Regional variants"): the monthly standard is set by each province or
city and adjusted every year (hunan §二.1, shanghai (一) "动态调整机制"), some places post a public
notice before approval. These are data, not code. Medical-aid ratios by category (chongqing (五):
insurance 100 % / 90 %, costs at no less than 70 %) and how far support continues past 18 are the
procedure's decision tables `medical_aid` and `continues_past_18`, whose regional variants live in
`processes/variants/<prefix>/` (see `services/variants.py`); a `medical_aid` row here overrides the table. Tables are keyed by a region-code prefix ("43" Hunan, "4301"
Changsha, "50" Chongqing); the longest prefix of the case's region wins and "" is the national
fallback. Override, later wins: `TONGHU_LIVING_SUPPORT_FILE` (TOML or JSON), `TONGHU_LIVING_SUPPORT`
(JSON), `create_app({"LIVING_SUPPORT": {...}})`. A table given in an override replaces that
prefix's row; other rows stay. E.g. ``living.toml``::

    review_working_days = 10
    [standards.43]
    name = "湖南省 2027 年标准"
    orphan_allowance = 1450
    [public_notice]
    "43" = 7          # days; 0: no public notice

The shipped amounts other than the national fallback are examples: a deployment sets the
standards its government published.
"""
import copy
import json
import os
import tomllib
from pathlib import Path

from .settings import SettingsError

CATEGORIES = ("orphan_allowance", "de_facto_allowance", "low_income", "extreme_poverty", "temporary_assistance")

DEFAULTS: dict = {
    # 民发〔2019〕62号 and common practice: township review (with a home check) and county decision
    # within 15 working days each.
    "review_working_days": 15,
    "decision_working_days": 15,
    # Region prefix -> days of public notice before approval (0: none).
    "public_notice": {"": 0, "43": 7},
    # Region prefix -> monthly standard in yuan per category, with the standard's name.
    "standards": {
        "": {"name": "全国兜底标准（示例，部署须按本地公布标准配置）", "orphan_allowance": 1000,
             "de_facto_allowance": 1000, "low_income": 700, "extreme_poverty": 1100, "temporary_assistance": 1000},
        "43": {"name": "湖南省标准（示例）", "orphan_allowance": 1350, "de_facto_allowance": 1350,
               "low_income": 750, "extreme_poverty": 1200, "temporary_assistance": 1500},
        "31": {"name": "上海市标准（示例）", "orphan_allowance": 2600, "de_facto_allowance": 2600,
               "low_income": 1510, "extreme_poverty": 2265, "temporary_assistance": 3000},
    },
    # Region prefix -> medical-aid ratio (percent) per category, and the share of eligible medical costs
    # aided. Empty: the ratios are the procedure's `medical_aid` decision table (a regional variant's, e.g.
    # Chongqing's in processes/variants/50/medical_aid.dmn); a row here overrides the table for its place.
    "medical_aid": {},
    "medical_expense_aid": {},
}


def _check_prefix(prefix: str, where: str) -> None:
    if not (isinstance(prefix, str) and len(prefix) <= 12 and (prefix == "" or prefix.isdigit())):
        raise SettingsError(f"{where}：地区前缀 {prefix!r} 应为不超过 12 位的数字（全国兜底为空字符串）")


def _check_table(table: dict, where: str, limit: float) -> dict:
    if not isinstance(table, dict):
        raise SettingsError(f"{where}：应为表（类别 = 数值）")
    row = {}
    for key, value in table.items():
        if key == "name":
            row[key] = str(value)[:100]
            continue
        if key not in CATEGORIES:
            raise SettingsError(f"{where}：不认识的保障类别 {key}（可选：{'、'.join(CATEGORIES)}）")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= limit:
            raise SettingsError(f"{where}.{key}：{value!r} 应为大于 0、不超过 {limit:g} 的数")
        row[key] = value
    return row


def merge(base: dict, overrides: dict | None, where: str) -> dict:
    """`base` with `overrides` applied and checked; a bad value is refused by name."""
    merged = copy.deepcopy(base)
    for key, value in (overrides or {}).items():
        if key in ("review_working_days", "decision_working_days"):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
                raise SettingsError(f"{where}.{key}：{value!r} 应为 1 至 60 的工作日数")
            merged[key] = value
        elif key == "public_notice":
            for prefix, days in dict(value).items():
                _check_prefix(prefix, f"{where}.public_notice")
                if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 30:
                    raise SettingsError(f"{where}.public_notice.{prefix}：{days!r} 应为 0 至 30 的天数")
                merged["public_notice"][prefix] = days
        elif key in ("standards", "medical_aid", "medical_expense_aid"):
            limit = 100000 if key == "standards" else 100
            for prefix, table in dict(value).items():
                _check_prefix(prefix, f"{where}.{key}")
                merged[key][prefix] = _check_table(table, f"{where}.{key}.{prefix}", limit)
        else:
            raise SettingsError(f"{where}：不认识的设置项 {key}")
    if not set(CATEGORIES) <= set(merged["standards"].get("", {})):
        raise SettingsError(f"{where}.standards：全国兜底标准（前缀 \"\"）须给出每个保障类别")
    return merged


def from_environment(environ=os.environ) -> dict:
    settings = DEFAULTS
    path = environ.get("TONGHU_LIVING_SUPPORT_FILE")
    if path:
        text = Path(path).read_text(encoding="utf-8")
        settings = merge(settings, json.loads(text) if path.endswith(".json") else tomllib.loads(text), path)
    if environ.get("TONGHU_LIVING_SUPPORT"):
        settings = merge(settings, json.loads(environ["TONGHU_LIVING_SUPPORT"]), "TONGHU_LIVING_SUPPORT")
    return settings


def from_config(config) -> dict:
    """The app's settings: environment first, then the app's own `LIVING_SUPPORT`."""
    return merge(from_environment(), config.get("LIVING_SUPPORT"), "LIVING_SUPPORT")
