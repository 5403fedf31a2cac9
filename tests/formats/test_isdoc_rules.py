"""ISDOC validation: the official XSD and each Schematron rule, failing and passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from nex_automat.formats.isdoc import read_isdoc, validate_isdoc, write_isdoc
from nex_automat.formats.isdoc.rules import RULES

HEAD = '<Invoice xmlns="http://isdoc.cz/namespace/2013" version="6.0.2">'


@pytest.fixture(scope="module")
def xsd(shared_dir: Path) -> Path:
    return shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> Path:
    return shared_dir / "samples" / "isdoc"


def broken(body: str) -> set[str]:
    return {violation.rule_id for violation in validate_isdoc(f"{HEAD}{body}</Invoice>".encode())}


DOMESTIC = (
    "<LocalCurrencyCode>CZK</LocalCurrencyCode><CurrRate>1</CurrRate><RefCurrRate>1</RefCurrRate>"
)
FOREIGN = (
    "<LocalCurrencyCode>CZK</LocalCurrencyCode><ForeignCurrencyCode>EUR</ForeignCurrencyCode>"
    "<CurrRate>25</CurrRate><RefCurrRate>1</RefCurrRate>"
)


def line(inner: str) -> str:
    return f"<InvoiceLines><InvoiceLine><ID>1</ID>{inner}</InvoiceLine></InvoiceLines>"


CASES = {
    "ISDOC-ORIGINAL-DOCUMENT": (
        "<DocumentType>2</DocumentType>" + DOMESTIC,
        "<DocumentType>2</DocumentType>"
        + DOMESTIC
        + "<OriginalDocumentReferences><OriginalDocumentReference><ID>FV-1</ID>"
        "</OriginalDocumentReference></OriginalDocumentReferences>",
    ),
    "ISDOC-FOREIGN-CURRENCY-AMOUNTS": (
        FOREIGN + "<LegalMonetaryTotal><PayableAmount>250</PayableAmount></LegalMonetaryTotal>",
        FOREIGN + "<LegalMonetaryTotal><PayableAmount>250</PayableAmount>"
        "<PayableAmountCurr>10</PayableAmountCurr></LegalMonetaryTotal>",
    ),
    "ISDOC-LOCAL-CURRENCY-RATE": (
        "<LocalCurrencyCode>CZK</LocalCurrencyCode><CurrRate>25</CurrRate>"
        "<RefCurrRate>1</RefCurrRate>",
        "<LocalCurrencyCode>CZK</LocalCurrencyCode><CurrRate>1.00</CurrRate>"
        "<RefCurrRate>1</RefCurrRate>",
    ),
    "ISDOC-LOCAL-CURRENCY-AMOUNTS": (
        DOMESTIC + line("<LineExtensionAmountCurr>4</LineExtensionAmountCurr>"),
        DOMESTIC + line("<LineExtensionAmount>100</LineExtensionAmount>"),
    ),
    "ISDOC-CURRENCIES-DIFFER": (
        "<LocalCurrencyCode>EUR</LocalCurrencyCode><ForeignCurrencyCode>EUR</ForeignCurrencyCode>"
        "<CurrRate>1</CurrRate><RefCurrRate>1</RefCurrRate>",
        FOREIGN,
    ),
    "ISDOC-NON-VAT-LINES": (
        "<VATApplicable>false</VATApplicable>"
        + DOMESTIC
        + line(
            "<ClassifiedTaxCategory><VATApplicable>true</VATApplicable></ClassifiedTaxCategory>"
        ),
        "<VATApplicable>false</VATApplicable>"
        + DOMESTIC
        + line(
            "<ClassifiedTaxCategory><VATApplicable>false</VATApplicable></ClassifiedTaxCategory>"
        ),
    ),
    "ISDOC-BATCH-UNITS": (
        DOMESTIC
        + line(
            '<InvoicedQuantity unitCode="ks">3</InvoicedQuantity><Item><StoreBatches>'
            '<StoreBatch><Quantity unitCode="ks">1</Quantity></StoreBatch>'
            '<StoreBatch><Quantity unitCode="bal">2</Quantity></StoreBatch>'
            "</StoreBatches></Item>"
        ),
        DOMESTIC
        + line(
            '<InvoicedQuantity unitCode="ks">3</InvoicedQuantity><Item><StoreBatches>'
            '<StoreBatch><Quantity unitCode="ks">1</Quantity></StoreBatch>'
            "<StoreBatch><Quantity>2</Quantity></StoreBatch>"
            "</StoreBatches></Item>"
        ),
    ),
    "ISDOC-BATCH-QUANTITY": (
        DOMESTIC
        + line(
            "<InvoicedQuantity>3</InvoicedQuantity><Item><StoreBatches>"
            "<StoreBatch><Quantity>1</Quantity></StoreBatch></StoreBatches></Item>"
        ),
        DOMESTIC
        + line(
            "<InvoicedQuantity>3.0</InvoicedQuantity><Item><StoreBatches>"
            "<StoreBatch><Quantity>1</Quantity></StoreBatch>"
            "<StoreBatch><Quantity>2</Quantity></StoreBatch></StoreBatches></Item>"
        ),
    ),
    "ISDOC-SECONDARY-ITEM-ID": (
        DOMESTIC
        + line(
            "<Item><SecondarySellersItemIdentification><ID>B</ID>"
            "</SecondarySellersItemIdentification></Item>"
        ),
        DOMESTIC
        + line(
            "<Item><SellersItemIdentification><ID>A</ID></SellersItemIdentification>"
            "<SecondarySellersItemIdentification><ID>B</ID>"
            "</SecondarySellersItemIdentification></Item>"
        ),
    ),
    "ISDOC-TERTIARY-ITEM-ID": (
        DOMESTIC
        + line(
            "<Item><SellersItemIdentification><ID>A</ID></SellersItemIdentification>"
            "<TertiarySellersItemIdentification><ID>C</ID>"
            "</TertiarySellersItemIdentification></Item>"
        ),
        DOMESTIC
        + line(
            "<Item><SellersItemIdentification><ID>A</ID></SellersItemIdentification>"
            "<SecondarySellersItemIdentification><ID>B</ID></SecondarySellersItemIdentification>"
            "<TertiarySellersItemIdentification><ID>C</ID>"
            "</TertiarySellersItemIdentification></Item>"
        ),
    ),
}


def test_every_rule_has_a_case() -> None:
    assert len(CASES) == len(RULES)


@pytest.mark.parametrize("rule_id", CASES)
def test_rule_fails_on_a_breaking_document(rule_id: str) -> None:
    failing, _ = CASES[rule_id]
    assert rule_id in broken(failing)


@pytest.mark.parametrize("rule_id", CASES)
def test_rule_passes_on_a_conforming_document(rule_id: str) -> None:
    _, passing = CASES[rule_id]
    assert rule_id not in broken(passing)


def test_violation_locates_the_offending_element() -> None:
    failing, _ = CASES["ISDOC-SECONDARY-ITEM-ID"]
    [violation] = validate_isdoc(f"{HEAD}{failing}</Invoice>".encode())
    assert violation.location == "/Invoice/InvoiceLines/InvoiceLine/Item"


def test_rules_apply_to_documents_without_namespace() -> None:
    data = b"<Invoice><LocalCurrencyCode>CZK</LocalCurrencyCode><CurrRate>2</CurrRate></Invoice>"
    assert {v.rule_id for v in validate_isdoc(data)} == {"ISDOC-LOCAL-CURRENCY-RATE"}


def test_schema_is_checked_only_when_its_path_is_given(xsd: Path) -> None:
    data = f"{HEAD}{DOMESTIC}</Invoice>".encode()
    assert validate_isdoc(data) == []
    violations = validate_isdoc(data, xsd)
    assert violations
    assert {v.rule_id for v in violations} == {"ISDOC-XSD"}
    assert "LocalCurrencyCode" in violations[0].message


@pytest.mark.parametrize(
    "name", ["sample.isdoc", "multi-partytax.isdoc", "sample-namespaced-references.isdoc"]
)
def test_official_samples_pass_schema_and_rules(samples: Path, name: str, xsd: Path) -> None:
    assert validate_isdoc((samples / name).read_bytes(), xsd) == []


def test_sample_with_elements_out_of_order_fails_only_the_schema(samples: Path, xsd: Path) -> None:
    violations = validate_isdoc((samples / "no-vat-applicable.isdoc").read_bytes(), xsd)
    assert violations
    assert {v.rule_id for v in violations} == {"ISDOC-XSD"}


@pytest.mark.parametrize(
    "name",
    [
        "sample.isdoc",
        "multi-partytax.isdoc",
        "sample-namespaced-references.isdoc",
        "no-vat-applicable.isdoc",
        "sample-no-reference.isdoc",
    ],
)
def test_rewritten_samples_are_valid(samples: Path, name: str, xsd: Path) -> None:
    invoice = read_isdoc((samples / name).read_bytes())
    rewritten = write_isdoc(invoice)
    assert validate_isdoc(rewritten, xsd) == []
    assert read_isdoc(rewritten).lines == invoice.lines
