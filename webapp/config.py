"""Settings, read from the environment with safe defaults for a local SQLite install."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What kind of installation this is: `production` (the default: secure cookies, HSTS),
# `demo` (`make demo`, plain http://127.0.0.1) or `test` (the test suite).
ENVIRONMENTS = ("production", "demo", "test")


def _flag(name: str) -> bool | None:
    """A yes/no variable; None when unset, so the environment kind decides."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    ENV = os.environ.get("TONGHU_ENV", "production")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'tonghu.sqlite'}")
    SECRET_KEY = os.environ.get("TONGHU_SECRET_KEY")
    PROCESSES_DIR = Path(os.environ.get("TONGHU_PROCESSES_DIR", ROOT / "processes"))
    FORMS_DIR = Path(os.environ.get("TONGHU_FORMS_DIR", ROOT / "forms"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: on outside demo/test (see `resolve`); TONGHU_SESSION_COOKIE_SECURE=0/1 forces it.
    SESSION_COOKIE_SECURE = _flag("TONGHU_SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_SECURE = _flag("TONGHU_REMEMBER_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    # A web session unused this long ends on the server (the next request goes to the login page).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("TONGHU_SESSION_IDLE_MINUTES", "30")))
    API_TOKEN_MAX_AGE = int(os.environ.get("TONGHU_API_TOKEN_MAX_AGE", str(12 * 3600)))
    # Brute force: after this many failed logins in a row a user name is locked for a while;
    # failures from one address are throttled too (a `limits` rate string).
    LOGIN_MAX_FAILURES = int(os.environ.get("TONGHU_LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("TONGHU_LOGIN_LOCK_MINUTES", "15"))
    LOGIN_ADDRESS_LIMIT = os.environ.get("TONGHU_LOGIN_ADDRESS_LIMIT", "20 per 10 minutes")
    # Where per-address counters live. `memory://` counts per process; with several server
    # processes use a shared store, e.g. `redis://host:6379` (pip install "limits[redis]").
    RATELIMIT_STORAGE_URI = os.environ.get("TONGHU_RATELIMIT_STORAGE_URI", "memory://")
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    WTF_CSRF_TIME_LIMIT = None
    # Background timer worker (one per database, guarded by a lock row).
    TIMER_WORKER = os.environ.get("TONGHU_TIMER_WORKER", "0") == "1"


def resolve(config) -> None:
    """Settings that follow from others once the app's config is complete.

    Cookies are `Secure` everywhere but on demo and test installations, which serve plain
    http://127.0.0.1; an explicit setting (environment or `create_app` config) wins.
    """
    if config.get("ENV") not in ENVIRONMENTS:
        raise ValueError(f"TONGHU_ENV must be one of {', '.join(ENVIRONMENTS)}, not {config.get('ENV')!r}")
    secure = config["ENV"] == "production"
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(key) is None:
            config[key] = secure
