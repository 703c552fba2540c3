"""Issue 17's walks in a real Chromium, on a desktop and a 390 px phone: the entrustment procedure
and a mandatory report from the report to their end. Early and late steps are driven through the
service layer (tests/case_driver.py), where the browser adds nothing; the browser shows what each
office sees: the case's story on later task pages, the confidential reporter only to police and
civil affairs, cards without sideways scrolling, the guardian's consent form, and the agreement's
PDF with its number and parties. Screenshots: test-artifacts/browser/walk-*.png."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.case_driver import drive_to_end
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, start_entrustment_case
from tests.test_revocation import CENTER, CIVIL, POLICE, REPORT, REPORTER, TOWNSHIP, to_home_investigation
from webapp.models import CaseFileEntry, HumanTask

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
PHONE_NUMBER = REPORT["reporter"]["phone"]
VILLAGE, INSTITUTION = "village.430104001001", "unit.cs-welfare"
AGREEMENT = "五方委托照护协议"


def assert_fits(page, what):
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways at {widths[1]} px: {widths}"


def open_task(tab, name, case_id):
    """The task page of `name` in this case, opened from the user's own task list as they would."""
    page = tab.goto("/")
    page.locator(f'tr[data-task="{task_id(tab, name, case_id)}"] td.title a').click()
    page.wait_for_selector("section.story")
    return page


def task_id(tab, name, case_id):
    session = tab.make()
    try:
        return session.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == name,
                                                          HumanTask.state == "open")).one()
    finally:
        session.close()


def story(page) -> str:
    """What was reported and each earlier step, folded ones included."""
    return page.text_content("section.story") + page.text_content("section.history")


@pytest.fixture
def walk(app, pages, request):
    """A tab for a user at a viewport, with the app's sessions at hand for finding a task; its
    screenshots are named after the walk, the device and the user."""
    procedure = "report" if "report" in request.node.name else "entrustment"

    def open_as(username, phone=False):
        tab = pages(f"walk-{procedure}-{'phone' if phone else 'desktop'}-{username.replace('.', '-')}")
        tab.make = app.extensions["tonghu.sessionmaker"]
        if phone:
            tab.page.set_viewport_size(PHONE)
        tab.login(username)
        return tab
    return open_as


def drive(app, case_id, answers=None, until=None):
    return drive_to_end(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"], case_id, answers,
                        until=until)


def waiting_on(name):
    return lambda s, c: s.scalars(select(HumanTask.id).where(HumanTask.case_id == c, HumanTask.name == name,
                                                             HumanTask.state == "open")).first() is not None


def test_a_mandatory_report_walked_to_its_end(app, api, walk):
    created = api("education.430104000000").post("/processes/guardianship_revocation/instances",
                                                  {"region": "430104001001", "data": REPORT})
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]

    police = walk(POLICE, phone=True)  # the police, 4 hours to act, on a phone
    page = police.goto("/")
    card = page.locator("table.tasks tr[data-task]").first
    card.wait_for()
    assert card.evaluate("r => getComputedStyle(r).display") == "block"  # a card, not a squeezed table row
    assert_fits(page, "the police's task list")
    police.shot("task-list")
    page = open_task(police, "police_handle_report", case_id)
    told = story(page)
    for fact in (REPORT["reason"], REPORT["location"], REPORTER, PHONE_NUMBER):  # what was reported, and by whom
        assert fact in told, fact
    assert_fits(page, "the police's task page")
    police.shot("police-task")

    to_home_investigation(api)  # police handle it, civil affairs decide, the protection centre admits
    civil = walk(CIVIL)
    page = civil.goto(f"/cases/{case_id}")
    assert "岳麓区" in page.inner_text("main")
    civil.shot("case")
    township = walk(TOWNSHIP, phone=True)
    page = open_task(township, "township_home_investigation", case_id)
    told = story(page)
    assert REPORT["reason"] in told and "已带离现场" in told  # the police's step, in the township's story
    assert REPORTER not in page.content() and PHONE_NUMBER not in page.content()
    assert_fits(page, "the township's task page")
    township.shot("township-task")
    school = walk("education.430104000000")  # the reporting school reads the case, never the reporter's name
    page = school.goto(f"/cases/{case_id}")
    assert REPORTER not in page.content() and PHONE_NUMBER not in page.content()
    school.shot("school-case")

    assert drive(app, case_id, {"court_ruling": "revoked"}).status == "completed"
    page = civil.goto(f"/cases/{case_id}")
    assert "已办结" in page.inner_text("dl.facts .status-completed")
    assert page.locator("section.documents li", has_text="强制报告登记表").count() == 1
    civil.shot("ended")
    centre = walk(CENTER, phone=True)
    page = centre.goto(f"/cases/{case_id}")
    assert REPORTER not in page.content()
    assert_fits(page, "the protection centre's case page")
    centre.shot("case")


