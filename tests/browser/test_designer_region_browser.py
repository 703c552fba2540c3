"""The designer's lane panel offers `regionFrom` (issue 14): the place-choosing (x-region) fields of the
forms this diagram fills, at least as fine as the lane; a misused one is marked on the diagram."""
from pathlib import Path

import pytest

from tests.browser.test_designer_browser import click_element, wait_status

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_lane_offers_the_place_fields_and_a_misused_region_from_shows_on_its_tasks(pages, tmp_path):
    designer = pages("designer")
    designer.login("designer")
    page = designer.page
    designer.goto("/designer/procedures/orphan_resettlement")
    page.click("#open-designer")
    page.wait_for_selector("#designer[data-ready=true]")
    page.wait_for_selector('#canvas [data-element-id="lane_new_residence_street"]')
    click_element(page, "lane_new_residence_street", where="right")
    chosen = page.locator("#bio-properties-panel-tonghu-region-from")
    assert chosen.input_value() == "new_residence_street"
    labels = chosen.locator("option").all_inner_texts()
    assert any("new_residence_street · resettlement_plan" in label for label in labels), labels
    assert "按案件中选定的地区" in page.inner_text(".bio-properties-panel")
    designer.shot("region-from")

    deployed = Path("processes/orphan_resettlement.bpmn").read_text(encoding="utf-8")
    bad = deployed.replace('name="regionFrom" value="new_residence_street"', 'name="regionFrom" value="old_street"')
    upload = tmp_path / "orphan_resettlement.bpmn"
    upload.write_text(bad, encoding="utf-8")
    page.set_input_files("#import-file", str(upload))
    wait_status(page, "校验发现问题")
    assert "old_street" in page.inner_text("#problem-list")
    page.wait_for_selector('#canvas [data-element-id="long_term_care_measures"].tonghu-problem')
    click_element(page, "lane_new_residence_street", where="right")
    chosen = page.locator("#bio-properties-panel-tonghu-region-from")
    assert chosen.input_value() == "old_street" and "未知" in chosen.locator("option:checked").inner_text()
    chosen.select_option("new_residence_street")
    page.click("#check")
    wait_status(page, "校验通过")
    assert page.locator("#canvas .tonghu-problem").count() == 0
