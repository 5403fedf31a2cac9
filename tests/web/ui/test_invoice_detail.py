"""The invoice page: the document beside the fields, provenance, warnings, e-invoices, history."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from nex_automat.domain.model import DocumentType, InvoiceWarning
from nex_automat.extract.result import SourceBox
from nex_automat.store.documents import get_document
from nex_automat.store.invoices import get_invoice, save_invoice
from nex_automat.store.models import Role
from nex_automat.web.ui.page_images import page_sizes
from tests.invoicegen import generate
from tests.store.factories import add_pdf, make_invoice, make_result
from tests.web.ui.conftest import Browser, Workspace


def _add_generated(workspace: Workspace, *, warnings: list[InvoiceWarning] | None = None) -> str:
    """A real generated PDF stored as a document, with a box for the number and line 1."""
    generated = generate(3, "pohoda_sk")
    services = workspace.services
    with services.db.tenant_session("acme") as session:
        document = add_pdf(session, generated.pdf)
        services.files.tenant("acme").put(generated.pdf)
        result = make_result(make_invoice())
        result.provenance = {
            "number": SourceBox(0, 300.0, 100.0, 400.0, 112.0),
            "lines[0].quantity": SourceBox(0, 200.0, 400.0, 230.0, 410.0),
        }
        result.warnings = warnings or []
        record = save_invoice(session, document.id, result)
        record.provenance = {
            **record.provenance,
            "number": {**record.provenance["number"], "ocr": True},
        }
        return record.id


def test_the_page_shows_the_document_picture_and_boxes_as_shares_of_the_page(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _add_generated(workspace)
    browser = signed_in("ola")
    page = browser.get(f"/invoices/{invoice_id}")
    assert page.status_code == 200
    assert f'src="/invoices/{invoice_id}/pages/1.png"' in page.text
    with workspace.services.db.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        document = get_document(session, record.document_id)
        assert document is not None
    files = workspace.services.files.tenant("acme")
    size = page_sizes(files, document.sha256, document.media_type)[0]
    width, height = size.width, size.height
    expected = f"1;{100 * 300 / width:.3f};{100 * 100 / height:.3f};{100 * 100 / width:.3f}"
    assert f'data-box="{expected}' in page.text
    assert "prečítané z obrázka (OCR)" in page.text
    picture = browser.get(f"/invoices/{invoice_id}/pages/1.png")
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
    cached = files.derived_path(document.sha256, ".page1.png")
    assert cached.read_bytes() == picture.content
    assert browser.get(f"/invoices/{invoice_id}/pages/9.png").status_code == 404


def test_a_document_without_pages_says_so_calmly(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    page = signed_in("ola").get(f"/invoices/{invoice_id}")
    assert page.status_code == 200
    assert "nemá tlačenú podobu" in page.text
    assert "/pages/1.png" not in page.text


def test_warnings_are_shown_beside_the_fields_they_concern(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    warnings = [
        InvoiceWarning("invalid_ico", "The supplier's IČO 36123457 is not valid.", "supplier.ico"),
        InvoiceWarning(
            "line_amount_mismatch", "Line 2: 2.5 × 19.68 = 49.20", "lines[1].net_amount"
        ),
    ]
    invoice_id = _add_generated(workspace, warnings=warnings)
    page = signed_in("ola").get(f"/invoices/{invoice_id}").text
    ico_field = page[page.index('id="f.supplier.ico"') :]
    assert ico_field.index("Neplatné IČO.") < ico_field.index('class="rf')
    second_line = page[page.index(f'data-line="{_line_ids(workspace, invoice_id)[1]}"') :]
    assert second_line.index("Množstvo × cena") < second_line.index("</tr>")
    assert "Položka 2 · Základ:" in page


def _line_ids(workspace: Workspace, invoice_id: str) -> list[int]:
    with workspace.services.db.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return [line.id for line in record.lines]


def test_an_english_reader_sees_numbers_in_english_style(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice(total_gross=Decimal("1234.50"))
    page = signed_in("ann", language="en").get(f"/invoices/{invoice_id}").text
    assert 'name="f.total_gross" value="1234.50"' in page
    assert 'name="l.' in page and 'value="2.500"' in page


def test_another_tenants_invoice_and_its_pages_are_not_found(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    foreign = workspace.add_invoice(tenant="globex")
    browser = signed_in("ola", Role.ADMIN)
    assert browser.get(f"/invoices/{foreign}").status_code == 404
    assert browser.get(f"/invoices/{foreign}/pages/1.png").status_code == 404


def test_the_document_type_is_named_in_the_readers_language(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    credit_note = replace(make_invoice("D-1"), document_type=DocumentType.CREDIT_NOTE)
    with workspace.services.db.tenant_session("acme") as session:
        document = add_pdf(session, b"%PDF-1.7 credit note")
        invoice_id = save_invoice(session, document.id, make_result(credit_note)).id
    slovak = signed_in("ola").get(f"/invoices/{invoice_id}").text
    english = signed_in("ann", language="en").get(f"/invoices/{invoice_id}").text
    assert 'data-document-type="credit_note">Typ dokladu: Dobropis<' in slovak
    assert 'data-document-type="credit_note">Document type: Credit note<' in english


def test_the_page_links_to_the_invoices_own_xlsx_and_csv(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    page = browser.get(f"/invoices/{invoice_id}").text
    links = re.findall(r'<a class="export-link" href="([^"]+)" download>', page)
    assert links == [f"/invoices/{invoice_id}/export.xlsx", f"/invoices/{invoice_id}/export.csv"]
    xlsx, csv = (browser.get(link) for link in links)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert csv.status_code == 200 and "text/csv" in csv.headers["content-type"]


def test_the_export_links_are_styled_as_buttons(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    stylesheet = signed_in("ola").get("/static/app.css")
    assert stylesheet.status_code == 200
    assert "a.export-link {" in stylesheet.text
    assert ".doctype {" in stylesheet.text
