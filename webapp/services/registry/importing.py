"""Importing a village's or a county's children from a CSV (or XLSX) file, all or nothing.

Every row is checked (the same checks as a registration, `fields.check`) before anything is
written; any bad row refuses the whole file with one Chinese message per bad field and row,
so nothing is ever half-imported. A row whose ID number is registered updates that entry
(re-importing a corrected list never duplicates a child). Columns may be named in English
(`id_number,name,gender,birth_date,region,categories`, the sample's) or in Chinese.
"""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.clock import local_date
from ...models import Child, Unit, User
from ..errors import ServiceError
from . import children, probing, scope
from .fields import check

COLUMNS = {"id_number": "公民身份号码", "name": "姓名", "gender": "性别", "birth_date": "出生日期", "region": "住所地",
           "categories": "儿童类别", "household_region": "户籍地", "risk": "风险等级", "risk_reason": "评定理由",
           "school": "就读学校", "guardian_name": "监护人姓名", "guardian_relation": "监护人关系",
           "guardian_phone": "监护人电话"}
REQUIRED = ("id_number", "name", "gender", "birth_date", "region", "categories")
MAX_ROWS = 20000
# A workbook's parts unpacked: 20 000 rows of every column are about 15 MB of XML; a 2 MB upload
# may unpack to gigabytes (a zip bomb), so the sizes its directory declares are checked first
# (zipfile never unpacks more than an entry declares).
MAX_UNPACKED = 64 * 1024 * 1024
_HEADER = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}


class ImportFailed(ServiceError):
    """The file was refused: `rows` lists {"row", "field", "message"}; nothing was imported."""

    status = 422

    def __init__(self, rows: list[dict], message: str | None = None):
        bad = len({r["row"] for r in rows})
        super().__init__(message or f"导入失败：{bad} 行有误，未导入任何儿童。请改正后重新上传整个文件。")
        self.rows = rows


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


def _refuse(message: str):
    raise ImportFailed([{"row": 1, "field": "_", "message": message}], f"导入失败：{message}")


