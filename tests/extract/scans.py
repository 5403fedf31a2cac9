"""Generator invoices turned into what a scanner or a phone gives: degraded page images.

Every step is driven by a seed, so a failing test shows the same image again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from random import Random

import numpy as np
import pypdfium2
from PIL import Image, ImageFilter

from nex_automat.pdfium import PDFIUM_LOCK

SCAN_DPI = 200


def render_page(pdf: bytes, index: int, *, dpi: int = SCAN_DPI) -> Image.Image:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
        finally:
            document.close()
    return image


def degrade(image: Image.Image, *, seed: int, max_rotation: float = 1.5) -> Image.Image:
    """A slight rotation, grey paper, sensor noise and a little blur."""
    rng = Random(seed)
    angle = rng.uniform(-max_rotation, max_rotation)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    paper = rng.uniform(205, 235)
    ink = rng.uniform(10, 40)
    pixels = ink + pixels / 255.0 * (paper - ink)
    noise = np.random.default_rng(seed).normal(0.0, rng.uniform(6, 12), pixels.shape)
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))


def jpeg(image: Image.Image, *, quality: int = 70, dpi: int = SCAN_DPI) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return buffer.getvalue()


def degrade_pdf_page(pdf: bytes, index: int, *, seed: int, quality: int = 70) -> bytes:
    """Page ``index`` of ``pdf`` as a degraded 200 dpi JPEG scan."""
    return jpeg(degrade(render_page(pdf, index), seed=seed), quality=quality)


def tiff(images: Sequence[Image.Image], *, dpi: int = SCAN_DPI) -> bytes:
    """A multi-page TIFF, one frame per image, as a document scanner saves it."""
    buffer = io.BytesIO()
    first, *rest = images
    first.save(
        buffer,
        format="TIFF",
        save_all=True,
        append_images=rest,
        dpi=(dpi, dpi),
        compression="tiff_lzw",
    )
    return buffer.getvalue()


def scanned_pdf(images: Sequence[Image.Image], *, dpi: int = SCAN_DPI) -> bytes:
    """A PDF of page images and no text, as a scanner's "scan to PDF" makes it."""
    buffer = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()
