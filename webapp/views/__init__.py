"""Blueprints, one per user-facing area."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import errors, filters, limits
    limits.init_app(app)  # before any rule: every <int:…> takes the bounded converter
    errors.init_app(app)
    filters.init_app(app)
    from . import admin, api, auth, cases, tasks
    for module in (auth, tasks, cases, admin, api):
        app.register_blueprint(module.bp)
    from .designer import bp as designer_bp
    app.register_blueprint(designer_bp)
    from .deadlines import bp as deadlines_bp
    app.register_blueprint(deadlines_bp)
    from .repair import bp as repair_bp
    app.register_blueprint(repair_bp)
    from . import roster, roster_api
    app.register_blueprint(roster.bp)
    app.register_blueprint(roster_api.bp)
