"""Page images made plain for recognition: white paper, dark ink, even where print was not.

Scans come on grey or uneven paper and invoices print their table headers and totals
white on a dark band. Tesseract binarises the whole page with one threshold, so grey paper
costs it contrast and a dark band hides its words entirely. The page's background is
estimated at a low resolution (the ink of text is too thin to move a median over a few
millimetres), dark-background regions are inverted, and every pixel is divided by its
local paper brightness.
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageFilter

from nex_automat.extract.images import PageImage

BACKGROUND_WINDOW_MM = 3.5
"""Side of the square whose median is the background: wider than the strokes and letters
of small print, narrower than a header band."""
SAMPLE_MM = 0.5
"""Resolution of the background estimate, and so how closely a band's edge is followed."""
BAND_INK = 0.7
"""Share of ink pixels around a point inside a printed band with light text on it: the
band is solid but for its letters, while even large bold print on paper leaves half of
its surroundings blank."""
BAND_MARGIN_MM = 2.0
"""How far a band's edge may lie outside its solid core; the exact edge is then found on
the pixels."""
BAND_MIN_WIDTH_MM = 20.0
"""A printed band runs across a table or a box; print breaks up between words long
before this."""


def clean_page(page: PageImage) -> PageImage:
    """The page with light-on-dark bands inverted and the paper levelled to white."""
    image = page.image
    step = max(1, round(page.dpi * SAMPLE_MM / 25.4))
    grid = (max(1, image.width // step), max(1, image.height // step))
    window = max(3, round(BACKGROUND_WINDOW_MM / SAMPLE_MM) | 1)
    pixels = np.asarray(image, dtype=np.float32)
    paper, ink = np.percentile(pixels[:: step // 2 + 1, :: step // 2 + 1], (90, 2))
    if paper - ink < 16:
        return page
    threshold = float(paper + ink) / 2
    small = np.asarray(image.resize(grid, Image.Resampling.BOX))
    background = median_filter(small, window).astype(np.float32)
    bands = _bands(image, threshold, grid, window)
    if bands.any():
        background = np.where(bands, 255.0 - background, background)
        mask = _band_pixels(pixels < threshold, bands, image.size)
        pixels = np.where(mask, 255.0 - pixels, pixels)
    level = Image.fromarray(background.astype(np.uint8)).resize(
        image.size, Image.Resampling.BILINEAR
    )
    scale = 255.0 / np.maximum(np.asarray(level, dtype=np.float32), 1.0)
    cleaned = np.clip(pixels * scale, 0, 255).astype(np.uint8)
    return PageImage(Image.fromarray(cleaned), page.dpi, page.page)


def _bands(image: Image.Image, threshold: float, grid: tuple[int, int], window: int) -> np.ndarray:
    """Grid cells inside a solid printed band (a dark table header, a total's box)."""
    ink = image.point(lambda value: 255 if value < threshold else 0)
    share = ink.resize(grid, Image.Resampling.BOX).filter(ImageFilter.BoxBlur(window // 2))
    core = np.asarray(share, dtype=np.float32) >= BAND_INK * 255
    core = _long_runs(core, round(BAND_MIN_WIDTH_MM / SAMPLE_MM))
    if not core.any():
        return core
    return _grow(core, round(BAND_MARGIN_MM / SAMPLE_MM))


def _band_pixels(ink: np.ndarray, bands: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The pixels of the bands, their edges found row by row and column by column.

    Bands are rectangles along the page's axes: a pixel row or column crossing a band is
    mostly ink even where light letters stand in it, one beside it mostly paper.
    """
    grid = Image.fromarray(bands.astype(np.uint8) * 255)
    mask = np.asarray(grid.resize(size, Image.Resampling.NEAREST)) > 0
    for axis in (1, 0):
        inside = mask.sum(axis=axis)
        dark = (ink & mask).sum(axis=axis)
        solid = dark >= 0.5 * np.maximum(inside, 1)
        mask &= solid[:, None] if axis == 1 else solid[None, :]
    return mask


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The cells of ``mask`` lying in a horizontal run of at least ``length`` cells."""
    if mask.shape[1] < length or not mask.any():
        return np.zeros_like(mask)
    padded = np.pad(mask.astype(np.int32), ((0, 0), (1, 0)))
    sums = np.cumsum(padded, axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length
    kept = np.zeros(mask.shape, dtype=np.int32)
    for offset in range(length):
        kept[:, offset : offset + full.shape[1]] |= full
    return kept.astype(bool)


def median_filter(pixels: np.ndarray, size: int) -> np.ndarray:
    """Each pixel replaced by the median of the ``size`` × ``size`` square around it, the
    edge pixels repeated beyond the edge (as Pillow's ``MedianFilter`` gives it).

    Pillow sorts every window anew, a tenth of a second for a page's background grid. The
    same medians come from a sorting network applied to whole images: each input is the
    grid shifted by one offset of the square, each comparison an element-wise minimum and
    maximum, and only the comparisons leading to the middle output are made.
    """
    reach = size // 2
    padded = np.pad(pixels, reach, mode="edge")
    height, width = pixels.shape
    inputs, low, middle, network = _median_network(size * size)
    wires = [np.zeros_like(pixels)] * low
    wires += [padded[dy : dy + height, dx : dx + width] for dy in range(size) for dx in range(size)]
    wires += [np.full_like(pixels, 255)] * (inputs - len(wires))
    for first, second in network:
        a, b = wires[first], wires[second]
        wires[first], wires[second] = np.minimum(a, b), np.maximum(a, b)
    return wires[middle]


@functools.cache
def _median_network(count: int) -> tuple[int, int, int, list[tuple[int, int]]]:
    """Batcher's odd-even merge sort for ``count`` values padded with zeros below and 255s
    above to a power of two, cut to the comparisons the median depends on: the number of
    inputs, of zeros, the median's output and the comparisons (lower, upper wire)."""
    inputs = 1 << (count - 1).bit_length()
    low = (inputs - count + 1) // 2
    middle = low + count // 2
    needed, network = {middle}, []
    for first, second in reversed(_batcher(inputs)):
        if first in needed or second in needed:
            network.append((first, second))
            needed |= {first, second}
    return inputs, low, middle, network[::-1]


def _batcher(inputs: int) -> list[tuple[int, int]]:
    pairs = []
    span = 1
    while span < inputs:
        step = span
        while step >= 1:
            for start in range(step % span, inputs - step, 2 * step):
                for offset in range(min(step, inputs - start - step)):
                    first = start + offset
                    if first // (2 * span) == (first + step) // (2 * span):
                        pairs.append((first, first + step))
            step //= 2
        span *= 2
    return pairs


def _grow(mask: np.ndarray, reach: int) -> np.ndarray:
    """``mask`` with every cell within ``reach`` cells (a square) of a true cell set."""
    grown = mask
    for axis in (0, 1):
        padded = np.pad(grown, [(reach, reach) if a == axis else (0, 0) for a in (0, 1)])
        length = grown.shape[axis]
        grown = np.logical_or.reduce(
            [padded.take(range(shift, shift + length), axis=axis) for shift in range(2 * reach + 1)]
        )
    return grown
