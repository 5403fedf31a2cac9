"""Words with their positions, grouped into lines, phrases and blocks.

Coordinates are PDF points with the origin at the top-left corner of the page and ``y``
growing downwards, so "below" means a larger ``top``. Every reader (text layer, OCR)
produces these types, so the extractor never knows where the words came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Phrase:
    """Words of one line that belong together: separated by ordinary spaces, not gaps."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page


@dataclass(slots=True)
class TextLine:
    """Words sharing a baseline, left to right, split into phrases at wide gaps."""

    words: list[Word]
    phrases: list[Phrase]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@dataclass(slots=True)
class Block:
    """Phrases stacked in one column, close together: an address, a party, a recap."""

    phrases: list[Phrase]
    page: int

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.phrases)

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.phrases)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.phrases)

    @property
    def top(self) -> float:
        return self.phrases[0].top

    @property
    def bottom(self) -> float:
        return self.phrases[-1].bottom


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    lines: list[TextLine] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class TextDocument:
    """A whole document as positioned text, whatever produced it."""

    pages: list[Page]
    sha256: str

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def lines(self) -> list[TextLine]:
        return [line for page in self.pages for line in page.lines]
