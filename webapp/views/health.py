"""Probes for load balancers and orchestrators: no login, no personal data, JSON only."""
from flask import Blueprint, current_app, jsonify

from .. import db, readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready for traffic: database reachable, migrations at head, worker seen within 2 intervals."""
    ready, checks = readiness.readiness(db.session(), current_app.config["TIMER_INTERVAL"])
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
