"""Security headers, the login policy and the security clock of an app.

The headers are set here, in a dozen lines, rather than by Flask-Talisman: Talisman would
also redirect to HTTPS and set the session cookie's `Secure` flag itself, both of which
the environment decides here (`config.resolve`: demo and test installations serve plain
http://127.0.0.1).

CSP: scripts only from our own origin (templates carry no inline script; data for the
designer and viewer travels in `<script type="application/json">`, which never runs);
styles also allow inline `style` attributes, which bpmn-js and its properties panel set
and which cannot run code; `data:` images and fonts for bpmn-js' icons and logo.
"""
from flask import Flask, current_app, request
from werkzeug.serving import WSGIRequestHandler

from .engine import Clock
from .services.login import Policy

SERVER = "Tonghu"
CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class QuietRequestHandler(WSGIRequestHandler):
    """The development server without `Server: Werkzeug/x Python/y` (the app sends its own)."""

    def send_response(self, code, message=None):
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())


def init_app(app: Flask) -> None:
    app.extensions["tonghu.security_clock"] = app.config.get("SECURITY_CLOCK") or Clock()
    app.after_request(_headers)


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages and API answers carry children's data: no copies in shared or browser caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def security_now():
    """Wall-clock time for sessions and locks (tests move it; business time is the engine's clock)."""
    return current_app.extensions["tonghu.security_clock"].now()


def login_policy() -> Policy:
    from datetime import timedelta
    config = current_app.config
    return Policy(max_failures=config["LOGIN_MAX_FAILURES"], lock_for=timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
                  address_limit=config["LOGIN_ADDRESS_LIMIT"], name_max_failures=config["LOGIN_NAME_MAX_FAILURES"])
