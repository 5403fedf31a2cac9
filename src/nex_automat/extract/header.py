"""The invoice header: number, dates, payment symbols, order, currency, kind of document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nex_automat.domain.model import DocumentType
from nex_automat.extract.dates import find_dates, parse_date
from nex_automat.extract.labelled import LabelledText, box_of
from nex_automat.extract.labels import document_type_of, fold
from nex_automat.extract.numbers import CURRENCY_CODES, detect_currency
from nex_automat.extract.result import SourceBox

_DOCUMENT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]*")
_NUMBER_MARK = re.compile(r"^\s*(?:č|c|no|nr|číslo|cislo)\s*[.:]\s*:?\s*", re.IGNORECASE)
_SYMBOL = re.compile(r"\d{1,10}")
_ISO_CURRENCY = re.compile(r"[A-Z]{3}")
_REFERENCE_STOP = frozenset({"zo", "z", "ze", "dna", "zo dna", "from", "dated", "of", "od"})
_TITLE_SHARE = 0.35
"""Titles stand in the top part of the first page."""


@dataclass(slots=True)
class FieldValues:
    """Values read for invoice fields (attribute paths) and where each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, SourceBox] = field(default_factory=dict)

    def put(self, name: str, found: tuple[Any, SourceBox] | None) -> None:
        if found is not None and name not in self.values:
            self.values[name] = found[0]
            self.provenance[name] = found[1]


def document_number(text: str) -> str | None:
    """A document number: one token with a digit, optionally after a short series prefix.

    "FV 2025/0123" keeps its prefix; "2025001234 zo dňa 1.2.2025" stops at the number;
    a date is never a document number.
    """
    tokens = _NUMBER_MARK.sub("", text, count=1).split()
    if not tokens:
        return None
    first = tokens[0].strip(",;")
    if (
        len(tokens) > 1
        and first.isalpha()
        and len(first) <= 4
        and _DOCUMENT_NUMBER.fullmatch(tokens[1].strip(",;"))
        and any(c.isdigit() for c in tokens[1])
    ):
        first = f"{first} {tokens[1].strip(',;')}"
    if not any(c.isdigit() for c in first) or find_dates(first):
        return None
    if not all(_DOCUMENT_NUMBER.fullmatch(part) for part in first.split()):
        return None
    return first


def payment_symbol(text: str) -> str | None:
    """A variable or constant symbol: up to ten digits, leading zeros kept."""
    tokens = text.split()
    if not tokens:
        return None
    token = tokens[0].strip(",;")
    return token if _SYMBOL.fullmatch(token) else None


def order_reference(text: str) -> str | None:
    """The buyer's order number as printed, without a trailing "zo dňa <date>"."""
    kept: list[str] = []
    for token in text.split():
        if fold(token).strip(".:,") in _REFERENCE_STOP or find_dates(token):
            break
        kept.append(token)
    reference = " ".join(kept).strip(" ,;")
    if not reference or not any(c.isdigit() for c in reference) or len(kept) > 3:
        return None
    return reference


def first_date(text: str) -> date | None:
    found = find_dates(text)
    if found and not text[: found[0].start].strip(" :"):
        return found[0].value
    return parse_date(text)


def currency_code(text: str) -> str | None:
    code = detect_currency(text)
    if code is not None:
        return code
    token = text.strip().split()[0] if text.strip() else ""
    return token if _ISO_CURRENCY.fullmatch(token) else None


_HEADER_PARSERS: tuple[tuple[str, Callable[[str], Any]], ...] = (
    ("number", document_number),
    ("issue_date", first_date),
    ("tax_point_date", first_date),
    ("due_date", first_date),
    ("variable_symbol", payment_symbol),
    ("constant_symbol", payment_symbol),
    ("order_reference", order_reference),
    ("currency", currency_code),
    ("preceding_invoice", document_number),
)


def read_header(text: LabelledText) -> FieldValues:
    """Header fields from their labels; the number also from a title like "FAKTÚRA 2025001"."""
    found = FieldValues()
    for name, parse in _HEADER_PARSERS:
        found.put(name, text.first_value([name], parse))
    found.put("number", _number_from_title(text))
    return found


def _number_from_title(text: LabelledText) -> tuple[str, SourceBox] | None:
    for hit in text.hits_for("title"):
        if hit.inline is not None:
            number = document_number(hit.inline.text)
            if number is not None:
                return number, hit.inline.box
            continue
        for candidate in text.candidates(hit):
            number = _marked_number(candidate.text)
            if number is not None:
                return number, candidate.box
            if _is_bare_mark(candidate.text):
                found = _beside_mark(text, candidate.box)
                if found is not None:
                    return found
    return None


def _is_bare_mark(text: str) -> bool:
    """A lone "č." or "No.:" under a title: the number stands further right on its row."""
    return bool(text.strip()) and _NUMBER_MARK.fullmatch(text) is not None


def _beside_mark(text: LabelledText, mark: SourceBox) -> tuple[str, SourceBox] | None:
    """The nearest phrase right of a bare number mark on its row, read as a number."""
    nearest = None
    for line in text.lines:
        if line.page != mark.page or line.bottom <= mark.top or line.top >= mark.bottom:
            continue
        for phrase in line.phrases:
            if phrase.x0 >= mark.x1 and (nearest is None or phrase.x0 < nearest.x0):
                nearest = phrase
    if nearest is None:
        return None
    number = document_number(nearest.text)
    return None if number is None else (number, box_of(nearest.words))


def _marked_number(text: str) -> str | None:
    """A number printed apart from its title says it is one ("č. FA-2025-1021") or stands
    alone ("FA24-1021" under "Faktura")."""
    if _NUMBER_MARK.match(text) or len(text.split()) == 1:
        return document_number(text)
    return None


def read_document_type(lines_by_size: Sequence[tuple[float, str]]) -> DocumentType | None:
    """The kind of document its title names; the largest text is read first.

    ``lines_by_size`` are (text height, text) of the phrases of the first page's top part.
    """
    for _, phrase in sorted(lines_by_size, key=lambda item: -item[0]):
        kind = document_type_of(phrase)
        if kind is not None:
            return kind
    return None


def title_phrases(text: LabelledText, page_height: float) -> list[tuple[float, str]]:
    """Phrases of the first page's top part with their heights, for :func:`read_document_type`."""
    if not text.lines:
        return []
    page = text.lines[0].page
    limit = page_height * _TITLE_SHARE
    return [
        (p.bottom - p.top, p.text)
        for line in text.lines
        if line.page == page and line.top <= limit
        for p in line.phrases
    ]


def read_currency_from_amounts(texts: Sequence[str]) -> str | None:
    """The currency most amounts are printed with, when no "Mena:" label says it."""
    votes: Counter[str] = Counter()
    for piece in texts:
        for token in re.findall(r"[^\W\d_]+|[€$£]", piece):
            code = CURRENCY_CODES.get(token.lower())
            if code is not None:
                votes[code] += 1
    return votes.most_common(1)[0][0] if votes else None
