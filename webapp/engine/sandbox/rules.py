"""The static rule: which Python designers may write, checked on the syntax tree.

`problems(source, mode)` lists every disallowed construct in Chinese; `tonghu check`, the
designer's validation and the run-time engine all call it, so one rule holds everywhere.
"""
import ast
import builtins
from datetime import date, datetime, timedelta
from functools import lru_cache

from . import limits
from .errors import SandboxLimit

MAX_SOURCE = 10_000   # characters in one expression or script
MAX_FIELDS = 50       # {…} fields in one f-string

HELPERS = {"date": date, "datetime": datetime, "timedelta": timedelta}
SAFE_BUILTINS = {name: getattr(builtins, name) for name in (
    "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
    "max", "min", "range", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    "True", "False", "None",
)}
# Methods of the values designers handle (task data, dates) minus those that read internals
# (format strings reach attributes: "{0.__class__}") or build outsized results.
_DENIED_ATTRIBUTES = frozenset({"format", "format_map", "translate", "maketrans", "expandtabs", "to_bytes", "mro"})
ALLOWED_ATTRIBUTES = frozenset(
    name for kind in (str, list, dict, set, tuple, int, float, bool, date, datetime, timedelta)
    for name in dir(kind) if not name.startswith("_")) - _DENIED_ATTRIBUTES

_STATEMENTS = {
    ast.Import: "导入模块（import）", ast.ImportFrom: "导入模块（from … import）",
    ast.While: "使用 while 循环（请用 for 遍历有限的数据）", ast.FunctionDef: "定义函数（def）",
    ast.AsyncFunctionDef: "定义函数（async def）", ast.Lambda: "定义函数（lambda）",
    ast.ClassDef: "定义类（class）", ast.Try: "异常处理（try）", ast.Raise: "抛出异常（raise）",
    ast.With: "上下文（with）", ast.AsyncWith: "上下文（async with）", ast.AsyncFor: "异步循环（async for）",
    ast.Global: "使用 global 声明", ast.Nonlocal: "使用 nonlocal 声明", ast.Yield: "生成器（yield）",
    ast.YieldFrom: "生成器（yield from）", ast.Await: "使用 await", ast.NamedExpr: "海象赋值（:=）",
    ast.Match: "使用 match 语句", ast.MatMult: "矩阵乘法（@）", ast.AnnAssign: "类型标注赋值",
}
if hasattr(ast, "TryStar"):
    _STATEMENTS[ast.TryStar] = "异常处理（try … except*）"

_ALLOWED = (
    ast.Expression, ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Pass,
    ast.Break, ast.Continue, ast.Delete, ast.Assert, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare,
    ast.IfExp, ast.Call, ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.List,
    ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
    ast.comprehension, ast.JoinedStr, ast.FormattedValue, ast.Starred, ast.keyword,
    ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop,
)
# Parts of a construct refused above: not reported a second time.
_PARTS = (ast.alias, ast.arguments, ast.arg, ast.excepthandler, ast.withitem, ast.match_case, ast.pattern)


