"""Corrections proposed for OCR values that fail a checksum or the arithmetic."""

from __future__ import annotations

from decimal import Decimal

from nex_automat.domain.model import Invoice, Line, Party
from nex_automat.extract.ocr_checks import suggest_corrections, variants

LINE_FIELDS = {"lines[0].quantity", "lines[0].unit_price", "lines[0].net_amount"}


def test_variants_swap_one_commonly_confused_character() -> None:
    assert "180" in set(variants("100"))
    assert "105" in set(variants("10S"))


def test_an_ico_failing_its_checksum_gets_the_one_valid_reading() -> None:
    invoice = Invoice(supplier=Party(ico="27116980"))
    (warning,) = suggest_corrections(invoice, {"supplier.ico"})
    assert warning.code == "ocr_suggested_correction"
    assert warning.field == "supplier.ico"
    assert "27116980" in warning.message and "27116930" in warning.message
    assert invoice.supplier.ico == "27116980"


def test_a_line_amount_misread_by_one_digit_is_corrected_by_its_arithmetic() -> None:
    line = Line(position=1, quantity=Decimal(3), unit_price=Decimal("86.66"))
    line.net_amount = Decimal("259.90")
    (warning,) = suggest_corrections(Invoice(lines=[line]), LINE_FIELDS)
    assert warning.field == "lines[0].net_amount"
    assert "259.98" in warning.message


def test_values_not_read_by_ocr_get_no_suggestion() -> None:
    invoice = Invoice(supplier=Party(ico="27116980"))
    assert suggest_corrections(invoice, {"number"}) == []


def test_consistent_values_get_no_suggestion() -> None:
    line = Line(position=1, quantity=Decimal(3), unit_price=Decimal("86.66"))
    line.net_amount = Decimal("259.98")
    assert suggest_corrections(Invoice(lines=[line]), LINE_FIELDS) == []
