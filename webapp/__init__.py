"""Tonghu (童护): the Flask application factory."""
import secrets
from pathlib import Path

from flask import Flask
from flask_babel import Babel, get_translations
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from . import config as config_module
from . import db, i18n, living_settings, logs, security, settings
from .config import ROOT, Config
from .engine import Clock, Engine
from .services import wiring

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def create_app(config: dict | None = None) -> Flask:
    """Configure an app and nothing more: no schema, no compiling, no thread (see `tonghu serve`)."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_object(Config)
    app.config.update(config_module.from_environment())
    if config:
        app.config.update(config)
    config_module.normalise(app.config)
    if not app.config.get("SECRET_KEY"):
        # Local use only: `tonghu serve` and `tonghu worker` refuse it in production.
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
        app.config["SECRET_KEY_GENERATED"] = True

    logs.init_app(app)
    db.init_app(app)
    app.extensions["tonghu.engine"] = Engine(app.config.get("CLOCK") or Clock(), settings.from_config(app.config),
                                             living_settings.from_config(app.config),
                                             workflow_cache=app.config.get("WORKFLOW_CACHE_SIZE", 64))
    wiring.connect()  # who consumes which effect of a handler
    from . import pdf_filing
    pdf_filing.init_app(app)  # documents' PDFs filed after their step commits
    babel.init_app(app, locale_selector=lambda: "zh_CN")
    with app.app_context():  # one locale: templates take its catalogue once, not per `_()` through Babel's context
        app.jinja_env.install_gettext_translations(get_translations(), newstyle=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.lazy("Please log in to continue.")
    login_manager.session_protection = "strong"
    security.init_app(app)

    from .views import register_blueprints
    register_blueprints(app)
    from .views.health import bp as health_bp
    app.register_blueprint(health_bp)

    from .cli import register_commands
    register_commands(app)
    return app


def _instance_secret(instance: Path) -> str:
    """A per-installation secret for local use; production sets TONGHU_SECRET_KEY."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
