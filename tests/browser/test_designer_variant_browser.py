"""A regional variant's decision table edited in a real headless Chromium: from the procedure page's
variant row, dmn-js opens Chongqing's own medical-aid table, the designer changes a ratio and deploys;
Chongqing's variant has the change, the national table is as it was. Screenshots: test-artifacts/browser/."""
import pytest

from webapp.services import definitions

from .test_designer_new_browser import wait_status

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELL = '#table-canvas td[data-element-id="rule_low_income_out_1"]'


def test_a_designer_edits_chongqings_table_and_only_chongqings_variant_changes(pages, app):
    make = app.extensions["tonghu.sessionmaker"]
    with make() as s:
        national = definitions.latest(s, "basic_living_support").files["medical_aid.dmn"]
    designer = pages("variant-table")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/basic_living_support")
    page.click('#variants tr[data-prefix="50"] a.edit-variant-tables')
    page.wait_for_selector("#tables[data-ready=true]")
    assert "重庆市" in page.inner_text("#editing-variant")
    page.click('#file-tabs [data-file="medical_aid.dmn"]')
    page.wait_for_selector(CELL)
    assert page.locator(CELL).inner_text().strip() == "90"  # Chongqing's ratio, not the national table
    designer.shot("chongqing-table")
    page.locator(CELL).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("95")
    page.click("h1")
    page.wait_for_selector('#file-tabs [data-file="medical_aid.dmn"]:has-text("●")')
    offered = page.locator("#deploy-region option").all_inner_texts()
    assert len(offered) == 1 and "重庆市" in offered[0]  # deployed as Chongqing's variant, never national
    page.fill("#deploy-note", "低保家庭资助比例 95%")
    page.click("#deploy")
    wait_status(page, "已部署")
    assert "重庆市" in page.inner_text("#designer-status")
    designer.shot("chongqing-deployed")
    with make() as s:
        variant = definitions.latest(s, "basic_living_support", "50").files["medical_aid.dmn"]
        assert "<text>95</text>" in variant and "重庆" in variant
        assert definitions.latest(s, "basic_living_support").files["medical_aid.dmn"] == national
