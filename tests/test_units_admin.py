"""Admin pages of units: create, edit, deactivate and import from CSV, with Chinese messages."""
import io
from pathlib import Path

from sqlalchemy import select

from webapp.models import AuditEntry, Unit

SAMPLE = Path(__file__).resolve().parent.parent / "webapp" / "static" / "samples" / "units.csv"
NEW = {"code": "yl-school-new", "name": "岳麓区新建小学", "department": "education", "region": "430104002000",
       "serves": "430104002"}


def unit(db_session, code):
    db_session.expire_all()
    return db_session.scalars(select(Unit).where(Unit.code == code)).first()


def test_admin_creates_edits_and_deactivates_a_unit(browser, api, db_session):
    browser.sign_in("admin")
    page = browser.get("/admin/units").get_data(as_text=True)
    assert "机构名录" in page and "岳麓区未成年人救助保护中心" in page and "示例文件" in page
    refused = browser.post("/admin/units", {**NEW, "serves": "abc", "region": ""})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "服务范围须为 2–12 位数字" in text and "行政区划“”不存在" in text
    assert unit(db_session, "yl-school-new") is None
    assert browser.post("/admin/units", NEW).status_code == 302
    created = unit(db_session, "yl-school-new")
    assert created.name == "岳麓区新建小学"
    village = api("village.430104002001")
    assert "岳麓区新建小学" in [u["name"] for u in village.get("/units?department=education&region=430104002001").get_json()]
    browser.get(f"/admin/units/{created.id}")
    assert browser.post(f"/admin/units/{created.id}", {**NEW, "name": "岳麓区桃花岭第二小学"}).status_code == 302
    assert unit(db_session, "yl-school-new").name == "岳麓区桃花岭第二小学"
    browser.get("/admin/units")
    assert browser.post(f"/admin/units/{created.id}/active", {"active": "0"}).status_code == 302
    assert unit(db_session, "yl-school-new").active is False
    assert "岳麓区桃花岭第二小学" not in [u["name"] for u in village.get("/units?region=430104002001").get_json()]
    actions = set(db_session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("admin.unit.%"))))
    assert actions == {"admin.unit.create", "admin.unit.update", "admin.unit.deactivate"}


def test_import_refuses_a_bad_file_whole_then_takes_the_sample(browser, db_session):
    browser.sign_in("admin")
    browser.get("/admin/units")
    bad = SAMPLE.read_text(encoding="utf-8") + "yl-hospital,重复,health,430104000000,430104,,,\n"
    refused = browser.post("/admin/units/import", {"file": (io.BytesIO(bad.encode()), "units.csv")},
                           content_type="multipart/form-data")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "第 4 行" in text and "已被“岳麓区人民医院”使用" in text and "未导入任何单位" in text
    assert unit(db_session, "yl-school-jh") is None  # the good rows were not imported either
    assert browser.post("/admin/units/import", {}, content_type="multipart/form-data").status_code == 422
    done = browser.post("/admin/units/import", {"file": (io.BytesIO(SAMPLE.read_bytes()), "units.csv")},
                        content_type="multipart/form-data")
    assert done.status_code == 302
    assert unit(db_session, "yl-school-jh").name == "岳麓区金华小学"


def test_only_admins_reach_the_unit_pages(browser):
    browser.sign_in("civil_affairs.430104000000")
    assert browser.get("/admin/units").status_code == 403
