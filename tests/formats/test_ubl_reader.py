"""Reading UBL 2.1 / Peppol BIS Billing 3.0 invoices and credit notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nex_automat.domain.model import DocumentType, Invoice
from nex_automat.errors import UnsupportedFormat, XmlEntitiesRefused, XmlError
from nex_automat.formats.ubl import read_ubl, read_ubl_stated_totals

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "ubl"

SLOVAK_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>FV2026001</cbc:ID>
  <cbc:IssueDate>2026-03-02</cbc:IssueDate>
  <cbc:DueDate>2026-03-16</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0245">2020123457</cbc:EndpointID>
    <cac:PostalAddress><cbc:StreetName>Hlavn\xc3\xa1 1</cbc:StreetName>
      <cbc:CityName>Bratislava</cbc:CityName><cbc:PostalZone>811 01</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>SK</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>SK 2020123457</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Stavebniny s.r.o.</cbc:RegistrationName>
      <cbc:CompanyID>35 123 456</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="9929">CZ12345679</cbc:EndpointID>
    <cac:PartyLegalEntity><cbc:RegistrationName>Odberatel a.s.</cbc:RegistrationName>
      <cbc:CompanyID schemeID="0154">12345679</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cbc:PaymentID>2026001</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>SK31 1200 0000 1987 4263 7541</cbc:ID>
    </cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">23.00</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">23.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">123.00</cbc:TaxInclusiveAmount>
    <cbc:PayableRoundingAmount currencyID="EUR">0.02</cbc:PayableRoundingAmount>
    <cbc:PayableAmount currencyID="EUR">123.02</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="KGM">40</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
      <cbc:MultiplierFactorNumeric>20</cbc:MultiplierFactorNumeric>
      <cbc:Amount currencyID="EUR">25.00</cbc:Amount>
      <cbc:BaseAmount currencyID="EUR">125.00</cbc:BaseAmount></cac:AllowanceCharge>
    <cac:Item><cbc:Name>Cement 25 kg</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>CEM-0025</cbc:ID></cac:SellersItemIdentification>
      <cac:StandardItemIdentification><cbc:ID schemeID="0160">8586000000019</cbc:ID>
      </cac:StandardItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>23</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">312.50</cbc:PriceAmount>
      <cbc:BaseQuantity unitCode="KGM">100</cbc:BaseQuantity></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""


def read_sample(name: str) -> Invoice:
    return read_ubl((SAMPLES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "net", "vat", "gross", "due"),
    [
        ("base-example.xml", "1325", "331.25", "1656.25", "1656.25"),
        ("Allowance-example.xml", "5900", "1225.00", "7125", "6125.00"),
        ("Vat-category-S.xml", "7000", "1550.00", "8550", "8550"),
        ("base-creditnote-correction.xml", "-1325", "-331.25", "-1656.25", "-1656.25"),
        ("base-negative-inv-correction.xml", "-1325", "-331.25", "-1656.25", "-1656.25"),
        ("vat-category-E.xml", "1200", "0", "1200", "1200"),
        ("vat-category-O.xml", "3200", "0", "3200", "3200"),
        ("vat-category-Z.xml", "1200", "0", "1200", "1200"),
    ],
)
def test_every_sample_gives_its_stated_totals(
    name: str, net: str, vat: str, gross: str, due: str
) -> None:
    invoice = read_sample(name)
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross, invoice.amount_due) == (
        Decimal(net),
        Decimal(vat),
        Decimal(gross),
        Decimal(due),
    )


def test_header_fields_of_base_example() -> None:
    invoice = read_sample("base-example.xml")
    assert invoice.document_type is DocumentType.INVOICE
    assert invoice.number == "Snippet1"
    assert invoice.issue_date == date(2017, 11, 13)
    assert invoice.due_date == date(2017, 12, 1)
    assert invoice.tax_point_date == date(2017, 11, 1)
    assert invoice.currency == "EUR"
    assert invoice.buyer_reference == "0150abc"


def test_parties_carry_names_addresses_vat_ids_and_bank_account() -> None:
    invoice = read_sample("base-example.xml")
    supplier, customer = invoice.supplier, invoice.customer
    assert supplier.name == "SupplierOfficialName Ltd"
    assert (supplier.street, supplier.city, supplier.postal_code, supplier.country) == (
        "Main street 1",
        "London",
        "GB 123 EW",
        "GB",
    )
    assert supplier.vat_id == "GB1232434"
    assert (supplier.iban, supplier.bic) == ("IBAN32423940", "BIC324098")
    assert supplier.ico is None
    assert customer.vat_id == "SE4598375937"
    assert customer.ico is None


def test_lines_keep_order_quantities_prices_and_negative_amounts() -> None:
    lines = read_sample("base-example.xml").lines
    assert [line.position for line in lines] == [1, 2]
    assert lines[1].description == "item name 2"
    assert lines[1].quantity == Decimal(-3)
    assert lines[1].unit_price == Decimal(500)
    assert lines[1].net_amount == Decimal(-1500)
    assert (lines[1].vat_rate, lines[1].vat_category) == (Decimal(25), "S")


def test_price_per_base_quantity_becomes_price_per_unit() -> None:
    line = read_sample("Allowance-example.xml").lines[1]
    assert line.unit_price == Decimal(100)
    assert line.unit == "ks"


def test_document_allowances_and_charges_keep_their_tax_category() -> None:
    invoice = read_sample("Allowance-example.xml")
    charge, allowance = invoice.allowances_charges
    assert charge.is_charge and not allowance.is_charge
    assert (charge.amount, charge.base_amount, charge.percent) == (
        Decimal(200),
        Decimal(1000),
        Decimal(20),
    )
    assert charge.reason == "Cleaning"
    assert (allowance.amount, allowance.vat_rate, allowance.vat_category) == (
        Decimal(200),
        Decimal(25),
        "S",
    )


def test_prepaid_amount_and_exemption_reason_are_read() -> None:
    invoice = read_sample("Allowance-example.xml")
    assert invoice.prepaid_amount == Decimal(1000)
    exempt = invoice.vat_breakdown[1]
    assert (exempt.category, exempt.rate, exempt.exemption_reason) == (
        "E",
        Decimal(0),
        "Reason for tax exempt",
    )


def test_vat_breakdown_in_document_currency_ignores_the_tax_currency_total() -> None:
    invoice = read_sample("Allowance-example.xml")
    assert invoice.total_vat == Decimal("1225.00")
    assert [row.rate for row in invoice.vat_breakdown] == [Decimal(25), Decimal(0)]


def test_credit_note_document_reads_negative_as_a_printed_credit_note() -> None:
    """A CreditNote states 1656.25 credited; the domain keeps a credit note negative."""
    invoice = read_sample("base-creditnote-correction.xml")
    assert invoice.document_type is DocumentType.CREDIT_NOTE
    assert invoice.preceding_invoice == "Snippet1"
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal(-1325),
        Decimal("-331.25"),
        Decimal("-1656.25"),
    )
    assert [line.quantity for line in invoice.lines] == [Decimal(-7), Decimal(3)]
    assert [line.net_amount for line in invoice.lines] == [Decimal(-2800), Decimal(1500)]
    assert [line.unit_price for line in invoice.lines] == [Decimal(400), Decimal(500)]
    assert [row.base for row in invoice.vat_breakdown] == [Decimal(-1325)]


def test_credit_note_stated_totals_follow_the_same_sign() -> None:
    data = (SAMPLES / "base-creditnote-correction.xml").read_bytes()
    assert read_ubl_stated_totals(data).line_total == Decimal(-1300)


def test_negative_invoice_correction_stays_an_invoice_with_negative_amounts() -> None:
    invoice = read_sample("base-negative-inv-correction.xml")
    assert invoice.document_type is DocumentType.INVOICE
    assert invoice.preceding_invoice == "Snippet1"
    assert invoice.lines[0].net_amount == Decimal(-2800)
    assert invoice.allowances_charges[0].amount == Decimal(-25)


@pytest.mark.parametrize(
    ("name", "category"),
    [("vat-category-E.xml", "E"), ("vat-category-O.xml", "O"), ("vat-category-Z.xml", "Z")],
)
def test_non_standard_categories_have_zero_rate(name: str, category: str) -> None:
    invoice = read_sample(name)
    assert [(row.category, row.rate) for row in invoice.vat_breakdown] == [(category, Decimal(0))]
    assert {line.vat_category for line in invoice.lines} == {category}
    assert {line.vat_rate for line in invoice.lines} == {Decimal(0)}


def test_slovak_party_gets_ico_dic_and_vat_id() -> None:
    supplier = read_ubl(SLOVAK_INVOICE).supplier
    assert supplier.ico == "35123456"
    assert supplier.dic == "2020123457"
    assert supplier.vat_id == "SK2020123457"
    assert supplier.iban == "SK3112000000198742637541"


def test_czech_company_number_and_vat_endpoint_fill_the_customer() -> None:
    customer = read_ubl(SLOVAK_INVOICE).customer
    assert customer.ico == "12345679"
    assert customer.vat_id == "CZ12345679"
    assert customer.dic is None


def test_numeric_payment_id_is_the_variable_symbol() -> None:
    assert read_ubl(SLOVAK_INVOICE).variable_symbol == "2026001"
    assert read_sample("base-example.xml").variable_symbol is None


def test_payable_rounding_amount_is_the_rounding() -> None:
    invoice = read_ubl(SLOVAK_INVOICE)
    assert (invoice.rounding, invoice.amount_due) == (Decimal("0.02"), Decimal("123.02"))


def test_line_discount_code_ean_and_unit_come_from_the_line() -> None:
    line = read_ubl(SLOVAK_INVOICE).lines[0]
    assert line.discount_percent == Decimal(20)
    assert line.seller_code == "CEM-0025"
    assert line.ean == "8586000000019"
    assert line.unit == "kg"
    assert line.unit_price == Decimal("3.125")


def test_what_the_document_lacks_stays_none() -> None:
    invoice = read_ubl(SLOVAK_INVOICE)
    assert invoice.tax_point_date is None
    assert invoice.order_reference is None
    assert invoice.prepaid_amount is None
    assert invoice.exchange_rate is None
    assert invoice.customer.street is None


def test_document_declaring_entities_is_refused() -> None:
    data = SLOVAK_INVOICE.replace(
        b"<Invoice ", b'<!DOCTYPE Invoice [<!ENTITY x "boom">]>\n<Invoice ', 1
    )
    with pytest.raises(XmlEntitiesRefused):
        read_ubl(data)


def test_other_xml_is_not_taken_for_ubl() -> None:
    with pytest.raises(UnsupportedFormat):
        read_ubl(b"<Invoice><ID>1</ID></Invoice>")


def test_malformed_amount_is_an_xml_error() -> None:
    data = SLOVAK_INVOICE.replace(b">123.02<", b">12x<")
    with pytest.raises(XmlError):
        read_ubl(data)
