"""Error answers of every web page: a Chinese page, or JSON under /api/ (the API keeps its own handlers)."""
from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .. import db
from ..services.errors import ServiceError


def _error_title(status: int) -> str:
    return {400: _("Bad request"), 403: _("Access denied"), 404: _("Page not found"),
            405: _("Method not allowed"), 409: _("Conflict"), 413: _("Request too large"), 422: _("Invalid input"),
            500: _("Something went wrong")}.get(status, _("Error"))


def error_page(status: int, message: str | None = None):
    """The Chinese error page; the API keeps its JSON answers."""
    if request.path.startswith("/api/"):
        return jsonify({"error": message or str(status)}), status
    return render_template("error.html", status=status, title=_error_title(status), message=message), status


def service_error_page(err: ServiceError):
    db.session().rollback()
    return error_page(err.status, err.message)


def _csrf_error(err):
    return error_page(400, _("The form has expired or lacks its security token. Go back, reload the page and try again."))


def _http_error(err: HTTPException):
    """Every HTTP error, and (as 500) every unhandled exception, as a Chinese page."""
    if (err.code or 500) >= 500:
        db.session().rollback()
    messages = {400: _("The request was malformed."), 403: _("You may not see this page."),
                404: _("There is no such page."), 405: _("This page does not accept that request."),
                413: _("What you sent is larger than the server accepts (at most %(kib)s KiB).",
                       kib=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024),
                500: _("An unexpected error occurred. Nothing was saved; please try again.")}
    return error_page(err.code or 500, messages.get(err.code, err.description))


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
