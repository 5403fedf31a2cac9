"""Labels found on the page and the values printed beside or below them.

Real layouts put a value right after its label ("IČO: 12345678"), in the next column of a
label/value grid, or under the label in a boxed header. A :class:`LabelledText` knows where
every label stands and offers the candidates for its value in that order, so a caller only
says what a valid value looks like.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nex_automat.extract.labels import LabelTable, fold
from nex_automat.extract.layout import Phrase, TextLine, Word
from nex_automat.extract.ocr_text import is_recognised, value_text
from nex_automat.extract.result import SourceBox

T = TypeVar("T")

_LEAD = re.compile(r"(?:[\s.:#=/]|[-–—](?!\s*\d))*")
"""Punctuation between a label and its value; a minus sign before digits is the value's."""
_TRANSLATION = re.compile(r"[^\d:]*:")
"""The rest of a bilingual label ("Datum vystavení / Date:"): words and a colon, no value."""
_OTHER_LANGUAGE = re.compile(
    r"\s*/\s*[^\W\d][^\d:/]*?(?:\s*:|\s*$|(?=[-+\u2212]?\d[\d\s.,\u00a0]*[.,]\d{2}(?!\d)))"
)
"""The other language of a bilingual label ("K úhrade / To pay", "Datum / Date:"): words
after a slash up to a colon, the end, or an amount run into them ("Amount due10 730,00")."""
_TRANSLATION_GAP = re.compile(r"[^\d:/]*/[^\d:/]*")
"""Between a label and the other language's words: a slash, no value, no colon."""
_QUALIFIER = re.compile(r"[(\[]?\s*(?:v\s+|in\s+)?(?:eur|czk|kc|usd|€|%)\s*[)\]]?\s*:?")
"""What a label may carry after it without being a value: "K úhradě (CZK):", "Spolu v EUR"."""

