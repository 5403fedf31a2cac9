"""Scanned pages as greyscale images: photos and scans (JPEG, PNG, TIFF) and rendered PDF pages.

Images arrive from the same hostile places as PDFs, so every frame's size is checked
before its pixels are decoded (a few kilobytes of PNG can claim gigapixels), and every
way Pillow can fail ends in one of our :mod:`nex_automat.errors`.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageSequence, UnidentifiedImageError

from nex_automat.errors import ImageTooLarge, NotAPdf, TooManyPages, UnreadableDocument

JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"

IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
"""Leading bytes of the image formats a scanner or a phone produces."""

MAX_PIXELS = 80_000_000
"""An A4 page scanned at 1200 dpi has about 140 million pixels in colour mode but nobody
sends that; 600 dpi gives 35 million. Anything beyond this is refused as a bomb."""

TARGET_DPI = 300
"""Resolution Tesseract reads best at; smaller images are enlarged to it."""
MIN_DPI = 200
"""Below this, glyphs of an 8-point font are too small to be read reliably: upsample."""

A4_LONG_SIDE_INCHES = 11.69
_PLAUSIBLE_LONG_SIDE_INCHES = (5.0, 17.0)
"""From A6 to A3: a page whose declared resolution puts it outside is a phone photo with a
meaningless default (72 dpi), and its resolution is estimated from an A4 page instead."""


@dataclass(slots=True)
class PageImage:
    """One page to recognise: greyscale pixels and the resolution they were taken at."""

    image: Image.Image
    dpi: float
    page: int

    @property
    def width_points(self) -> float:
        return self.image.width * 72 / self.dpi

    @property
    def height_points(self) -> float:
        return self.image.height * 72 / self.dpi


def sniff_image(data: bytes) -> str | None:
    """The image media type of ``data`` by its magic bytes, or ``None``."""
    return next((media for magic, media in IMAGE_MAGIC if data.startswith(magic)), None)


def load_images(data: bytes, *, max_pages: int, max_pixels: int = MAX_PIXELS) -> list[PageImage]:
    """Every page (frame) of an image file, greyscale, at a resolution fit for OCR."""
    if sniff_image(data) is None:
        raise NotAPdf("the document is not a PDF, an e-invoice or an image (JPEG, PNG, TIFF)")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return list(_pages(data, max_pages=max_pages, max_pixels=max_pixels))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge(f"the image is too large to be a scanned page: {exc}") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise UnreadableDocument(f"the image is damaged and cannot be read: {exc}") from exc


def _pages(data: bytes, *, max_pages: int, max_pixels: int) -> Iterator[PageImage]:
    with Image.open(io.BytesIO(data)) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPages(f"the image has {frames} pages; at most {max_pages} are read")
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            width, height = frame.size
            if width * height > max_pixels:
                raise ImageTooLarge(
                    f"page {index + 1} has {width}×{height} pixels; at most {max_pixels:,} "
                    "are accepted"
                )
            if width < 16 or height < 16:
                raise UnreadableDocument(f"page {index + 1} is only {width}×{height} pixels")
            grey = _greyscale(frame)
            yield fit_resolution(PageImage(grey, _resolution(frame), index))


def _greyscale(frame: Image.Image) -> Image.Image:
    """Greyscale pixels; a transparent background becomes white, as on paper."""
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(paper, rgba).convert("L")
    return frame.convert("L")


def _resolution(frame: Image.Image) -> float:
    """The declared resolution if it gives a paper-sized page, else one estimated from A4."""
    declared = frame.info.get("dpi")
    long_side = max(frame.size)
    if declared:
        try:
            dpi = float(max(declared))
        except (TypeError, ValueError):
            dpi = 0.0
        low, high = _PLAUSIBLE_LONG_SIDE_INCHES
        if dpi > 0 and low <= long_side / dpi <= high:
            return dpi
    return long_side / A4_LONG_SIDE_INCHES


def fit_resolution(page: PageImage) -> PageImage:
    """Enlarge a page taken below :data:`MIN_DPI` to :data:`TARGET_DPI`."""
    if page.dpi >= MIN_DPI:
        return page
    scale = TARGET_DPI / page.dpi
    size = (round(page.image.width * scale), round(page.image.height * scale))
    return PageImage(page.image.resize(size, Image.Resampling.LANCZOS), TARGET_DPI, page.page)
