"""Run-time bounds on designers' code: steps, wall time, and the size of what it builds.

Each evaluation gets its own `Budget`. The transformed code calls the budget's guards for
every loop turn, call, arithmetic operation, comparison and f-string, so no single C-level
operation can be handed inputs big enough to hang the worker or exhaust its memory.
"""
import math
import operator
import re
import time

from .errors import SandboxLimit

MAX_STEPS = 100_000          # loop turns + calls + operations in one evaluation
TIME_LIMIT = 1.0             # seconds of wall time for one evaluation
MAX_SIZE = 100_000           # characters + elements, nested values counted as often as they appear
MAX_DATA = 10 * MAX_SIZE     # the whole task data after a script
MAX_DEPTH = 32               # nesting of lists and dicts
MAX_INT_BITS = 64            # 64-bit integers: larger ones serve no form and can collide in sets/dicts by design
MAX_BUILT = 10 * MAX_SIZE    # characters + elements built by all operations and calls of one evaluation
MAX_WIDTH = 999              # width or precision in a format

BINARY = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<<": operator.lshift,
    ">>": operator.rshift, "|": operator.or_, "&": operator.and_, "^": operator.xor,
}
PADDING = frozenset({"center", "ljust", "rjust", "zfill"})
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_SEQUENCES = (str, bytes, list, tuple)
# Calls whose cost does not grow with their arguments' size: not measured (a loop stays linear).
_SIZE_BLIND = frozenset({len, isinstance, bool})
_LIST_BLIND = frozenset({"append", "insert", "pop", "clear", "reverse"})


def measure(value, limit=MAX_SIZE) -> int:
    """Size of `value` as JSON would spell it out (shared parts counted each time); raises past `limit`."""
    total, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SandboxLimit(f"数据嵌套超过 {MAX_DEPTH} 层")
        if isinstance(item, (str, bytes)):
            total += len(item) + 1
        elif isinstance(item, int):
            total += item.bit_length() // 64 + 1
        elif isinstance(item, dict):
            total += 1
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 1
            stack.extend((part, depth + 1) for part in item)
        else:
            total += 1
        if total > limit:
            raise SandboxLimit(f"数据过大（超过 {limit:,} 个字符或元素）")
    return total


class Budget:
    """The allowance of one evaluation; its bound methods are the guards the code calls."""

    def __init__(self, steps=MAX_STEPS, seconds=TIME_LIMIT):
        self.steps_left = steps
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.built = 0

    def charge(self, result):
        """Count what an operation or call built against the evaluation's allowance: many values
        each under the size bound (a comprehension of large lists) must not add up to gigabytes."""
        if isinstance(result, (str, bytes, list, tuple, dict, set, frozenset)):
            self.built += len(result)
            if self.built > MAX_BUILT:
                raise SandboxLimit(f"构造的数据累计超过 {MAX_BUILT:,} 个字符或元素")
        elif isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise SandboxLimit(f"整数超过 {MAX_INT_BITS} 位")
        return result

    def tick(self) -> bool:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise SandboxLimit(f"循环或调用超过 {MAX_STEPS:,} 步")
        if time.monotonic() > self.deadline:
            raise SandboxLimit(f"运行超过 {self.seconds:g} 秒")
        return True

    def sized(self, value):
        """A value about to be compared, unpacked or formatted: bounded first."""
        if not isinstance(value, (int, float, bool, type(None))):
            measure(value)
        return value

    def binop(self, symbol, left, right):
        self.tick()
        check_binop(symbol, left, right)
        return self.charge(BINARY[symbol](left, right))

    def call(self, func, /, *args, **kwargs):
        self.tick()
        method = _as_method(func, args)
        if method and method[1] == "join" and method[2] and not isinstance(method[2][0], (list, tuple)):
            items = list(method[2][0])  # a generator: its turns tick; its length counts below
            args = (items,) if method[2] is args else (args[0], items)
        check_call(func, args, kwargs)
        return self.charge(func(*args, **kwargs))

    def fmt(self, value, conversion, spec):
        """One `{value!conversion:spec}` of an f-string (the spec is a checked constant)."""
        measure(value)
        if conversion == "r":
            value = repr(value)
        elif conversion == "a":
            value = ascii(value)
        elif conversion == "s":
            value = str(value)
        return format(value, spec)

    def fstring(self, *parts):
        if sum(len(p) for p in parts) > MAX_SIZE:
            raise SandboxLimit(f"f-string 结果超过 {MAX_SIZE:,} 个字符")
        return "".join(parts)


def _number(value) -> bool:
    return isinstance(value, (int, float))