_BELOW_GAP_LINES = 1.6
"""How far under a label (in line heights) its value may start in a boxed grid."""
_BOX_MARGIN = 2.0
"""Points a value may stand left of its box label, or short of the next box."""


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle of one page: the column of a party, a payment box."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, phrase: Phrase) -> bool:
        return (
            phrase.page == self.page
            and self.x0 <= phrase.x0 < self.x1
            and self.top <= (phrase.top + phrase.bottom) / 2 <= self.bottom
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    box: SourceBox


@dataclass(frozen=True, slots=True)
class Hit:
    """A label standing in a phrase; ``inline`` is the text after it up to the next label."""

    field: str
    line_index: int
    phrase_index: int
    start: int
    end: int
    colon: bool
    inline: Candidate | None

    def __lt__(self, other: Hit) -> bool:
        return (self.line_index, self.phrase_index, self.start) < (
            other.line_index,
            other.phrase_index,
            other.start,
        )


def _vertical_overlap(a: Phrase, b: Phrase) -> float:
    """Shared height of two phrases as a share of the lower one's height."""
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared / max(min(a.bottom - a.top, b.bottom - b.top), 0.1)


def box_of(items: Iterable[Word | Phrase]) -> SourceBox:
    items = list(items)
    return SourceBox(
        page=items[0].page,
        x0=min(i.x0 for i in items),
        top=min(i.top for i in items),
        x1=max(i.x1 for i in items),
        bottom=max(i.bottom for i in items),
    )


def _words_between(phrase: Phrase, start: int, end: int) -> list[Word]:
    """Words of ``phrase`` that overlap characters ``start``..``end`` of its text."""
    chosen: list[Word] = []
    offset = 0
    for word in phrase.words:
        word_end = offset + len(word.text)
        if word_end > start and offset < end:
            chosen.append(word)
        offset = word_end + 1
    return chosen


def _value_piece(phrase: Phrase, start: int, end: int) -> Candidate | None:
    text = phrase.text
    raw = text[start:end]
    translation = _OTHER_LANGUAGE.match(raw)
    if translation is not None:
        start += translation.end()
        raw = text[start:end]
    lead = _LEAD.match(raw)
    first = start + (lead.end() if lead else 0)
    stripped = text[first:end].rstrip(" ,;/|")
    if not stripped or _QUALIFIER.fullmatch(fold(stripped)) or _TRANSLATION.fullmatch(stripped):
        return None
    words = _words_between(phrase, first, first + len(stripped))
    return Candidate(stripped, box_of(words or phrase.words))


class LabelledText:
    """The lines of a document (outside the item table) with every label found in them."""

    def __init__(self, lines: Sequence[TextLine], table: LabelTable) -> None:
        self.lines = sorted(lines, key=lambda line: (line.page, line.top, line.x0))
        self.hits: list[Hit] = []
        self._label_phrases: set[tuple[int, int]] = set()
        for line_index, line in enumerate(self.lines):
            for phrase_index, phrase in enumerate(line.phrases):
                self._find_hits(table, line_index, phrase_index, phrase)

    def _find_hits(
        self, table: LabelTable, line_index: int, phrase_index: int, phrase: Phrase
    ) -> None:
        text = phrase.text
        # In the middle of free text a label counts only with its colon or after a first label.
        kept = []
        for m in table.find(text):
            if kept or m.followed_by_colon or not text[: m.start].strip():
                kept.append(m)
        if is_recognised(phrase.words) and not any(m.followed_by_colon for m in kept):
            near = table.find_near(text)
            if near is not None and all(m.end < near.end for m in kept):
                kept = [near]
        for position, m in enumerate(kept):
            stop = kept[position + 1].start if position + 1 < len(kept) else len(text)
            self.hits.append(
                Hit(
                    field=m.field,
                    line_index=line_index,
                    phrase_index=phrase_index,
                    start=m.start,
                    end=m.end,
                    colon=m.followed_by_colon,
                    inline=_value_piece(phrase, m.end, stop),
                )
            )
        if kept:
            self._label_phrases.add((line_index, phrase_index))

    def phrase(self, hit: Hit) -> Phrase:
        return self.lines[hit.line_index].phrases[hit.phrase_index]

    def label_box(self, hit: Hit) -> SourceBox:
        phrase = self.phrase(hit)
        return box_of(_words_between(phrase, hit.start, hit.end) or phrase.words)

    def hits_for(self, *fields: str, area: Area | None = None) -> list[Hit]:
        found = [h for h in self.hits if h.field in fields]
        if area is not None:
            found = [h for h in found if area.holds(self.phrase(h))]
        return found

    def is_label(self, line_index: int, phrase_index: int) -> bool:
        return (line_index, phrase_index) in self._label_phrases

    def candidates(self, hit: Hit, *, area: Area | None = None) -> Iterator[Candidate]:
        """The value's possible places: after the label, right of it, then under it."""
        if hit.inline is not None:
            yield hit.inline
            return
        if not self._has_later_hit(hit):
            yield from self._right_of(hit, area)
        below = self._below(hit, area)
        if below is not None:
            yield below

    def _has_later_hit(self, hit: Hit) -> bool:
        """Whether another label follows in the label's phrase, other than words of the same
        label in another language ("DPH / VAT", "Variabilný symbol / Payment reference")."""
        text = self.phrase(hit).text
        return any(
            h.line_index == hit.line_index
            and h.phrase_index == hit.phrase_index
            and h.start > hit.start
            and not _TRANSLATION_GAP.fullmatch(text, hit.start, h.start)
            for h in self.hits
        )

    def _right_of(self, hit: Hit, area: Area | None) -> Iterator[Candidate]:
        """Phrases right of the label on its row, nearest first, up to the next label.

        The row is geometric, not the text line: a value set a little lower than its label
        can fall into a line of its own.
        """
        label = self.phrase(hit)
        row: list[tuple[float, int, int, Phrase]] = []
        for line_index in range(
            max(0, hit.line_index - 2), min(len(self.lines), hit.line_index + 3)
        ):
            for phrase_index, phrase in enumerate(self.lines[line_index].phrases):
                if phrase.page != label.page or phrase.x0 < label.x1 - 1:
                    continue
                if line_index == hit.line_index and phrase_index <= hit.phrase_index:
                    continue
                if _vertical_overlap(phrase, label) >= 0.5:
                    row.append((phrase.x0, line_index, phrase_index, phrase))
        for _, line_index, phrase_index, phrase in sorted(row, key=lambda item: item[0]):
            if self.is_label(line_index, phrase_index):
                return
            if area is not None and not area.holds(phrase):
                return
            yield Candidate(phrase.text, box_of(phrase.words))

    def _below(self, hit: Hit, area: Area | None) -> Candidate | None:
        """The phrase under the label; a label without a colon heads a box, so a value set
        anywhere in the box's width (right-aligned amounts) counts too. The box ends where
        the next phrase on the label's line starts: side-by-side boxes keep their values."""
        label = self.label_box(hit)
        height = max(label.bottom - label.top, 1.0)
        box_right = None if hit.colon else self._box_right(hit, label)
        for line_index in range(hit.line_index + 1, len(self.lines)):
            line = self.lines[line_index]
            if line.page != label.page or line.top - label.bottom > _BELOW_GAP_LINES * height:
                return None
            overlapping = [
                (index, p)
                for index, p in enumerate(line.phrases)
                if min(p.x1, label.x1) - max(p.x0, label.x0) > 0
            ]
            if not overlapping and box_right is not None:
                overlapping = [
                    (index, p)
                    for index, p in enumerate(line.phrases)
                    if p.x0 >= label.x0 - _BOX_MARGIN and p.x1 <= box_right
                ]
            if not overlapping:
                continue
            index, phrase = max(
                overlapping,
                key=lambda item: (
                    min(item[1].x1, label.x1) - max(item[1].x0, label.x0),
                    -item[1].x0,
                ),
            )
            if self.is_label(line_index, index):
                return None
            if area is not None and not area.holds(phrase):
                return None
            if box_right is None:
                return Candidate(phrase.text, box_of(phrase.words))
            return self._inside_box(hit, label, box_right, phrase)
        return None

    def _box_right(self, hit: Hit, label: SourceBox) -> float:
        """Where the box a label heads ends: at the next phrase right of it on its line."""
        line = self.lines[hit.line_index]
        starts = [p.x0 for p in line.phrases[hit.phrase_index + 1 :] if p.x0 >= label.x1]
        return min(starts, default=float("inf")) - _BOX_MARGIN

    def _inside_box(
        self, hit: Hit, label: SourceBox, box_right: float, phrase: Phrase
    ) -> Candidate | None:
        """The words of a value phrase that stand in the label's box: values of boxes set side
        by side ("IBAN" and "SWIFT") can run together into one phrase. The box starts at its
        label when the value runs in under the text left of the label (another box)."""
        before = [p.x1 for p in self.lines[hit.line_index].phrases[: hit.phrase_index]]
        boxed_left = any(phrase.x0 <= x1 for x1 in before)
        left = label.x0 - _BOX_MARGIN if boxed_left else float("-inf")
        words = [w for w in phrase.words if left <= w.x0 < box_right]
        if not words:
            return None
        if len(words) == len(phrase.words):
            return Candidate(phrase.text, box_of(words))
        return Candidate(" ".join(w.text for w in words), box_of(words))

    def value(
        self, hit: Hit, parse: Callable[[str], T | None], *, area: Area | None = None
    ) -> tuple[T, SourceBox] | None:
        """The first candidate ``parse`` accepts, with its box; a recognised value is read
        again with OCR's usual misreadings repaired when it does not parse as printed."""
        recognised = is_recognised(self.phrase(hit).words)
        for candidate in self.candidates(hit, area=area):
            parsed = parse(candidate.text)
            if parsed is None and recognised:
                repaired = value_text(candidate.text)
                parsed = parse(repaired) if repaired != candidate.text else None
            if parsed is not None:
                return parsed, candidate.box
        return None

    def first_value(
        self,
        fields: Sequence[str],
        parse: Callable[[str], T | None],
        *,
        area: Area | None = None,
    ) -> tuple[T, SourceBox] | None:
        for hit in self.hits_for(*fields, area=area):
            found = self.value(hit, parse, area=area)
            if found is not None:
                return found
        return None
