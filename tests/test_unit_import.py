"""CSV import of units and their accounts: the sample imports; any bad row refuses the whole file."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.models import Unit, User
from webapp.services import unit_import
from webapp.services.errors import Invalid

SAMPLE = Path(__file__).resolve().parent.parent / "webapp" / "static" / "samples" / "units.csv"
HEADER = "code,name,department,region,serves,username,display_name,password\n"


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_the_sample_imports_with_its_account(db_session, api, clock):
    created = unit_import.import_units(db_session, SAMPLE.read_bytes(), clock.now())
    db_session.commit()
    assert [u.name for u in created] == ["岳麓区金华小学", "望月湖社区卫生服务中心"]
    assert created[1].department_code == "health"  # named by its Chinese department name
    user = db_session.scalars(select(User).where(User.username == "unit.yl-school-jh")).one()
    assert user.unit_id == created[0].id and user.office.name == "岳麓区教育局及学校"
    # the new account logs in and its school is offered where it serves
    schools = api("village.430104001001").get("/units?department=education&region=430104001002").get_json()
    assert "岳麓区金华小学" in [u["name"] for u in schools]


def test_the_sample_account_can_log_in(client, db_session, clock):
    unit_import.import_units(db_session, SAMPLE.read_bytes(), clock.now())
    db_session.commit()
    response = client.post("/api/v1/auth/token", json={"username": "unit.yl-school-jh", "password": "Jinhua-school-2026"})
    assert response.status_code == 200


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(db_session, clock):
    units_before, users_before = count(db_session, Unit), count(db_session, User)
    content = HEADER + "\n".join([
        "ok-school,好小学,education,430104002000,430104002,unit.ok-school,,Good-school-2026",
        "yl-protection,重复的中心,protection_center,430104000000,430104,,,",        # code taken (demo)
        "bad-dept,某机构,orphanage,430104000000,430104,,,",
        "ok-school,又一个,education,430104002000,430104002,,,",                     # duplicate in the file
        "no-region,某小学,education,999999999999,4301x,admin,,short",
    ]) + "\n"
    with pytest.raises(Invalid) as err:
        unit_import.import_units(db_session, content.encode(), clock.now())
    errors = err.value.errors
    assert set(errors) == {"第 3 行", "第 4 行", "第 5 行", "第 6 行"}
    assert "已被“岳麓区未成年人救助保护中心”使用" in errors["第 3 行"]
    assert "部门“orphanage”不是已知部门" in errors["第 4 行"]
    assert "与第 2 行重复" in errors["第 5 行"]
    assert "行政区划“999999999999”不存在" in errors["第 6 行"] and "账号“admin”已被使用" in errors["第 6 行"]
    assert "密码至少" in errors["第 6 行"]
    assert "未导入任何单位" in err.value.message
    db_session.rollback()
    assert (count(db_session, Unit), count(db_session, User)) == (units_before, users_before)


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00garbage", "不是 UTF-8"),
    ("名称,部门\n某小学,education\n".encode(), "缺少：code"),
    (HEADER.encode(), "没有数据行"),
    (("\ufeff" + HEADER + 'a,"unclosed\n').encode(), "CSV 格式错误"),
    ((HEADER + "a,b,education,430104000000,430104,,,,extra\n").encode(), "列数多于表头"),
])
def test_files_that_are_no_unit_list_say_why(db_session, clock, content, message):
    with pytest.raises(Invalid) as err:
        unit_import.import_units(db_session, content, clock.now())
    assert message in str(err.value.errors)
