"""The VAT recap per rate and the document totals.

The recap is read as a small table (a header of rate/base/VAT columns and one row per
rate) or as labelled lines ("Základ DPH 23 %: 1 234,56  DPH 23 %: 283,95"). Totals are
read by their labels; a total that is not printed stays ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from nex_automat.domain.model import VatRow
from nex_automat.extract.labelled import LabelledText, box_of
from nex_automat.extract.labels import TOTAL_FIELDS, compact_key, fold
from nex_automat.extract.layout import Phrase, Word
from nex_automat.extract.numbers import find_amounts, parse_percent
from nex_automat.extract.result import SourceBox

RECAP_COLUMNS: dict[str, tuple[str, ...]] = {
    "rate": (
        "Sadzba", "Sazba", "Sadzba DPH", "Sazba DPH", "DPH %", "% DPH", "Sadzba %", "Sazba %",
        "%", "Rate", "VAT rate", "VAT %",
    ),
    "base": (
        "Základ", "Základ dane", "Základ daně", "Základ DPH", "Bez DPH", "Suma bez DPH",
        "Částka bez DPH", "Base", "Net", "Tax base",
    ),
    "vat": ("DPH", "Výška DPH", "Výše DPH", "Suma DPH", "Částka DPH", "Daň", "VAT", "Tax"),
    "gross": (
        "Spolu", "Celkem", "Celkom", "S DPH", "Spolu s DPH", "Celkem s DPH", "Celkom s DPH",
        "Total", "Gross",
    ),
}  # fmt: skip
"""Column headings of a VAT recap table, per column."""

RECAP_TOTAL_ROWS = ("Spolu", "Celkem", "Celkom", "Súčet", "Součet", "Total", "Suma")
"""First cells of the recap row that adds the rates up."""

_RECAP_TOTALS = {"base": "total_net", "vat": "total_vat", "gross": "total_gross"}
_ROW_GAP_LINES = 2.0
_SPAN_MARGIN = 2.0
"""How far (in line heights) a recap cell may stand outside the span of its header."""
_CURRENCY_WORDS = re.compile(r"\(?\b(v\s+)?(eur|czk|kc|usd)\b\)?|[€()]")
_INLINE_RECAP = re.compile(
    r"(?P<kind>zaklad(?:\s+(?:dph|dane|dane))?|(?:(?:spolu|celkem|celkom|suma)\s+)?bez\s+dph"
    r"|dph|vat|base|(?<!\w)dan)"
    r"(?:\s+(?:v|pri|pro|pre)\s+(?:sadzbe|sazbe|sadzbu|sazbu))?"
    r"\s*(?P<rate>\d{1,2}(?:[.,]\d{1,2})?)\s*%"
)
_BASE_KINDS = ("zaklad", "bez", "spolu", "celkem", "celkom", "suma", "base")
"""How a recap line's label naming the base starts; the others name the VAT."""


@dataclass(slots=True)
class Totals:
    vat_breakdown: list[VatRow] = field(default_factory=list)
    values: dict[str, Decimal] = field(default_factory=dict)
    provenance: dict[str, SourceBox] = field(default_factory=dict)
    currencies: list[str] = field(default_factory=list)


_RECAP_COLUMN_KEYS = {
    compact_key(synonym): column
    for column, synonyms in reversed(RECAP_COLUMNS.items())
    for synonym in synonyms
}
"""Folded recap heading → its column; the first column listing a heading wins."""


def _column_of(text: str) -> str | None:
    key = compact_key(_CURRENCY_WORDS.sub(" ", fold(text)))
    if not key and "%" in text:
        return "rate"
    return _RECAP_COLUMN_KEYS.get(key)


_DECIMALS = re.compile(r"\d[.,]\d")
"""Digits around a decimal separator: a phrase with fewer than two holds at most one amount
worth splitting off."""
_RECAP_LONGEST = max(len(key.split()) for key in _RECAP_COLUMN_KEYS)


