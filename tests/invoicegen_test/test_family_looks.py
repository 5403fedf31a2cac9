"""Promises of single layout families beyond the generator's common ones: what makes each look
the look it copies, and that every document type still prints its whole truth."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from nex_automat.domain.model import DocumentType
from tests.invoicegen import generate
from tests.invoicegen.plan import DOCUMENT_TYPE_WEIGHTS
from tests.invoicegen_test.test_generator import _expected_on_page, _pages


@pytest.mark.parametrize("family", ["helios_cz", "wholesale_sk"])
@pytest.mark.parametrize("document_type", list(DOCUMENT_TYPE_WEIGHTS))
def test_every_document_type_prints_its_truth(family: str, document_type: DocumentType) -> None:
    generated = generate(2, family, document_type=document_type)
    text = " ".join(_pages(generated.pdf))
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
