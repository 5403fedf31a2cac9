"""What the ISDOC writer puts where, and how it completes amounts ISDOC requires."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nex_automat.domain.model import DocumentType, Invoice, Line, Party, VatRow
from nex_automat.formats.isdoc import read_isdoc, validate_isdoc, write_isdoc
from tests.formats.invoices import (
    credit_note,
    foreign_currency_invoice,
    several_rates_invoice,
)

D = Decimal
NS = {"i": "http://isdoc.cz/namespace/2013"}


@pytest.fixture(scope="module")
def xsd(shared_dir: Path) -> Path:
    return shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"


def written(invoice: Invoice) -> etree._Element:
    return etree.fromstring(write_isdoc(invoice))


def texts(root: etree._Element, path: str) -> list[str]:
    found = root.xpath(path, namespaces=NS)
    return [item if isinstance(item, str) else item.text or "" for item in found]


def minimal(**fields: object) -> Invoice:
    invoice = Invoice(number="1", issue_date=date(2025, 1, 2), currency="EUR")
    for name, value in fields.items():
        setattr(invoice, name, value)
    return invoice


def test_minimal_invoice_is_schema_valid(xsd: Path) -> None:
    assert validate_isdoc(write_isdoc(minimal()), xsd) == []


def test_output_is_utf8_with_declaration_and_version() -> None:
    data = write_isdoc(several_rates_invoice())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert etree.fromstring(data).get("version") == "6.0.2"


@pytest.mark.parametrize(
    ("document_type", "code"),
    [
        (DocumentType.INVOICE, "1"),
        (DocumentType.CREDIT_NOTE, "2"),
        (DocumentType.DEBIT_NOTE, "3"),
        (DocumentType.PROFORMA, "4"),
        (DocumentType.ADVANCE_INVOICE, "5"),
    ],
)
def test_document_type_codes(document_type: DocumentType, code: str) -> None:
    root = written(minimal(document_type=document_type))
    assert texts(root, "i:DocumentType") == [code]
    assert read_isdoc(write_isdoc(minimal(document_type=document_type))).document_type is (
        document_type
    )


def test_uuid_depends_only_on_supplier_and_number() -> None:
    first = several_rates_invoice()
    changed = several_rates_invoice()
    changed.total_gross = D("1")
    changed.lines.pop()
    renumbered = several_rates_invoice()
    renumbered.number = "FV-2025-00124"
    other_supplier = several_rates_invoice()
    other_supplier.supplier.ico = "35757442"
    uuids = [texts(written(i), "i:UUID")[0] for i in (first, changed, renumbered, other_supplier)]
    assert uuids[0] == uuids[1]
    assert len(set(uuids)) == 3


def test_quantities_and_unit_prices_keep_full_precision() -> None:
    root = written(several_rates_invoice())
    assert texts(root, "//i:InvoiceLine/i:InvoicedQuantity") == ["40", "1.250", "1"]
    assert texts(root, "//i:InvoiceLine/i:UnitPrice") == ["4.5625", "12.00", "3.20"]
    assert texts(root, "//i:InvoiceLine/i:InvoicedQuantity/@unitCode") == ["ks", "kg", "ks"]


def test_line_discount_states_the_amount_before_discount() -> None:
    root = written(several_rates_invoice())
    assert texts(root, "//i:InvoiceLine[1]/i:LineExtensionAmountBeforeDiscount") == ["182.50"]


def test_domestic_slovak_invoice_is_in_local_euro_without_foreign_amounts() -> None:
    root = written(several_rates_invoice())
    assert texts(root, "i:LocalCurrencyCode") == ["EUR"]
    assert texts(root, "i:ForeignCurrencyCode") == []
    assert texts(root, "i:CurrRate") == ["1"]
    assert texts(root, "i:RefCurrRate") == ["1"]
    assert (
        root.xpath("//*[substring(local-name(), string-length(local-name()) - 3) = 'Curr']") == []
    )


def test_foreign_currency_states_local_amounts_at_the_rate() -> None:
    root = written(foreign_currency_invoice())
    assert texts(root, "i:LocalCurrencyCode") == ["CZK"]
    assert texts(root, "i:ForeignCurrencyCode") == ["EUR"]
    assert texts(root, "i:CurrRate") == ["25.10"]
    assert texts(root, "i:RefCurrRate") == ["1"]
    line = "//i:InvoiceLine[1]/"
    assert texts(root, line + "i:LineExtensionAmountCurr") == ["216.67"]
    assert texts(root, line + "i:LineExtensionAmount") == ["5438.42"]  # 216.67 × 25.10
    assert texts(root, line + "i:UnitPrice") == ["435.065830"]  # 17.3333 × 25.10, unrounded
    total = "i:LegalMonetaryTotal/"
    assert texts(root, total + "i:TaxInclusiveAmountCurr") == ["306.97"]
    assert texts(root, total + "i:TaxInclusiveAmount") == ["7704.95"]


def test_foreign_currency_without_a_rate_is_written_as_the_local_one() -> None:
    invoice = foreign_currency_invoice()
    invoice.exchange_rate = None
    root = written(invoice)
    assert texts(root, "i:LocalCurrencyCode") == ["EUR"]
    assert texts(root, "i:ForeignCurrencyCode") == []
    assert read_isdoc(write_isdoc(invoice)) == invoice


def test_local_currency_comes_from_the_supplier_vat_id_without_a_country() -> None:
    invoice = minimal(currency="EUR", exchange_rate=D("25"))
    invoice.supplier = Party(vat_id="CZ25097563")
    assert texts(written(invoice), "i:LocalCurrencyCode") == ["CZK"]


def test_invoice_without_any_currency_or_country_is_refused() -> None:
    with pytest.raises(ValueError, match="currency"):
        write_isdoc(minimal(currency=None))


def test_invoice_without_issue_date_is_refused_not_dated_today() -> None:
    with pytest.raises(ValueError, match="issue date"):
        write_isdoc(minimal(issue_date=None))


def test_payment_details_carry_due_date_symbols_and_bank_account() -> None:
    root = written(several_rates_invoice())
    details = "i:PaymentMeans/i:Payment/i:Details/"
    assert texts(root, "i:PaymentMeans/i:Payment/i:PaymentMeansCode") == ["42"]
    assert texts(root, "i:PaymentMeans/i:Payment/i:PaidAmount") == ["171.00"]
    assert texts(root, details + "i:PaymentDueDate") == ["2025-03-17"]
    assert texts(root, details + "i:IBAN") == ["SK3112000000198742637541"]
    assert texts(root, details + "i:BIC") == ["TATRSKBX"]
    assert texts(root, details + "i:BankCode") == ["1200"]
    # SK31 1200 000019 8742637541: bank 1200, account prefix 19, number 8742637541
    assert texts(root, details + "i:ID") == ["19-8742637541"]
    assert texts(root, details + "i:VariableSymbol") == ["202500123"]
    assert texts(root, details + "i:ConstantSymbol") == ["0308"]


def test_bank_account_without_due_date_is_an_alternate_account(xsd: Path) -> None:
    invoice = several_rates_invoice()
    invoice.due_date = None
    invoice.variable_symbol = invoice.constant_symbol = None
    data = write_isdoc(invoice)
    assert validate_isdoc(data, xsd) == []
    root = etree.fromstring(data)
    assert texts(root, "//i:AlternateBankAccount/i:IBAN") == ["SK3112000000198742637541"]
    assert read_isdoc(data).supplier.iban == "SK3112000000198742637541"


def test_credit_note_references_the_corrected_invoice() -> None:
    root = written(credit_note())
    assert texts(root, "i:DocumentType") == ["2"]
    reference = "i:OriginalDocumentReferences/i:OriginalDocumentReference/i:ID"
    assert texts(root, reference) == ["FV-2025-0456"]


def test_items_carry_ean_and_seller_code() -> None:
    root = written(several_rates_invoice())
    item = "//i:InvoiceLine[1]/i:Item/"
    assert texts(root, item + "i:Description") == ["Cement CEM II 25 kg"]
    assert texts(root, item + "i:CatalogueItemIdentification/i:ID") == ["8586000123457"]
    assert texts(root, item + "i:SellersItemIdentification/i:ID") == ["CEM-25"]


def test_parties_carry_ico_tax_ids_address_and_country() -> None:
    root = written(several_rates_invoice())
    party = "i:AccountingSupplierParty/i:Party/"
    assert texts(root, party + "i:PartyIdentification/i:ID") == ["36123455"]
    assert texts(root, party + "i:PartyTaxScheme/i:CompanyID") == ["2020123456", "SK2020123456"]
    assert texts(root, party + "i:PartyTaxScheme/i:TaxScheme") == ["TIN", "VAT"]
    assert texts(root, party + "i:PostalAddress/i:StreetName") == ["Priemyselná"]
    assert texts(root, party + "i:PostalAddress/i:BuildingNumber") == ["12/A"]
    assert texts(root, party + "i:PostalAddress/i:Country/i:IdentificationCode") == ["SK"]
    assert texts(root, party + "i:PostalAddress/i:Country/i:Name") == ["Slovensko"]
    customer = "i:AccountingCustomerParty/i:Party/i:PartyIdentification/i:ID"
    assert texts(root, customer) == ["00151653"]


def test_one_tax_subtotal_per_rate_with_rows_of_one_rate_summed() -> None:
    invoice = several_rates_invoice()
    invoice.vat_breakdown.append(VatRow(rate=D("23"), base=D("10.00"), vat=D("2.30")))
    root = written(invoice)
    assert texts(root, "i:TaxTotal/i:TaxSubTotal/i:TaxCategory/i:Percent") == ["23", "5", "0"]
    assert texts(root, "i:TaxTotal/i:TaxSubTotal/i:TaxableAmount") == ["174.25", "15.00", "3.20"]
    assert texts(root, "i:TaxTotal/i:TaxSubTotal/i:TaxAmount") == ["40.08", "0.75", "0.00"]
    assert texts(root, "i:TaxTotal/i:TaxAmount") == ["38.53"]


def test_missing_line_amounts_are_computed_from_quantity_price_and_rate(xsd: Path) -> None:
    invoice = minimal(
        lines=[
            Line(position=1, quantity=D("3"), unit_price=D("3.333"), vat_rate=D("23")),
            Line(position=2, net_amount=D("10.00"), vat_rate=D("5")),
            Line(position=3, quantity=D("4"), gross_amount=D("12.30"), vat_rate=D("23")),
        ]
    )
    data = write_isdoc(invoice)
    assert validate_isdoc(data, xsd) == []
    root = etree.fromstring(data)
    lines = "//i:InvoiceLine/"
    assert texts(root, lines + "i:LineExtensionAmount") == ["10.00", "10.00", "10.00"]
    assert texts(root, lines + "i:LineExtensionTaxAmount") == ["2.30", "0.50", "2.30"]
    assert texts(root, lines + "i:LineExtensionAmountTaxInclusive") == ["12.30", "10.50", "12.30"]
    assert texts(root, lines + "i:UnitPrice") == ["3.333", "10.00", "2.500000"]
    assert texts(root, lines + "i:UnitPriceTaxInclusive") == ["4.09959", "10.5000", "3.07500000"]
    assert texts(root, "//i:TaxSubTotal/i:TaxableAmount") == ["20.00", "10.00"]
    assert texts(root, "//i:TaxSubTotal/i:TaxAmount") == ["4.60", "0.50"]
    assert texts(root, "i:LegalMonetaryTotal/i:TaxExclusiveAmount") == ["30.00"]
    assert texts(root, "i:LegalMonetaryTotal/i:PayableAmount") == ["35.10"]


def test_line_without_a_rate_takes_the_only_rate_and_reads_back_without_one() -> None:
    invoice = minimal(
        lines=[Line(position=1, net_amount=D("100.00"))],
        vat_breakdown=[VatRow(rate=D("20"), base=D("100.00"), vat=D("20.00"))],
    )
    root = written(invoice)
    assert texts(root, "//i:ClassifiedTaxCategory/i:Percent") == ["20"]
    assert read_isdoc(write_isdoc(invoice)).lines[0].vat_rate is None


def test_invoice_known_only_by_its_totals_is_valid_and_reads_back_without_lines(
    xsd: Path,
) -> None:
    invoice = minimal(
        vat_breakdown=[VatRow(rate=D("23"), base=D("100.00"), vat=D("23.00"), category="S")],
        total_net=D("100.00"),
        total_vat=D("23.00"),
        total_gross=D("123.00"),
        amount_due=D("123.00"),
    )
    data = write_isdoc(invoice)
    assert validate_isdoc(data, xsd) == []
    assert read_isdoc(data) == invoice


def test_document_outside_vat_marks_its_lines_outside_vat() -> None:
    invoice = minimal(lines=[Line(position=1, net_amount=D("5"), vat_rate=D("0"))])
    root = written(invoice)
    assert texts(root, "i:VATApplicable") == ["false"]
    assert texts(root, "//i:ClassifiedTaxCategory/i:VATApplicable") == ["false"]


def test_credit_note_is_written_negative_as_printed() -> None:
    root = written(credit_note())
    assert texts(root, "i:DocumentType") == ["2"]
    assert texts(root, "i:LegalMonetaryTotal/i:TaxExclusiveAmount") == ["-2268.00"]
    assert texts(root, "i:LegalMonetaryTotal/i:PayableAmount") == ["-2744.28"]
    line = "i:InvoiceLines/i:InvoiceLine"
    assert texts(root, f"{line}/i:InvoicedQuantity") == ["-120"]
    assert texts(root, f"{line}/i:UnitPrice") == ["18.90"]


def test_buyer_codes_go_to_the_lines_buyers_item_identification(xsd: Path) -> None:
    invoice = several_rates_invoice()
    first, second = invoice.lines[0].position, invoice.lines[1].position
    data = write_isdoc(invoice, buyer_codes={first: "PLU-10001"})
    assert validate_isdoc(data, xsd) == []
    root = etree.fromstring(data)
    line = f"//i:InvoiceLine[i:ID='{first}']/i:Item"
    assert texts(root, f"{line}/i:BuyersItemIdentification/i:ID") == ["PLU-10001"]
    assert texts(root, f"//i:InvoiceLine[i:ID='{second}']//i:BuyersItemIdentification") == []
    assert write_isdoc(invoice) == write_isdoc(invoice, buyer_codes={})
