"""The children's registry (一人一档): register and edit a child, import a list, find children and cases.

One concern a module: `codes` (the fixed codes and their Chinese names), `children` (register,
update, history, guardians), `identity` (the one place a case finds or creates its child),
`importing` (CSV/XLSX), `scope` (who may see or change which child, the masked ID number),
`visibility` (the cases a user may read, as SQL) and `search` (children and cases, each with why).
Callers import the submodule they need; this package imports nothing, so the case service can
use `identity` without loading the rest.
"""
