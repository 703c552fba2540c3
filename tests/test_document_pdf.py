"""Real documents: a number (文号) allocated once per document and office and year, the parties
with addresses and ID numbers, 签字（盖章） blocks, and a PDF to archive or send, downloaded from
the case page under the same read check and audit as the document page."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.case_driver import drive_to_end
from tests.helpers import CHOOSE_WELFARE, GUARDIAN, start_entrustment_case
from webapp.models import AuditEntry, CaseFileEntry, DocumentCounter
from webapp.services import filing, pdf

CIVIL = "civil_affairs.430104000000"
AGREEMENT = "五方委托照护协议"


def agreement_filed(session, case_id):
    return session.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id,
                                                       CaseFileEntry.title == AGREEMENT)).first() is not None


@pytest.fixture
def agreement(app, api, start_data):
    """An entrustment case driven by its offices until the five-party agreement is filed."""
    case_id = start_entrustment_case(api, start_data)["id"]
    make, engine = app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"]
    drive_to_end(make, engine, case_id, {**CHOOSE_WELFARE, "guardian_name": "王秀英", **GUARDIAN},
                 until=agreement_filed)
    with make() as s:
        entry = s.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id,
                                                      CaseFileEntry.title == AGREEMENT)).one()
        return case_id, entry.id, entry.document_number


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.slow
def test_the_agreement_pdf_carries_its_number_the_parties_and_page_numbers(agreement, browser, start_data, db_session):
    case_id, entry_id, number = agreement
    assert re.fullmatch(r"岳民委托〔20\d\d〕\d+号", number)
    browser.sign_in(CIVIL)
    case_page = browser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert number in case_page and f"/cases/{case_id}/documents/{entry_id}.pdf" in case_page
    response = browser.client.get(f"/cases/{case_id}/documents/{entry_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = re.sub(r"\s+", "", pdf_text(response.data))
    for expected in (number, "当事各方", start_data["child"]["name"], start_data["child"]["id_number"], "王秀英",
                     "长沙市儿童福利院", "岳麓区民政局", "湖南省长沙市岳麓区望月湖街道", "签字（盖章）", "第1页共",
                     GUARDIAN["guardian_id_number"], GUARDIAN["guardian_address"]):  # the guardian's row filled
        assert expected in text, expected
    read = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "document.read",
                                                       AuditEntry.target == f"document:{entry_id}")).all()
    assert any(r.detail.get("format") == "pdf" and r.username == CIVIL for r in read)


@pytest.mark.slow
def test_an_office_that_may_not_read_the_case_gets_no_pdf(agreement, browser):
    case_id, entry_id, _number = agreement
    browser.sign_in("civil_affairs.310104000000")
    response = browser.client.get(f"/cases/{case_id}/documents/{entry_id}.pdf")
    assert response.status_code == 403 and response.mimetype != "application/pdf"
    browser.sign_in(CIVIL)
    assert browser.client.get(f"/cases/{case_id}/documents/999999.pdf").status_code == 404


def test_numbers_count_per_office_and_year_and_are_never_shared(db_session):
    numbers = [filing.next_number(db_session, "civil_affairs@430104000000", 2031) for _ in range(3)]
    other = filing.next_number(db_session, "civil_affairs@310104000000", 2031)
    next_year = filing.next_number(db_session, "civil_affairs@430104000000", 2032)
    db_session.commit()
    assert numbers == [1, 2, 3] and other == 1 and next_year == 1
    counter = db_session.get(DocumentCounter, ("civil_affairs@430104000000", 2031))
    assert counter.last_number == 3


def test_rendering_reuses_one_font_configuration_per_thread(monkeypatch):
    """WeasyPrint never frees a font map it makes for a render: a server that let it make one per
    PDF grew 45-80 KiB per completion (bench/memory.py). Many PDFs, at most one new font map."""
    from weasyprint.text.fonts import FontConfiguration

    made = []
    original = FontConfiguration.__init__
    monkeypatch.setattr(FontConfiguration, "__init__", lambda self, *a, **k: (made.append(1), original(self, *a, **k))[1])
    for n in range(3):
        assert pdf.document_pdf(f"文书 {n}", "<p>正文</p>", "归档").startswith(b"%PDF")
    assert len(made) <= 1