def is_globals_get(node) -> bool:
    """`globals().get('name', default)`: the one use of globals(), reading a variable that may be unset."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "globals" and not node.func.value.args and not node.func.value.keywords
            and not node.keywords and 1 <= len(node.args) <= 2 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str) and node.args[0].value.isidentifier()
            and not node.args[0].value.startswith("_"))


@lru_cache(maxsize=1024)
def problems(source: str, mode: str = "eval") -> tuple[str, ...]:
    """Every construct the sandbox refuses in `source` (mode "eval": an expression, "exec": a script)."""
    if len(source) > MAX_SOURCE:
        return (f"代码过长（超过 {MAX_SOURCE:,} 个字符）",)
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        return (f"不是有效的 Python {'表达式' if mode == 'eval' else '脚本'}（第 {err.lineno} 行：{err.msg}）",)
    except (RecursionError, MemoryError):
        return ("表达式嵌套过深",)
    except ValueError as err:  # e.g. a NUL character
        return (f"不是有效的 Python 代码（{err}）",)
    found: list[str] = []
    nodes = list(ast.walk(tree))
    allowed_globals = {id(n.func.value.func) for n in nodes if is_globals_get(n)}
    operands = {id(part) for n in nodes if isinstance(n, ast.BinOp) for part in (n.left, n.right)}
    try:
        for node in nodes:
            message = _node_problem(node, allowed_globals)
            if message is None and isinstance(node, (ast.BinOp, ast.Call)) and id(node) not in operands:
                message = _constant_problem(node)
            if message:
                line = getattr(node, "lineno", None)
                found.append(f"第 {line} 行：{message}" if mode == "exec" and line else message)
    except RecursionError:
        found.append("表达式嵌套过深")
    return tuple(dict.fromkeys(found))


def _node_problem(node, allowed_globals) -> str | None:
    kind = type(node)
    if isinstance(node, _PARTS):
        return None
    if kind in _STATEMENTS:
        return f"不允许{_STATEMENTS[kind]}"
    if not isinstance(node, _ALLOWED):
        return f"不允许的语法（{kind.__name__}）"
    if isinstance(node, ast.Name):
        return _name_problem(node, allowed_globals)
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            return f"不允许访问下划线开头的属性 .{node.attr}"
        if node.attr in ("format", "format_map"):
            return f"不允许使用 .{node.attr}（格式串能读取对象内部），请改用 f-string"
        if node.attr not in ALLOWED_ATTRIBUTES:
            return f"不允许访问属性 .{node.attr}（不在允许的方法列表中）"
        if not isinstance(node.ctx, ast.Load):
            return f"不允许给属性 .{node.attr} 赋值或删除"
    if isinstance(node, ast.AugAssign) and not isinstance(node.target, (ast.Name, ast.Subscript)):
        return "不允许对属性做增量赋值"
    if isinstance(node, ast.JoinedStr) and sum(isinstance(v, ast.FormattedValue) for v in node.values) > MAX_FIELDS:
        return f"f-string 的 {{…}} 超过 {MAX_FIELDS} 个"
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        return _format_spec_problem(node.format_spec)
    return None


def _name_problem(node, allowed_globals) -> str | None:
    name = node.id
    if name.startswith("__"):
        return f"不允许使用双下划线名称 {name}"
    if name == "globals" and id(node) in allowed_globals:
        return None
    if name in HELPERS or name in SAFE_BUILTINS:
        return None
    if hasattr(builtins, name) or name in ("exit", "quit", "copyright", "credits", "license", "help"):
        return f"不允许使用内置名称 {name}（沙箱只提供 len、min、max、sum、sorted 等白名单函数）"
    return None


def _format_spec_problem(spec: ast.JoinedStr) -> str | None:
    if not all(isinstance(v, ast.Constant) for v in spec.values):
        return "f-string 的格式说明必须是固定的文字"
    text = "".join(str(v.value) for v in spec.values)
    digits = [int(run) for run in "".join(c if c.isdigit() else " " for c in text).split()]
    if any(n > limits.MAX_WIDTH for n in digits):
        return f"f-string 的宽度或精度过大（最多 {limits.MAX_WIDTH}）"
    return None


class _NotConstant(Exception):
    pass


def _fold(node):
    """The value of a constant sub-expression, computed under the run-time size guards."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_fold(node.operand)
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_fold(e) for e in node.elts]
    if isinstance(node, ast.BinOp) and type(node.op) in SYMBOLS:
        left, right, symbol = _fold(node.left), _fold(node.right), SYMBOLS[type(node.op)]
        limits.check_binop(symbol, left, right)
        try:
            return limits.BINARY[symbol](left, right)
        except Exception as err:
            raise _NotConstant from err
    raise _NotConstant


def _constant_problem(node) -> str | None:
    """Constant bombs such as 10**10**10, 'a' * 10**10 or range(10**12), found before running."""
    try:
        if isinstance(node, ast.BinOp):
            _fold(node)
        elif isinstance(node.func, ast.Name) and node.func.id == "range" and not node.keywords:
            limits.check_call(range, tuple(_fold(a) for a in node.args), {})
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Constant):
            receiver = node.func.value.value
            func = getattr(receiver, node.func.attr, None)
            if callable(func) and not node.keywords:
                limits.check_call(func, tuple(_fold(a) for a in node.args), {})
    except SandboxLimit as err:
        return err.message
    except (_NotConstant, TypeError, ValueError):
        return None
    return None


SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
}
