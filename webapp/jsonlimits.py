"""JSON from outside, within bounds: nesting deeper than `MAX_DEPTH`, and text holding a NUL
character (no field means one, and PostgreSQL cannot store it), are refused as malformed.

Python's parser recurses once per level, so a body of 100 000 brackets ends in a
RecursionError (a 500) and a few hundred levels can still exhaust the renderer or the
schema checker further on. No form or API body of Tonghu nests beyond a handful of levels.
"""
import json

MAX_DEPTH = 64


class HasNul(ValueError):
    """A string (a key or a value) with a NUL character."""

    def __init__(self):
        super().__init__("文本中含有空字符（\\u0000）")


class TooDeep(ValueError):
    """Nesting beyond MAX_DEPTH (a ValueError, so callers treat it as malformed JSON)."""

    def __init__(self):
        super().__init__(f"JSON 嵌套超过 {MAX_DEPTH} 层")


def loads(text: str | bytes, **kwargs):
    """`json.loads`, raising `TooDeep` for nesting beyond MAX_DEPTH (even far beyond the recursion limit)."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeep() from None
    if depth(value) > MAX_DEPTH:
        raise TooDeep()
    if has_nul(value):
        raise HasNul()
    return value


def has_nul(value) -> bool:
    """Whether any string in `value` (keys included) holds a NUL character; no recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth(value) -> int:
    """Levels of arrays and objects in `value` (a scalar is 0), counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest
