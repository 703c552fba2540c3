"""Civil affairs acts on a child's record: a move to a new residence (services/moves.py) and the
child's school (services/units.py `change_school`); both re-route the open work that follows."""
from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..models import Region
from ..models.org import jurisdiction_prefix
from ..services import moves, units
from ..services.routing import within
from .common import form_action, now, require_login, session
from .params import whole_number

bp = Blueprint("child_moves", __name__)
bp.before_request(require_login)


def _child(child_id):
    return moves.child_to_move(session(), child_id, current_user)


def _done(child_id, action):
    return form_action(lambda: action(_child(child_id)), lambda: redirect(url_for("cases.child", child_id=child_id)))


@bp.post("/children/<int:child_id>/move")
def move(child_id):
    region = (request.form.get("region_code", "").strip() or request.form.get("region", "")).strip()

    def act(child):
        done = moves.record_move(session(), child, region, current_user, now())
        return _("The move is recorded; %(n)s open tasks went to the new place's offices.", n=len(done.moved_tasks))
    return _done(child_id, act)


@bp.post("/children/<int:child_id>/school")
def school(child_id):
    raw = request.form.get("unit_id", "")
    if raw and whole_number(raw) is None:
        abort(400)

    def act(child):
        unit = units.get(session(), int(raw)) if raw else None
        moved = units.change_school(session(), child, unit, current_user, now())
        return _("The school is changed; %(n)s open school tasks went to it.", n=len(moved))
    return _done(child_id, act)


@bp.app_template_global()
def child_actions(child) -> dict | None:
    """For the child's page: what the signed-in civil affairs official may change (None: nothing)."""
    if not moves.may_record(current_user, child):
        return None
    s = session()
    # The villages of the official's own jurisdiction to choose from (a county's hundred, not the
    # country's: the page is read far more often than a move is made), as (code, name) rows; any
    # other place by its code.
    office = current_user.office
    villages = s.execute(select(Region.code, Region.name).where(Region.level == "village", within(
        Region.code, jurisdiction_prefix(office.region_code, office.level))).order_by(Region.code)).all()
    school = units.get(s, child.school_unit_id) if child.school_unit_id else None
    return {"villages": [v for v in villages if v.code != child.region_code and moves.may_move_to(current_user, v.code)],
            "school": school,
            "schools": units.serving(s, ("education",), child.region_code)}
