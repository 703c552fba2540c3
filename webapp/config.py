"""Settings, read from the environment with safe defaults for a local SQLite install."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'tonghu.sqlite'}")
    SECRET_KEY = os.environ.get("TONGHU_SECRET_KEY")
    PROCESSES_DIR = Path(os.environ.get("TONGHU_PROCESSES_DIR", ROOT / "processes"))
    FORMS_DIR = Path(os.environ.get("TONGHU_FORMS_DIR", ROOT / "forms"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    API_TOKEN_MAX_AGE = 12 * 3600
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    WTF_CSRF_TIME_LIMIT = None
    # Largest request body (bytes); larger ones get 413. A procedure's diagrams and forms are
    # a few hundred kilobytes at most, so the designer's deploys fit well within the default.
    MAX_CONTENT_LENGTH = int(os.environ.get("TONGHU_MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    # Background timer worker (one per database, guarded by a lock row).
    TIMER_WORKER = os.environ.get("TONGHU_TIMER_WORKER", "0") == "1"
