"""Page images are made plain before recognition: white paper, dark ink, bands inverted."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from nex_automat.extract.images import PageImage
from nex_automat.extract.ocr_image import clean_page, median_filter

DPI = 100.0
WIDTH, HEIGHT = 800, 600


def _mm(value: float) -> int:
    return round(value * DPI / 25.4)


def _page(paper: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (WIDTH, HEIGHT), paper)
    return image, ImageDraw.Draw(image)


def _letters(draw: ImageDraw.ImageDraw, x: int, y: int, colour: int, count: int = 12) -> None:
    """Strokes about as thick and as far apart as the letters of small print."""
    for i in range(count):
        left = x + i * _mm(2)
        draw.rectangle((left, y, left + 1, y + _mm(2.5)), fill=colour)


def _paragraph(draw: ImageDraw.ImageDraw, x: int, y: int, colour: int) -> None:
    for row in range(12):
        _letters(draw, x, y + row * _mm(5), colour, count=40)


def _mean(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return float(np.asarray(image.crop(box), dtype=np.float32).mean())


def test_grey_paper_becomes_white_and_ink_stays_dark() -> None:
    image, draw = _page(170)
    _paragraph(draw, 100, 100, 20)
    cleaned = clean_page(PageImage(image, DPI, 0)).image
    assert _mean(cleaned, (500, 400, 700, 550)) > 245
    assert cleaned.getpixel((100, 110)) < 80


def test_unevenly_lit_paper_is_levelled_to_one_white() -> None:
    gradient = np.tile(np.linspace(120, 230, WIDTH, dtype=np.float32), (HEIGHT, 1))
    image = Image.fromarray(gradient.astype(np.uint8))
    _letters(ImageDraw.Draw(image), 300, 300, 10)
    cleaned = clean_page(PageImage(image, DPI, 0)).image
    assert abs(_mean(cleaned, (10, 10, 60, 60)) - _mean(cleaned, (740, 10, 790, 60))) < 10


def test_light_text_on_a_dark_band_becomes_dark_text_on_white() -> None:
    image, draw = _page(235)
    band = (80, 200, 80 + _mm(80), 200 + _mm(8))
    draw.rectangle(band, fill=40)
    _letters(draw, band[0] + _mm(5), band[1] + _mm(2), 230)
    _letters(draw, 100, 450, 20)
    cleaned = clean_page(PageImage(image, DPI, 0)).image
    inside = (band[0] + _mm(5), band[1] + _mm(1), band[2] - _mm(5), band[3] - _mm(1))
    assert _mean(cleaned, inside) > 180
    assert cleaned.getpixel((band[0] + _mm(5), band[1] + _mm(3))) < 100


def test_ordinary_print_on_paper_is_not_inverted() -> None:
    image, draw = _page(235)
    _letters(draw, 100, 300, 20, count=30)
    cleaned = clean_page(PageImage(image, DPI, 0)).image
    assert cleaned.getpixel((100, 310)) < 80
    assert _mean(cleaned, (100 + 3, 300, 100 + _mm(2) - 2, 300 + _mm(2.5))) > 200


def test_a_page_without_contrast_is_left_as_it_is() -> None:
    page = PageImage(Image.new("L", (WIDTH, HEIGHT), 200), DPI, 3)
    assert clean_page(page) is page


def test_the_cleaned_page_keeps_its_resolution_size_and_number() -> None:
    image, draw = _page(170)
    _paragraph(draw, 100, 100, 20)
    cleaned = clean_page(PageImage(image, DPI, 2))
    assert (cleaned.dpi, cleaned.page, cleaned.image.size) == (DPI, 2, (WIDTH, HEIGHT))


@pytest.mark.parametrize(("size", "shape"), [(3, (40, 57)), (7, (61, 45)), (9, (5, 12))])
def test_the_median_filter_gives_pillows_medians(size: int, shape: tuple[int, int]) -> None:
    pixels = np.random.default_rng(size).integers(0, 256, shape, dtype=np.uint8)
    pixels[:, : shape[1] // 3] //= 8
    expected = Image.fromarray(pixels).filter(ImageFilter.MedianFilter(size))
    assert np.array_equal(median_filter(pixels, size), np.asarray(expected))
