"""The generator's own promises: it renders, its truth adds up, and it is repeatable."""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from stdnum import ean, iban
from stdnum.cz import dic as cz_dic
from stdnum.sk import dph

from nex_automat.domain.model import DocumentType, Invoice
from tests.invoicegen import FAMILIES, GeneratedInvoice, generate
from tests.invoicegen.compare import compare
from tests.invoicegen.data import COUNTRY_NAMES
from tests.invoicegen.formatting import day, number, quantize

SEEDS = (3, 11)


def _pages(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    texts = [page.get_textpage().get_text_range() for page in document]
    document.close()
    return [" ".join(text.replace("\u00a0", " ").split()) for text in texts]


def _assert_arithmetic(invoice: Invoice) -> None:
    for line in invoice.lines:
        assert (
            line.quantity is not None
            and line.unit_price is not None
            and line.net_amount is not None
        )
        discount = line.discount_percent or Decimal(0)
        assert line.net_amount == quantize(
            line.quantity * line.unit_price * (1 - discount / 100), 2
        )
        if line.vat_amount is not None and line.gross_amount is not None:
            assert line.gross_amount == line.net_amount + line.vat_amount
    for row in invoice.vat_breakdown:
        assert row.base is not None and row.vat is not None
        assert abs(row.vat - row.base * row.rate / 100) <= Decimal("0.01") * max(
            1, len(invoice.lines)
        )
    assert invoice.total_net == sum(line.net_amount or 0 for line in invoice.lines)
    assert invoice.total_net == sum(row.base or 0 for row in invoice.vat_breakdown)
    assert invoice.total_vat == sum(row.vat or 0 for row in invoice.vat_breakdown)
    assert invoice.total_gross == invoice.total_net + (invoice.total_vat or 0)
    assert invoice.amount_due == (
        (invoice.total_gross or 0) + (invoice.rounding or 0) - (invoice.prepaid_amount or 0)
    )


def _amount_forms(value: Decimal, style: str, places: int | None = 2) -> tuple[str, ...]:
    """How the page may print ``value``: leading or (SAP) trailing minus."""
    return tuple(
        number(value, style, places, trailing_minus=trailing).replace("\u00a0", " ")
        for trailing in (False, True)
    )


def _expected_on_page(generated: GeneratedInvoice) -> dict[str, tuple[str, ...]]:
    """Every truth value that is not None, in the forms the page may print it."""
    invoice, styles = generated.invoice, generated.styles
    style, date_style = styles["number_style"], styles["date_style"]
    expected: dict[str, tuple[str, ...]] = {}
    for name in (
        "number",
        "variable_symbol",
        "constant_symbol",
        "order_reference",
        "preceding_invoice",
    ):
        if getattr(invoice, name) is not None:
            expected[name] = (getattr(invoice, name),)
    for name in ("issue_date", "tax_point_date", "due_date"):
        if getattr(invoice, name) is not None:
            expected[name] = (day(getattr(invoice, name), date_style),)
    for role in ("supplier", "customer"):
        party = getattr(invoice, role)
        for name in ("name", "ico", "dic", "vat_id", "street", "city", "postal_code", "bic"):
            if getattr(party, name) is not None:
                expected[f"{role}.{name}"] = (getattr(party, name),)
        if party.iban is not None:
            expected[f"{role}.iban"] = (party.iban, iban.format(party.iban))
    for index, line in enumerate(invoice.lines):
        for name in ("quantity", "unit_price"):
            if getattr(line, name) is not None:
                expected[f"lines[{index}].{name}"] = _amount_forms(getattr(line, name), style, None)
        for name in ("net_amount", "vat_amount", "gross_amount"):
            if getattr(line, name) is not None:
                expected[f"lines[{index}].{name}"] = _amount_forms(getattr(line, name), style)
        for name in ("seller_code", "ean"):
            if getattr(line, name) is not None:
                expected[f"lines[{index}].{name}"] = (getattr(line, name),)
        for word in (line.description or "").split():
            expected[f"lines[{index}].description:{word}"] = (word,)
    for row in invoice.vat_breakdown:
        expected[f"vat[{row.rate}].base"] = _amount_forms(row.base or Decimal(0), style)
        expected[f"vat[{row.rate}].vat"] = _amount_forms(row.vat or Decimal(0), style)
    for name in (
        "total_net",
        "total_vat",
        "total_gross",
        "rounding",
        "amount_due",
        "prepaid_amount",
    ):
        if getattr(invoice, name) is not None:
            expected[name] = _amount_forms(getattr(invoice, name), style)
    return expected


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_truth_value_is_printed_on_the_page(family: str, seed: int) -> None:
    generated = generate(seed, family)
    text = " ".join(_pages(generated.pdf))
    assert generated.pdf.startswith(b"%PDF-")
    assert generated.family == family
    missing = {
        path: forms
        for path, forms in _expected_on_page(generated).items()
        if not any(form in text for form in forms)
    }
    assert missing == {}


@pytest.mark.parametrize("family", FAMILIES)
def test_truth_arithmetic_is_consistent_to_the_cent(family: str) -> None:
    for seed in range(5):
        _assert_arithmetic(generate(seed, family).invoice)


def test_same_seed_gives_the_same_truth_and_bytes() -> None:
    first, second = generate(42), generate(42)
    assert asdict(first.invoice) == asdict(second.invoice)
    assert first.pdf == second.pdf
    assert first.styles == second.styles


def test_different_seeds_give_different_invoices() -> None:
    assert generate(1).invoice.number != generate(2).invoice.number


@pytest.mark.parametrize("seed", range(8))
def test_identifiers_are_valid(seed: int) -> None:
    invoice = generate(seed).invoice
    for party in (invoice.supplier, invoice.customer):
        assert party.ico is not None and len(party.ico) == 8 and cz_dic.is_valid(party.ico)
        if party.dic is not None:
            assert len(party.dic) == 10 and dph.is_valid(party.dic)
        if party.vat_id is not None and party.vat_id.startswith("SK"):
            assert dph.is_valid(party.vat_id) and party.vat_id == f"SK{party.dic}"
        if party.vat_id is not None and party.vat_id.startswith("CZ"):
            assert cz_dic.is_valid(party.vat_id) and party.dic is None
    assert invoice.supplier.vat_id is not None
    assert invoice.supplier.iban is not None and iban.is_valid(invoice.supplier.iban)
    assert " " not in invoice.supplier.iban
    for line in invoice.lines:
        assert line.ean is None or ean.is_valid(line.ean)


@pytest.mark.parametrize("family", FAMILIES)
def test_a_long_invoice_has_sixty_lines_over_three_pages(family: str) -> None:
    generated = generate(5, family, n_lines=70)
    assert len(generated.invoice.lines) == 70
    assert [line.position for line in generated.invoice.lines] == list(range(1, 71))
    assert len(_pages(generated.pdf)) >= 3


def test_every_page_of_a_long_invoice_has_its_page_number() -> None:
    pages = _pages(generate(7, "mrp_sk", n_lines=80).pdf)
    assert len(pages) >= 3
    for page_number, text in enumerate(pages, start=1):
        assert f"Strana {page_number}" in text


def test_carry_over_rows_are_printed_but_are_not_items() -> None:
    generated = generate(8, "abra_cz", n_lines=65)
    pages = _pages(generated.pdf)
    assert all("Převod" in page for page in pages[1:])
    assert len(generated.invoice.lines) == 65


def test_credit_note_has_negative_quantities_and_totals() -> None:
    invoice = generate(9, document_type=DocumentType.CREDIT_NOTE).invoice
    assert invoice.document_type is DocumentType.CREDIT_NOTE
    assert all(line.quantity is not None and line.quantity < 0 for line in invoice.lines)
    assert invoice.total_gross is not None and invoice.total_gross < 0


@pytest.mark.parametrize("family", FAMILIES)
def test_credit_note_prints_the_invoice_it_corrects_and_the_truth_names_it(family: str) -> None:
    generated = generate(9, family, document_type=DocumentType.CREDIT_NOTE)
    preceding = generated.invoice.preceding_invoice
    assert preceding is not None and preceding != generated.invoice.number
    assert preceding in " ".join(_pages(generated.pdf))


@pytest.mark.parametrize("family", FAMILIES)
def test_the_suppliers_country_is_printed_when_the_truth_holds_it(family: str) -> None:
    generated = generate(4, family, show_supplier_country=True, show_customer_country=False)
    code = generated.invoice.supplier.country
    assert code is not None
    text = f" {' '.join(_pages(generated.pdf))} "
    assert any(f" {name} " in text for name in COUNTRY_NAMES[generated.language][code])


def test_an_invoice_names_no_corrected_invoice() -> None:
    for seed in range(6):
        generated = generate(seed, document_type=DocumentType.INVOICE)
        assert generated.invoice.preceding_invoice is None


def test_advance_invoice_has_no_tax_point_date() -> None:
    invoice = generate(4, document_type="advance_invoice").invoice
    assert invoice.document_type is DocumentType.ADVANCE_INVOICE
    assert invoice.tax_point_date is None


def test_fields_not_printed_are_none_in_the_truth() -> None:
    invoice = generate(
        6, "money_cz", show_ean=False, show_discount=False, show_line_vat=False
    ).invoice
    assert all(line.ean is None for line in invoice.lines)
    assert all(line.discount_percent is None for line in invoice.lines)
    assert all(line.vat_amount is None for line in invoice.lines)


@pytest.mark.parametrize("seed", range(4))
def test_language_override_picks_a_family_that_prints_it(seed: int) -> None:
    generated = generate(seed, language="cs")
    assert generated.language == "cs"
    assert generated.invoice.currency in ("CZK", "EUR")


def test_czech_invoice_puts_dic_into_vat_id() -> None:
    invoice = generate(2, language="cs", family="money_cz").invoice
    assert invoice.supplier.dic is None
    assert invoice.supplier.vat_id == f"CZ{invoice.supplier.ico}"


def test_unknown_override_is_refused() -> None:
    with pytest.raises(TypeError, match="n_line"):
        generate(1, n_line=3)


def test_compare_of_truth_with_itself_is_all_correct() -> None:
    truth = generate(12).invoice
    assert all(result.ok for result in compare(truth, truth))


def test_compare_counts_a_missing_line_as_failure_of_each_of_its_fields() -> None:
    truth = generate(12, n_lines=3).invoice
    got = replace(truth, lines=truth.lines[:2])
    failed = [r.path for r in compare(truth, got) if not r.ok]
    assert failed and all(path.startswith("lines[2].") for path in failed)
    assert len(failed) == 11


def test_compare_takes_decimals_by_value_and_collapses_whitespace() -> None:
    truth = generate(12).invoice
    assert truth.total_net is not None and truth.supplier.name is not None
    got = replace(
        truth,
        total_net=Decimal(f"{truth.total_net}000"),
        supplier=replace(truth.supplier, name="  " + truth.supplier.name.replace(" ", "   ")),
    )
    assert all(result.ok for result in compare(truth, got))


def test_compare_accepts_none_only_where_truth_is_none() -> None:
    truth = generate(12).invoice
    got = replace(truth, number=None, rounding=Decimal("0.00") if truth.rounding is None else None)
    failed = {r.path for r in compare(truth, got) if not r.ok}
    assert failed == {"number", "rounding"}


def test_one_invoice_generates_in_under_a_third_of_a_second() -> None:
    generate(0)
    start = time.perf_counter()
    for seed in range(6):
        generate(seed, **({"n_lines": 90} if seed % 2 else {}))
    assert (time.perf_counter() - start) / 6 < 0.3
