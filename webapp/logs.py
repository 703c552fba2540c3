"""Structured logs: one JSON line per request and per scheduler run, with ids, never a child's data.

A request line carries the method, the path without its query string (a search may hold a
name), the endpoint, the ids in the route (case, task, child ...), the status and the time
taken; never a form, a body or a query.
"""
import logging
import sys
import time

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

LOGGERS = ("tonghu", "webapp")
request_log = logging.getLogger("tonghu.request")
scheduler_log = logging.getLogger("tonghu.scheduler")


def formatter() -> logging.Formatter:
    return JsonFormatter("{asctime}{levelname}{name}{message}", style="{", json_ensure_ascii=False,
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def configure(level: str = "INFO", stream=None) -> None:
    """JSON lines on stderr for Tonghu's loggers; once per process, the level may change."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(getattr(h, "tonghu", False) for h in logger.handlers):
            handler = logging.StreamHandler(stream or sys.stderr)
            handler.setFormatter(formatter())
            handler.tonghu = True
            logger.addHandler(handler)


def _ids() -> dict:
    return {k: v for k, v in (request.view_args or {}).items() if k == "id" or k.endswith("_id")}


def init_app(app: Flask) -> None:
    """Log each request once it is answered; the handlers are installed outside tests."""
    if not app.testing:
        configure(app.config["LOG_LEVEL"])

    @app.before_request
    def _start_timer():
        g.tonghu_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.pop("tonghu_started", None)
        user = g.get("_login_user")
        request_log.info("request", extra={
            "event": "request", "method": request.method, "path": request.path,
            "endpoint": request.endpoint, "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "user_id": getattr(user, "id", None), **_ids()})
        return response
