"""The JSON printed for each document follows the shared extraction contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import jsonschema

from nex_automat.domain.model import DocumentType, Invoice, InvoiceWarning, Line, Party, VatRow
from nex_automat.errors import EncryptedPdf
from nex_automat.extract import contract
from nex_automat.extract.result import ExtractionResult


def _invoice() -> Invoice:
    return Invoice(
        document_type=DocumentType.CREDIT_NOTE,
        number="DOB2025/0007",
        issue_date=date(2025, 9, 16),
        due_date=date(2025, 9, 30),
        currency="EUR",
        supplier=Party(name="Stavmat s.r.o.", ico="00123456", vat_id="SK2020123456"),
        customer=Party(name="Odberateľ a.s."),
        lines=[
            Line(
                position=1,
                description="Cement CEM II 25 kg",
                quantity=Decimal("-2.500"),
                unit="ks",
                unit_price=Decimal("5.2000"),
                discount_percent=Decimal("10.00"),
                vat_rate=Decimal("23.0"),
                net_amount=Decimal("-11.7"),
            )
        ],
        vat_breakdown=[VatRow(rate=Decimal("23"), base=Decimal("-11.7"), vat=Decimal("-2.691"))],
        total_net=Decimal("-11.70"),
        total_vat=Decimal("-2.69"),
        total_gross=Decimal("-14.39"),
        amount_due=Decimal("-14.39"),
    )


def _result() -> ExtractionResult:
    return ExtractionResult(
        invoice=_invoice(),
        method="text",
        pages=1,
        sha256="ab" * 32,
        warnings=[InvoiceWarning("invalid_ico", "IČO 00123456 fails its checksum", "supplier.ico")],
    )


def test_success_validates_against_the_schema(contract_schema: dict[str, Any]) -> None:
    jsonschema.validate(contract.success_json("a.pdf", _result()), contract_schema)


def test_failure_validates_against_the_schema(contract_schema: dict[str, Any]) -> None:
    document = contract.failure_json("b.pdf", EncryptedPdf("needs a password"))
    jsonschema.validate(document, contract_schema)
    assert document["ok"] is False
    assert document["error"] == {"code": "encrypted_pdf", "message": "needs a password"}
    assert document["invoice"] is None


def test_monetary_totals_carry_exactly_two_places() -> None:
    data = contract.invoice_json(_invoice())
    assert data["lines"][0]["net_amount"] == "-11.70"
    assert data["vat_breakdown"][0] == {"rate": "23", "base": "-11.70", "vat": "-2.69"}
    assert data["total_gross"] == "-14.39"


def test_quantities_and_unit_prices_keep_the_printed_precision() -> None:
    line = contract.invoice_json(_invoice())["lines"][0]
    assert line["quantity"] == "-2.500"
    assert line["unit_price"] == "5.2000"


def test_rates_are_percent_numbers_without_trailing_zeros() -> None:
    line = contract.invoice_json(_invoice())["lines"][0]
    assert line["vat_rate"] == "23"
    assert line["discount_percent"] == "10"
    assert contract.rate(Decimal("0.00")) == "0"
    assert contract.rate(Decimal("10.50")) == "10.5"
    assert contract.rate(Decimal("20")) == "20"


def test_precision_beyond_six_places_is_rounded() -> None:
    assert contract.decimal(Decimal("1.23456789")) == "1.234568"


def test_large_amounts_are_never_in_exponent_form() -> None:
    assert contract.money(Decimal("1E+6")) == "1000000.00"
    assert contract.rate(Decimal("2E+1")) == "20"


def test_missing_values_are_null_never_guessed() -> None:
    data = contract.invoice_json(Invoice())
    assert data["issue_date"] is None
    assert data["total_gross"] is None
    assert data["supplier"]["ico"] is None
    assert data["lines"] == []
    assert data["document_type"] == "invoice"


def test_dates_are_iso() -> None:
    data = contract.invoice_json(_invoice())
    assert data["issue_date"] == "2025-09-16"
    assert data["tax_point_date"] is None
