"""Importing units, and an account for each, from a CSV file (a county's school list).

Every row is checked before anything is written; one bad row refuses the whole file, with a
Chinese message per row, so nothing is ever half-imported. Existing units are not changed.
"""
import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalog import DEPARTMENTS
from ..models import User
from .accounts import hash_password, password_problem
from .errors import Invalid
from . import units

COLUMNS = ("code", "name", "department", "region", "serves", "username", "display_name", "password")
REQUIRED = COLUMNS[:5]
MAX_ROWS = 5000
# Accounts one file creates: each initial password is hashed on purpose slowly (argon2, up to a
# second on a busy machine), all within the one request.
MAX_ACCOUNTS = 200
_BY_NAME = {name: code for code, (name, _levels) in DEPARTMENTS.items()}


def parse(content: bytes | str) -> list[dict]:
    """The rows of a UTF-8 CSV (Excel's BOM accepted) as dicts of the known columns."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid({"_": "文件不是 UTF-8 编码的 CSV，请在表格软件中另存为“CSV UTF-8”后重试"}) from None
    content = content.lstrip("\ufeff")
    if "\x00" in content:
        raise Invalid({"_": "文件含有空字符，不是文本格式的 CSV"})
    reader = csv.DictReader(io.StringIO(content), strict=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid({"_": f"CSV 第 1 行须为列名，缺少：{', '.join(missing)}（参见示例文件）"})
    rows, extra = [], {}
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise Invalid({"_": f"一次最多导入 {MAX_ROWS} 行"})
            if raw.get(None):
                extra[f"第 {number} 行"] = "列数多于表头（名称中含逗号时请用英文双引号括起）"
            row = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in raw.items()}
            if any(row.get(c) for c in COLUMNS):
                rows.append({"line": number, **{c: row.get(c, "") for c in COLUMNS}})
    except csv.Error as err:
        raise Invalid({"_": f"CSV 格式错误：{err}"}) from None
    if extra:
        raise Invalid(extra, f"导入失败：{len(extra)} 行格式有误，未导入任何单位。")
    if not rows:
        raise Invalid({"_": "文件中没有数据行"})
    return rows


def import_units(session: Session, content: bytes | str, now) -> list:
    """Create the units of the file and their accounts; all of them, or (on any bad row) none."""
    rows = parse(content)
    accounts = sum(1 for row in rows if row["username"])
    if accounts > MAX_ACCOUNTS:
        raise Invalid({"_": f"一次最多创建 {MAX_ACCOUNTS} 个账号（本文件 {accounts} 个），请拆分后分批导入"},
                      f"导入失败：一次最多创建 {MAX_ACCOUNTS} 个账号，请拆分后分批导入")
    errors: dict[str, str] = {}
    seen_codes: dict[str, int] = {}
    seen_users: dict[str, int] = {}
    for row in rows:
        row["department"] = _BY_NAME.get(row["department"], row["department"])
        problems = units.problems(session, row)
        if row["code"] in seen_codes:
            problems["code"] = f"简码“{row['code']}”与第 {seen_codes[row['code']]} 行重复"
        seen_codes.setdefault(row["code"], row["line"])
        problems.update(_account_problems(session, row, seen_users))
        if problems:
            errors[f"第 {row['line']} 行"] = "；".join(f"{_LABELS[k]}：{v}" for k, v in problems.items())
    if errors:
        raise Invalid(errors, f"导入失败：{len(errors)} 行有误，未导入任何单位。请改正后重新上传整个文件。")
    # Hashed before the first write: SQLite's write lock is the whole database's, held until the commit.
    hashes = {row["line"]: hash_password(row["password"]) for row in rows if row["username"]}
    created = []
    for row in rows:
        unit = units.create(session, row)
        if row["username"]:
            session.add(User(username=row["username"], display_name=row["display_name"] or row["name"],
                             password_hash=hashes[row["line"]], role="official",
                             office=units.office_of(session, unit), unit_id=unit.id, created_at=now))
        created.append(unit)
    session.flush()
    return created


_LABELS = {"code": "简码", "name": "名称", "department": "部门", "region": "所在区划", "serves": "服务范围",
           "username": "账号", "password": "初始密码"}


def _account_problems(session, row, seen_users) -> dict[str, str]:
    username = row["username"]
    if not username:
        return {"username": "填写了初始密码却没有账号"} if row["password"] else {}
    problems = {}
    if len(username) > 80 or not username.isprintable() or " " in username:
        problems["username"] = "账号不能超过 80 个字，且不能含空格"
    elif username in seen_users:
        problems["username"] = f"账号“{username}”与第 {seen_users[username]} 行重复"
    elif session.scalars(select(User).where(User.username == username)).first():
        problems["username"] = f"账号“{username}”已被使用"
    seen_users.setdefault(username, row["line"])
    problem = password_problem(row["password"], username=username, display_name=row["display_name"] or row["name"])
    if problem:
        problems["password"] = problem
    return problems
