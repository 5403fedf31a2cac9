"""The document's pages as pictures for the review page, rendered once and kept on disk.

A PDF's pages are rendered with PDFium (holding :data:`~nex_automat.pdfium.PDFIUM_LOCK`
the whole time); a scan or photo is shown from its searchable PDF when one was kept beside
it, else from its own frames. E-invoices (XML, ISDOCX) have no page. Each picture is
rendered on first request at :data:`PAGE_WIDTH_PX` and stored beside the document
(``<sha256>.page1.png``), and the page sizes in ``<sha256>.pages.json``: reviewers open the
same invoice several times, and rendering is the slow part.

Sizes are in PDF points, like the extraction's source boxes, so a box's position on the
picture is simply its share of the page's width and height.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass

import pypdfium2
from PIL import Image

from nex_automat.errors import NexError
from nex_automat.extract.images import load_images
from nex_automat.extract.media import IMAGES, PDF
from nex_automat.pdfium import PDFIUM_LOCK
from nex_automat.store.files import StoredFileMissing, TenantFiles

log = logging.getLogger(__name__)

PAGE_WIDTH_PX = 1100
"""Wide enough to read 7-point print beside the fields on an office screen."""
MAX_PAGES_SHOWN = 300
SEARCHABLE_PDF_SUFFIX = ".searchable.pdf"
SIZES_SUFFIX = ".pages.json"


@dataclass(frozen=True, slots=True)
class PageSize:
    """One page's width and height in PDF points."""

    width: float
    height: float


class PageNotFound(NexError):
    code = "page_not_found"


def _page_suffix(number: int) -> str:
    return f".page{number}.png"


def _pdf_to_show(files: TenantFiles, sha256: str, media_type: str) -> bytes | None:
    if media_type == PDF:
        return files.get(sha256)
    if media_type in IMAGES:
        try:
            return files.get_derived(sha256, SEARCHABLE_PDF_SUFFIX)
        except StoredFileMissing:
            return None
    return None


def _pdf_sizes(data: bytes) -> list[PageSize]:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            count = min(len(document), MAX_PAGES_SHOWN)
            return [PageSize(*document.get_page_size(index)) for index in range(count)]
        finally:
            document.close()


def _pdf_page_png(data: bytes, index: int) -> bytes:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            page = document[index]
            try:
                width, _ = page.get_size()
                bitmap = page.render(scale=PAGE_WIDTH_PX / width)
                image = bitmap.to_pil()
                bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _compute_sizes(files: TenantFiles, sha256: str, media_type: str) -> list[PageSize]:
    pdf = _pdf_to_show(files, sha256, media_type)
    if pdf is not None:
        return _pdf_sizes(pdf)
    if media_type in IMAGES:
        pages = load_images(files.get(sha256), max_pages=MAX_PAGES_SHOWN)
        return [PageSize(page.width_points, page.height_points) for page in pages]
    return []


def page_sizes(files: TenantFiles, sha256: str, media_type: str) -> list[PageSize]:
    """The sizes of the pages there are to show; empty for an e-invoice or an unreadable file."""
    try:
        cached = json.loads(files.get_derived(sha256, SIZES_SUFFIX))
        return [PageSize(width, height) for width, height in cached]
    except StoredFileMissing:
        pass
    try:
        sizes = _compute_sizes(files, sha256, media_type)
    except (NexError, pypdfium2.PdfiumError) as error:
        log.warning("pages of %s cannot be shown: %s", sha256, error)
        return []
    data = json.dumps([[size.width, size.height] for size in sizes]).encode()
    files.put_derived(sha256, SIZES_SUFFIX, data)
    return sizes


def page_png(files: TenantFiles, sha256: str, media_type: str, number: int) -> bytes:
    """Page ``number`` (1-based) as PNG; :class:`PageNotFound` when there is no such page."""
    if not 1 <= number <= len(page_sizes(files, sha256, media_type)):
        raise PageNotFound(f"the document has no page {number}")
    suffix = _page_suffix(number)
    try:
        return files.get_derived(sha256, suffix)
    except StoredFileMissing:
        pass
    pdf = _pdf_to_show(files, sha256, media_type)
    if pdf is not None:
        png = _pdf_page_png(pdf, number - 1)
    else:
        image = load_images(files.get(sha256), max_pages=MAX_PAGES_SHOWN)[number - 1].image
        height = round(image.height * PAGE_WIDTH_PX / image.width)
        png = _png(image.resize((PAGE_WIDTH_PX, height), Image.Resampling.LANCZOS))
    files.put_derived(sha256, suffix, png)
    return png
