"""ISDOC files from the wild read into the domain invoice, with values checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nex_automat.domain.model import DocumentType, Invoice
from nex_automat.errors import (
    DocumentTooLarge,
    UnreadableDocument,
    UnsupportedFormat,
    XmlEntitiesRefused,
    XmlError,
)
from nex_automat.formats.isdoc import read_isdoc, write_isdoc
from nex_automat.formats.signs import negated
from tests.formats.containers import isdocx
from tests.formats.invoices import credit_note

D = Decimal


@pytest.fixture(scope="module")
def samples() -> Path:
    folder = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "isdoc"
    assert folder.is_dir()
    return folder


def read_sample(samples: Path, name: str) -> Invoice:
    return read_isdoc((samples / name).read_bytes())


ABRA_SAMPLES = [
    "sample.isdoc",
    "sample-namespaced-references.isdoc",
    "multi-partytax.isdoc",
    "no-vat-applicable.isdoc",
]


@pytest.mark.parametrize("name", ABRA_SAMPLES)
def test_abra_sample_header_and_totals_are_read_in_the_foreign_currency(
    samples: Path, name: str
) -> None:
    invoice = read_sample(samples, name)
    assert invoice.document_type is DocumentType.INVOICE
    assert invoice.number == "FV-111999/2011"
    assert invoice.issue_date == date(2013, 2, 28)
    assert invoice.tax_point_date == date(2013, 2, 28)
    assert invoice.currency == "EUR"
    assert invoice.exchange_rate == D("25.10")
    assert invoice.note == "Nepovinná poznámka k dokladu"
    assert invoice.order_reference == "OV-123111/2011"
    assert invoice.preceding_invoice == "FV-111999/2011"
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        D("14"),
        D("0.1"),
        D("15.80"),
    )
    assert invoice.rounding == D("-0.10")
    assert invoice.prepaid_amount == D("1")
    assert invoice.amount_due == D("0")


@pytest.mark.parametrize("name", ABRA_SAMPLES)
def test_abra_sample_payment_comes_from_the_first_bank_payment(samples: Path, name: str) -> None:
    invoice = read_sample(samples, name)
    assert invoice.due_date == date(2013, 3, 13)
    assert invoice.variable_symbol == "111999"
    assert invoice.constant_symbol == "0308"
    assert invoice.supplier.iban == "CZ12345678901234567890"
    assert invoice.supplier.bic == "GIBACZPX"


@pytest.mark.parametrize("name", ABRA_SAMPLES)
def test_abra_sample_parties_are_normalised(samples: Path, name: str) -> None:
    invoice = read_sample(samples, name)
    supplier, customer = invoice.supplier, invoice.customer
    assert supplier.name == "ABRA Software a.s."
    assert supplier.ico == "25097563"
    assert supplier.vat_id == "CZ25097563"
    assert supplier.dic is None
    assert supplier.street == "Jeremiášova 1422"
    assert (supplier.city, supplier.postal_code, supplier.country) == ("Praha 13", "15300", "CZ")
    assert customer.name == "Ministerstvo financí ČR"
    assert customer.ico == "00006947"
    assert customer.vat_id == "CZ00006947"
    assert customer.street == "Letenská 15"
    assert customer.iban is None


@pytest.mark.parametrize("name", ABRA_SAMPLES)
def test_abra_sample_lines_carry_foreign_amounts_and_unit_prices_converted_back(
    samples: Path, name: str
) -> None:
    lines = read_sample(samples, name).lines
    assert [line.position for line in lines] == [1, 2, 3]
    first, second, third = lines
    assert first.description == "Kapesník papírový NAPPAX NP458"
    assert first.ean == "1000000000013"
    assert first.seller_code == "10000001"
    assert (first.quantity, first.unit) == (D("100"), "Ks")
    # UnitPrice 1.0793 CZK at 25.10 CZK/EUR
    assert first.unit_price == D("0.043")
    assert (first.net_amount, first.vat_amount, first.gross_amount) == (
        D("4.30"),
        D("0.90"),
        D("5.20"),
    )
    assert (first.vat_rate, first.vat_category) == (D("19"), "S")
    # UnitPrice .21837 CZK
    assert second.unit_price == D("0.0087")
    assert (second.net_amount, second.gross_amount, second.vat_rate) == (
        D("8.70"),
        D("9.50"),
        D("9"),
    )
    assert third.description == "Služba ve zvláštní sazbě, ekologická přeprava"
    assert (third.net_amount, third.gross_amount, third.vat_rate) == (D("1"), D("1.05"), D("5"))


def test_abra_sample_vat_recap_has_one_row_per_rate(samples: Path) -> None:
    rows = read_sample(samples, "sample.isdoc").vat_breakdown
    assert [(row.rate, row.base, row.vat, row.category) for row in rows] == [
        (D("19"), D("4.30"), D("0.9"), "S"),
        (D("9"), D("8.70"), D("0.8"), "S"),
        (D("5"), D("1"), D("0.1"), "S"),
    ]


def test_multi_party_tax_keeps_the_vat_id_and_ignores_a_tin_that_is_no_dic(
    samples: Path,
) -> None:
    supplier = read_sample(samples, "multi-partytax.isdoc").supplier
    assert supplier.vat_id == "CZ25097563"
    assert supplier.dic is None


def test_document_without_namespace_is_read(samples: Path) -> None:
    invoice = read_sample(samples, "sample-no-reference.isdoc")
    assert invoice.number == "12345"
    assert invoice.issue_date == date(2021, 8, 16)
    assert invoice.tax_point_date is None
    assert invoice.currency == "CZK"
    assert invoice.exchange_rate is None
    assert invoice.supplier.ico == "12345678"
    assert invoice.supplier.name == "Firma, a. s."
    assert invoice.supplier.postal_code == "100 01"
    assert invoice.customer.is_empty()
    [line] = invoice.lines
    assert (line.net_amount, line.vat_amount, line.gross_amount) == (
        D("100.0"),
        D("21.0"),
        D("121.0"),
    )
    assert (line.unit_price, line.vat_rate, line.quantity) == (D("100.0"), D("21"), None)
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        D("100"),
        D("0.0"),
        D("121"),
    )
    assert invoice.vat_breakdown == []
    assert invoice.order_reference == "EOI-1"
    assert invoice.due_date is None


def test_common_document_is_refused_as_not_an_invoice(samples: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="CommonDocument"):
        read_sample(samples, "sample-commondocument.isdoc")


def test_another_format_with_an_invoice_root_is_refused() -> None:
    ubl = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    with pytest.raises(UnsupportedFormat, match="not an ISDOC"):
        read_isdoc(ubl)


def test_unknown_document_type_is_refused() -> None:
    with pytest.raises(UnsupportedFormat, match="DocumentType"):
        read_isdoc(b"<Invoice><DocumentType>9</DocumentType></Invoice>")


def test_credit_note_written_negative_is_read_as_stated() -> None:
    invoice = read_isdoc(write_isdoc(credit_note()))
    assert (invoice.total_net, invoice.lines[0].quantity) == (D("-2268.00"), D("-120"))


def test_credit_note_written_positive_is_read_negative_as_printed() -> None:
    """Some exporters write a dobropis positive; a credit note always reduces what is owed."""
    positive = write_isdoc(negated(credit_note()))
    assert b"<TaxExclusiveAmount>2268.00<" in positive
    invoice = read_isdoc(positive)
    assert invoice == credit_note()


def test_credit_note_to_an_advance_reads_as_a_credit_note() -> None:
    invoice = read_isdoc(b"<Invoice><DocumentType>6</DocumentType></Invoice>")
    assert invoice.document_type is DocumentType.CREDIT_NOTE


def test_amount_that_is_not_a_number_is_an_xml_error() -> None:
    data = (
        b"<Invoice><DocumentType>1</DocumentType><LegalMonetaryTotal>"
        b"<TaxExclusiveAmount>12,50</TaxExclusiveAmount></LegalMonetaryTotal></Invoice>"
    )
    with pytest.raises(XmlError, match="TaxExclusiveAmount"):
        read_isdoc(data)


def test_czech_dic_without_prefix_becomes_a_vat_id_and_slovak_tin_a_dic() -> None:
    data = b"""<Invoice><DocumentType>1</DocumentType>
    <AccountingSupplierParty><Party>
      <PartyIdentification><ID>36 123 455</ID></PartyIdentification>
      <PostalAddress><Country><IdentificationCode>sk</IdentificationCode></Country></PostalAddress>
      <PartyTaxScheme><CompanyID>2020123456</CompanyID><TaxScheme>TIN</TaxScheme></PartyTaxScheme>
      <PartyTaxScheme><CompanyID>SK 2020123456</CompanyID><TaxScheme>VAT</TaxScheme>
      </PartyTaxScheme>
    </Party></AccountingSupplierParty>
    <AccountingCustomerParty><Party>
      <PostalAddress><Country><IdentificationCode>CZ</IdentificationCode></Country></PostalAddress>
      <PartyTaxScheme><CompanyID>25097563</CompanyID><TaxScheme>VAT</TaxScheme></PartyTaxScheme>
    </Party></AccountingCustomerParty></Invoice>"""
    invoice = read_isdoc(data)
    assert invoice.supplier.ico == "36123455"
    assert invoice.supplier.country == "SK"
    assert (invoice.supplier.dic, invoice.supplier.vat_id) == ("2020123456", "SK2020123456")
    assert (invoice.customer.dic, invoice.customer.vat_id) == (None, "CZ25097563")


def test_entities_in_an_isdoc_are_refused() -> None:
    data = b'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>'
    with pytest.raises(XmlEntitiesRefused):
        read_isdoc(data)


# --- .isdocx -------------------------------------------------------------------------


def test_isdocx_reads_the_isdoc_at_its_root(samples: Path) -> None:
    xml = (samples / "sample.isdoc").read_bytes()
    data = isdocx(
        {
            "faktura.isdoc": xml,
            "prilohy/stara.isdoc": b"<not read/>",
            "prilohy/logo.bmp": b"BM",
        }
    )
    assert read_isdoc(data) == read_isdoc(xml)


def test_isdocx_without_an_isdoc_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormat, match="exactly one"):
        read_isdoc(isdocx({"readme.txt": b"nothing"}))


def test_isdocx_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    bomb = isdocx({"bomb.isdoc": b"<Invoice>" + b" " * 5_000_000 + b"</Invoice>"})
    assert len(bomb) < 50_000
    with pytest.raises(DocumentTooLarge):
        read_isdoc(bomb)


def test_isdocx_over_the_size_limit_is_refused_even_when_headers_lie() -> None:
    content = b"<Invoice>" + bytes(range(256)) * 200_000 + b"</Invoice>"
    data = bytearray(isdocx({"big.isdoc": content}))
    # Shrink the uncompressed size recorded in the central directory to 1 KiB.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    with pytest.raises((DocumentTooLarge, UnreadableDocument)):
        read_isdoc(bytes(data))


def test_damaged_isdocx_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument):
        read_isdoc(b"PK\x03\x04" + b"\x00" * 100)
