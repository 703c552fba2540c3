"""A regional variant's decision table is edited in the browser as itself: the variant's own file and
draft, deployed as that variant again; the national file and the other places' variants stay as they were."""
from pathlib import Path

from sqlalchemy import select

from webapp.models import Draft
from webapp.services import definitions

from tests.test_designer_tables import Designer

ROOT = Path(__file__).resolve().parent.parent
URL = "/designer/procedures/basic_living_support"
TABLE = "medical_aid.dmn"
CHONGQING = (ROOT / "processes" / "variants" / "50" / TABLE).read_text(encoding="utf-8")
RATIO = ("<outputEntry id=\"rule_low_income_out_1\"><text>90</text></outputEntry>",
         "<outputEntry id=\"rule_low_income_out_1\"><text>95</text></outputEntry>")


def tables(designer, region=None) -> dict:
    answer = designer.get(f"{URL}/tables.json" + (f"?region={region}" if region else ""))
    assert answer.status_code == 200, answer.get_json()
    return {f["filename"]: f for f in answer.get_json()["files"]}


def newest(app, prefix=""):
    with app.app_context():
        from webapp.db import session
        found = definitions.latest(session(), "basic_living_support", prefix)
        return found.version, dict(found.files)


def test_the_chongqing_table_is_opened_saved_and_deployed_as_chongqings(browser, app):
    designer = Designer(browser)
    national_before, shanghai_before = newest(app), newest(app, "31")
    assert tables(designer)[TABLE]["xml"] != CHONGQING  # the national table …
    assert tables(designer, "50")[TABLE]["xml"] == CHONGQING  # … and Chongqing's own

    edited = CHONGQING.replace(*RATIO)
    assert edited != CHONGQING
    saved = designer.post(f"{URL}/drafts?region=50", {"file": TABLE, "xml": edited})
    assert saved.status_code == 200, saved.get_json()
    assert tables(designer, "50")[TABLE]["draft"]["revision"] == 1 and tables(designer, "50")[TABLE]["xml"] == edited
    assert tables(designer)[TABLE]["draft"] is None  # the national file has no draft
    with app.app_context():
        from webapp.db import session
        assert session().scalars(select(Draft.name).where(Draft.kind == "dmn")).all() == [f"50/{TABLE}"]

    # deployed only as Chongqing's variant: not as the national version
    refused = designer.post(f"{URL}/deploy?region=50", {"files": {TABLE: edited}})
    assert refused.status_code == 422 and "重庆市" in refused.get_json()["error"] + str(refused.get_json().get("errors"))
    deployed = designer.post(f"{URL}/deploy?region=50", {"files": {TABLE: edited}, "region_prefix": "50", "note": "低保家庭资助比例"})
    assert deployed.status_code == 200, deployed.get_json()
    assert [(d["process_id"], d["region_prefix"]) for d in deployed.get_json()["deployed"]] == [("basic_living_support", "50")]
    version, files = newest(app, "50")
    assert files[TABLE] == edited and tables(designer, "50")[TABLE]["draft"] is None
    assert newest(app) == national_before and newest(app, "31") == shanghai_before  # nothing else moved


def test_the_procedure_page_links_each_variant_to_its_own_editor_and_a_missing_variant_is_a_clear_404(browser):
    designer = Designer(browser)
    page = browser.get(URL).get_data(as_text=True)
    assert f'href="{URL}/tables?region=50"' in page and f'href="{URL}/tables?region=31"' in page
    editor = browser.get(f"{URL}/tables?region=50").get_data(as_text=True)
    assert 'id="editing-variant"' in editor and "重庆市" in editor
    assert '<option value="">' not in editor  # the national version is not offered from a variant's editor
    assert f"{URL}/deploy?region=50" in editor and f"{URL}/drafts?region=50" in editor
    missing = designer.get("/designer/procedures/psych_referral/tables.json?region=50")
    assert missing.status_code == 404 and "地区版本" in missing.get_json()["error"]
    bad = designer.get(f"{URL}/tables.json?region=x9")
    assert bad.status_code == 422 and "省（2 位）或市（4 位）" in bad.get_json()["errors"]["region_prefix"]