def _header_columns(phrases: Sequence[Phrase]) -> list[tuple[Phrase, str | None]]:
    """Each phrase of a possible recap header with its column, left to right.

    A heading is named once: a second "DPH:" on the line belongs to the text beside the
    recap, and so does anything ending with a colon (a label, not a column heading).
    Bilingual headings set close together ("Sadzba DPH / VAT rate Základ / Base") come as
    one phrase and are split into their headings.
    """
    columns: list[tuple[Phrase, str | None]] = []
    seen: set[str] = set()
    for whole in phrases:
        if whole.text.rstrip().endswith(":"):
            pieces: list[tuple[Phrase, str | None]] = [(whole, None)]
        else:
            column = _column_of(whole.text)
            split = _bilingual_headings(whole) if column is None and " / " in whole.text else None
            pieces = split or [(whole, column)]
        for phrase, named in pieces:
            column = None if named in seen else named
            if column is not None:
                seen.add(column)
            columns.append((phrase, column))
    return columns


def _bilingual_headings(phrase: Phrase) -> list[tuple[Phrase, str | None]] | None:
    """The headings of a phrase made of "Slovak / English" recap headings only, or None."""
    words = phrase.words
    pieces: list[tuple[Phrase, str | None]] = []
    start = 0
    while start < len(words):
        found = _heading_at(words, start)
        if found is None:
            return None
        end, column = found
        if end < len(words) and words[end].text == "/":
            translation = _heading_at(words, end + 1)
            end = translation[0] if translation is not None else min(end + 2, len(words))
        pieces.append((Phrase(words[start:end]), column))
        start = end
    return pieces


def _heading_at(words: Sequence[Word], start: int) -> tuple[int, str] | None:
    """The longest recap heading starting at word ``start``: where it ends, its column."""
    for end in range(min(len(words), start + _RECAP_LONGEST), start, -1):
        if words[end - 1].text == "/":
            continue
        column = _column_of(" ".join(w.text for w in words[start:end]))
        if column is not None:
            return end, column
    return None


def _is_total_row(text: str) -> bool:
    return compact_key(text) in {compact_key(s) for s in RECAP_TOTAL_ROWS}


def read_totals(text: LabelledText, *, decimal_separator: str | None = None) -> Totals:
    """VAT recap rows in printed order and the labelled totals."""
    totals = Totals()
    claimed = _read_recap_tables(text, totals, decimal_separator)
    recap_lines = _read_recap_lines(text, totals, decimal_separator, claimed)
    claimed |= recap_lines
    _read_labelled_totals(text, totals, decimal_separator, claimed)
    if "prepaid_amount" in totals.values:
        # Printed as a deduction ("-340,00"); the invoice keeps what was paid.
        totals.values["prepaid_amount"] = abs(totals.values["prepaid_amount"])
    if recap_lines and len(totals.vat_breakdown) == 1:
        _single_rate_totals(totals)
    return totals


def _single_rate_totals(totals: Totals) -> None:
    """With one rate, its printed base and VAT lines are the document's totals."""
    row = totals.vat_breakdown[0]
    for name, value, path in (
        ("total_net", row.base, "vat_breakdown[0].base"),
        ("total_vat", row.vat, "vat_breakdown[0].vat"),
    ):
        if name not in totals.values and value is not None:
            totals.values[name] = value
            totals.provenance[name] = totals.provenance[path]


# --- recap as a table --------------------------------------------------------------------


Cells = set[tuple[int, int]]
"""(line index, phrase index) of phrases the recap has read."""


def _read_recap_tables(text: LabelledText, totals: Totals, separator: str | None) -> Cells:
    claimed: Cells = set()
    for index, line in enumerate(text.lines):
        columns = _header_columns(line.phrases)
        kinds = {c for _, c in columns}
        if "rate" not in kinds or not kinds & {"base", "vat"}:
            continue
        rows = _recap_rows(text, index, columns, separator, totals)
        if rows:
            named = [piece.words[0] for piece, c in columns if c is not None]
            claimed |= {(index, i) for i, p in enumerate(line.phrases) if _holds(p, named)}
            claimed |= rows
    return claimed


