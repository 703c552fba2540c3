"""What the modeler chooses from: departments, levels, handlers with their parameters, forms,
and the unit- and place-choosing form fields a lane may route by (`unitFrom`, `regionFrom`)."""

import handlers
from ...catalog import DEPARTMENTS, LEVEL_NAMES
from ...models import LEVELS
from ..routing import ACTS_FOR
from ..region_choice import region_fields
from ..unit_forms import spec_departments, unit_fields


def catalog(forms: dict[str, dict]) -> dict:
    """Departments with their levels, levels, forms and handlers with their typed parameters."""
    return {
        "departments": [{"code": code, "name": name, "levels": list(levels)}
                        for code, (name, levels) in DEPARTMENTS.items()],
        "levels": [{"code": level, "name": LEVEL_NAMES[level]} for level in LEVELS],
        "forms": [{"name": name, "title": schema.get("title") or name if isinstance(schema, dict) else name}
                  for name, schema in sorted(forms.items())],
        "handlers": [{"name": op.name, "title": op.title, "doc": (op.fn.__doc__ or "").strip(),
                      "parameters": [{"name": pname, "type": getattr(ptype, "__name__", str(ptype)),
                                      "required": pname in _required_parameters(op)}
                                     for pname, ptype in op.parameters.items()]}
                     for op in sorted(handlers.OPERATORS.values(), key=lambda o: o.name)],
        # A lane's `unitFrom` names one of these fields (`tonghu check` says where it must be filled).
        "unit_fields": [{"field": path, "form": name, "title": (schema.get("properties") or {}).get(path, {}).get("title")
                         or path, "departments": list(spec_departments(spec))}
                        for name, schema in sorted(forms.items()) if isinstance(schema, dict)
                        for path, spec in unit_fields(schema).items()],
        "acts_for": {lane: list(units) for lane, units in ACTS_FOR.items()},
        # A lane's `regionFrom` names one of these (a place chosen in a form, at least as fine as the lane).
        "region_fields": [{"field": path, "form": name, "level": spec.get("level"),
                           "title": (schema.get("properties") or {}).get(path, {}).get("title") or path}
                          for name, schema in sorted(forms.items()) if isinstance(schema, dict)
                          for path, spec in region_fields(schema).items()],
    }


def _required_parameters(op) -> set[str]:
    import inspect
    params = list(inspect.signature(op.fn).parameters.values())[1:]
    return {p.name for p in params if p.default is inspect.Parameter.empty}
