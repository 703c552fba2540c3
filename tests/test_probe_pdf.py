"""Probe of the PDF renderer (security round): a filed document that names outside resources (a file,
an address) renders without fetching any of them, and without failing."""
import io

from pypdf import PdfReader

from webapp.services import pdf


def test_a_document_naming_files_and_addresses_renders_and_fetches_nothing(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text('body::before { content: "SECRET-FROM-DISK"; }')
    hostile = (f'<h1>告知书</h1><link rel="stylesheet" href="file://{secret}"><img src="file:///etc/passwd">'
               f'<style>@import url("file://{secret}"); p {{ background: url(http://127.0.0.1:9/x.png) }}</style>'
               '<p style="background:url(file:///etc/hostname)">正文</p><object data="file:///etc/passwd"></object>')
    body = pdf.document_pdf("告知书", hostile, "立案归档")
    assert body.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "正文" in text and "告知书" in text
    assert "SECRET-FROM-DISK" not in text and "root:" not in text