def test_the_entrustment_walked_to_its_end(app, api, walk, start_data):
    case_id = start_entrustment_case(api, start_data)["id"]
    drive(app, case_id, {"guardian_name": "王秀英"}, until=waiting_on("record_guardian_consent"))

    village = walk(VILLAGE, phone=True)  # the child director records the guardian's consent from a phone
    page = open_task(village, "record_guardian_consent", case_id)
    told = story(page)
    assert start_data["reason"] in told and "王秀英" in told  # what the village found; the township's investigation
    assert_fits(page, "the consent page")
    village.shot("consent")
    page.locator(".task-actions button", has_text="认领").click()
    page.wait_for_selector(".flash-success")
    page.check('input[name="guardian_consents"][value="true"]')
    page.fill('textarea[name="consent_note"]', "祖母同意委托照护")
    page.click("#task-form button[type=submit]")
    page.wait_for_selector("#err-guardian_id_number")  # refused: the guardian's ID number and address are missing
    assert page.locator("#err-guardian_address").is_visible()
    assert page.input_value('textarea[name="consent_note"]') == "祖母同意委托照护"  # kept for correcting
    assert_fits(page, "the refused consent form")
    village.shot("consent-refused")
    page.fill('input[name="guardian_id_number"]', GUARDIAN["guardian_id_number"])
    page.fill('input[name="guardian_address"]', GUARDIAN["guardian_address"])
    page.click("#task-form button[type=submit]")
    page.wait_for_selector(".flash-success")
    village.shot("consent-done")

    drive(app, case_id, {"guardian_name": "王秀英", **CHOOSE_WELFARE}, until=waiting_on("admit_child"))
    institution = walk(INSTITUTION, phone=True)  # the chosen welfare institution admits the child
    page = open_task(institution, "admit_child", case_id)
    told = story(page)
    assert start_data["reason"] in told and "祖母同意委托照护" in told  # the report and the consent, months later
    assert_fits(page, "the institution's task page")
    institution.shot("admit")

    civil = walk(CIVIL)  # the agreement as paper: number, parties, seal blocks, as a filed PDF
    page = civil.goto(f"/cases/{case_id}")
    item = page.locator("section.documents li", has_text=AGREEMENT)
    number = item.locator(".document-number").inner_text()
    assert re.fullmatch(r"岳民委托〔20\d\d〕\d+号", number)
    civil.shot("case-documents")
    with page.expect_download() as download:
        item.locator("a.pdf").click()
    with open(download.value.path(), "rb") as pdf:
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages))
    for party in (number, start_data["child"]["name"], start_data["child"]["id_number"], "王秀英",
                  GUARDIAN["guardian_id_number"], GUARDIAN["guardian_address"], "长沙市儿童福利院",
                  "岳麓区民政局", "签字（盖章）"):
        assert party in text, party

    assert drive(app, case_id).status == "completed"
    page = civil.goto(f"/cases/{case_id}")
    assert "已办结" in page.inner_text("dl.facts .status-completed") and "协议终止" in page.inner_text("dl.facts")
    civil.shot("ended")
    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits(page, "the ended case page")
    civil.shot("ended-phone")
    with civil.make() as s:
        assert s.scalars(select(CaseFileEntry.title).where(CaseFileEntry.case_id == case_id,
                                                           CaseFileEntry.title == AGREEMENT)).one()