def _recap_rows(
    text: LabelledText,
    header_index: int,
    header: list[tuple[Phrase, str | None]],
    separator: str | None,
    totals: Totals,
) -> Cells:
    header_line = text.lines[header_index]
    height = max(header_line.bottom - header_line.top, 1.0)
    rows: Cells = set()
    last_bottom = header_line.bottom
    named = [phrase for phrase, column in header if column is not None]
    left = min(p.x0 for p in named) - _SPAN_MARGIN * height
    right = max(p.x1 for p in named) + _SPAN_MARGIN * height
    for index in range(header_index + 1, len(text.lines)):
        line = text.lines[index]
        if line.page != header_line.page or line.top - last_bottom > _ROW_GAP_LINES * height:
            break
        if not any(left <= p.x0 and p.x1 <= right for p in line.phrases):
            continue  # a line of the text beside the recap (the totals block)
        pieces = [piece for p in line.phrases for piece in _split_amounts(p, separator)]
        cells = _cells(pieces, header)
        firsts = [cell.words[0] for cell in cells.values()]
        used = {(index, i) for i, p in enumerate(line.phrases) if _holds(p, firsts)}
        rate_cell = cells.get("rate")
        if rate_cell is not None and _is_total_row(rate_cell.text):
            _put_row_totals(cells, separator, totals)
            rows |= used
            last_bottom = line.bottom
            continue
        rate = parse_percent(rate_cell.text) if rate_cell is not None else None
        if rate is None:
            break
        amounts = {
            column: _amount(cells[column], separator)
            for column in ("base", "vat")
            if column in cells
        }
        if not any(a is not None for a in amounts.values()):
            break
        row_index = len(totals.vat_breakdown)
        base = amounts.get("base")
        vat = amounts.get("vat")
        totals.vat_breakdown.append(
            VatRow(rate=rate, base=base[0] if base else None, vat=vat[0] if vat else None)
        )
        totals.provenance[f"vat_breakdown[{row_index}].rate"] = box_of(rate_cell.words)  # type: ignore[union-attr]
        if base:
            totals.provenance[f"vat_breakdown[{row_index}].base"] = base[1]
        if vat:
            totals.provenance[f"vat_breakdown[{row_index}].vat"] = vat[1]
        rows |= used
        last_bottom = line.bottom
    return rows


def _holds(phrase: Phrase, words: Sequence[Word]) -> bool:
    return any(word is mine for word in words for mine in phrase.words)


def _split_amounts(phrase: Phrase, separator: str | None) -> list[Phrase]:
    """A row phrase holding several amounts set close together ("-4 800,00 Kč -576,00 Kč")
    as one phrase per amount, so each lands under its own column."""
    if len(_DECIMALS.findall(phrase.text)) < 2:
        return [phrase]
    found = find_amounts(phrase.text, separator)
    if len(found) < 2:
        return [phrase]
    groups: list[list[Word]] = [[] for _ in found]
    offset = 0
    for word in phrase.words:
        owner = max((i for i, amount in enumerate(found) if amount.start <= offset), default=0)
        groups[owner].append(word)
        offset += len(word.text) + 1
    return [Phrase(group) for group in groups if group]


