"""Rendering PDF pages for OCR: a page box made to exhaust memory is refused, not drawn."""

from __future__ import annotations

import time

import pytest

from nex_automat.errors import ImageTooLarge
from nex_automat.extract.document import extract_document
from nex_automat.extract.images import MAX_PIXELS, MIN_DPI, TARGET_DPI
from nex_automat.extract.scan import render_dpi, render_pdf_page
from tests.extract import pdfs

A4 = (595.0, 842.0)
A0 = (2384.0, 3370.0)


def blank_page_pdf(width: float, height: float) -> bytes:
    return pdfs.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] >>" % (width, height),
        ]
    )


def test_an_ordinary_page_is_rendered_at_the_target_resolution() -> None:
    assert render_dpi(*A4) == TARGET_DPI
    assert render_pdf_page(blank_page_pdf(*A4), 0).dpi == TARGET_DPI


def test_a_drawing_sized_page_is_rendered_at_a_resolution_that_fits() -> None:
    dpi = render_dpi(*A0)
    assert MIN_DPI <= dpi < TARGET_DPI
    assert (A0[0] / 72 * dpi) * (A0[1] / 72 * dpi) <= MAX_PIXELS


@pytest.mark.parametrize("size", [(14400, 14400), (200, 10_000_000), (50_000, 50_000)])
def test_a_page_too_large_for_any_scan_is_refused_before_rendering(
    size: tuple[float, float],
) -> None:
    started = time.perf_counter()
    with pytest.raises(ImageTooLarge) as refused:
        render_pdf_page(blank_page_pdf(*size), 0)
    assert refused.value.code == "image_too_large"
    assert time.perf_counter() - started < 1.0


def test_extracting_a_giant_scanned_page_ends_in_its_code() -> None:
    with pytest.raises(ImageTooLarge):
        extract_document(blank_page_pdf(14400, 14400))
