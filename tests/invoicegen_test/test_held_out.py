"""The held-out families keep the generator's promises: they render, every truth value is on
the page, the arithmetic holds, and a seed always gives the same document."""

from __future__ import annotations

from dataclasses import asdict

import pypdfium2 as pdfium
import pytest

from nex_automat.domain.model import DocumentType
from tests.invoicegen import FAMILIES, HELD_OUT_FAMILIES, generate
from tests.invoicegen.plan import DOCUMENT_TYPE_WEIGHTS
from tests.invoicegen_test.test_generator import _assert_arithmetic, _expected_on_page, _pages

SEEDS = (1, 4, 13)


def test_held_out_families_are_not_in_the_accuracy_suite() -> None:
    assert set(HELD_OUT_FAMILIES) == {"helios_cz", "wholesale_sk"}
    assert not set(HELD_OUT_FAMILIES) & set(FAMILIES)


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
    assert all(
        any(form in text for form in forms) for forms in _expected_on_page(generated).values()
    )


@pytest.mark.parametrize("family", HELD_OUT_FAMILIES)
def test_truth_arithmetic_is_consistent_to_the_cent(family: str) -> None:
    for seed in range(8):
        _assert_arithmetic(generate(seed, family).invoice)


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
    assert len(pages) >= 3
    assert all(f"Strana {number}" in page for number, page in enumerate(pages, start=1))
    text = " ".join(pages)
    assert all(
        any(form in text for form in forms) for forms in _expected_on_page(generated).values()
    )


def test_wholesale_page_is_landscape() -> None:
    document = pdfium.PdfDocument(generate(3, "wholesale_sk").pdf)
    width, height = document[0].get_size()
    document.close()
    assert width > height


def test_helios_prints_a_final_recipient_box_that_is_not_the_customer_address() -> None:
    generated = generate(3, "helios_cz")
    text = " ".join(_pages(generated.pdf)).upper()
    assert any(word in text for word in ("KONEČNÝ PŘÍJEMCE", "MÍSTO URČENÍ", "DODACÍ ADRESA"))


def test_wholesale_prints_the_price_after_discount_only_with_a_discount() -> None:
    with_discount = " ".join(_pages(generate(6, "wholesale_sk", show_discount=True).pdf))
    without = " ".join(_pages(generate(6, "wholesale_sk", show_discount=False).pdf))
    assert "Ušetrili ste" in with_discount or "Dobropis" in with_discount.title()
    assert "Ušetrili ste" not in without
