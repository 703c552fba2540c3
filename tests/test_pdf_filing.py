"""A document's PDF is rendered after the step that issued it has committed, outside the case's
lock (webapp/pdf_filing.py, the production setting `background`): the step answers without
waiting for WeasyPrint, the PDF is filed a moment later, a rolled-back step files none, and a
download racing the filer leaves one PDF."""
import shutil
import threading

import pytest
from sqlalchemy import func, select

from tests.test_document_filed_pdf import REPORT_FORM, pdf_text
from tests.test_revocation import start
from webapp import create_app
from webapp.models import Case, CaseFileEntry, DocumentPdf
from webapp.services import pdf
from webapp.services.cases import add_entry


@pytest.fixture
def app(tmp_path, clock, demo_database):
    path = tmp_path / "test.sqlite"
    shutil.copyfile(demo_database, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test-secret",
                      "CLOCK": clock, "PDF_FILING": "background"})
    yield app
    app.extensions["tonghu.pdf_filing"].drain()
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()


@pytest.fixture
def renders(monkeypatch):
    """Every PDF rendered (its title), and a gate the renderer waits at until the test opens it."""
    rendered, gate, real = [], threading.Event(), pdf.document_pdf

    def gated(title, html, note):
        gate.wait(20)
        rendered.append(title)
        return real(title, html, note)

    monkeypatch.setattr(pdf, "document_pdf", gated)
    return rendered, gate


def _report_form(db_session, case_id):
    return db_session.scalars(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id,
                                                          CaseFileEntry.title == REPORT_FORM)).one()


def test_the_issuing_call_answers_before_the_pdf_is_rendered_and_the_pdf_is_filed_after(app, api, db_session, renders):
    rendered, gate = renders
    response = start(api, "education.430104000000")  # the mandatory report issues its 强制报告登记表
    assert response.status_code == 201, response.get_json()
    case_id = response.get_json()["id"]
    entry = _report_form(db_session, case_id)
    assert rendered == [] and db_session.get(DocumentPdf, entry.id) is None, "the call waited for the PDF"
    gate.set()
    app.extensions["tonghu.pdf_filing"].drain()
    db_session.expire_all()
    filed = db_session.get(DocumentPdf, entry.id)
    assert filed is not None and rendered == [REPORT_FORM]
    text = pdf_text(filed.pdf)
    assert entry.document_number in text and f"归档至案件{case_id}号" in text


def _a_case(app, api, db_session, rendered) -> Case:
    response = start(api, "education.430104000000")
    assert response.status_code == 201, response.get_json()
    app.extensions["tonghu.pdf_filing"].drain()
    rendered.clear()
    return db_session.get(Case, response.get_json()["id"])


def test_a_document_rolled_back_with_its_step_gets_no_pdf(app, api, db_session, renders, clock):
    rendered, gate = renders
    gate.set()
    case = _a_case(app, api, db_session, rendered)
    now = clock.now()
    entry = add_entry(db_session, case, "document", "撤回的文书", now, None, body="<p>作废</p>")
    pdf.file_later(db_session, entry)
    db_session.flush()
    db_session.rollback()
    with db_session.begin_nested():  # a savepoint that fails (as the timer sweep isolates a case)
        inner = add_entry(db_session, case, "document", "回滚的文书", now, None, body="<p>作废</p>")
        pdf.file_later(db_session, inner)
        db_session.flush()
        db_session.get_transaction().rollback()
    kept = add_entry(db_session, case, "document", "保留的文书", now, None, body="<p>有效</p>")
    pdf.file_later(db_session, kept)
    db_session.commit()
    app.extensions["tonghu.pdf_filing"].drain()
    assert rendered == ["保留的文书"]
    assert db_session.scalar(select(func.count()).select_from(DocumentPdf).where(DocumentPdf.entry_id == kept.id)) == 1


def test_a_download_and_the_filer_at_once_file_one_pdf(app, api, db_session, renders, clock):
    rendered, gate = renders
    gate.set()
    case = _a_case(app, api, db_session, rendered)
    entry = add_entry(db_session, case, "document", "告知书", clock.now(), None, body="<p>告知</p>")
    db_session.commit()  # not marked: as if the process stopped before filing it
    first = pdf.filed_pdf(db_session, entry, clock.now())  # the download files it
    assert pdf.file_missing(db_session, entry.id, clock.now()) is False  # the filer finds it filed
    db_session.commit()
    assert pdf.filed_pdf(db_session, entry, clock.now()) == first and rendered == ["告知书"]
