"""A failure of the procedure's own design at run time, told apart from a handler's failure.

A condition that divides by zero, a script that raises, a variable the diagram expects and
nobody set: the official can do nothing about it, so the answer says the design is at fault,
names the element, and asks them to contact the procedure's designers or an administrator.
"""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import AuditEntry
from ..errors import DesignError


def element_of(err: BaseException) -> tuple[str | None, str | None]:
    """(bpmn id, Chinese name) of the element that failed, from SpiffWorkflow's task error or
    anything it caused along the chain; (None, None) when no element is named."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        task = getattr(err, "task", None)
        spec = getattr(task, "task_spec", None) or getattr(err, "task_spec", None)
        if spec is not None:
            return getattr(spec, "bpmn_id", None) or spec.name, getattr(spec, "bpmn_name", None)
        err = err.__cause__ or err.__context__
    return None, None


def _root(err: BaseException) -> BaseException:
    """The first error along the chain that is not SpiffWorkflow's wrapper (its real cause)."""
    seen = set()
    while id(err) not in seen:
        seen.add(id(err))
        inner = getattr(err, "exception", None) or err.__cause__ or err.__context__
        if not isinstance(inner, BaseException):
            return err
        err = inner
    return err


def _cause(err: BaseException) -> str:
    root = _root(err)
    text = str(err).strip().rstrip(".")
    if root is not err and not isinstance(root, SpiffWorkflowException):
        text = f"{text}；{type(root).__name__}: {root}"
    return text[:300]


def design_error(err: BaseException, definition, *, case_id: int, task_id: int | None, task_name: str | None) -> DesignError:
    """The DesignError to raise for `err`, which ran `definition` (a ProcessDefinition)."""
    element, name = element_of(err)
    where = f"环节“{name or element}”（{element}）" if element else "流程的某一步"
    message = (f"本次提交未保存：流程“{definition.name}”（第 {definition.version} 版）的流程设计有误，"
               f"{where}无法执行（{_cause(err)}）。这不是您填写的问题，填写的内容已保留；"
               "请联系流程设计人员或系统管理员修正流程后再提交。")
    return DesignError(message, element=element, process_id=definition.process_id, version=definition.version,
                       audit={"element": element, "element_name": name, "version": definition.version,
                              "case": case_id, "task": task_id, "task_name": task_name, "error": _cause(err)})


def recent(session: Session, process_id: str, limit: int = 10) -> list[AuditEntry]:
    """The latest design failures of a procedure (any version), newest first, for its designers."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error",
                                                         AuditEntry.target == f"process:{process_id}")
                                .order_by(AuditEntry.id.desc()).limit(limit)))
