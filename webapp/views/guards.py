"""Who may open a page: one guard for the roles that own an area (designers, testers)."""
from functools import wraps

from flask import abort, jsonify, request
from flask_login import current_user


def only(allowed, json_error: str | None = None):
    """A view decorator letting through the users `allowed(user)` accepts; others get 403, as
    the JSON `{"error": json_error}` when given and the caller asks for JSON."""
    def guard(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                if json_error and (request.accept_mimetypes.best == "application/json" or request.is_json):
                    return jsonify({"error": str(json_error)}), 403
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return guard
