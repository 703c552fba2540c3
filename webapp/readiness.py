"""Is this deployment fit to run? Start-up refusals in production, and what /readyz reports.

No Flask here: the CLI and the health view hand in the config mapping and a session.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from . import demo, schema
from .catalog import DEPARTMENTS
from .models import SchedulerLease, User
from .services import accounts

# Secrets that appear in docs, tests and examples: never good enough for a real deployment.
KNOWN_SECRETS = {"dev", "secret", "changeme", "change-me", "test-secret", "pg-secret", "bench", "x",
                 demo.DEMO_PASSWORD, "tonghu"}
MIN_SECRET_LENGTH = 32


def demo_usernames() -> set[str]:
    names = {"admin", "designer"}
    names |= {f"supervisor.{department}.{code}" for department, code in demo.SUPERVISED_OFFICES}
    names |= {f"{department}.{code}" for code, _name, _parent in demo.REGIONS for department in DEPARTMENTS}
    return names


def demo_accounts(session: Session) -> list[str]:
    """Active accounts that still open with the demo password (stops at the first found)."""
    candidates = session.scalars(select(User.username).where(User.username.in_(demo_usernames()),
                                                             User.active.is_(True)).order_by(User.username))
    for username in candidates:
        if accounts.verify(accounts.find(session, username), demo.DEMO_PASSWORD):
            return [username]
    return []


def secret_problem(config) -> str | None:
    secret = config.get("SECRET_KEY") or ""
    if not secret or config.get("SECRET_KEY_GENERATED"):
        return "未设置 SECRET_KEY：请在 TONGHU_SECRET_KEY 或配置文件中设置一个随机密钥（如 python -c 'import secrets; print(secrets.token_hex(32))'）"
    if secret in KNOWN_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        return f"SECRET_KEY 是默认值或太短（至少 {MIN_SECRET_LENGTH} 个字符的随机串）"
    return None


def refusals(config, session: Session) -> list[str]:
    """Why a production start must not go on; empty in demo/test or when all is well."""
    if config.get("ENV") in ("demo", "test"):
        return []
    problems = [p for p in [secret_problem(config)] if p]
    found = demo_accounts(session)
    if found:
        problems.append(f"数据库中仍有演示账号（如 {found[0]}，密码为演示密码）：生产环境请删除或停用演示账号，"
                        "或设置 TONGHU_ENV=demo 运行演示")
    return problems


def schema_problem(engine) -> str | None:
    at, head = schema.current(engine), schema.head()
    if at != head:
        return f"数据库结构版本为 {at or '无'}，最新为 {head}：请先运行 tonghu db upgrade"
    return None


def readiness(session: Session, interval: float, now: datetime | None = None) -> tuple[bool, dict]:
    """(ready, checks): the database answers, migrations are at head, a worker ran within 2 intervals."""
    now = now or datetime.now(timezone.utc)
    checks = {}
    try:
        session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as err:  # any driver error means not ready; the type is enough for the probe
        session.rollback()
        return False, {"database": f"unreachable ({type(err).__name__})"}
    problem = schema_problem(session.get_bind())
    checks["migrations"] = "ok" if problem is None else f"not at head ({schema.current(session.get_bind()) or 'none'})"
    lease = session.get(SchedulerLease, "scheduler")
    last = lease.last_run_at if lease is not None else None
    if last is None:
        checks["worker"] = "never ran"
    elif now - last > timedelta(seconds=2 * interval):
        checks["worker"] = f"last run {int((now - last).total_seconds())} s ago"
    else:
        checks["worker"] = "ok"
    return all(v == "ok" for v in checks.values()), checks
