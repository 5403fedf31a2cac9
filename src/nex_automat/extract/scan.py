"""Which PDF pages need OCR, their images, and the searchable PDF put back together.

A page's text layer is used when it is there and readable. A scanner's page has none; a
page with only a stamp or a page number has too little to be the invoice; and a PDF made
with a broken font encoding has text that is garbage (replacement characters, private-use
code points, "words" of symbols). Those pages are recognised instead, and only those.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

import pypdfium2

from nex_automat.errors import ImageTooLarge, UnreadableDocument
from nex_automat.extract.images import MAX_PIXELS, MIN_DPI, TARGET_DPI, PageImage
from nex_automat.extract.layout import Page
from nex_automat.extract.ocr import PageSource
from nex_automat.pdfium import PDFIUM_LOCK


class PageText(StrEnum):
    USABLE = "usable"
    NONE = "none"
    TOO_LITTLE = "too_little"
    GARBAGE = "garbage"


MIN_CHARS = 40
"""Fewer characters than an invoice header alone has: a stamp, a page number, a logo."""
MAX_BAD_CHAR_SHARE = 0.05
"""Replacement, private-use and control characters: a font without a usable ToUnicode map."""
MAX_SYMBOL_WORD_SHARE = 0.4
"""Words made mostly of characters that are neither letters nor digits."""

_BAD_CATEGORIES = frozenset({"Co", "Cs", "Cn", "Cc"})


def classify_page(page: Page) -> PageText:
    """Whether the page's text layer can be read as it is, and if not, why."""
    texts = [word.text for word in page.words]
    chars = sum(len(text) for text in texts)
    if chars == 0:
        return PageText.NONE
    if _bad_char_share(texts) > MAX_BAD_CHAR_SHARE:
        return PageText.GARBAGE
    if chars < MIN_CHARS:
        return PageText.TOO_LITTLE
    symbol_words = sum(not _mostly_alphanumeric(text) for text in texts)
    if symbol_words / len(texts) > MAX_SYMBOL_WORD_SHARE:
        return PageText.GARBAGE
    return PageText.USABLE


def _bad_char_share(texts: Sequence[str]) -> float:
    chars = [char for text in texts for char in text]
    bad = sum(char == "\ufffd" or unicodedata.category(char) in _BAD_CATEGORIES for char in chars)
    return bad / len(chars)


def _mostly_alphanumeric(text: str) -> bool:
    return sum(char.isalnum() for char in text) * 2 >= len(text)


def pages_to_recognise(pages: Sequence[Page]) -> list[int]:
    """Indexes of the pages whose text layer is not usable."""
    return [page.number for page in pages if classify_page(page) is not PageText.USABLE]


def pdf_page_sources(
    data: bytes, indexes: Sequence[int], *, dpi: float = TARGET_DPI
) -> list[PageSource]:
    """Renderers of the given PDF pages as greyscale images, each taking PDFium's lock."""
    return [lambda index=index: render_pdf_page(data, index, dpi=dpi) for index in indexes]


def render_dpi(width_points: float, height_points: float, dpi: float = TARGET_DPI) -> float:
    """The resolution to render a page at: ``dpi``, or less for a page so large that it
    would exceed :data:`MAX_PIXELS` (a drawing, or a page box made to exhaust memory).

    A page that does not fit even at :data:`MIN_DPI` is no invoice page and is refused
    before any pixel is allocated.
    """
    area = abs(width_points * height_points) / (72 * 72)
    if area * dpi * dpi <= MAX_PIXELS:
        return dpi
    fitting = math.sqrt(MAX_PIXELS / area)
    if fitting < MIN_DPI:
        raise ImageTooLarge(
            f"the page is {width_points:.0f}×{height_points:.0f} points; rendered for OCR at "
            f"{MIN_DPI} dpi it would exceed {MAX_PIXELS:,} pixels"
        )
    return math.floor(fitting * 100) / 100  # down, so the product stays within the limit


def render_pdf_page(data: bytes, index: int, *, dpi: float = TARGET_DPI) -> PageImage:
    """One page as displayed (crop box, /Rotate applied), in grey, at ``dpi`` or at the
    lower resolution :func:`render_dpi` allows for a very large page."""
    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            raise UnreadableDocument(
                f"the PDF cannot be opened to render its pages: {exc}"
            ) from exc
        try:
            page = document[index]
            try:
                dpi = render_dpi(*page.get_size(), dpi)
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                image = bitmap.to_pil().convert("L")
                bitmap.close()
            finally:
                page.close()
        except pypdfium2.PdfiumError as exc:
            raise UnreadableDocument(
                f"page {index + 1} of the PDF cannot be rendered: {exc}"
            ) from exc
        finally:
            document.close()
    return PageImage(image, dpi, index)


def combine_pdf_pages(pages: Sequence[tuple[bytes, int]]) -> bytes:
    """One PDF made of the given (PDF bytes, page index) pages, in order."""
    with PDFIUM_LOCK:
        target = pypdfium2.PdfDocument.new()
        sources: dict[int, pypdfium2.PdfDocument] = {}
        try:
            for data, index in pages:
                source = sources.get(id(data))
                if source is None:
                    source = sources[id(data)] = pypdfium2.PdfDocument(data)
                target.import_pages(source, [index])
            buffer = io.BytesIO()
            target.save(buffer)
        finally:
            target.close()
            for source in sources.values():
                source.close()
    return buffer.getvalue()
