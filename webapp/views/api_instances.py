"""The API's running cases (/api/v1/instances…): one case, its monitoring plans, a message or a
signal to cases, and a child's move that re-routes them. Routes on the API blueprint (`views/api.py`)."""
from flask import g, jsonify

from ..services import cases, messages, monitoring, moves, signals
from .api import bp, instance_json, json_answer, json_body, token_required
from .common import audit_read, engine, now, remote_addr, session

@bp.post("/instances/<int:instance_id>/messages", endpoint="send_message")
@bp.post("/signals", endpoint="send_signal")
@token_required
def send_event(instance_id=None):
    """`{"name","data"}`: a BPMN message to one case, or a signal to the running cases waiting for it that
    the caller may signal (who may send: services/messages.py; at most `signals.MAX_REACHED` a call, `more`
    when others still wait). Answers with how many cases it reached and those cases."""
    body, s = json_body(), session()
    if instance_id is None:
        sent = signals.broadcast_signal(s, engine(), body.get("name"), body.get("data"), g.api_user, now(), remote_addr())
        reached, more = sent.cases, sent.more
    else:
        reached = [messages.deliver_message(s, engine(), instance_id, body.get("name"), body.get("data"), g.api_user, now(), remote_addr())]
        more = False
    s.commit()
    return json_answer({"name": body["name"].strip(), "reached": len(reached), "more": more,
                        "instances": [instance_json(c) for c in reached]})


@bp.get("/instances/<int:instance_id>")
@token_required
def get_instance(instance_id):
    case = cases.case_for(session(), instance_id, g.api_user, now(), remote_addr())
    audit_read(g.api_user, "case.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    return json_answer(instance_json(case))


@bp.get("/instances/<int:instance_id>/monitoring")
@token_required
def get_monitoring(instance_id):
    """The recurring-visit plans a case opened, each with its visits (one instance per cycle)."""
    case = cases.case_for(session(), instance_id, g.api_user, now(), remote_addr())
    audit_read(g.api_user, "monitoring.read", f"case:{case.id}", child_id=case.child_id, case=case, case_id=case.id)
    return jsonify([{
        "kind": p.kind, "title": p.title, "cadence": p.cadence, "lead": p.lead, "status": p.status,
        "carer": p.carer, "cycles": p.cycle, "next_due": p.next_due.isoformat() if p.status == "active" else None,
        "until": p.until.isoformat() if p.until else None, "closed_reason": p.closed_reason,
        "visits": [{"cycle": v.cycle, "due": v.due.isoformat(), "instance_id": v.case_id,
                    "status": v.case.status if v.case else None} for v in monitoring.visits_of(session(), p)],
    } for p in monitoring.plans_of_case(session(), case)])


@bp.post("/children/<int:child_id>/move")
@token_required
def move_child(child_id):
    """Civil affairs records the child's new residence: place-routed open tasks follow (services/moves.py)."""
    body = json_body()
    child = moves.child_to_move(session(), child_id, g.api_user)  # a registered child without a case too
    done = moves.record_move(session(), child, body.get("region"), g.api_user, now())
    session().commit()
    return jsonify({"child_id": child.id, "from": done.old_region, "region": done.new_region, "cases": done.cases,
                    "moved_tasks": done.moved_tasks, "kept_tasks": done.kept_tasks, "plans": done.plans,
                    "roster_tasks": done.roster_tasks})
