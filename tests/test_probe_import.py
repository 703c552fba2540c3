"""Probes of the registry's import with hostile files (security round): a zip bomb, English parser
messages, a file other offices' children are in."""
import io
import time
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.helpers import resident_id
from webapp.models import Child

VILLAGE = "village.430104001001"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["id_number", "name", "gender", "birth_date", "region", "categories"]


def workbook(rows, padding: int = 0) -> bytes:
    """An XLSX of `rows`; `padding` bytes of blanks inside its sheet (they compress a thousand to one)."""
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            data = source.read(name)
            if padding and name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b" " * padding + b"</sheetData>")
            target.writestr(name, data)
    return packed.getvalue()


def post_xlsx(api, data):
    client = api(VILLAGE)
    return client.client.post("/api/v1/children/import", headers={**client.headers, "Content-Type": XLSX}, data=data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(api, db_session):
    row = [resident_id("430104", "2015-01-01", 1), "小明", "", "", "430104001001", "孤儿"]
    bomb = workbook([row], padding=80 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # well under the request limit: only its unpacked size gives it away
    started = time.monotonic()
    response = post_xlsx(api, bomb)
    assert time.monotonic() - started < 1.5
    assert response.status_code == 422
    assert "解压" in response.get_json()["error"], response.get_json()
    assert db_session.scalar(select(func.count()).select_from(Child)) == 0
    assert post_xlsx(api, workbook([row])).get_json() == {"created": 1, "updated": 0, "errors": []}


def post_csv(api, text: str):
    client = api(VILLAGE)
    return client.client.post("/api/v1/children/import", headers={**client.headers, "Content-Type": "text/csv"},
                              data=text.encode())


def test_a_malformed_csv_is_explained_in_chinese_with_its_line(api, db_session):
    number = resident_id("430104", "2015-01-01", 1)
    head = ",".join(HEADER) + "\n"
    for text, words in ((head + f'{number},"小明,,,430104001001,孤儿\n' + "x" * 140_000, "过长"),
                        (head.replace("\n", "\r") + f"{number},小明,,,430104001001,孤儿\r", "回车"),
                        (head + f'{number},"小明"x,,,430104001001,孤儿\n', "引号")):
        body = post_csv(api, text).get_json()
        assert body["error"].startswith("导入失败：CSV 格式错误（第 ") and words in body["error"], body
        assert not any(c.isascii() and c.isalpha() for c in body["error"].replace("CSV", "").replace("UTF-8", "")), body
    assert db_session.scalar(select(func.count()).select_from(Child)) == 0


def test_an_import_writes_each_new_child_without_a_round_of_flushes(app, db_session):
    """20 000 rows (the limit) once took minutes in one request, past the server's 60 s timeout; each new
    child now costs its three inserts (entry, guardian, history) and nothing else."""
    from datetime import datetime, timezone

    from sqlalchemy import event

    from webapp.models import Guardian, RegistryChange, User
    from webapp.services.registry import importing
    rows = 400
    text = ",".join(HEADER + ["guardian_name", "guardian_relation", "guardian_phone"]) + "\n" + "".join(
        f"{resident_id('430104', f'2015-01-{1 + n % 28:02d}', n)},儿童{n},,,430104001001,孤儿,王秀英,父亲,13800000000\n"
        for n in range(rows))
    user = db_session.scalars(select(User).where(User.username == VILLAGE)).one()
    statements = []
    engine = db_session.get_bind()

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = importing.import_children(db_session, user, text.encode(), datetime.now(timezone.utc))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert result.created == rows
    assert not [s for s in statements if s.lstrip().upper().startswith("DELETE")]
    assert len(statements) <= 3 * rows + 20, len(statements)
    db_session.commit()
    for model in (Child, Guardian, RegistryChange):
        assert db_session.scalar(select(func.count()).select_from(model)) == rows
