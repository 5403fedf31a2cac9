"""Words recognised on page images by Tesseract, in the same form the text-layer reader gives.

Each page is straightened first (a quarter or half turn found by Tesseract's orientation
detection, a small skew by a projection profile) and cleaned (paper levelled to white,
light-on-dark bands inverted, see :mod:`ocr_image`), then read once by the ``tesseract``
command, which writes its word boxes (TSV). Boxes are converted from pixels to PDF points
with the page's resolution, so the layout, the generic extractor and the templates see OCR
words exactly like text-layer words, plus a confidence. The page's searchable PDF is the
straightened image with those words laid over it (see :mod:`searchable_pdf`).

Cost is bounded: pages are read in parallel (one single-threaded Tesseract per CPU), each
page has a time limit, and the caller limits the number of pages.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from nex_automat.errors import OcrTimeout, OcrUnavailable, UnreadableDocument
from nex_automat.extract.images import PageImage
from nex_automat.extract.layout import Page, Word
from nex_automat.extract.ocr_image import clean_page
from nex_automat.extract.searchable_pdf import searchable_page

LANGUAGES = "slk+ces+eng"
PAGE_TIMEOUT = 60.0
MAX_OCR_PAGES = 50

ORIENTATION_AUTO = "auto"
"""Ask Tesseract's orientation detection only when a page does not read upright: most
pages are upright, and the detection costs about half a recognition."""
ORIENTATION_ALWAYS = "always"
"""Ask orientation detection before recognising every page."""

UPRIGHT_CONFIDENCE = 60.0
"""A page whose words' median confidence is below this is suspected of being turned."""
MIN_UPRIGHT_WORDS = 8

MAX_SKEW = 3.0
"""Degrees; a scan fed crookedly is off by a degree or two, more is a photo to retake."""
_COARSE_STEP = 0.25
_FINE_STEP = 0.05
_MIN_CORRECTED_SKEW = 0.1
_SKEW_SAMPLE_WIDTH = 1000

