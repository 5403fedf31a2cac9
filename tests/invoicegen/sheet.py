"""A reportlab canvas with top-down coordinates, registered fonts and late page footers.

Footers are drawn when the document is saved, so "Strana 1 z 3" knows the page count.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_FONT_DIR = Path("/usr/share/fonts/truetype")

FONT_FILES: dict[str, tuple[str, str]] = {
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVuSansCondensed": (
        "dejavu/DejaVuSansCondensed.ttf",
        "dejavu/DejaVuSansCondensed-Bold.ttf",
    ),
    "LiberationSans": (
        "liberation2/LiberationSans-Regular.ttf",
        "liberation2/LiberationSans-Bold.ttf",
    ),
    "LiberationSerif": (
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
    ),
}

_FALLBACK = {
    "DejaVuSerif": "DejaVuSans",
    "LiberationSerif": "DejaVuSerif",
    "LiberationSans": "DejaVuSans",
}
_registered: dict[str, str] = {}

Color = tuple[float, float, float]
BLACK: Color = (0, 0, 0)


def register(family: str) -> str:
    """The name a font family is registered under; a missing family falls back to DejaVu."""
    if family in _registered:
        return _registered[family]
    regular, bold = FONT_FILES[family]
    if (_FONT_DIR / regular).exists() and (_FONT_DIR / bold).exists():
        pdfmetrics.registerFont(TTFont(family, str(_FONT_DIR / regular)))
        pdfmetrics.registerFont(TTFont(f"{family}-Bold", str(_FONT_DIR / bold)))
        _registered[family] = family
    else:
        _registered[family] = register(_FALLBACK.get(family, "DejaVuSans"))
    return _registered[family]


class _DeferredCanvas(canvas.Canvas):
    """Keeps every page open until save so footers can be drawn with the total page count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[dict[str, Any]] = []
        self.footer: Callable[[int, int], None] | None = None

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages, footer = self.pages, self.footer
        for number, state in enumerate(pages, start=1):
            self.__dict__.update(state)
            if footer is not None:
                footer(number, len(pages))
            super().showPage()
        super().save()


class Sheet:
    """Drawing in points from the top-left corner, as a person measures a printed page."""

    width, height = A4

    def __init__(self, font_family: str) -> None:
        self._buffer = io.BytesIO()
        self.canvas = _DeferredCanvas(self._buffer, pagesize=A4, invariant=1, pageCompression=1)
        self.font = register(font_family)
        self.bold = f"{self.font}-Bold"
        self.on_new_page: Callable[[Sheet], float] = lambda sheet: 40.0
        self.footer: Callable[[Sheet, int, int], None] | None = None
        self.bottom = self.height - 60
        self.continuation_top = 40.0
        self.page = 1

    def _font(self, bold: bool) -> str:
        return self.bold if bold else self.font

    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        return pdfmetrics.stringWidth(text, self._font(bold), size)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 8,
        bold: bool = False,
        *,
        align: str = "l",
        color: Color = BLACK,
    ) -> None:
        """``y`` is the baseline, measured from the top of the page."""
        c = self.canvas
        c.setFillColorRGB(*color)
        c.setFont(self._font(bold), size)
        base = self.height - y
        if align == "r":
            c.drawRightString(x, base, text)
        elif align == "c":
            c.drawCentredString(x, base, text)
        else:
            c.drawString(x, base, text)

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Breaks only at spaces, so joining the lines with spaces gives the text back."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and self.text_width(candidate, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        return lines

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        width: float = 0.5,
        *,
        color: Color = BLACK,
    ) -> None:
        c = self.canvas
        c.setStrokeColorRGB(*color)
        c.setLineWidth(width)
        c.line(x1, self.height - y1, x2, self.height - y2)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: Color | None = None,
        *,
        stroke: Color | None = BLACK,
        width: float = 0.5,
        radius: float = 0,
    ) -> None:
        """``y`` is the top edge."""
        c = self.canvas
        if fill is not None:
            c.setFillColorRGB(*fill)
        if stroke is not None:
            c.setStrokeColorRGB(*stroke)
        c.setLineWidth(width)
        args = (x, self.height - y - h, w, h)
        if radius:
            c.roundRect(*args, radius, stroke=int(stroke is not None), fill=int(fill is not None))
        else:
            c.rect(*args, stroke=int(stroke is not None), fill=int(fill is not None))

    def circle(self, x: float, y: float, r: float, fill: Color) -> None:
        c = self.canvas
        c.setFillColorRGB(*fill)
        c.circle(x, self.height - y, r, stroke=0, fill=1)

    def polygon(self, points: list[tuple[float, float]], fill: Color) -> None:
        c = self.canvas
        c.setFillColorRGB(*fill)
        path = c.beginPath()
        path.moveTo(points[0][0], self.height - points[0][1])
        for x, y in points[1:]:
            path.lineTo(x, self.height - y)
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    def new_page(self) -> float:
        """Starts the next page and returns where content may begin."""
        self.canvas.showPage()
        self.page += 1
        return self.on_new_page(self)

    def ensure(self, y: float, needed: float) -> float:
        return self.new_page() if y + needed > self.bottom else y

    def finish(self) -> bytes:
        if self.footer is not None:
            footer = self.footer
            self.canvas.footer = lambda number, total: footer(self, number, total)
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()
