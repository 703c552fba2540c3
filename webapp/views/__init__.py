"""Blueprints, one per user-facing area."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import errors, filters, limits
    limits.init_app(app)  # before any rule: every <int:…> takes the bounded converter
    errors.init_app(app)
    filters.init_app(app)
    from . import admin, api, auth, cases, children, tasks
    from . import api_instances, api_processes, api_registry, api_tasks  # noqa: F401 (routes on api's blueprint)
    for module in (auth, tasks, cases, children, admin, api):
        app.register_blueprint(module.bp)
    from .designer import bp as designer_bp
    # Routes on the designer's blueprint
    from . import designer_deploy, designer_forms, designer_modeler, designer_procedures, designer_tables  # noqa: F401
    app.register_blueprint(designer_bp)
    from .deadlines import bp as deadlines_bp
    app.register_blueprint(deadlines_bp)
    from .repair import bp as repair_bp
    app.register_blueprint(repair_bp)
    from .living import bp as living_bp
    app.register_blueprint(living_bp)
    from .child_moves import bp as child_moves_bp
    app.register_blueprint(child_moves_bp)
    from .scenarios import bp as scenarios_bp
    app.register_blueprint(scenarios_bp)
    from . import roster, roster_api
    app.register_blueprint(roster.bp)
    app.register_blueprint(roster_api.bp)
    from . import school_checks
    app.register_blueprint(school_checks.bp)
    app.register_blueprint(school_checks.api_bp)
