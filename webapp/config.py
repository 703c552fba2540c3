"""Settings: defaults for a local SQLite install, then one TOML file, then environment variables.

`TONGHU_CONFIG=/etc/tonghu/tonghu.toml` names the file (keys in lower case, e.g.
`secret_key`, `database_url`, `log_level`, `cadences_file`, `timer_interval`); an
environment variable of the same setting wins over the file, the app's own config dict
over both. `TONGHU_ENV` (`demo`, `test` or `production`, the default) says whether this is
a real deployment: only there does start-up refuse a default secret or demo accounts.
"""
import os
import tomllib
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("demo", "test", "production")

# setting -> environment variable(s), first found wins
ENV_VARS = {
    "ENV": ("TONGHU_ENV",),
    "SECRET_KEY": ("TONGHU_SECRET_KEY", "SECRET_KEY"),
    "DATABASE_URL": ("DATABASE_URL",),
    "LOG_LEVEL": ("TONGHU_LOG_LEVEL",),
    "CADENCES_FILE": ("TONGHU_CADENCES_FILE",),
    "TIMER_INTERVAL": ("TONGHU_TIMER_INTERVAL",),
    "PROCESSES_DIR": ("TONGHU_PROCESSES_DIR",),
    "FORMS_DIR": ("TONGHU_FORMS_DIR",),
}
PATHS = {"PROCESSES_DIR", "FORMS_DIR"}


class ConfigError(Exception):
    """A setting that cannot be used; the message says which and why."""


def _from_environment(name: str, default=None):
    for var in ENV_VARS[name]:
        if os.environ.get(var):
            return os.environ[var]
    return default


def _flag(name: str) -> bool | None:
    """A yes/no variable; None when unset, so the environment kind decides."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    ENV = _from_environment("ENV", "production")
    DATABASE_URL = _from_environment("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'tonghu.sqlite'}")
    SECRET_KEY = _from_environment("SECRET_KEY")
    LOG_LEVEL = _from_environment("LOG_LEVEL", "INFO")
    PROCESSES_DIR = Path(_from_environment("PROCESSES_DIR", ROOT / "processes"))
    FORMS_DIR = Path(_from_environment("FORMS_DIR", ROOT / "forms"))
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
    # Brute force (services/login.py): after this many failed logins in a row a user name is
    # refused from that address for a while (doubling with each further failure); failures from
    # one address are limited too (a `limits` rate string), and a name's failures from
    # addresses it never signed in from. The counters live in the database (every node shares them).
    LOGIN_MAX_FAILURES = int(os.environ.get("TONGHU_LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("TONGHU_LOGIN_LOCK_MINUTES", "15"))
    LOGIN_ADDRESS_LIMIT = os.environ.get("TONGHU_LOGIN_ADDRESS_LIMIT", "20 per 10 minutes")
    LOGIN_NAME_MAX_FAILURES = int(os.environ.get("TONGHU_LOGIN_NAME_MAX_FAILURES", "20"))
    # Answers a day revealing that a number is registered to a child the user sees masked
    # (services/registry/probing.py); past them the user's unseen numbers are all refused alike.
    IDENTITY_PROBE_ALLOWANCE = int(os.environ.get("TONGHU_IDENTITY_PROBE_ALLOWANCE", "5"))
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    WTF_CSRF_TIME_LIMIT = None
    # Seconds between two runs of `tonghu worker` (the scheduler); /readyz wants a run within two.
    TIMER_INTERVAL = float(_from_environment("TIMER_INTERVAL", 60))
    # Largest request body (bytes); larger ones get 413. A procedure's diagrams and forms are
    # a few hundred kilobytes at most, so the designer's deploys fit well within the default.
    MAX_CONTENT_LENGTH = int(os.environ.get("TONGHU_MAX_CONTENT_LENGTH", 2 * 1024 * 1024))


def read_toml(path: str | os.PathLike) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as err:
        raise ConfigError(f"无法读取配置文件 {path}：{err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"配置文件 {path} 不是有效的 TOML：{err}") from None


def load_file(path: str | os.PathLike) -> dict:
    """The settings of a TOML config file, keyed as the app config is (upper case)."""
    return {key.upper(): value for key, value in read_toml(path).items()}


def from_environment() -> dict:
    """The TONGHU_CONFIG file's settings overlaid with the environment's, read now."""
    values = load_file(os.environ["TONGHU_CONFIG"]) if os.environ.get("TONGHU_CONFIG") else {}
    for name in ENV_VARS:
        value = _from_environment(name)
        if value is not None:
            values[name] = value
    return values


def normalise(config) -> None:
    """Check and convert the settings that came as text; a bad one is refused by name."""
    env = str(config.get("ENV") or "production").lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"TONGHU_ENV 只能是 {' / '.join(ENVIRONMENTS)}，不能是 {env!r}")
    config["ENV"] = env
    # Cookies are `Secure` everywhere but on demo and test installations, which serve plain
    # http://127.0.0.1; an explicit setting (TONGHU_SESSION_COOKIE_SECURE, create_app config) wins.
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(key) is None:
            config[key] = env == "production"
    for name in PATHS:
        if config.get(name) is not None:
            config[name] = Path(config[name])
    try:
        config["TIMER_INTERVAL"] = float(config.get("TIMER_INTERVAL") or 60)
    except (TypeError, ValueError):
        raise ConfigError(f"TONGHU_TIMER_INTERVAL 应为秒数，不能是 {config.get('TIMER_INTERVAL')!r}") from None
    if config["TIMER_INTERVAL"] <= 0:
        raise ConfigError("TONGHU_TIMER_INTERVAL 应大于 0")
    level = str(config.get("LOG_LEVEL") or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"TONGHU_LOG_LEVEL 不能是 {level!r}（DEBUG / INFO / WARNING / ERROR）")
    config["LOG_LEVEL"] = level
    if config.get("CADENCES_FILE") and "CADENCES" not in config:
        # settings.py reads TONGHU_CADENCES_FILE itself; a file named in the config file comes in here.
        if os.environ.get("TONGHU_CADENCES_FILE") != str(config["CADENCES_FILE"]):
            config["CADENCES"] = read_toml(config["CADENCES_FILE"])