JUNK_CONFIDENCE = 40.0
"""Specks and ruling lines come out as low-confidence words without a letter or digit."""


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How pages are recognised; the defaults suit Slovak and Czech invoices."""

    languages: str = LANGUAGES
    page_timeout: float = PAGE_TIMEOUT
    max_pages: int = MAX_OCR_PAGES
    workers: int | None = None
    """Pages recognised at once; ``None`` means one per CPU."""
    orientation: str = ORIENTATION_AUTO
    searchable_pdf: bool = True
    tesseract: str = "tesseract"


@dataclass(slots=True)
class OcrPage:
    """One recognised page: its words in points and, if asked for, a one-page searchable PDF."""

    page: Page
    pdf: bytes | None
    rotation: int = 0
    skew: float = 0.0
    seconds: float = 0.0
    image: PageImage | None = None
    """The straightened, cleaned page, kept for a second reading."""


PageSource = Callable[[], PageImage]
"""Produces a page's image when a worker is ready for it, so only the pages being read are
held in memory."""


def recognise_pages(sources: Sequence[PageSource], settings: OcrSettings) -> list[OcrPage]:
    """Recognise every page, in parallel, in the given order; the first and last pages keep
    their straightened image for a second reading."""
    if not sources:
        return []
    workers = max(1, min(settings.workers or os.cpu_count() or 1, len(sources)))
    ends = {0, len(sources) - 1}
    if workers == 1:
        return [
            recognise_page(source(), settings, keep_image=index in ends)
            for index, source in enumerate(sources)
        ]
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr")
    try:
        futures = [
            executor.submit(
                lambda s=source, keep=index in ends: recognise_page(s(), settings, keep_image=keep)
            )
            for index, source in enumerate(sources)
        ]
        return [future.result() for future in futures]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def recognise_page(image: PageImage, settings: OcrSettings, *, keep_image: bool = False) -> OcrPage:
    """Straighten one page image and read its words; ``keep_image`` keeps the straightened
    page for a second reading (the first and last pages, where headers and totals stand)."""
    started = time.monotonic()
    deadline = started + settings.page_timeout
    rotation = 0
    if settings.orientation == ORIENTATION_ALWAYS:
        rotation = detect_orientation(image, settings, deadline=deadline)
    upright, skew = _straighten(image, rotation)
    cleaned = clean_page(upright)
    words = _recognise(cleaned, settings, deadline=deadline)
    if settings.orientation == ORIENTATION_AUTO and not _reads_upright(words):
        turn = detect_orientation(image, settings, deadline=deadline)
        if turn:
            turned, turned_skew = _straighten(image, turn)
            turned_cleaned = clean_page(turned)
            turned_words = _recognise(turned_cleaned, settings, deadline=deadline)
            if _quality(turned_words) > _quality(words):
                upright, cleaned, skew, words, rotation = (
                    turned,
                    turned_cleaned,
                    turned_skew,
                    turned_words,
                    turn,
                )
    page = Page(
        number=image.page,
        width=upright.width_points,
        height=upright.height_points,
        words=words,
    )
    pdf = None
    if settings.searchable_pdf:
        pdf = searchable_page(upright, words, font=glyphless_font(settings.tesseract))
    return OcrPage(
        page=page,
        pdf=pdf,
        rotation=rotation,
        skew=skew,
        seconds=time.monotonic() - started,
        image=cleaned if keep_image else None,
    )


SPARSE_MODE = "11"
"""Tesseract's page segmentation mode for scattered text: every word found on its own,
without the column and paragraph analysis that sometimes runs a label column into its
value column ("Datum vystavení / Date: 2026-09-04" read as "sů aa Date: 5.")."""


def recognise_sparse(
    page: OcrPage, settings: OcrSettings, *, blank: Sequence[tuple[float, float]] = ()
) -> list[Word]:
    """The page's words read again in sparse mode, with the bands ``blank`` (top and bottom
    in points, an items table) left out: they cost time and hold no header or total."""
    if page.image is None:
        return []
    deadline = time.monotonic() + settings.page_timeout
    dpi = page.image.dpi
    image = page.image.image.copy()
    scale = dpi / 72
    for top, bottom in blank:
        image.paste(255, (0, max(0, round(top * scale)), image.width, round(bottom * scale)))
    with tempfile.TemporaryDirectory(prefix="nex-ocr-") as folder:
        base = Path(folder)
        source = _write_image(PageImage(image, dpi, page.page.number), base)
        _run(
            [
                settings.tesseract,
                str(source),
                str(base / "out"),
                "-l",
                settings.languages,
                "--dpi",
                str(round(dpi)),
                "--psm",
                SPARSE_MODE,
                "tsv",
            ],
            deadline=deadline,
            page=page.page.number,
        )
        tsv = (base / "out.tsv").read_text(encoding="utf-8", errors="replace")
    return parse_tsv(tsv, page=page.page.number, dpi=dpi)


def _straighten(image: PageImage, rotation: int) -> tuple[PageImage, float]:
    pixels = image.image
    if rotation:
        pixels = pixels.rotate(rotation, expand=True)
    skew = detect_skew(pixels)
    if abs(skew) >= _MIN_CORRECTED_SKEW:
        pixels = pixels.rotate(
            skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255
        )
    return PageImage(pixels, image.dpi, image.page), skew


def _reads_upright(words: list[Word]) -> bool:
    confident = [w.confidence for w in words if w.confidence is not None]
    return len(confident) >= MIN_UPRIGHT_WORDS and float(np.median(confident)) >= UPRIGHT_CONFIDENCE


def _quality(words: list[Word]) -> float:
    return sum(w.confidence or 0.0 for w in words if any(c.isalnum() for c in w.text))


# --- skew ---------------------------------------------------------------------------------


def detect_skew(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the text lines horizontal.

    Text lines give the row profile of the ink sharp peaks and valleys when they are
    level; the angle whose rotated sample has the sharpest profile wins. A coarse search
    over ±:data:`MAX_SKEW` on a half-size sample (a quarter of the pixels to turn, still
    fine enough for quarter-degree steps) is refined around the best angle on the sample.
    """
    ink = _ink_sample(image)
    if ink is None:
        return 0.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, _COARSE_STEP)
    best = _sharpest(ink.resize((max(1, ink.width // 2), max(1, ink.height // 2))), coarse)
    fine = np.arange(best - _COARSE_STEP, best + _COARSE_STEP + 1e-9, _FINE_STEP)
    return round(float(_sharpest(ink, fine)), 2)


def _ink_sample(image: Image.Image) -> Image.Image | None:
    scale = min(1.0, _SKEW_SAMPLE_WIDTH / image.width)
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    pixels = np.asarray(small, dtype=np.uint8)
    low, high = np.percentile(pixels, (1, 99))
    if high - low < 32:
        return None
    ink = (pixels < (low + high) / 2).astype(np.uint8) * 255
    return Image.fromarray(ink)


def _sharpest(ink: Image.Image, angles: np.ndarray) -> float:
    scores = []
    for angle in angles:
        rotated = np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST))
        profile = rotated.sum(axis=1, dtype=np.float64)
        scores.append(float(np.sum(np.diff(profile) ** 2)))
    return float(angles[int(np.argmax(scores))])


# --- orientation ----------------------------------------------------------------------------


def detect_orientation(image: PageImage, settings: OcrSettings, *, deadline: float) -> int:
    """Degrees counter-clockwise that turn the page upright (0, 90, 180 or 270).

    Tesseract's OSD reports how far the page must be turned clockwise; a page with too
    little text for a verdict is left as it is.
    """
    with tempfile.TemporaryDirectory(prefix="nex-osd-") as folder:
        source = _write_image(image, Path(folder))
        completed = _run(
            [
                settings.tesseract,
                str(source),
                "stdout",
                "--psm",
                "0",
                "--dpi",
                str(round(image.dpi)),
            ],
            deadline=deadline,
            page=image.page,
            check=False,
        )
    for line in completed.stdout.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "Rotate":
            try:
                return (360 - int(value.strip())) % 360
            except ValueError:
                return 0
    return 0


# --- recognition ----------------------------------------------------------------------------


def _recognise(image: PageImage, settings: OcrSettings, *, deadline: float) -> list[Word]:
    with tempfile.TemporaryDirectory(prefix="nex-ocr-") as folder:
        base = Path(folder)
        source = _write_image(image, base)
        _run(
            [
                settings.tesseract,
                str(source),
                str(base / "out"),
                "-l",
                settings.languages,
                "--dpi",
                str(round(image.dpi)),
                "tsv",
            ],
            deadline=deadline,
            page=image.page,
        )
        tsv = (base / "out.tsv").read_text(encoding="utf-8", errors="replace")
    return parse_tsv(tsv, page=image.page, dpi=image.dpi)


def _write_image(image: PageImage, folder: Path) -> Path:
    """The page as an uncompressed TIFF with its resolution: it lives a moment, and
    compressing it would cost a fifteenth of the recognition."""
    path = folder / "page.tif"
    dpi = round(image.dpi)
    image.image.save(path, format="TIFF", dpi=(dpi, dpi))
    return path


@functools.cache
def glyphless_font(tesseract: str) -> bytes | None:
    """Tesseract's glyph-less font (``pdf.ttf`` beside its language data), for the text
    layer of searchable pages; ``None`` if it cannot be found."""
    executable = shutil.which(tesseract)
    if executable is None:
        return None
    try:
        listing = subprocess.run(
            [executable, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    _, quoted, rest = listing.stdout.partition('"')
    folder, closed, _ = rest.partition('"')
    font = Path(folder) / "pdf.ttf"
    return font.read_bytes() if quoted and closed and font.is_file() else None


_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}
"""One thread per Tesseract: parallelism comes from reading several pages at once, and
Tesseract's own threads only contend with them."""


def _run(
    command: list[str], *, deadline: float, page: int, check: bool = True
) -> subprocess.CompletedProcess[str]:
    executable = shutil.which(command[0])
    if executable is None:
        raise OcrUnavailable(
            f"the OCR engine '{command[0]}' is not installed (Debian: apt install tesseract-ocr "
            "tesseract-ocr-slk tesseract-ocr-ces tesseract-ocr-eng)"
        )
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrTimeout(f"page {page + 1} took too long to recognise")
    try:
        completed = subprocess.run(
            [executable, *command[1:]],
            capture_output=True,
            text=True,
            timeout=remaining,
            env={**os.environ, **_ENVIRONMENT},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(
            f"page {page + 1} took longer than the limit to recognise; it was stopped"
        ) from exc
    if check and completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()[-1:] or ["no message"]
        raise UnreadableDocument(f"page {page + 1} could not be recognised: {detail[0]}")
    return completed


# --- Tesseract's TSV ------------------------------------------------------------------------

_WORD_LEVEL = "5"


def parse_tsv(tsv: str, *, page: int, dpi: float) -> list[Word]:
    """Words of Tesseract's TSV output in PDF points, top-left origin.

    Tesseract boxes a word by its ink, so "ks" is shorter than "Kód" and "pár" reaches
    lower than "23"; a text layer gives every character of a line the height of its font.
    The layout measures gaps and groups lines by those heights, so the words of one
    recognised line get one box height, as in a text layer (see :func:`line_box`).
    """
    points = 72.0 / dpi
    lines: dict[tuple[str, str, str], list[tuple[str, float, float, float, float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["level"] != _WORD_LEVEL:
            continue
        try:
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
            confidence = float(row["conf"])
        except (TypeError, ValueError):
            continue
        text = unicodedata.normalize("NFC", (row.get("text") or "").strip())
        if not text or confidence < 0:
            continue
        if confidence < JUNK_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(
            (
                text,
                left * points,
                top * points,
                (left + width) * points,
                (top + height) * points,
                confidence,
            )
        )
    words: list[Word] = []
    for found in lines.values():
        top, bottom = line_box([(text, y0, y1) for text, _, y0, _, y1, _ in found])
        for text, x0, _, x1, _, confidence in found:
            for piece, left, right in split_at_rules(text, x0, x1):
                words.append(Word(piece, left, top, right, bottom, page, confidence))
    return words


_TALL = frozenset("bdfhklt")
"""Lower-case letters reaching as high as capitals and digits."""
_LOW = frozenset("gjpqyç,;()[]{}|")
"""Characters reaching below the baseline."""
DESCENT = 0.2
"""A text layer's box reaches below the baseline by about this × the capital height."""
X_HEIGHT = 0.7
"""Height of a small letter without an ascender, × the capital height."""


def line_box(words: Sequence[tuple[str, float, float]]) -> tuple[float, float]:
    """Top and bottom, as a text layer gives them, of one line's words (text, top, bottom).

    The capital height is read from the words that have a capital, a digit, an ascender
    or an accent, the baseline from the words that have nothing below it; the median of
    each keeps one misread or oddly boxed word from moving the line.
    """
    tall = [top for text, top, _ in words if _is_tall(text)]
    flat = [bottom for text, _, bottom in words if not any(c in _LOW for c in text)]
    baseline = float(np.median(flat)) if flat else float(np.median([b for _, _, b in words]))
    if tall:
        cap = baseline - float(np.median(tall))
    else:
        cap = (baseline - float(np.median([t for _, t, _ in words]))) / X_HEIGHT
    cap = max(cap, 1.0)
    return baseline - cap, baseline + DESCENT * cap


def _is_tall(text: str) -> bool:
    return any(
        c.isupper() or c.isdigit() or c in _TALL or unicodedata.decomposition(c) for c in text
    )


RULE_CHARS = "|¦"
"""What the vertical ruling lines of a table come out as when they touch a word."""


def split_at_rules(text: str, x0: float, x1: float) -> list[tuple[str, float, float]]:
    """The parts of a word between table rules ("38|", "3|sada"), with their share of the box.

    A cell's text never contains a vertical bar, so a bar glued to a word is the rule
    next to it; a bar standing alone is kept, as text layers print it as a separator.
    """
    if len(text) == 1 or not any(rule in text for rule in RULE_CHARS):
        return [(text, x0, x1)]
    step = (x1 - x0) / len(text)
    pieces: list[tuple[str, float, float]] = []
    start = 0
    for index, char in enumerate([*text, RULE_CHARS[0]]):
        if char in RULE_CHARS:
            if index > start:
                pieces.append((text[start:index], x0 + start * step, x0 + index * step))
            start = index + 1
    return pieces
