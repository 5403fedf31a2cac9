"""The text layer of a PDF as positioned words, read with PDFium.

Hostile input is expected (mail attachments, uploads): every way a file can be wrong
ends in one of our :mod:`nex_automat.errors`, decided as early and as cheaply as
possible, and every PDFium handle is closed on every path so a long-running worker does
not leak memory across thousands of documents.
"""

from __future__ import annotations

import ctypes
import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pypdfium2  # noqa: F401  (importing the package initialises the PDFium library)
import pypdfium2.raw as pdfium

from nex_automat.errors import (
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    NotAPdf,
    TooManyPages,
    UnreadableDocument,
)
from nex_automat.extract.layout import Page, TextDocument, Word, layout_page
from nex_automat.extract.pdf_streams import MAX_INFLATED_BYTES, check_stream_sizes
from nex_automat.pdfium import PDFIUM_LOCK

MAX_PAGES = 300
MAX_BYTES = 50 * 1024 * 1024
_HEADER_WINDOW = 1024

WORD_GAP = 0.25
"""A gap wider than this × the character height between two characters splits a word."""

_SUBSTITUTES: dict[int, str | None] = {
    0x0002: "-",  # PDFium's mark for a hyphen at the end of a line
    0xFFFE: "-",  # the same mark as FPDFText_GetText returns it
    0x00AD: "-",  # a soft hyphen that was drawn is a visible hyphen
    0x200B: None,  # zero-width space separates words
}
"""Characters whose text is not what PDFium reports: ``None`` separates words."""

_char_texts: dict[int, str | None] = {}


def _char_text(code: int) -> str | None:
    """The text a UTF-16 code unit adds to a word: None ends the word, "" adds nothing."""
    if code in _SUBSTITUTES:
        return _SUBSTITUTES[code]
    char = chr(code)
    category = unicodedata.category(char)
    if char.isspace() or category == "Cc":
        return None
    if category == "Cf":
        return ""
    return char


Box = tuple[float, float, float, float]
"""x0, top, x1, bottom on the displayed page."""


@dataclass(frozen=True, slots=True)
class _View:
    """The visible part of a page (crop box within media box) as the reader sees it.

    PDF user space has its origin at the bottom left and the page may carry a /Rotate;
    words are reported on the page as displayed, origin top-left, y down.
    """

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @property
    def width(self) -> float:
        span = (self.right - self.left, self.top - self.bottom)
        return span[self.rotation % 2]

    @property
    def height(self) -> float:
        span = (self.top - self.bottom, self.right - self.left)
        return span[self.rotation % 2]

    def mapper(self) -> Callable[[float, float, float, float], Box]:
        """A function taking a user-space box (left, top, right, bottom) to a display box."""
        left, bottom, right, top = self.left, self.bottom, self.right, self.top

        def upright(lft: float, tp: float, rgt: float, btm: float) -> Box:
            return (lft - left, top - tp, rgt - left, top - btm)

        def quarter(lft: float, tp: float, rgt: float, btm: float) -> Box:
            return (btm - bottom, lft - left, tp - bottom, rgt - left)

        def half(lft: float, tp: float, rgt: float, btm: float) -> Box:
            return (right - rgt, btm - bottom, right - lft, tp - bottom)

        def three_quarters(lft: float, tp: float, rgt: float, btm: float) -> Box:
            return (top - tp, right - rgt, top - btm, right - lft)

        return (upright, quarter, half, three_quarters)[self.rotation]


_LOAD_ERRORS: dict[int, tuple[type[Exception], str]] = {
    pdfium.FPDF_ERR_PASSWORD: (
        EncryptedPdf,
        "The PDF is protected by a password; ask the sender for an unprotected copy.",
    ),
    pdfium.FPDF_ERR_SECURITY: (
        EncryptedPdf,
        "The PDF is encrypted with a security scheme that cannot be opened.",
    ),
}


def read_pdf(
    data: bytes,
    *,
    max_pages: int = MAX_PAGES,
    max_bytes: int = MAX_BYTES,
    max_inflated: int = MAX_INFLATED_BYTES,
) -> TextDocument:
    """Read every page's words, lines and blocks from the bytes of a PDF.

    ``max_inflated`` bounds what the PDF's compressed streams may inflate to; it is
    checked (:mod:`~nex_automat.extract.pdf_streams`) before PDFium decodes anything.
    """
    data = bytes(data)
    _check_bytes(data, max_bytes)
    check_stream_sizes(data, max_inflated)
    sha256 = hashlib.sha256(data).hexdigest()
    with PDFIUM_LOCK:
        pages = _read_pages(data, max_pages)
    return TextDocument(pages=[layout_page(page) for page in pages], sha256=sha256)


def text_char_counts(document: TextDocument) -> list[int]:
    """Characters of text on each page, to tell a scan from a document with a text layer."""
    return [sum(len(word.text) for word in page.words) for page in document.pages]


def has_text(document: TextDocument, *, min_chars: int = 1) -> bool:
    """Whether any page carries at least ``min_chars`` characters of text."""
    return any(count >= min_chars for count in text_char_counts(document))