def check_binop(symbol, left, right) -> None:
    """Refuse an operation whose result would be too big, before Python builds it."""
    if isinstance(left, int) and isinstance(right, int):
        bits = max(abs(left).bit_length(), abs(right).bit_length(), 1)
        if symbol == "**" and right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > MAX_INT_BITS:
            raise SandboxLimit(f"幂运算结果过大（超过 {MAX_INT_BITS:,} 位二进制）")
        if symbol == "<<" and right > MAX_INT_BITS:
            raise SandboxLimit(f"移位结果过大（超过 {MAX_INT_BITS:,} 位二进制）")
        if symbol == "*" and abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
            raise SandboxLimit(f"乘法结果过大（超过 {MAX_INT_BITS:,} 位二进制）")
        if bits > MAX_INT_BITS:
            raise SandboxLimit(f"整数过大（超过 {MAX_INT_BITS:,} 位二进制）")
        return
    if _number(left) and _number(right):
        return
    if symbol == "*":
        sequence, count = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, _SEQUENCES) and isinstance(count, int):
            if count > 0 and measure(sequence) * count > MAX_SIZE:
                raise SandboxLimit(f"重复结果过大（超过 {MAX_SIZE:,} 个字符或元素）")
            return
    if symbol == "%" and isinstance(left, str):
        _check_percent_format(left, right)
        return
    if measure(left) + measure(right) > MAX_SIZE:
        raise SandboxLimit(f"运算结果过大（超过 {MAX_SIZE:,} 个字符或元素）")


def _check_percent_format(template: str, args) -> None:
    specs = _PERCENT_SPEC.findall(template)
    widths = 0
    for width, precision in specs:
        if "*" in (width, precision) or any(n and int(n) > MAX_WIDTH for n in (width, precision)):
            raise SandboxLimit(f"% 格式的宽度或精度过大（最多 {MAX_WIDTH}）")
        widths += max(int(width or 0), int(precision or 0))
    if isinstance(args, tuple):  # each value is used once
        values = measure(args)
    elif isinstance(args, dict):  # a key may be named many times
        values = len(specs) * max((measure(v) for v in args.values()), default=0)
    else:
        values = len(specs) * measure(args)
    if len(template) + widths + values > MAX_SIZE:
        raise SandboxLimit(f"% 格式化结果过大（超过 {MAX_SIZE:,} 个字符）")


def _as_method(func, args):
    """(receiver, name, other args) when `func` is a str/list method, bound or called on the type."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", None)
    if isinstance(owner, (str, list, bytes)):
        return owner, name, args
    objclass = getattr(func, "__objclass__", None)
    if objclass in (str, list, bytes) and args:
        return args[0], name, args[1:]
    return None


def check_call(func, args, kwargs) -> None:
    """Bound the inputs of a call, and the few calls whose output outgrows their inputs."""
    if func in _SIZE_BLIND:
        return
    measure((args, kwargs))
    if func is range:
        if any(isinstance(a, int) and a.bit_length() > MAX_INT_BITS for a in args):
            raise SandboxLimit(f"range 的参数超过 {MAX_INT_BITS} 位整数")
        if len(range(*args)) > MAX_SIZE:
            raise SandboxLimit(f"range 过长（最多 {MAX_SIZE:,} 个数）")
        return
    if func is sum and (len(args) > 1 or "start" in kwargs):
        start = args[1] if len(args) > 1 else kwargs["start"]
        if not _number(start):
            raise SandboxLimit("sum 只能对数字求和（拼接请用 join 或 +）")
        return
    method = _as_method(func, args)
    if method is None:
        return
    receiver, name, rest = method
    if not (isinstance(receiver, list) and name in _LIST_BLIND):
        measure(receiver)
    estimate = 0
    if name in PADDING and rest and isinstance(rest[0], int):
        estimate = rest[0]
    elif name == "replace" and isinstance(receiver, str) and len(rest) >= 2 and isinstance(rest[0], str):
        old, new = rest[0], rest[1]
        hits = receiver.count(old) if old else len(receiver) + 1
        if len(rest) > 2 and isinstance(rest[2], int) and rest[2] >= 0:
            hits = min(hits, rest[2])
        estimate = len(receiver) + hits * max(len(str(new)) - len(old), 0)
    elif name == "join" and isinstance(receiver, str) and rest:
        items = rest[0]
        count = len(items) if hasattr(items, "__len__") else 0
        estimate = len(receiver) * count
    if estimate > MAX_SIZE:
        raise SandboxLimit(f"{name} 的结果过大（超过 {MAX_SIZE:,} 个字符）")
