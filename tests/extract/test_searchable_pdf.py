"""A searchable page shows the page image and lets a viewer find and copy the recognised words
where they are printed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pypdfium2
import pytest
from PIL import Image, ImageDraw

from nex_automat.extract.images import PageImage
from nex_automat.extract.layout import Word
from nex_automat.extract.ocr import glyphless_font
from nex_automat.extract.searchable_pdf import searchable_page
from nex_automat.pdfium import PDFIUM_LOCK

DPI = 100.0
WIDTH, HEIGHT = 800, 600
"""Pixels: 576 × 432 points at 100 dpi."""

WORDS = [
    Word("Faktúra", 50.0, 40.0, 110.0, 54.0, 0, 91.0),
    Word("č.", 114.0, 40.0, 124.0, 54.0, 0, 88.0),
    Word("2026-0042", 130.0, 40.0, 200.0, 54.0, 0, 95.0),
    Word("Ľadová", 50.0, 80.0, 100.0, 94.0, 0, 90.0),
    Word("ťava", 110.0, 80.0, 140.0, 94.0, 0, 90.0),
]
"""Two recognised lines, each line's words sharing one top and bottom as OCR gives them."""


def _image() -> PageImage:
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    ImageDraw.Draw(image).rectangle((400, 300, 599, 399), fill=0)
    return PageImage(image, DPI, 0)


@contextmanager
def _page(pdf: bytes) -> Iterator[pypdfium2.PdfPage]:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            yield document[0]
        finally:
            document.close()


def _text(pdf: bytes) -> str:
    with _page(pdf) as page:
        return page.get_textpage().get_text_range()


def test_the_words_are_copied_with_their_spaces_and_lines() -> None:
    pdf = searchable_page(_image(), WORDS, font=None)
    assert _text(pdf).splitlines() == ["Faktúra č. 2026-0042", "Ľadová ťava"]


def test_a_found_word_lies_where_it_was_recognised() -> None:
    with _page(searchable_page(_image(), WORDS, font=None)) as page:
        textpage = page.get_textpage()
        start, count = textpage.search("2026-0042").get_next()
        first = textpage.get_charbox(start, loose=True)
        last = textpage.get_charbox(start + count - 1, loose=True)
        height = page.get_height()
    word = WORDS[2]
    assert first[0] == pytest.approx(word.x0, abs=0.5)
    assert last[2] == pytest.approx(word.x1, abs=0.5)
    assert (height - first[3], height - first[1]) == pytest.approx((word.top, word.bottom), abs=1)


def test_the_page_has_the_image_size_in_points_and_shows_only_the_image() -> None:
    with _page(searchable_page(_image(), WORDS, font=None)) as page:
        size = page.get_size()
        shown = np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    assert size == pytest.approx((WIDTH * 72 / DPI, HEIGHT * 72 / DPI), abs=0.01)
    assert shown.shape == (HEIGHT, WIDTH)
    assert shown[310:390, 410:590].max() < 40
    assert shown[:250, :].min() > 215


def test_tesseracts_glyphless_font_is_embedded_when_given() -> None:
    font = glyphless_font("tesseract")
    assert font is not None
    assert font.startswith(b"\x00\x01\x00\x00")
    pdf = searchable_page(_image(), WORDS, font=font)
    assert font in pdf
    assert _text(pdf) == _text(searchable_page(_image(), WORDS, font=None))


def test_an_engine_that_is_not_installed_has_no_font() -> None:
    assert glyphless_font("no-such-ocr-engine") is None
