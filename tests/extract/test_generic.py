"""An invoice is read without a template: header, parties, items, recap and totals together."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from nex_automat.domain.model import DocumentType, VatRow
from nex_automat.extract.generic import extract_generic
from nex_automat.extract.pdf import read_pdf
from tests.extract.pdfs import BOLD, Text, invoice_pdf, make_pdf


def test_typical_slovak_invoice() -> None:
    extraction = extract_generic(read_pdf(invoice_pdf()))
    invoice = extraction.invoice
    assert invoice.document_type is DocumentType.INVOICE
    assert invoice.number == "2024001234"
    assert invoice.issue_date == date(2024, 3, 12)
    assert invoice.tax_point_date == date(2024, 3, 12)
    assert invoice.due_date == date(2024, 3, 26)
    assert invoice.variable_symbol == "2024001234"
    assert invoice.currency == "EUR"
    assert invoice.supplier.name == "Stavebniny Novák s.r.o."
    assert invoice.supplier.ico == "12345678"
    assert invoice.supplier.vat_id == "SK2020123456"
    assert invoice.supplier.iban == "SK3112000000198742637541"
    assert invoice.customer.name == "Stavmat a.s."
    assert invoice.customer.city == "Košice"
    assert invoice.vat_breakdown == [VatRow(Decimal("23"), Decimal("12345.60"), Decimal("2839.49"))]
    assert invoice.amount_due == Decimal("15185.09")


def test_every_filled_field_has_its_box() -> None:
    extraction = extract_generic(read_pdf(invoice_pdf()))
    for path in ("number", "issue_date", "supplier.ico", "customer.name", "amount_due"):
        box = extraction.provenance[path]
        assert box.page == 0
        assert box.x0 < box.x1
        assert box.top < box.bottom


def test_credit_note_keeps_its_type_and_signs() -> None:
    pdf = make_pdf(
        [
            [
                Text(40, 50, "DOBROPIS č. D2025-007", 16, BOLD),
                Text(40, 90, "Dátum vystavenia: 3.2.2025"),
                Text(340, 700, "Spolu bez DPH:"),
                Text(555, 700, "-100,00 €", align="right"),
                Text(340, 714, "DPH 23 %:"),
                Text(555, 714, "-23,00 €", align="right"),
                Text(340, 728, "Spolu k úhrade:"),
                Text(555, 728, "-123,00 €", align="right"),
            ]
        ]
    )
    invoice = extract_generic(read_pdf(pdf)).invoice
    assert invoice.document_type is DocumentType.CREDIT_NOTE
    assert invoice.number == "D2025-007"
    assert invoice.total_net == Decimal("-100.00")
    assert invoice.amount_due == Decimal("-123.00")
    assert invoice.total_gross is None


def test_template_labels_extend_the_synonyms() -> None:
    pdf = make_pdf([[Text(40, 100, "Evidenčná značka:"), Text(200, 100, "EV-77/2025")]])
    doc = read_pdf(pdf)
    assert extract_generic(doc).invoice.number is None
    extra = {"number": ["Evidenčná značka"]}
    assert extract_generic(doc, extra_labels=extra).invoice.number == "EV-77/2025"


def test_czech_currency_from_the_totals() -> None:
    pdf = make_pdf(
        [[Text(340, 700, "Celkem k úhradě:"), Text(555, 700, "2 859,42 Kč", align="right")]]
    )
    assert extract_generic(read_pdf(pdf)).invoice.currency == "CZK"
