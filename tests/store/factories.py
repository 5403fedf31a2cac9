"""Small builders for the storage tests: invoices as extraction would hand them over."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    InvoiceWarning,
    Line,
    Party,
    VatRow,
)
from nex_automat.extract.result import ExtractionResult, SourceBox
from nex_automat.store.documents import Arrival, add_document
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import Document, DocumentSource


def make_invoice(
    number: str = "2024001",
    *,
    supplier_name: str = "Stavebniny Žilina s.r.o.",
    supplier_ico: str | None = "36123456",
    supplier_vat_id: str | None = "SK2020123456",
    issue_date: date | None = date(2024, 3, 15),
    total_gross: Decimal | None = Decimal("123.00"),
    descriptions: tuple[str, ...] = ("Cement CEM II 25 kg", "Piesok 0-4 mm"),
) -> Invoice:
    lines = [
        Line(
            position=index + 1,
            description=text,
            seller_code=f"A{index + 1:03d}",
            ean="8586000000001",
            quantity=Decimal("2.500"),
            unit="ks",
            unit_price=Decimal("19.6800"),
            discount_percent=Decimal("0"),
            vat_rate=Decimal("23"),
            net_amount=Decimal("49.20"),
            vat_amount=Decimal("11.32"),
            gross_amount=Decimal("60.52"),
            vat_category="S",
        )
        for index, text in enumerate(descriptions)
    ]
    return Invoice(
        document_type=DocumentType.INVOICE,
        number=number,
        issue_date=issue_date,
        tax_point_date=issue_date,
        due_date=date(2024, 4, 14),
        currency="EUR",
        variable_symbol=number,
        constant_symbol="0308",
        order_reference="OBJ-77",
        supplier=Party(
            name=supplier_name,
            ico=supplier_ico,
            dic="2020123456",
            vat_id=supplier_vat_id,
            street="Hlavná 1",
            city="Žilina",
            postal_code="010 01",
            country="SK",
            iban="SK3112000000198742637541",
            bic="SUBASKBX",
        ),
        customer=Party(name="Odberateľ a.s.", ico="00123456", country="SK"),
        lines=lines,
        vat_breakdown=[VatRow(rate=Decimal("23"), base=Decimal("100.00"), vat=Decimal("23.00"))],
        total_net=Decimal("100.00"),
        total_vat=Decimal("23.00"),
        total_gross=total_gross,
        rounding=Decimal("-0.01"),
        amount_due=total_gross,
        prepaid_amount=None,
        allowances_charges=[
            AllowanceCharge(is_charge=False, amount=Decimal("5.00"), reason="Zľava", percent=None)
        ],
        exchange_rate=None,
        preceding_invoice=None,
        buyer_reference="REF-1",
        note="Ďakujeme",
    )


def make_result(invoice: Invoice | None = None, *, sha256: str = "0" * 64) -> ExtractionResult:
    return ExtractionResult(
        invoice=invoice or make_invoice(),
        method="text",
        pages=1,
        sha256=sha256,
        template="stavebniny-zilina",
        warnings=[InvoiceWarning("total_mismatch", "Súčet riadkov nesedí", "total_net")],
        provenance={"number": SourceBox(page=0, x0=10.5, top=20.0, x1=80.25, bottom=30.0)},
    )


def add_pdf(
    session: Session, content: bytes = b"%PDF-1.7 test", *, message_id: str | None = None
) -> Document:
    arrival = Arrival(source=DocumentSource.UPLOAD, filename="faktura.pdf", message_id=message_id)
    return add_document(
        session,
        sha256=sha256_hex(content),
        media_type="application/pdf",
        size=len(content),
        arrival=arrival,
    )
