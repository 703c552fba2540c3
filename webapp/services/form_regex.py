"""The regular expressions of a form run on RE2, in time linear in the input: `pattern` over the
values and `patternProperties` over the keys, both supplied by whoever submits the form. Python's
backtracking `re` would let a designer's `^(a|a)+$` hang a worker (the designer's editor refuses
what RE2 cannot run)."""
from functools import lru_cache

import re2
from jsonschema import Draft202012Validator, ValidationError


@lru_cache(maxsize=512)
def _re2(pattern: str):
    return re2.compile(pattern)


def pattern(validator, regex, instance, schema):
    """`pattern` over a value."""
    if not validator.is_type(instance, "string"):
        return
    try:
        matched = _re2(regex).search(instance)
    except re2.error:
        yield ValidationError(f"表单的格式规则（pattern）无法使用：{regex}")
        return
    if matched is None:
        yield ValidationError(f"{instance!r} does not match {regex!r}")


def _names_matching(patterns, names) -> tuple[set, str | None]:
    """The names some RE2 pattern matches, and the first pattern RE2 cannot run (None: all can)."""
    matched = set()
    for pattern in patterns:
        try:
            compiled = _re2(pattern)
        except re2.error:
            return matched, pattern
        matched |= {name for name in names if compiled.search(name)}
    return matched, None


def pattern_properties(validator, patterns, instance, schema):
    """`patternProperties` on RE2: the keys come from whoever submits the form (see `pattern`)."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        matched, broken = _names_matching([pattern], instance)
        if broken is not None:
            yield ValidationError(f"表单的属性名规则（patternProperties）无法使用：{broken}")
            return
        for name in matched:
            yield from validator.descend(instance[name], subschema, path=name, schema_path=pattern)


_ADDITIONAL = Draft202012Validator.VALIDATORS["additionalProperties"]
_UNEVALUATED = Draft202012Validator.VALIDATORS["unevaluatedProperties"]


def additional_properties(validator, additional, instance, schema):
    """As JSON Schema says, the names `patternProperties` matches (on RE2) not being extra."""
    if "patternProperties" not in schema or not validator.is_type(instance, "object"):
        yield from _ADDITIONAL(validator, additional, instance, schema)
        return
    matched, broken = _names_matching(schema["patternProperties"], instance)
    if broken is not None:
        return  # `pattern_properties` says so
    extras = [name for name in instance if name not in schema.get("properties", {}) and name not in matched]
    if validator.is_type(additional, "object"):
        for name in extras:
            yield from validator.descend(instance[name], additional, path=name)
    elif not additional and extras:
        yield ValidationError(f"不允许的字段：{'、'.join(sorted(map(str, extras)))}")


def unevaluated_properties(validator, unevaluated, instance, schema):
    """jsonschema matches `patternProperties` with Python's `re` here: not beside them."""
    if "patternProperties" in str(schema):
        yield ValidationError("表单的 unevaluatedProperties 不能与 patternProperties 同用")
        return
    yield from _UNEVALUATED(validator, unevaluated, instance, schema)


def compiles(pattern) -> bool:
    try:
        return isinstance(pattern, str) and _re2(pattern) is not None
    except re2.error:
        return False