def _cells(phrases: Sequence[Phrase], header: list[tuple[Phrase, str | None]]) -> dict[str, Phrase]:
    """Each phrase of a row under the header column it overlaps or stands nearest to."""
    cells: dict[str, Phrase] = {}
    for phrase in phrases:
        best = min(
            header,
            key=lambda item: (
                (
                    -(min(phrase.x1, item[0].x1) - max(phrase.x0, item[0].x0)),
                    abs((phrase.x0 + phrase.x1) / 2 - (item[0].x0 + item[0].x1) / 2),
                )
                if min(phrase.x1, item[0].x1) > max(phrase.x0, item[0].x0)
                else (1.0, min(abs(phrase.x1 - item[0].x1), abs(phrase.x0 - item[0].x0)))
            ),
        )
        column = best[1]
        if column is not None and column not in cells:
            cells[column] = phrase
    return cells


def _amount(phrase: Phrase, separator: str | None) -> tuple[Decimal, SourceBox] | None:
    found = find_amounts(phrase.text, separator)
    return (found[0].value, box_of(phrase.words)) if len(found) == 1 else None


def _put_row_totals(cells: dict[str, Phrase], separator: str | None, totals: Totals) -> None:
    for column, name in _RECAP_TOTALS.items():
        if column in cells and name not in totals.values:
            found = _amount(cells[column], separator)
            if found is not None:
                totals.values[name], totals.provenance[name] = found


# --- recap as labelled lines ---------------------------------------------------------------


def _read_recap_lines(
    text: LabelledText, totals: Totals, separator: str | None, claimed: Cells
) -> Cells:
    """Lines like "Základ DPH 23 %: 1 234,56  DPH 23 %: 283,95" (one or both per line)."""
    used: Cells = set()
    rows: dict[Decimal, VatRow] = {}
    boxes: dict[tuple[Decimal, str], SourceBox] = {}
    for line_index, line in enumerate(text.lines):
        for phrase_index in range(len(line.phrases)):
            if (line_index, phrase_index) in claimed:
                continue
            for kind, rate, value, cell in _recap_pieces(line.phrases, phrase_index, separator):
                row = rows.setdefault(rate, VatRow(rate=rate))
                name = "base" if kind.startswith(_BASE_KINDS) else "vat"
                setattr(row, name, value)
                boxes[(rate, name)] = box_of(line.phrases[cell].words)
                used |= {(line_index, phrase_index), (line_index, cell)}
    offset = len(totals.vat_breakdown)
    for position, (rate, row) in enumerate(rows.items()):
        totals.vat_breakdown.append(row)
        for name in ("base", "vat"):
            if (rate, name) in boxes:
                totals.provenance[f"vat_breakdown[{offset + position}].{name}"] = boxes[
                    (rate, name)
                ]
    return used


def _recap_pieces(
    phrases: Sequence[Phrase], index: int, separator: str | None
) -> list[tuple[str, Decimal, Decimal, int]]:
    """(kind, rate, amount, index of the phrase holding the amount) for each recap label in
    phrase ``index``; the amount follows the label in the phrase or in the next one."""
    text = phrases[index].text
    folded = fold(text)
    matches = list(_INLINE_RECAP.finditer(folded))
    pieces = []
    for position, match in enumerate(matches):
        stop = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        amounts = find_amounts(text[match.end() : stop], separator)
        cell = index
        if not amounts and position == len(matches) - 1 and index + 1 < len(phrases):
            cell = index + 1
            amounts = find_amounts(phrases[cell].text, separator)
        rate = parse_percent(match.group("rate"))
        if amounts and rate is not None:
            pieces.append((match.group("kind"), rate, amounts[0].value, cell))
    return pieces


# --- labelled totals -------------------------------------------------------------------


def _read_labelled_totals(
    text: LabelledText, totals: Totals, separator: str | None, claimed: Cells
) -> None:
    def amount(candidate: str) -> Decimal | None:
        found = find_amounts(candidate, separator)
        return found[0].value if found else None

    for name in TOTAL_FIELDS:
        if name in totals.values:
            continue
        hits = [h for h in text.hits_for(name) if (h.line_index, h.phrase_index) not in claimed]
        for hit in reversed(hits):
            found = text.value(hit, amount)
            if found is not None:
                totals.values[name], totals.provenance[name] = found
                break
