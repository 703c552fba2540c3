"""The registry in the web UI: the menu, register (errors kept beside the fields), edit with history,
import with per-row errors, the child's file, my cases and the case search."""
import re
from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from tests.helpers import start_entrustment_case
from webapp.models import Child

VILLAGE = "village.430104001001"
COUNTY = "civil_affairs.430104000000"
SAMPLE = Path(__file__).resolve().parent.parent / "webapp" / "static" / "samples" / "children.csv"
FORM = {"id_number": "430104201501010015", "name": "小明", "region": "430104001001", "categories": ["left_behind"],
        "risk": "yellow", "risk_reason": "祖母年迈", "guardian-0-name": "王秀英", "guardian-0-relation": "grandparent",
        "guardian-0-phone": "13800000000"}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_officials_have_the_menu_and_designers_do_not(browser):
    browser.sign_in(VILLAGE)
    page = text(browser.get("/"))
    for label in ("儿童名册", "我的案件", "案件查询"):
        assert label in page
    browser.sign_in("designer")
    assert "儿童名册" not in text(browser.get("/designer/"))


def test_register_then_edit_and_the_file_keeps_the_history(browser, db_session):
    browser.sign_in(VILLAGE)
    form = text(browser.get("/children/new"))
    assert "登记儿童" in form and "留守儿童" in form and "望月湖社区" in form
    bad = browser.post("/children/new", {**FORM, "id_number": "430104201501010016", "guardian-0-phone": "1"})
    page = text(bad)
    assert bad.status_code == 422 and "公民身份号码校验码不正确" in page and "请填写有效的联系电话" in page
    assert 'value="小明"' in page  # the rest of the input is kept
    done = browser.post("/children/new", FORM)
    assert done.status_code == 302
    child = db_session.scalars(select(Child)).one()
    page = text(browser.get(f"/children/{child.id}"))
    assert "430104201501010015" in page and "王秀英" in page and "黄色" in page and "祖母年迈" in page
    assert "住所地为本村（居）望月湖社区" in page and "登记" in page
    edit = text(browser.get(f"/children/{child.id}/edit"))
    assert 'value="小明"' in edit
    refused = browser.post(f"/children/{child.id}/edit", {**FORM, "risk": "red", "risk_reason": ""})
    assert refused.status_code == 422 and "调整风险等级须说明评定理由" in text(refused)
    changed = browser.post(f"/children/{child.id}/edit", {**FORM, "risk": "red", "risk_reason": "发现身上有伤"})
    assert changed.status_code == 302
    page = text(browser.get(f"/children/{child.id}"))
    assert "风险等级：黄色（较低风险） → 红色（高风险）" in page and "发现身上有伤" in page
    listing = text(browser.get("/children?risk=red"))
    assert f'data-child="{child.id}"' in listing and "住所地为本村（居）望月湖社区" in listing
    assert f'data-child="{child.id}"' not in text(browser.get("/children?risk=green"))
    assert "没有符合条件的儿童" in text(browser.get("/children?q=无此人"))
    browser.sign_in("village.430104002001")
    assert browser.get(f"/children/{child.id}").status_code == 403
    assert browser.get(f"/children/{child.id}/edit").status_code == 403
    browser.sign_in("police.430104000000")
    assert browser.get("/children/new").status_code == 403


def test_import_page_lists_each_bad_row_and_imports_nothing(browser, db_session):
    browser.sign_in(COUNTY)
    page = text(browser.get("/children/import"))
    assert "samples/children.csv" in page
    bad = SAMPLE.read_text(encoding="utf-8").replace("2014-03-05", "2014-03-06").replace(",orphan,", ",孤儿院,")
    response = browser.post("/children/import", {"file": (BytesIO(bad.encode()), "list.csv")},
                            content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 422 and "第 2 行" in page and "第 3 行" in page and "未导入任何儿童" in page
    assert "孤儿院" in page
    assert db_session.scalar(select(func.count()).select_from(Child)) == 0
    done = browser.post("/children/import", {"file": (BytesIO(SAMPLE.read_bytes()), "list.csv")}, content_type="multipart/form-data")
    assert done.status_code == 302
    assert "新登记 2 名儿童" in text(browser.get(done.headers["Location"]))


def test_xlsx_imports_like_csv(browser, db_session):
    from openpyxl import Workbook
    book = Workbook()
    for row in SAMPLE.read_text(encoding="utf-8").splitlines():
        book.active.append(row.split(","))
    data = BytesIO()
    book.save(data)
    browser.sign_in(COUNTY)
    done = browser.post("/children/import", {"file": (BytesIO(data.getvalue()), "list.xlsx")}, content_type="multipart/form-data")
    assert done.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(Child)) == 2
    broken = browser.post("/children/import", {"file": (BytesIO(b"PK not a workbook"), "list.xlsx")},
                          content_type="multipart/form-data")
    assert broken.status_code == 422 and "不是有效的 Excel" in text(broken)


def test_my_cases_and_the_case_search(browser, api, start_data):
    case = start_entrustment_case(api, start_data)
    browser.sign_in(VILLAGE)
    running = text(browser.get("/cases/mine"))
    assert f'data-case="{case["id"]}"' in running and "本案由望月湖社区居民委员会立案" in running
    assert f'data-case="{case["id"]}"' not in text(browser.get("/cases/mine?tab=finished"))
    browser.sign_in(COUNTY)
    found = text(browser.get("/cases/search?q=小明&status=running"))
    assert f'data-case="{case["id"]}"' in found and "案件所在地属岳麓区民政局主管的县（区）" in found
    assert f'data-case="{case["id"]}"' not in text(browser.get("/cases/search?status=finished"))
    assert "应为 1900 至 9998 年间的日期" in text(browser.get("/cases/search?since=2026-02-30"))
    browser.sign_in("civil_affairs.310104000000")
    assert not re.search(r'data-case="\d+"', text(browser.get("/cases/search")))