def read_csv(content: bytes | str) -> list[list[str]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            _refuse("文件不是 UTF-8 编码的 CSV，请在表格软件中另存为“CSV UTF-8”后重试")
    if "\x00" in content:
        _refuse("文件含有空字符，不是文本格式的 CSV")
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")), strict=True)
    try:
        return list(reader)
    except csv.Error as err:  # the parser's own words are English: say which line and what, in Chinese
        _refuse(f"CSV 格式错误（第 {reader.line_num} 行）：{_csv_problem(str(err))}")


def _csv_problem(error: str) -> str:
    if "field larger" in error:
        return "有一格内容过长（超过 131072 个字符）"
    if "new-line" in error:
        return "含有单独的回车符，请在表格软件中另存为“CSV UTF-8”后重试"
    return "引号不配对（内容中含引号或逗号时，整格须用英文双引号括起，其中的引号写两次）"


def read_xlsx(content: bytes) -> list[list[str]]:
    """The first sheet's rows as text (Excel's numbers and dates written as people typed them)."""
    from openpyxl import load_workbook
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse("文件不是有效的 Excel（.xlsx）工作簿")
    if unpacked > MAX_UNPACKED:
        _refuse(f"工作簿解压后超过 {MAX_UNPACKED // (1024 * 1024)} MB，请删去多余的工作表或拆分后分批导入")
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:  # a damaged or foreign file: openpyxl raises many kinds, all mean "not a workbook"
        _refuse("文件不是有效的 Excel（.xlsx）工作簿")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def parse(table: list[list[str]]) -> list[tuple[int, dict]]:
    """(line number, {column: text}) of the data rows; the first row names the columns."""
    if not table:
        _refuse("文件中没有数据行")
    header = [_HEADER.get(h.strip().lstrip("\ufeff")) for h in table[0]]
    missing = [f"{c}（{COLUMNS[c]}）" for c in REQUIRED if c not in header]
    if missing:
        _refuse(f"第 1 行须为列名，缺少：{'、'.join(missing)}（参见示例文件）")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if number - 1 > MAX_ROWS:
            _refuse(f"一次最多导入 {MAX_ROWS} 行")
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise ImportFailed([{"row": number, "field": "_", "message": "列数多于表头（内容中含逗号时请用英文双引号括起）"}])
        rows.append((number, {h: c.strip() for h, c in zip(header, cells) if h}))
    if not rows:
        _refuse("文件中没有数据行")
    return rows


def import_children(session: Session, user: User, content: bytes | str, now, kind: str = "csv", *,
                    allowance: int = probing.ALLOWANCE, remote_addr: str | None = None) -> Result:
    """Register or update every child of the file, or (on any bad row) none; raises `ImportFailed`."""
    rows = parse(read_xlsx(content) if kind == "xlsx" else read_csv(content))
    numbers = {r.get("id_number", "").upper() for _n, r in rows}
    existing = {}
    listed = sorted(numbers)
    for start in range(0, len(listed), 500):
        existing.update({c.id_number: c for c in session.scalars(
            select(Child).where(Child.id_number.in_(listed[start:start + 500])))})
    codes = {r["school"] for _n, r in rows if r.get("school")}
    schools = {u.code: u.id for u in session.scalars(select(Unit).where(Unit.code.in_(codes)))} if codes else {}
    schools.update({u.name: u.id for u in session.scalars(select(Unit).where(Unit.name.in_(codes)))} if codes else {})
    today, errors, planned, seen = local_date(now), [], [], {}
    hidden = probing.hidden_ids(session, user, existing.values())
    unseen, revealing = [], []  # rows whose number the importer does not see; those refused for being registered
    for number, row in rows:
        raw = _raw(row, schools)
        child = existing.get(row.get("id_number", "").upper())
        known = children.known_values(child) if child else None
        values, problems = check(session, raw, today, known)
        if row.get("school") and raw["school_unit_id"] == "-1":
            problems["school"] = f"没有学校“{row['school']}”（请填写学校简码或全称）"
            problems.pop("school_unit_id", None)
        _row_rules(user, row, values, problems, child, seen, number)
        if child is None or child.id in hidden:
            unseen.append(problems)
            if child is not None and problems.get("region") == MOVED:
                problems["region"] = MOVED_HIDDEN
                revealing.append(problems)
        planned.append((number, child, values, problems))
    if unseen and (probing.held(session, user, now) or (
            revealing and not probing.spend(session, user, len(revealing), now, allowance, remote_addr))):
        for problems in unseen:  # refused alike, registered or not: the answer no longer tells which
            if problems.get("region") == MOVED_HIDDEN:
                del problems["region"]
            problems["id_number"] = probing.REFUSED
    for number, _child, _values, problems in planned:
        errors += [{"row": number, "field": f, "message": m} for f, m in problems.items()]
    if errors:
        raise ImportFailed(errors)
    result = Result()
    for number, child, values, _problems in planned:
        if values.get("risk") and (child is None or values["risk"] != child.risk_grade):
            values["risk_reason"] = values.get("risk_reason") or f"导入时评定（第 {number} 行）"
        if child is None:
            child = Child(created_at=now, categories=[])
            session.add(child)
            result.created += 1
            children.apply(session, child, values, user, now, "import")
            continue
        if "guardians" in values:
            values["guardians"] = _merged(children.guardians_of(session, child), values["guardians"])
        if children.apply(session, child, values, user, now, "import") is not None:
            result.updated += 1
    session.flush()
    return result


def _raw(row: dict, schools: dict) -> dict:
    raw = {k: row[k] for k in ("id_number", "name", "gender", "birth_date", "region", "categories") if k in row}
    for optional in ("household_region", "risk", "risk_reason"):
        if row.get(optional):
            raw[optional] = row[optional]
    if row.get("school"):
        raw["school_unit_id"] = str(schools.get(row["school"], -1))
    if any(row.get(f"guardian_{f}") for f in ("name", "relation", "phone")):
        raw["guardians"] = [{f: row.get(f"guardian_{f}", "") for f in ("name", "relation", "phone")}]
    return raw


MOVED = "与名册登记的住所地不符（迁居须通过“儿童迁居”办理）"
MOVED_HIDDEN = "与名册登记的住所地不符；儿童由外地迁入的，请联系县级民政部门办理“儿童迁居”"


def _row_rules(user: User, row: dict, values: dict, problems: dict, child: Child | None, seen: dict, number: int):
    """What a registration checks beyond the fields: the place is the importer's, the row is the file's only one."""
    region = values.get("region")
    if region and not scope.may_write(user, region):
        problems["region"] = "不在您单位辖区内，不能导入"
    if child is not None and region and region != child.region_code:
        problems["region"] = MOVED
    number_key = values.get("id_number")
    if number_key in seen:
        problems["id_number"] = f"与第 {seen[number_key]} 行重复"
    elif number_key:
        seen[number_key] = number


def _merged(current, given: list[dict]) -> list[dict]:
    """The registered guardians with the file's one replaced by name, or added."""
    merged = [{"name": g.name, "relation": g.relation, "phone": g.phone} for g in current]
    for guardian in given:
        same = next((g for g in merged if g["name"] == guardian["name"]), None)
        if same:
            same.update(guardian)
        else:
            merged.append(guardian)
    return merged
