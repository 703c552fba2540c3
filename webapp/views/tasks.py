"""Placeholder: filled in by the web UI work."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)


@bp.route("/")
def index():
    return "tasks"
