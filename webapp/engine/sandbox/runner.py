"""Run designers' code that passed the rule: rewritten so every risky step goes through a guard.

Loops and comprehensions tick the budget, calls and operators are checked before Python
performs them, f-strings are assembled by a guard, and the code sees only the task data,
the allowed builtins and the date helpers: no real builtins, no modules.
"""
import ast
from functools import lru_cache

from . import limits, rules
from .errors import SandboxViolation

GUARD = "__sb_"  # prefix of the guard names; the rule refuses names starting with "__"
GUARDS = ("tick", "binop", "call", "sized", "fmt", "fstring", "lookup")


def _guard(name, *args) -> ast.Call:
    return ast.Call(func=ast.Name(id=GUARD + name, ctx=ast.Load()), args=list(args), keywords=[])


def _tick_statement() -> ast.Expr:
    return ast.Expr(value=_guard("tick"))


class _Guarded(ast.NodeTransformer):
    def visit_Call(self, node):
        if rules.is_globals_get(node):
            return _guard("lookup", *[self.visit(a) for a in node.args])
        self.generic_visit(node)
        return ast.Call(func=ast.Name(id=GUARD + "call", ctx=ast.Load()), args=[node.func, *node.args], keywords=node.keywords)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        return _guard("binop", ast.Constant(rules.SYMBOLS[type(node.op)]), node.left, node.right)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        load = _as_load(node.target)
        value = _guard("binop", ast.Constant(rules.SYMBOLS[type(node.op)]), load, node.value)
        return ast.Assign(targets=[node.target], value=value)

    def visit_Compare(self, node):
        self.generic_visit(node)
        node.left = _sized(node.left)
        node.comparators = [_sized(c) for c in node.comparators]
        return node

    def visit_Starred(self, node):
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _guard("sized", node.value)
        return node

    def visit_For(self, node):
        self.generic_visit(node)
        node.body.insert(0, _tick_statement())
        return node

    visit_While = visit_For  # refused by the rule; ticked all the same should the rule ever let one by

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.ifs.insert(0, _guard("tick"))
        return node

    def visit_JoinedStr(self, node):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec = "".join(str(v.value) for v in value.format_spec.values) if value.format_spec else ""
                conversion = chr(value.conversion) if value.conversion > 0 else ""
                parts.append(_guard("fmt", self.visit(value.value), ast.Constant(conversion), ast.Constant(spec)))
            else:
                parts.append(value)
        return _guard("fstring", *parts)


def _sized(node):
    return node if isinstance(node, ast.Constant) else _guard("sized", node)


def _as_load(target):
    """The target of `x += 1` read again (`d[k] += 1` reads `d[k]`)."""
    if isinstance(target, ast.Name):
        return ast.Name(id=target.id, ctx=ast.Load())
    return ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load())


@lru_cache(maxsize=512)
def compiled(source: str, mode: str):
    """Check `source` against the rule, then compile its guarded form (cached per text)."""
    found = rules.problems(source, mode)
    if found:
        raise SandboxViolation(list(found))
    tree = ast.fix_missing_locations(_Guarded().visit(ast.parse(source, mode=mode)))
    try:
        return compile(tree, "<string>", mode)
    except RecursionError:
        raise SandboxViolation(["表达式嵌套过深"]) from None


def namespace(budget: limits.Budget, data: dict, external: dict | None) -> dict:
    """What the code sees: the allowed builtins, the helpers, the guards, then the data."""
    names = {"__builtins__": dict(rules.SAFE_BUILTINS), **rules.HELPERS}
    names.update({GUARD + g: getattr(budget, g) for g in GUARDS if g != "lookup"})
    names.update(external or {})
    names.update(data)
    names[GUARD + "lookup"] = lambda key, default=None: names.get(key, default)
    return names


def is_reserved(name: str) -> bool:
    return name == "__builtins__" or name.startswith(GUARD) or name in rules.HELPERS


def evaluate(source: str, data: dict, external: dict | None = None, budget: limits.Budget | None = None):
    code = compiled(source.strip(), "eval")
    budget = budget or limits.Budget()
    result = eval(code, namespace(budget, data, external))  # noqa: S307 - checked and guarded above
    budget.sized(result)
    return result


def execute(source: str, data: dict, external: dict | None = None, budget: limits.Budget | None = None) -> dict:
    """Run a script on a copy of `data`; returns the data as the script leaves it (nothing on failure)."""
    code = compiled(source, "exec")
    budget = budget or limits.Budget()
    names = namespace(budget, data, external)
    exec(code, names)  # noqa: S102 - checked and guarded above
    result = {k: v for k, v in names.items()
              if not is_reserved(k) and not (external and k in external) and not callable(v)}
    limits.measure(result, limits.MAX_DATA)  # the task data is saved as JSON: no cycles, no giants
    return result
