"""Civil affairs acts on a child's record: a move to a new residence (services/moves.py) and the
child's school (services/units.py `change_school`); both re-route the open work that follows."""
from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..models import Region
from ..services import moves, units
from ..services.errors import ServiceError
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


MAX_COUNTIES = 20  # a county name search lists at most this many


def _counties(s, text: str) -> list[Region]:
    """The counties a typed name or code means: a code is one primary-key read, a name an on-demand
    search (never on a plain page view; `regions` holds ≈690 000 villages nationally)."""
    text = text.strip()[:40]
    if not text:
        return []
    if text.isascii() and text.isdigit() and len(text) in (6, 12):
        county = s.get(Region, text[:6] + "000000")
        return [county] if county is not None and county.level == "county" else []
    return list(s.scalars(select(Region).where(Region.level == "county", Region.name.contains(text, autoescape=True))
                          .order_by(Region.code).limit(MAX_COUNTIES)))


def _villages(s, child, county: Region) -> list[Region]:
    """The villages of one county the signed-in official may move the child to (a range of the key)."""
    rows = s.scalars(select(Region).where(Region.code.between(county.code[:6] + "000000", county.code[:6] + "999999"),
                                          Region.level == "village").order_by(Region.code))
    return [v for v in rows if v.code != child.region_code and moves.may_move_to(current_user, v.code)]


@bp.get("/children/<int:child_id>/move/villages")
def move_villages(child_id):
    """JSON for the move form: `?county=` (a 6-digit code or a name) → the counties it means and, when it
    means one, its villages the official may move the child to; the move's own rights check first."""
    try:
        child = _child(child_id)
    except ServiceError as err:
        return jsonify({"error": err.message}), err.status
    if not moves.may_record(current_user, child):
        return jsonify({"error": _("Only civil affairs over the child's residence records a move.")}), 403
    found = _counties(session(), request.args.get("county", ""))
    villages = _villages(session(), child, found[0]) if len(found) == 1 else []
    return jsonify({"counties": [{"code": c.code[:6], "name": c.name} for c in found],
                    "villages": [{"code": v.code, "name": v.name} for v in villages]})


@bp.app_template_global()
def child_actions(child) -> dict | None:
    """For the child's page: what the signed-in civil affairs official may change (None: nothing). The
    new residence is chosen in two steps (`?move_county=` then that county's villages), so a page view
    reads one county's villages at most, never the country's."""
    if not moves.may_record(current_user, child):
        return None
    s = session()
    asked = request.args.get("move_county", "")
    counties = _counties(s, asked)
    school = units.get(s, child.school_unit_id) if child.school_unit_id else None
    return {"asked": asked.strip()[:40], "counties": counties,
            "county": counties[0] if len(counties) == 1 else None,
            "villages": _villages(s, child, counties[0]) if len(counties) == 1 else [],
            "school": school,
            "schools": units.serving(s, ("education",), child.region_code)}
