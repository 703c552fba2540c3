"""A ruling ends the child's running entrustment agreement: the one place it happens.

The five-party agreement (`entrustment_care`) is made with the child's guardian; it ends when
the child turns 18, when the guardian's capacity is restored or when the guardian's
qualification is revoked (hunan §三.1; 民法典 art. 36, 38). The last two are decided in other
procedures: the court's ruling recorded in `guardianship_revocation` (revoked) or in
`guardianship_restoration` (restored). Their handler asks for it (`handlers.EndAgreement`) and
this consumer ends every running entrustment case of the same child, of any version:

- an agreement in force (its "登记协议终止" task open) is terminated through its own diagram,
  as if civil affairs had registered the termination with the ruling as the reason, so the
  agreement's monitoring plans close (`close_monitoring`) and visits still open are cancelled;
- an entrustment still being prepared (assessment, consent, signatures) has lost its ground
  and is cancelled, its plans closed.

Each leaves an entry on the child's file naming the ruling and the case that recorded it.
"""
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import EndAgreement
from ..engine import Engine, ServiceTaskFailed, context_factory_for
from ..engine.clock import local_date
from ..models import Case, HumanTask, ProcessDefinition
from . import cases, monitoring
from .errors import EngineFailure

PROCESS_ID = "entrustment_care"
TERMINATION_TASK = "terminate_agreement"
REASONS = {"guardianship_revoked": "监护人资格被撤销", "capacity_restored": "监护人监护能力恢复"}


def running_agreements(session: Session, child_id: int, exclude: int | None = None) -> list[Case]:
    """The child's running entrustment cases (every version), oldest first."""
    query = (select(Case).join(ProcessDefinition, Case.definition_id == ProcessDefinition.id)
             .where(ProcessDefinition.process_id == PROCESS_ID, Case.child_id == child_id, Case.status == "running")
             .order_by(Case.id))
    return [c for c in session.scalars(query) if c.id != exclude]


def end_agreements(session: Session, engine: Engine, case: Case, requests: list[EndAgreement], now) -> None:
    """Consumer of `EndAgreement`: end each running agreement of `case`'s child (see the module)."""
    request = requests[-1]
    if request.reason not in REASONS:
        raise ValueError(f"unknown agreement termination reason {request.reason!r}")
    for agreement in running_agreements(session, case.child_id, exclude=case.id):
        agreement = cases.lock_case(session, agreement.id)
        if agreement.status != "running":
            continue
        data = {"reason": REASONS[request.reason], "basis": request.basis, "ruling_case": case.id}
        termination = _open_termination(session, agreement)
        if termination is not None:
            _terminate(session, engine, agreement, termination, request, now)
            cases.note_on_file(session, agreement, f"委托照护协议终止：{REASONS[request.reason]}", now, data=data)
        else:
            monitoring.close_plans(session, agreement, REASONS[request.reason], now)
            cases.cancel_case(session, agreement, f"{request.basis}，委托照护不再进行（案件 {case.id}）", now)


def _open_termination(session: Session, agreement: Case) -> HumanTask | None:
    return session.scalars(select(HumanTask).where(
        HumanTask.case_id == agreement.id, HumanTask.state == "open", HumanTask.name == TERMINATION_TASK)).first()


def _terminate(session: Session, engine: Engine, agreement: Case, task: HumanTask, request: EndAgreement, now) -> None:
    """Complete "登记协议终止" with the ruling as its reason: the diagram closes the monitoring plans."""
    data = {"termination_reason": request.reason, "terminated_on": local_date(now).isoformat(),
            "note": f"{request.basis}，系统据判决登记终止"}
    workflow = engine.loads(agreement.workflow_json,
                            context_factory_for(engine, agreement.id, agreement.region_code, PROCESS_ID))
    try:
        run = engine.complete(workflow, task.task_guid, dict(data))
    except ServiceTaskFailed as err:
        raise EngineFailure(f"委托照护协议终止失败：{err.cause.message}", code=err.cause.code) from err
    except SpiffWorkflowException as err:
        raise EngineFailure(f"委托照护协议终止失败：{err}") from err
    task.state = "completed"
    task.completed_at = now
    task.data = dict(data)
    cases.add_entry(session, agreement, "step", task.title, now, None, data=dict(data))
    cases.save_run(session, engine, agreement, run, now)
