"""Words with their positions, grouped into lines, phrases and blocks.

Coordinates are PDF points with the origin at the top-left corner of the page and ``y``
growing downwards, so "below" means a larger ``top``. Every reader (text layer, OCR)
produces these types, so the extractor never knows where the words came from.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    confidence: float | None = None
    """How sure OCR was of the word (0-100); ``None`` for text read from a text layer."""

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Phrase:
    """Words of one line that belong together: separated by ordinary spaces, not gaps.

    The words never change after grouping, so the text and the box are computed once here:
    the extractor reads them thousands of times per page.
    """

    words: list[Word]
    text: str = field(init=False)
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    page: int = field(init=False)

    def __post_init__(self) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = _span(self.words)
        self.page = self.words[0].page


@dataclass(slots=True)
class TextLine:
    """Words sharing a baseline, left to right, split into phrases at wide gaps."""

    words: list[Word]
    phrases: list[Phrase]
    page: int
    text: str = field(init=False)
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)

    def __post_init__(self) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = _span(self.words)


def _span(words: list[Word]) -> tuple[str, float, float, float, float]:
    """Text and box of words standing left to right on one line."""
    return (
        " ".join(w.text for w in words),
        words[0].x0,
        words[-1].x1,
        min(w.top for w in words),
        max(w.bottom for w in words),
    )


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


LINE_TOLERANCE = 0.5
"""Words whose vertical centres differ by at most this × the median word height share a line.

Half a height keeps superscripts and a larger heading word on their line while two
lines printed with the tightest usual leading (1.0 × font size) stay apart."""

PHRASE_GAP = 1.0
"""A horizontal gap wider than this × the word height starts a new phrase.

An ordinary space is 0.25-0.35 × the height, so a label such as "Dátum vystavenia:"
stays whole while table cells, set at least about one em apart, come out separate."""

BLOCK_GAP = 1.0
"""A vertical gap wider than this × the phrase height ends a block.

Lines set with the usual leading touch or nearly touch; a single empty line still joins
(an address and the IČO printed under it belong together), a wider gap separates."""

BLOCK_ALIGN = 3.0
"""Left edges closer than this many points are one column."""


def _centre_y(word: Word) -> float:
    return (word.top + word.bottom) / 2


def split_phrases(words: list[Word]) -> list[Phrase]:
    """Split the words of one line (left to right) at gaps wider than a space."""
    phrases: list[Phrase] = []
    current: list[Word] = []
    for word in words:
        if current:
            previous = current[-1]
            height = (previous.height + word.height) / 2
            if word.x0 - previous.x1 > PHRASE_GAP * height:
                phrases.append(Phrase(current))
                current = []
        current.append(word)
    if current:
        phrases.append(Phrase(current))
    return phrases


def build_lines(words: list[Word]) -> list[TextLine]:
    """Cluster words into lines by their vertical centres, top to bottom.

    Words are taken in order of their centres and a word joins the current line while
    its centre stays near the line's mean centre, so one tall or raised word cannot drag
    the line onto its neighbour. Words of different pages never share a line.
    """
    heights = [w.height for w in words if w.height > 0]
    if not heights:
        heights = [0.0]
    tolerance = LINE_TOLERANCE * statistics.median(heights)
    groups: list[list[Word]] = []
    centre_sum = 0.0
    for word in sorted(words, key=lambda w: (w.page, _centre_y(w), w.x0)):
        centre = _centre_y(word)
        if groups:
            group = groups[-1]
            mean = centre_sum / len(group)
            if group[0].page == word.page and abs(centre - mean) <= tolerance:
                group.append(word)
                centre_sum += centre
                continue
        groups.append([word])
        centre_sum = centre
    lines = []
    for group in groups:
        ordered = sorted(group, key=lambda w: (w.x0, w.top))
        lines.append(TextLine(words=ordered, phrases=split_phrases(ordered), page=ordered[0].page))
    return lines


@dataclass(slots=True)
class _Stack:
    """A block being built: its last phrase's box and the line that phrase came from."""

    block: Block
    line_index: int
    x0: float
    top: float
    x1: float
    bottom: float

    def fit(self, x0: float, top: float, x1: float, bottom: float) -> tuple[bool, float] | None:
        """How well a phrase with this box continues the block; None if it does not.

        The key prefers a block whose left edge is aligned with the phrase, then the
        nearest left edge, so a wide line of one column cannot steal its neighbour's phrase.
        """
        height = max(self.bottom - self.top, bottom - top)
        if top - self.bottom > BLOCK_GAP * height:
            return None
        shift = abs(x0 - self.x0)
        aligned = shift <= BLOCK_ALIGN
        if not aligned and min(x1, self.x1) <= max(x0, self.x0):
            return None
        return (not aligned, shift)


def build_blocks(lines: list[TextLine]) -> list[Block]:
    """Stack phrases of consecutive lines into column blocks, in reading order.

    A block takes at most one phrase per line, so two addresses printed side by side
    grow as two blocks even when their lines are clustered together.
    """
    blocks: list[Block] = []
    stacks: list[_Stack] = []
    for index, line in enumerate(lines):
        line_top = line.top
        stacks = [
            stack
            for stack in stacks
            if stack.block.page == line.page
            and line_top - stack.bottom <= 3 * BLOCK_GAP * (stack.bottom - stack.top)
        ]
        for phrase in line.phrases:
            box = (phrase.x0, phrase.top, phrase.x1, phrase.bottom)
            best: _Stack | None = None
            best_key: tuple[bool, float] | None = None
            for stack in stacks:
                if stack.line_index == index:
                    continue
                key = stack.fit(*box)
                if key is not None and (best_key is None or key < best_key):
                    best, best_key = stack, key
            if best is None:
                block = Block(phrases=[phrase], page=line.page)
                blocks.append(block)
                stacks.append(_Stack(block, index, *box))
            else:
                best.block.phrases.append(phrase)
                best.line_index = index
                best.x0, best.top, best.x1, best.bottom = box
    return blocks


def layout_page(page: Page) -> Page:
    """Fill the page's lines and blocks and put its words in reading order."""
    page.lines = build_lines(page.words)
    page.blocks = build_blocks(page.lines)
    page.words = [word for line in page.lines for word in line.words]
    return page
