"""A mandatory report with what the reporter knows: a name or a description, the place and the
facts. Police or civil affairs complete the child's identity later (补全儿童身份, audited); a
number that is already registered links the case to that child instead of a second record."""
from sqlalchemy import func, select

from tests.helpers import start_entrustment_case
from tests.test_revocation import POLICE, REPORT, start
from webapp.models import AuditEntry, Case, CaseFileEntry, Child

UNKNOWN = {"description": "约八九岁男孩，右臂有淤青，常在望月湖社区 12 栋附近"}


def report_without_identity(api, child=UNKNOWN):
    response = start(api, "education.430104000000", data={**REPORT, "child": dict(child)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_report_needs_only_a_name_or_a_description(api, db_session):
    by_description = report_without_identity(api)
    by_name = report_without_identity(api, {"name": "小刚"})
    db_session.expire_all()
    child = db_session.get(Case, by_description["id"]).child
    assert (child.id_number, child.birth_date, child.gender, child.name) == (None, None, None, "姓名不详")
    assert child.description == UNKNOWN["description"]
    assert db_session.get(Case, by_name["id"]).child.name == "小刚"
    assert db_session.get(Case, by_name["id"]).child_id != child.id  # two unidentified reports, two children


def test_a_report_with_neither_name_nor_description_is_refused_beside_the_name(api):
    response = start(api, "education.430104000000", data={**REPORT, "child": {"gender": "male"}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"child.name": "请至少填写其中一项：姓名、儿童外貌特征、年龄等描述"}


def identify(browser, case_id, **values):
    browser.get(f"/cases/{case_id}")
    return browser.post(f"/cases/{case_id}/child-identity", {"next": f"/cases/{case_id}", **values})


def test_police_complete_the_identity_and_later_documents_carry_it(api, browser, db_session):
    case = report_without_identity(api, {"name": "小刚"})
    browser.sign_in(POLICE)
    page = browser.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "补全儿童身份" in page and "身份号码待补全" in page
    refused = identify(browser, case["id"], id_number="430104201601010038")  # wrong check digit
    assert refused.status_code == 422
    assert "公民身份号码" in refused.get_data(as_text=True) and 'value="430104201601010038"' in refused.get_data(as_text=True)
    done = identify(browser, case["id"], id_number="430104201601010039")
    assert done.status_code == 302
    db_session.expire_all()
    child = db_session.get(Case, case["id"]).child
    assert (child.id_number, child.birth_date.isoformat(), child.gender) == ("430104201601010039", "2016-01-01", "male")
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "child.identify")).one()
    assert entry.username == POLICE and entry.target == f"case:{case['id']}"
    # the next step's data (and so every later document) now carries the number
    task = api(POLICE).get("/tasks").get_json()[0]
    data = api(POLICE).get(f"/tasks/{task['id']}").get_json()["data"]
    assert data["child"]["id_number"] == "430104201601010039"
    assert 'id="child-identity"' not in browser.get(f"/cases/{case['id']}").get_data(as_text=True)  # done: the action goes


def test_a_registered_number_links_the_case_to_that_child_without_a_duplicate(api, browser, start_data, db_session):
    registered = start_entrustment_case(api, start_data)["child_id"]
    case = report_without_identity(api)
    db_session.expire_all()
    provisional = db_session.get(Case, case["id"]).child_id
    children_before = db_session.scalar(select(func.count()).select_from(Child))
    browser.sign_in("civil_affairs.430104000000")
    assert identify(browser, case["id"], id_number=start_data["child"]["id_number"]).status_code == 302
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child_id == registered
    assert db_session.get(Child, provisional) is None
    assert db_session.scalar(select(func.count()).select_from(Child)) == children_before - 1
    titles = db_session.scalars(select(CaseFileEntry.title).where(CaseFileEntry.child_id == registered)).all()
    assert any("强制报告" in t or "立案" in t for t in titles) and any("已关联登记在册的儿童" in t for t in titles)


def test_only_police_and_civil_affairs_handling_the_case_may(api, browser, db_session):
    case = report_without_identity(api)
    browser.sign_in("education.430104000000")  # the reporting school reads the case but may not identify
    assert 'id="child-identity"' not in browser.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert identify(browser, case["id"], id_number="430104201601010039").status_code == 403
    browser.sign_in("police.310104001000")  # police elsewhere
    assert identify(browser, case["id"], id_number="430104201601010039").status_code in (403, 404)
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child.id_number is None


def test_bad_identity_input_gets_a_clear_answer_and_nothing_changes(api, browser, db_session):
    case = report_without_identity(api)
    browser.sign_in(POLICE)
    wrong = identify(browser, case["id"], id_number="430104201601010039", gender="x", birth_date="2016-13-01")
    assert wrong.status_code == 422
    page = wrong.get_data(as_text=True)
    assert "请从给定选项中选择" in page and "请输入有效日期" in page
    mismatch = identify(browser, case["id"], id_number="430104201601010039", birth_date="2016-02-01")
    assert mismatch.status_code == 422 and "出生日期" in mismatch.get_data(as_text=True)
    assert identify(browser, case["id"]).status_code == 422  # no number at all
    assert identify(browser, 2**63 - 1, id_number="430104201601010039").status_code == 404
    assert browser.post(f"/cases/{2**64}/child-identity", {"id_number": "x"}).status_code == 404
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child.id_number is None


def test_a_registered_number_with_another_name_is_refused_not_merged(api, browser, start_data, db_session):
    """As a case's start refuses it (services/registry/identity.py): a typed name that differs from the
    registered child's is a mistake to check, not a silent link of the report to someone else's file."""
    registered = start_entrustment_case(api, start_data)["child_id"]
    case = report_without_identity(api)
    db_session.expire_all()
    provisional = db_session.get(Case, case["id"]).child_id
    browser.sign_in("civil_affairs.430104000000")
    response = identify(browser, case["id"], id_number=start_data["child"]["id_number"], name="小红")
    assert response.status_code == 422
    assert "姓名与登记信息不符" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child_id == provisional != registered
    assert db_session.get(Child, provisional).id_number is None
    same = identify(browser, case["id"], id_number=start_data["child"]["id_number"], name=start_data["child"]["name"])
    assert same.status_code == 302
    db_session.expire_all()
    assert db_session.get(Case, case["id"]).child_id == registered