def _check_bytes(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise DocumentTooLarge(
            f"The document has {len(data):,} bytes; at most {max_bytes:,} are accepted."
        )
    if not data or data.isspace():
        raise EmptyDocument("The document is empty.")
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise NotAPdf("The document is not a PDF: it has no %PDF- header.")


def _read_pages(data: bytes, max_pages: int) -> list[Page]:
    with _open_document(data) as document:
        count = pdfium.FPDF_GetPageCount(document)
        if count > max_pages:
            raise TooManyPages(f"The PDF has {count:,} pages; at most {max_pages:,} are read.")
        if count <= 0:
            raise UnreadableDocument("The PDF has no pages.")
        return [_read_page(document, index) for index in range(count)]


@contextmanager
def _open_document(data: bytes) -> Iterator[pdfium.FPDF_DOCUMENT]:
    document = pdfium.FPDF_LoadMemDocument64(data, len(data), None)
    if not document:
        error, message = _LOAD_ERRORS.get(
            pdfium.FPDF_GetLastError(),
            (UnreadableDocument, "The PDF is damaged or incomplete and cannot be read."),
        )
        raise error(message)
    try:
        yield document
    finally:
        pdfium.FPDF_CloseDocument(document)


def _read_page(document: pdfium.FPDF_DOCUMENT, index: int) -> Page:
    page = pdfium.FPDF_LoadPage(document, index)
    if not page:
        raise UnreadableDocument(f"Page {index + 1} of the PDF is damaged and cannot be read.")
    try:
        view = _page_view(page)
        text_page = pdfium.FPDFText_LoadPage(page)
        if not text_page:
            raise UnreadableDocument(f"The text of page {index + 1} of the PDF cannot be read.")
        try:
            words = _page_words(text_page, view, index)
        finally:
            pdfium.FPDFText_ClosePage(text_page)
    finally:
        pdfium.FPDF_ClosePage(page)
    return Page(number=index, width=view.width, height=view.height, words=words)


def _page_view(page: pdfium.FPDF_PAGE) -> _View:
    rect = pdfium.FS_RECTF()
    rotation = pdfium.FPDFPage_GetRotation(page) % 4
    if pdfium.FPDF_GetPageBoundingBox(page, rect):
        return _View(
            left=min(rect.left, rect.right),
            bottom=min(rect.bottom, rect.top),
            right=max(rect.left, rect.right),
            top=max(rect.bottom, rect.top),
            rotation=rotation,
        )
    width = pdfium.FPDF_GetPageWidthF(page)
    height = pdfium.FPDF_GetPageHeightF(page)
    if rotation % 2:
        width, height = height, width
    return _View(left=0.0, bottom=0.0, right=width, top=height, rotation=rotation)


def _continues(previous: Box, box: Box) -> bool:
    """Whether ``box`` is the next character of the same word as ``previous``.

    Upright text runs left to right on one line; text turned by a quarter runs down or
    up the page in one column, and its characters are joined the same way.
    """
    p_x0, p_top, p_x1, p_bottom = previous
    x0, top, x1, bottom = box
    height = max(p_bottom - p_top, bottom - top)
    if abs((top + bottom) - (p_top + p_bottom)) <= height:
        return x0 >= p_x0 - 0.1 * height and x0 - p_x1 <= WORD_GAP * height
    width = max(p_x1 - p_x0, x1 - x0)
    if abs((x0 + x1) - (p_x0 + p_x1)) > 0.2 * width:
        return False
    limit = WORD_GAP * width
    return -0.1 * width <= top - p_bottom <= limit or -0.1 * width <= p_top - bottom <= limit


def _page_words(text_page: pdfium.FPDF_TEXTPAGE, view: _View, page_number: int) -> list[Word]:
    """Split the page's characters into words at separators and at wide gaps.

    The whole text comes in one call and only the boxes are fetched per character: this
    keeps a page with a few thousand characters within a few milliseconds.
    """
    count = pdfium.FPDFText_CountChars(text_page)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium.FPDFText_GetText(text_page, 0, count, buffer)
    codes = buffer[:count]
    has_pairs = (
        len(ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "surrogatepass")) < count
    )
    rect = pdfium.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    char_box = pdfium.FPDFText_GetLooseCharBox
    to_view = view.mapper()
    texts = _char_texts

    words: list[Word] = []
    chars: list[str] = []
    x0 = top = x1 = bottom = 0.0
    previous: Box = (0.0, 0.0, 0.0, 0.0)
    for index, code in enumerate(codes):
        text = texts[code] if code in texts else texts.setdefault(code, _char_text(code))
        if not text:
            if text is None and chars:
                words.append(Word("".join(chars), x0, top, x1, bottom, page_number))
                chars = []
            continue
        char_box(text_page, index, rect_ref)
        left, right, upper, lower = rect.left, rect.right, rect.top, rect.bottom
        if left > right:
            left, right = right, left
        if lower > upper:
            lower, upper = upper, lower
        box = to_view(left, upper, right, lower)
        if chars and _continues(previous, box):
            x0, top = min(x0, box[0]), min(top, box[1])
            x1, bottom = max(x1, box[2]), max(bottom, box[3])
        else:
            if chars:
                words.append(Word("".join(chars), x0, top, x1, bottom, page_number))
                chars = []
            x0, top, x1, bottom = box
        chars.append(text)
        previous = box
    if chars:
        words.append(Word("".join(chars), x0, top, x1, bottom, page_number))
    return _clean_words(words, view, has_pairs=has_pairs)


def _clean_words(words: list[Word], view: _View, *, has_pairs: bool) -> list[Word]:
    """Normalise the words' text and drop words outside the visible page.

    Text outside the crop box is not shown to a reader, so it must not be read either.
    """
    width, height = view.width, view.height
    cleaned = []
    for word in words:
        text = word.text
        if has_pairs:
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = unicodedata.normalize("NFC", text)
        inside = 0 <= word.x_center <= width and 0 <= (word.top + word.bottom) / 2 <= height
        if text and inside:
            cleaned.append(word if text == word.text else replace(word, text=text))
    return cleaned
