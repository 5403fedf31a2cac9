"""The held-out families keep the generator's promises: they render, every truth value is on
the page, the arithmetic holds (in their own way: prices with VAT, an advance deducted), and a
seed always gives the same document."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

import pytest

from nex_automat.domain.model import DocumentType, Invoice
from tests.invoicegen import FAMILIES, HELD_OUT_FAMILIES, generate
from tests.invoicegen.families import alfa_sk, web_shop
from tests.invoicegen.formatting import CURRENCY_SYMBOLS, number, quantize
from tests.invoicegen.plan import DOCUMENT_TYPE_WEIGHTS
from tests.invoicegen_test.test_generator import _assert_arithmetic, _expected_on_page, _pages

SEEDS = (1, 4, 13)


def _text(family: str, seed: int, **overrides: object) -> str:
    return " ".join(_pages(generate(seed, family, **overrides).pdf))


def _assert_prices_with_vat_add_up(invoice: Invoice) -> None:
    """VAT worked out backwards from amounts with VAT: per line when printed, else per rate."""
    per_rate: dict[Decimal, list[Decimal]] = {}
    for line in invoice.lines:
        assert line.unit_price is None and line.discount_percent is None
        assert line.gross_amount is not None and line.vat_rate is not None
        if line.net_amount is not None:
            assert line.net_amount == quantize(line.gross_amount * 100 / (100 + line.vat_rate), 2)
            assert line.net_amount + (line.vat_amount or 0) == line.gross_amount
        per_rate.setdefault(line.vat_rate, []).append(line.gross_amount)
    with_line_vat = all(line.net_amount is not None for line in invoice.lines)
    assert {row.rate for row in invoice.vat_breakdown} == set(per_rate)
    for row in invoice.vat_breakdown:
        assert row.base is not None and row.vat is not None
        gross = sum(per_rate[row.rate], Decimal(0))
        assert row.base + row.vat == gross
        if with_line_vat:
            nets = [ln.net_amount or 0 for ln in invoice.lines if ln.vat_rate == row.rate]
            assert row.base == sum(nets)
        else:
            assert row.base == quantize(gross * 100 / (100 + row.rate), 2)
    assert invoice.total_net == sum(row.base or 0 for row in invoice.vat_breakdown)
    assert invoice.total_vat == sum(row.vat or 0 for row in invoice.vat_breakdown)
    assert invoice.total_gross == sum(line.gross_amount or 0 for line in invoice.lines)
    assert invoice.total_gross == invoice.total_net + (invoice.total_vat or 0)
    assert invoice.rounding is None and invoice.prepaid_amount is None
    assert invoice.amount_due == invoice.total_gross


def test_held_out_families_are_not_in_the_accuracy_suite() -> None:
    assert set(HELD_OUT_FAMILIES) == {"web_shop", "alfa_sk"}
    assert not set(HELD_OUT_FAMILIES) & set(FAMILIES)


def test_the_earlier_held_out_families_joined_the_suite_at_its_end() -> None:
    assert FAMILIES[-2:] == ("helios_cz", "wholesale_sk")
    assert FAMILIES[:9] == (
        "pohoda_sk",
        "money_cz",
        "abra_cz",
        "omega_sk",
        "ikros_sk",
        "sap_print",
        "word_shop",
        "flexi_cz",
        "mrp_sk",
    )


def test_a_random_draw_never_picks_a_held_out_family() -> None:
    assert all(generate(seed).family in FAMILIES for seed in range(30))


@pytest.mark.parametrize("family", HELD_OUT_FAMILIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_truth_value_is_printed_on_the_page(family: str, seed: int) -> None:
    generated = generate(seed, family)
    text = " ".join(_pages(generated.pdf))
    assert generated.pdf.startswith(b"%PDF-")
    missing = {
        path: forms
        for path, forms in _expected_on_page(generated).items()
        if not any(form in text for form in forms)
    }
    assert missing == {}


@pytest.mark.parametrize("family", HELD_OUT_FAMILIES)
@pytest.mark.parametrize("document_type", list(DOCUMENT_TYPE_WEIGHTS))
def test_every_document_type_prints_its_truth(family: str, document_type: DocumentType) -> None:
    generated = generate(2, family, document_type=document_type)
    text = " ".join(_pages(generated.pdf))
    assert generated.invoice.document_type is document_type
    assert all(
        any(form in text for form in forms) for forms in _expected_on_page(generated).values()
    )


def test_alfa_truth_arithmetic_is_consistent_to_the_cent() -> None:
    for seed in range(12):
        _assert_arithmetic(generate(seed, "alfa_sk").invoice)


@pytest.mark.parametrize("show_line_vat", [True, False])
def test_web_shop_truth_arithmetic_is_consistent_to_the_cent(show_line_vat: bool) -> None:
    for seed in range(8):
        _assert_prices_with_vat_add_up(
            generate(seed, "web_shop", show_line_vat=show_line_vat).invoice
        )


@pytest.mark.parametrize("family", HELD_OUT_FAMILIES)
def test_same_seed_gives_the_same_truth_and_bytes(family: str) -> None:
    first, second = generate(21, family), generate(21, family)
    assert asdict(first.invoice) == asdict(second.invoice)
    assert first.pdf == second.pdf


@pytest.mark.parametrize("family", HELD_OUT_FAMILIES)
def test_a_long_invoice_spans_three_pages_with_every_item(family: str) -> None:
    generated = generate(5, family, n_lines=70)
    pages = _pages(generated.pdf)
    assert len(generated.invoice.lines) == 70
    assert [line.position for line in generated.invoice.lines] == list(range(1, 71))
    assert len(pages) >= 3
    assert all(f"Strana {number}" in page for number, page in enumerate(pages, start=1))
    text = " ".join(pages)
    assert all(
        any(form in text for form in forms) for forms in _expected_on_page(generated).values()
    )


def test_web_shop_prints_unit_prices_with_vat_and_the_truth_has_no_net_unit_price() -> None:
    generated = generate(3, "web_shop")
    text = " ".join(_pages(generated.pdf))
    symbol = CURRENCY_SYMBOLS[generated.invoice.currency or "EUR"][0]
    for line in generated.invoice.lines:
        assert line.unit_price is None
        assert line.quantity and line.gross_amount is not None
        per_piece = quantize(line.gross_amount / line.quantity, 2)
        assert f"{number(per_piece, generated.styles['number_style'], 2)} {symbol}" in text


def test_web_shop_bills_shipping_and_the_payment_fee_as_items() -> None:
    invoice = generate(3, "web_shop", document_type=DocumentType.INVOICE).invoice
    shipping, payment = invoice.lines[-2:]
    assert shipping.description in {sk for sk, _, _ in web_shop.SHIPPING}
    assert payment.description in {sk for sk, _, _, _, _ in web_shop.PAYMENT}
    assert shipping.quantity == payment.quantity == Decimal(1)
    assert shipping.unit is None and payment.unit is None


def test_web_shop_credit_note_refunds_goods_only() -> None:
    invoice = generate(1, "web_shop", document_type=DocumentType.CREDIT_NOTE).invoice
    fees = {sk for sk, _, _ in web_shop.SHIPPING} | {sk for sk, *_ in web_shop.PAYMENT}
    assert all(line.description not in fees for line in invoice.lines)
    assert all(line.quantity is not None and line.quantity < 0 for line in invoice.lines)


def test_web_shop_labels_are_bilingual_and_amounts_carry_the_currency_after_them() -> None:
    text = _text("web_shop", 3)
    assert "Dátum vystavenia / Date of issue" in text
    assert "Dodacia adresa / Shipping address" in text
    assert "PAY by square" in text
    assert _text("web_shop", 4, language="cs").count(" Kč") >= 10


def test_web_shop_customer_may_be_a_person_without_company_ids() -> None:
    invoice = generate(3, "web_shop").invoice
    assert invoice.customer.name == "Lucia Mrázová"
    assert invoice.customer.ico is None and invoice.customer.vat_id is None


def test_alfa_deducts_a_paid_advance_from_the_amount_due() -> None:
    generated = generate(6, "alfa_sk")
    invoice = generated.invoice
    assert invoice.prepaid_amount == Decimal("340.00")
    assert invoice.total_gross == Decimal("1144.82")
    assert invoice.amount_due == Decimal("804.82")
    text = " ".join(_pages(generated.pdf))
    assert "-340,00 EUR" in text
    assert any(f"{label}:" in text for label in alfa_sk.PREPAID_LABELS)


@pytest.mark.parametrize(
    "document_type",
    [DocumentType.CREDIT_NOTE, DocumentType.ADVANCE_INVOICE, DocumentType.PROFORMA],
)
def test_alfa_deducts_an_advance_only_on_an_invoice(document_type: DocumentType) -> None:
    for seed in range(20):
        invoice = generate(seed, "alfa_sk", document_type=document_type).invoice
        assert invoice.prepaid_amount is None
        assert invoice.amount_due == invoice.total_gross


def test_alfa_prints_thousands_with_dots_and_the_recap_as_lines() -> None:
    generated = generate(3, "alfa_sk", number_style="dot_comma")
    invoice = generated.invoice
    text = " ".join(_pages(generated.pdf))
    assert invoice.total_gross == Decimal("14868.31")
    assert "14.868,31" in text
    for row in invoice.vat_breakdown:
        rate = f"{row.rate.normalize():f} %"
        assert any(base.format(r=rate) in text for base, _ in alfa_sk.RECAP_WORDINGS)
        assert any(vat.format(r=rate) in text for _, vat in alfa_sk.RECAP_WORDINGS)


def test_alfa_has_signature_lines() -> None:
    text = _text("alfa_sk", 3)
    assert "Faktúru vystavil:" in text
    assert "Prevzal:" in text
