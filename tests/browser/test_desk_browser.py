"""The officials' desk in a real Chromium: a mandatory report filed with what the teacher knew,
worked by the police from a 390 px phone (cards, no sideways scrolling, the identity completed
on the case page), and the agreement's PDF downloaded on a desktop. Screenshots:
test-artifacts/browser/."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.case_driver import drive_to_end
from tests.helpers import CHOOSE_WELFARE, start_entrustment_case
from tests.test_revocation import POLICE, REPORT
from webapp.models import CaseFileEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
NO_OVERFLOW = "document.scrollingElement.scrollWidth <= window.innerWidth"


def on_phone(tab):
    tab.page.set_viewport_size(PHONE)
    return tab.page


def assert_fits(page, what):
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NO_OVERFLOW), f"{what} scrolls sideways at 390 px: {widths}"


def test_police_work_a_report_from_a_phone(pages, api):
    report = {**REPORT, "child": {"description": "约八九岁男孩，右臂有淤青"}}
    created = api("education.430104000000").post("/processes/guardianship_revocation/instances",
                                                  {"region": "430104001001", "data": report})
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]

    police = pages("phone-police")
    page = on_phone(police)
    police.login(POLICE)
    police.goto("/")
    row = page.locator(f"table.tasks tr[data-task]").first
    row.wait_for()
    assert page.locator("table.tasks thead").is_hidden()  # the columns' heads go: each task is a card
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert "姓名不详" in row.inner_text()
    child_cell = row.locator('td[data-label="儿童"]')
    assert child_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"儿童："'  # labelled in the card
    claim = row.locator("button", has_text="认领")
    box = claim.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_fits(page, "the task list")
    police.shot("task-list")

    row.locator("td.title a").click()
    page.wait_for_selector(".task-actions")
    claim_top = page.locator(".task-actions button", has_text="认领").bounding_box()
    assert claim_top["y"] + claim_top["height"] <= PHONE["height"]  # 认领 above the fold
    assert page.locator("dl.facts").evaluate("d => getComputedStyle(d).gridTemplateColumns.split(' ').length") == 1
    assert_fits(page, "the task page")
    police.shot("task")
    page.locator(".task-actions button", has_text="认领").click()
    page.wait_for_selector(".flash-success")
    assert_fits(page, "the task page after claiming")

    police.goto(f"/cases/{case_id}")
    assert_fits(page, "the case page")
    police.shot("case")
    page.click("#child-identity summary")
    page.fill("#identity-id_number", "430104201601010038")  # a wrong check digit
    page.click("#child-identity button[type=submit]")
    page.wait_for_selector("#child-identity .error")
    assert page.input_value("#identity-id_number") == "430104201601010038"  # kept for correcting
    assert_fits(page, "the refused identity form")
    police.shot("identity-refused")
    page.fill("#identity-id_number", "430104201601010039")
    page.fill("#identity-name", "小刚")
    page.click("#child-identity button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "已补全儿童身份：小刚" in page.inner_text(".flashes")
    assert "2016-01-01 出生" in page.inner_text("dl.facts")
    police.shot("identified")

    page.click("#case-diagram-link")
    page.wait_for_selector("#case-diagram[data-ready=true]")
    page.wait_for_selector('#canvas [data-element-id="register_report"].tonghu-done')  # a service step that ran
    page.wait_for_selector('#canvas [data-element-id="police_handle_report"].tonghu-current')
    assert page.evaluate("tonghuViewer.get('canvas').zoom()") >= 0.85
    police.shot("diagram")
    page.go_back()
    page.click("text=儿童档案")
    page.wait_for_selector("table.entries")
    assert "430104201601010039" in page.inner_text("dl.facts")
    assert page.locator("table.entries tbody tr").first.evaluate("r => getComputedStyle(r).display") == "block"
    assert_fits(page, "the child's file")
    police.shot("child-file")


def test_desktop_keeps_its_table(pages, api):
    created = api("education.430104000000").post("/processes/guardianship_revocation/instances",
                                                  {"region": "430104001001", "data": REPORT})
    assert created.status_code == 201
    police = pages("desktop-police")
    police.login(POLICE)
    page = police.goto("/")
    page.wait_for_selector("table.tasks tr[data-task]")
    assert page.locator("table.tasks thead").is_visible()
    assert page.locator("table.tasks tr[data-task]").first.evaluate("r => getComputedStyle(r).display") == "table-row"
    police.shot("task-list")


def test_the_agreement_pdf_is_downloaded_from_the_case_page(pages, app, api, start_data):
    case_id = start_entrustment_case(api, start_data)["id"]
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    drive_to_end(make, engine, case_id, {**CHOOSE_WELFARE, "guardian_name": "王秀英"},
                 until=lambda s, c: s.scalars(select(CaseFileEntry).where(
                     CaseFileEntry.case_id == c, CaseFileEntry.title == "五方委托照护协议")).first() is not None)
    official = pages("agreement-pdf")
    official.login("civil_affairs.430104000000")
    page = official.goto(f"/cases/{case_id}")
    item = page.locator("section.documents li", has_text="五方委托照护协议")
    number = item.locator(".document-number").inner_text()
    assert re.fullmatch(r"岳民委托〔20\d\d〕\d+号", number)
    official.shot("case-documents")
    with page.expect_download() as download:
        item.locator("a.pdf").click()
    with open(download.value.path(), "rb") as pdf:
        body = pdf.read()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    for expected in (number, start_data["child"]["name"], start_data["child"]["id_number"], "王秀英", "长沙市儿童福利院",
                     "签字（盖章）"):
        assert expected in text, expected
    item.locator("a", has_text="五方委托照护协议").click()
    page.wait_for_selector(".filed-document")
    assert number in page.inner_text(".document-number")
    official.shot("agreement")
