"""A failure of the procedure's own design at run time, told apart from a handler's failure.

A condition that divides by zero, a script that raises, a variable the diagram expects and
nobody set: the official can do nothing about it, so the answer says the design is at fault,
names the element, and asks them to contact the procedure's designers or an administrator.
"""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine import ServiceTaskFailed
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


def is_design_error(err: BaseException) -> bool:
    """Whether `err` (from running a case's workflow) is the design's fault: SpiffWorkflow's
    own error or a missing variable, not a handler's failure (ServiceTaskFailed)."""
    return isinstance(err, SpiffWorkflowException) and not isinstance(err, ServiceTaskFailed)


def _where(err: BaseException, definition) -> tuple[str | None, str | None, str]:
    element, name = element_of(err)
    where = f"环节“{name or element}”（{element}）" if element else "流程的某一步"
    return element, name, (f"流程“{definition.name}”（第 {definition.version} 版）的流程设计有误，"
                           f"{where}无法执行（{_cause(err)}）")


def design_error(err: BaseException, definition, *, case_id: int | None, task_id: int | None, task_name: str | None,
                 what: str = "本次提交") -> DesignError:
    """The DesignError to raise for `err`, which ran `definition` (a ProcessDefinition);
    `what` names what was not saved (a submission, a case being opened, a message)."""
    element, name, said = _where(err, definition)
    message = (f"{what}未保存：{said}。这不是您填写的问题，填写的内容已保留；"
               "请联系流程设计人员或系统管理员修正流程后再提交。")
    return DesignError(message, element=element, process_id=definition.process_id, version=definition.version,
                       audit={"element": element, "element_name": name, "version": definition.version,
                              "case": case_id, "task": task_id, "task_name": task_name, "error": _cause(err)})


def blocked(err: BaseException, definition, *, case_id: int | None, during: str) -> DesignError:
    """The DesignError when `err` stopped work nobody was submitting (a timer, a scheduled job):
    its message is the reason kept on the case, which waits in `error` for the design's fix."""
    element, name, said = _where(err, definition)
    reason = f"流程设计有误，案件已暂停：{during}时{said}。请流程设计人员修正流程，再由管理员重试。"
    return DesignError(reason[:500], element=element, process_id=definition.process_id, version=definition.version,
                       audit={"element": element, "element_name": name, "version": definition.version, "case": case_id,
                              "task": None, "task_name": None, "during": during, "error": _cause(err)})


def record(session: Session, err: DesignError, now, *, once: bool = False) -> bool:
    """Audit `err` for administrators and designers (no user: the scheduler). `once`: not when
    the same failure (procedure, version, element, case, what was running) is already recorded,
    so a job that retries every minute logs it once. True when recorded."""
    target = f"process:{err.extra['process_id']}"
    if once:
        same = ("version", "element", "case", "during")
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error",
                                                              AuditEntry.target == target)):
            if all((entry.detail or {}).get(k) == err.audit.get(k) for k in same):
                return False
    session.add(AuditEntry(at=now, action="engine.design_error", target=target, detail=err.audit))
    return True


def contained(session: Session, now, during: str, work) -> bool:
    """Run `work()` (a scheduled job opening one case) in a SAVEPOINT: a design error rolls back
    that work alone and is recorded once, so the job goes on with the next; False when it failed."""
    try:
        with session.begin_nested():
            work()
    except DesignError as err:
        err.audit["during"] = during
        record(session, err, now, once=True)
        return False
    return True


def recent(session: Session, process_id: str, limit: int = 10) -> list[AuditEntry]:
    """The latest design failures of a procedure (any version), newest first, for its designers."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "engine.design_error",
                                                         AuditEntry.target == f"process:{process_id}")
                                .order_by(AuditEntry.id.desc()).limit(limit)))
