"""The PDF of a document is filed with the case when the document is issued (issue 17.5): stored
once, served from there on every download, rendered again only when it is missing."""
import io
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from tests.test_revocation import POLICE, start
from webapp.models import CaseFileEntry, DocumentPdf
from webapp.services import pdf

REPORT_FORM = "强制报告登记表"


def pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def reported(api, db_session):
    """A mandatory report: its 强制报告登记表 is issued as the case opens."""
    response = start(api, "education.430104000000")
    assert response.status_code == 201, response.get_json()
    case_id = response.get_json()["id"]
    db_session.expire_all()
    entry = db_session.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id,
                                                           CaseFileEntry.title == REPORT_FORM)).one()
    return case_id, entry


def download(browser, case_id, entry_id):
    response = browser.client.get(f"/cases/{case_id}/documents/{entry_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    return response.data


def test_the_pdf_is_filed_as_the_document_is_issued_and_served_from_the_file(api, browser, db_session):
    case_id, entry = reported(api, db_session)
    filed = db_session.get(DocumentPdf, entry.id)
    assert filed is not None, "no PDF filed with the issued document"
    text = pdf_text(filed.pdf)
    assert entry.document_number in text and f"归档至案件{case_id}号" in text
    browser.sign_in(POLICE)
    assert download(browser, case_id, entry.id) == filed.pdf
    # what was filed is what is served, byte for byte, even when a renderer would now print otherwise
    other = pdf.document_pdf("另一份", "<h1>另一份</h1>", "别处")
    filed.pdf = other
    db_session.commit()
    assert download(browser, case_id, entry.id) == other
    assert db_session.scalar(select(func.count()).select_from(DocumentPdf).where(DocumentPdf.entry_id == entry.id)) == 1


def test_a_document_without_its_pdf_gets_one_filed_on_its_first_download(api, browser, db_session):
    case_id, entry = reported(api, db_session)
    db_session.delete(db_session.get(DocumentPdf, entry.id))  # e.g. filed before PDFs were filed
    db_session.commit()
    browser.sign_in("civil_affairs.430104000000")
    body = download(browser, case_id, entry.id)
    assert entry.document_number in pdf_text(body)
    db_session.expire_all()
    assert db_session.get(DocumentPdf, entry.id).pdf == body  # filed now, served from the file next time
    assert download(browser, case_id, entry.id) == body


def test_an_office_that_may_not_read_the_case_gets_neither_the_pdf_nor_a_filing(api, browser, db_session):
    case_id, entry = reported(api, db_session)
    db_session.delete(db_session.get(DocumentPdf, entry.id))
    db_session.commit()
    browser.sign_in("civil_affairs.310104000000")
    response = browser.client.get(f"/cases/{case_id}/documents/{entry.id}.pdf")
    assert response.status_code in (403, 404) and response.mimetype != "application/pdf"
    db_session.expire_all()
    assert db_session.get(DocumentPdf, entry.id) is None
