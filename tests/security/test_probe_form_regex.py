"""Attacker's probe (session 4): a designer's form cannot hang a worker through property *names*.
`pattern` already ran on RE2; `patternProperties` (and `additionalProperties` beside it) still used
Python's backtracking `re` on every key of the submitted data: a form with `^(a+)+$` and a key of
forty a's and a "!" took hours in one request. Now they run on RE2 too, with the same meaning."""
import time

import pytest

from webapp.services import forms, plausibility
from webapp.services.errors import Invalid

EVIL = "^(a+)+$"
KEY = "a" * 40 + "!"


def test_pattern_properties_run_in_linear_time_and_keep_their_meaning():
    schema = {"type": "object", "properties": {"note": {"type": "string"}},
              "patternProperties": {EVIL: {"type": "string"}}}
    started = time.monotonic()
    forms.validate(schema, {"note": "x", KEY: 1})  # the key does not match: no rule applies to it
    with pytest.raises(Invalid) as refused:
        forms.validate(schema, {"note": "x", "aaaa": 1})  # it matches: its value must be a string
    assert "aaaa" in refused.value.errors

    closed = {**schema, "additionalProperties": False}
    forms.validate(closed, {"aaaa": "ok"})
    with pytest.raises(Invalid) as refused:
        forms.validate(closed, {KEY: "x"})
    assert refused.value.errors == {"_": f"不允许的字段：{KEY}"}
    typed = {**schema, "additionalProperties": {"type": "integer"}}
    with pytest.raises(Invalid):
        forms.validate(typed, {KEY: "x"})
    forms.validate(typed, {KEY: 1, "aaaa": "y"})
    assert time.monotonic() - started < 2


def test_the_designer_is_told_when_re2_cannot_run_a_property_name_rule():
    schema = {"type": "object", "properties": {}, "patternProperties": {"^(?=a)": {"type": "string"}}}
    assert any("patternProperties" in p for p in plausibility.keyword_problems(schema))
    with pytest.raises(Invalid):
        forms.validate(schema, {"a": "x"})
