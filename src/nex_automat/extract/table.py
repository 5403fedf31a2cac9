"""The items table of an invoice, read from its header row and column geometry.

No supplier knowledge: the header row is found by its column labels (see ``columns``), the
header words' horizontal extents become column bands, and every line below is read into
those bands until the table ends (totals, a VAT recap, a large gap, the page footer). The
header is looked for again on every page, so tables continuing over pages are joined.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from nex_automat.domain.model import InvoiceWarning, Line
from nex_automat.extract.columns import (
    DEFAULT_LABELS,
    IGNORED_FIELDS,
    LOOSE_WORDS,
    TEXT_FIELDS,
    LabelTable,
    fold,
)
from nex_automat.extract.layout import Page, Phrase, TextDocument, TextLine, Word
from nex_automat.extract.numbers import (
    detect_currency,
    find_amounts,
    guess_decimal_separator,
    parse_amount,
    parse_percent,
)
from nex_automat.extract.ocr_text import (
    STRAY,
    header_words,
    is_recognised,
    numeric_text,
    split_keys,
    word_text,
)
from nex_automat.extract.result import Provenance, SourceBox
from nex_automat.extract.units import parse_unit


@dataclass(frozen=True, slots=True)
class TableRegion:
    """Vertical span of the items table on one page, header row included."""

    page: int
    top: float
    bottom: float


@dataclass(slots=True)
class LineItems:
    lines: list[Line]
    warnings: list[InvoiceWarning]
    provenance: Provenance
    regions: list[TableRegion]


def read_line_items(
    doc: TextDocument,
    *,
    decimal_separator: str | None = None,
    extra_column_labels: Mapping[str, Sequence[str]] | None = None,
) -> LineItems:
    """Every item line of the document's items table, in document order.

    Rows that look like items but cannot be read are reported as ``unparsed_line`` warnings
    rather than dropped; values absent from the table stay ``None``.
    """
    labels = LabelTable(extra_column_labels) if extra_column_labels else DEFAULT_LABELS
    separator = decimal_separator or guess_decimal_separator(line.text for line in doc.lines)
    items: list[_Item] = []
    regions: list[TableRegion] = []
    for page in doc.pages:
        for table in _tables_on_page(page, labels):
            if table.items:
                items.extend(table.items)
                regions.append(TableRegion(page.number, table.top, table.bottom))
    return _to_line_items(items, regions, separator)


# --- what the rows are made of -----------------------------------------------------------

AMOUNT_FIELDS = ("quantity", "unit_price", "net_amount", "vat_amount", "gross_amount", "total")
"""Columns whose numbers make a row an item. ``total`` is a line total whose label does not
say whether VAT is included; it is settled per table (see ``_settle_total``)."""

NUMERIC_FIELDS = frozenset((*AMOUNT_FIELDS, "discount_percent", "vat_rate", *IGNORED_FIELDS))

ROW_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("prenos", "skip"),
    ("prevod", "skip"),
    ("medzisucet", "skip"),
    ("mezisoucet", "skip"),
    ("subtotal", "skip"),
    ("carried forward", "skip"),
    ("brought forward", "skip"),
    ("dodaci list", "skip"),
    ("dodavka c", "skip"),
    ("delivery note", "skip"),
    ("zakazka", "skip"),
    ("spolu", "end"),
    ("celkom", "end"),
    ("celkem", "end"),
    ("sucet", "end"),
    ("soucet", "end"),
    ("suma", "end"),
    ("total", "end"),
    ("zaklad", "end"),
    ("dph", "end"),
    ("sadzba", "end"),
    ("sazba", "end"),
    ("rekapitulacia", "end"),
    ("rekapitulace", "end"),
    ("sumarizacia", "end"),
    ("prehled dph", "end"),
    ("zaokruhlenie", "end"),
    ("zaokrouhleni", "end"),
    ("k uhrade", "end"),
    ("celkova", "end"),
)
"""Rows that are not items, by their first words: carry-over, subtotal and delivery-note
heading rows are skipped, totals and recaps end the table."""

UNIT_PRICES = ("unit_price", "gross_unit_price")

_PAGE_LABEL = re.compile(r"^(?:strana|stranka|page)\s+\d+(?:\s*(?:z|/|of|zo)\s*\d+)?\b")

SUBLINE_KEYS: Mapping[str, str] = {
    "kod": "seller_code",
    "kod tovaru": "seller_code",
    "kod zbozi": "seller_code",
    "kat c": "seller_code",
    "kat cislo": "seller_code",
    "katalogove cislo": "seller_code",
    "cislo": "seller_code",
    "cislo polozky": "seller_code",
    "art c": "seller_code",
    "obj c": "seller_code",
    "ean": "ean",
    "ciarovy kod": "ean",
    "carovy kod": "ean",
    "gtin": "ean",
    "dph": "vat_rate",
    "sadzba dph": "vat_rate",
    "sazba dph": "vat_rate",
    "vat": "vat_rate",
}
"""Labels of the small second line of two-line items ("Kód: 10234  EAN: …  DPH 23 %")."""
_SUBLINE_LONGEST = max(len(key.split()) for key in SUBLINE_KEYS)

_DECIMALS = re.compile(r"\d[.,]\d")
_PERCENT_VALUE = re.compile(r"(?<![\d.,])\d{1,2}(?:[.,]\d{1,2})?\s*%")
_UNIT_WORD = re.compile(r"[^\W\d_][^\W_]{0,7}\.?(?:[23²³])?")
_QTY_WITH_UNIT = re.compile(r"^([-+\u2212]?\d[\d\s.,\u00a0]*?[-\u2212]?)\s*([^\d\s.,].*)$")


@dataclass(slots=True)
class _Column:
    """A column as its header label stands (``x0``..``x1``) and the band of the page its
    values are read from (``left``..``right``); ``field`` is None for unknown labels."""

    field: str | None
    x0: float
    x1: float
    left: float = 0.0
    right: float = 0.0
    index: int = 0


@dataclass(slots=True)
class _Cells:
    """One text line split into columns, and where its cleanly placed phrases stand."""

    words: dict[str, list[Word]] = field(default_factory=dict)
    spans: list[tuple[int, float, float]] = field(default_factory=list)


@dataclass(slots=True)
class _Header:
    columns: list[_Column]
    top: float
    bottom: float
    next_index: int
    height: float


@dataclass(slots=True)
class _Item:
    """The words of one item by column; ``extra`` holds what its second line announced."""

    cells: dict[str, list[Word]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    extra: dict[str, list[Word]] = field(default_factory=dict)

    def add_description(self, words: list[Word]) -> None:
        self.cells.setdefault("description", []).extend(words)


@dataclass(slots=True)
class _Table:
    top: float
    bottom: float
    items: list[_Item]
    spans: list[tuple[int, float, float]] = field(default_factory=list)


# --- header --------------------------------------------------------------------------------


def _tables_on_page(page: Page, labels: LabelTable) -> Iterable[_Table]:
    lines = sorted(page.lines, key=lambda line: (line.top, line.x0))
    index = 0
    while index < len(lines):
        header = _find_header(lines, index, labels)
        if header is None:
            return
        table, after = _read_rows(lines, header)
        if _refine_bands(header.columns, table.spans):
            table, after = _read_rows(lines, header)
        index = max(after, header.next_index)
        yield table


def _find_header(lines: list[TextLine], start: int, labels: LabelTable) -> _Header | None:
    for index in range(start, len(lines)):
        line = lines[index]
        if len(line.words) < 3 or _has_digits(line):
            continue
        cells = _label_cells(line, labels)
        if len({f for f, _ in cells if f}) < 2:
            continue
        header = _header_band(lines, index, cells, labels)
        if header is not None:
            return header
    return None


def _has_digits(line: TextLine) -> bool:
    return any(ch.isdigit() for word in line.words for ch in word.text)


def _label_cells(line: TextLine, labels: LabelTable) -> list[tuple[str | None, list[Word]]]:
    """The line's phrases, each split into the fewest whole column labels when possible."""
    cells: list[tuple[str | None, list[Word]]] = []
    for phrase in line.phrases:
        words = [part for word in phrase.words for part in _unglued(word)]
        if is_recognised(words):
            words = header_words(words)
            if not words:
                continue
        segments = _segment(words, labels)
        if segments is None:
            cells.append((labels.field_of(phrase.text), phrase.words))
        else:
            cells.extend(segments)
    return cells


_LOWER = "a-záäčďéěíĺľňóôřŕšťúůýž"
_UPPER = "A-ZÁÄČĎÉĚÍĹĽŇÓÔŘŔŠŤÚŮÝŽ"
_GLUE = re.compile(rf"(?<=[{_LOWER}{_UPPER}%])(?=[{_UPPER}][{_LOWER}])")


def _unglued(word: Word) -> list[Word]:
    """Two labels set without a gap come out as one word ("cenaSadzba"): split it where a
    capital starts a new word, sharing the box out by characters."""
    pieces = _GLUE.split(word.text)
    if len(pieces) == 1:
        return [word]
    step = (word.x1 - word.x0) / len(word.text)
    parts = []
    x = word.x0
    for piece in pieces:
        end = x + step * len(piece)
        parts.append(Word(piece, x, word.top, end, word.bottom, word.page))
        x = end
    return parts


_BILINGUAL_WORDS = 4
"""Words the other language of a bilingual header cell may add ("/ Unit price incl.")."""


def _segment(words: list[Word], labels: LabelTable) -> list[tuple[str | None, list[Word]]] | None:
    """The header words split into labels: as few cells as possible, each a whole label or a
    label followed by a word or two that only make sense with the label line below. A
    currency tag ("[CZK]", "€") belongs to the label before it, never starts one."""
    count = len(words)
    texts = [w.text for w in words]
    best: list[tuple[float, list[tuple[str | None, list[Word]]]] | None] = [None] * (count + 1)
    best[0] = (0.0, [])
    reach = labels.longest + LOOSE_WORDS + _BILINGUAL_WORDS
    for end in range(1, count + 1):
        for begin in range(max(0, end - reach), end):
            before = best[begin]
            if before is None or (end - begin > 1 and labels.is_qualifier(texts[begin])):
                continue
            found, loose = labels.cell_field(texts[begin:end])
            if found is None:
                continue
            cost = before[0] + 1 + 1.5 * loose
            current = best[end]
            if current is None or cost < current[0]:
                best[end] = (cost, [*before[1], (found, words[begin:end])])
    result = best[count]
    return None if result is None else result[1]


def _header_band(
    lines: list[TextLine],
    index: int,
    cells: list[tuple[str | None, list[Word]]],
    labels: LabelTable,
) -> _Header | None:
    """The header row around ``lines[index]``: label lines stacked tightly above and below."""
    primary = lines[index]
    height = max(w.height for w in primary.words)
    above: list[TextLine] = []
    cursor = index - 1
    reach = primary.top
    while cursor >= 0 and len(above) < 2:
        line = lines[cursor]
        if reach - line.bottom > 0.6 * height or _has_digits(line):
            break
        above.append(line)
        reach = line.top
        cursor -= 1
    below: list[TextLine] = []
    cursor = index + 1
    reach = primary.bottom
    while cursor < len(lines) and len(below) < 2:
        line = lines[cursor]
        if line.top - reach > 0.6 * height or _has_digits(line):
            break
        below.append(line)
        reach = line.bottom
        cursor += 1
    groups = [_LabelGroup(found, [words]) for found, words in cells]
    for line in [*reversed(above), *below]:
        for phrase in line.phrases:
            _attach(groups, phrase.words)
    columns = [_column_of(group, labels) for group in groups]
    columns.sort(key=lambda c: c.x0)
    _resolve_duplicates(columns)
    _price_without_discount(columns)
    fields = {c.field for c in columns if c.field}
    if len(fields) < 3 or not fields & {"description", "seller_code"}:
        return None
    if not fields & set(AMOUNT_FIELDS):
        return None
    _set_bands(columns)
    band_lines = [*above, primary, *below]
    return _Header(
        columns=columns,
        top=min(line.top for line in band_lines),
        bottom=max(line.bottom for line in band_lines),
        next_index=cursor,
        height=height,
    )


@dataclass(slots=True)
class _LabelGroup:
    """Header words of one column, possibly over several label lines."""

    line_field: str | None
    parts: list[list[Word]]

    @property
    def x0(self) -> float:
        return min(part[0].x0 for part in self.parts)

    @property
    def x1(self) -> float:
        return max(part[-1].x1 for part in self.parts)


def _attach(groups: list[_LabelGroup], words: list[Word]) -> None:
    """Add a header phrase of another label line to the column(s) it stands over or under."""
    x0, x1 = words[0].x0, words[-1].x1
    overlapping = [g for g in groups if _overlap(x0, x1, g.x0, g.x1) > 0]
    if not overlapping:
        groups.append(_LabelGroup(None, [words]))
        return
    spanned = [g for g in overlapping if _overlap(x0, x1, g.x0, g.x1) >= 0.8 * (g.x1 - g.x0)]
    if len(spanned) > 1:
        for group in spanned:
            group.parts.append(words)
        return
    best = max(overlapping, key=lambda g: _overlap(x0, x1, g.x0, g.x1))
    best.parts.append(words)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _column_of(group: _LabelGroup, labels: LabelTable) -> _Column:
    """The column a label group names: its stacked words read top to bottom, or, when
    they do not form a label together, what its main header line says alone."""
    parts = sorted(group.parts, key=lambda part: (round(part[0].top), part[0].x0))
    text = " ".join(w.text for part in parts for w in part)
    found = labels.field_of(text)
    if found is None:
        found = group.line_field
    if found is not None and labels.is_ambiguous_total(text):
        found = "total"
    return _Column(found, group.x0, group.x1)


def _price_without_discount(columns: list[_Column]) -> None:
    """With no discount printed, the price "after discount" is the unit price itself."""
    fields = {c.field for c in columns}
    if "unit_price" in fields or "discount_percent" in fields:
        return
    for column in columns:
        if column.field == "discounted_price":
            column.field = "unit_price"


def _resolve_duplicates(columns: list[_Column]) -> None:
    """One column per field: a second "price without VAT" left of the line total is the
    unit price; otherwise text fields keep their first column and numbers their last."""
    _gross_prices(columns)
    seen: dict[str, _Column] = {}
    for column in columns:
        name = column.field
        if name is None:
            continue
        if name not in seen:
            seen[name] = column
            continue
        if name in SECOND_OF_PAIR and SECOND_OF_PAIR[name] not in seen:
            first = SECOND_OF_PAIR[name]
            seen[name].field = first
            seen[first] = seen[name]
            seen[name] = column
        elif name in TEXT_FIELDS:
            column.field = None
        else:
            seen[name].field = None
            seen[name] = column
    total = seen.get("total")
    if total is not None and "net_amount" in seen and "gross_amount" in seen:
        total.field = None
    elif total is not None and "net_amount" in seen:
        total.field = "gross_amount"
    elif total is not None and "gross_amount" in seen:
        total.field = "net_amount"


SECOND_OF_PAIR: Mapping[str, str] = {
    "net_amount": "unit_price",
    "gross_amount": "gross_unit_price",
    "vat_amount": "vat_rate",
}
"""Two columns named alike: the left one is what precedes the right one in a row. Prices
come before line totals ("Cena bez DPH" twice, "Cena s DPH" twice), the VAT rate before
the VAT amount ("DPH / VAT" over percentages, then "DPH / VAT amount")."""

LINE_TOTALS = frozenset({"total", "gross_amount"})


def _gross_prices(columns: list[_Column]) -> None:
    """A price with VAT left of a line total is the unit price with VAT, not the total."""
    for index, column in enumerate(columns):
        if column.field == "gross_amount" and any(
            later.field in LINE_TOTALS for later in columns[index + 1 :]
        ):
            column.field = "gross_unit_price"


def _set_bands(columns: list[_Column]) -> None:
    """Split the page width between the columns at the middle of the gaps between labels."""
    for column, following in pairwise(columns):
        cut = (column.x1 + following.x0) / 2
        column.right = cut
        following.left = cut
    columns[0].left = float("-inf")
    columns[-1].right = float("inf")
    for index, column in enumerate(columns):
        column.index = index


# --- rows ----------------------------------------------------------------------------------


def _read_rows(lines: list[TextLine], header: _Header) -> tuple[_Table, int]:
    """The items under ``header`` and the index of the first line after the table.

    A line with numbers in the amount columns starts an item; a close text-only line under
    the description continues it; a small key-value line ("Kód: … EAN: …") completes it.
    Carry-over and subtotal rows are passed over; totals, recaps, the page label, a large
    gap or anything else that fits no row end the table.
    """
    table = _Table(header.top, header.bottom, [])
    pending: list[Word] = []
    previous_bottom = header.bottom
    gaps: list[float] = []
    index = header.next_index
    while index < len(lines):
        line = lines[index]
        gap = line.top - previous_bottom
        assigned = _assign(line, header.columns)
        cells = assigned.words
        folded = _row_text(line)
        far = gap > max(3 * header.height, 2.5 * _median(gaps))
        subline = _subline(line) if table.items and not far else None
        keyword = None if subline else _keyword(folded, cells)
        if _is_page_label(line) or keyword == "end":
            break
        if keyword == "skip":
            table.bottom = line.bottom
            previous_bottom = line.bottom
            index += 1
            continue
        if subline is not None:
            item = table.items[-1]
            for name, words in subline.items():
                item.extra.setdefault(name, words)
            item.texts.append(line.text)
        elif _amount_count(cells) > 0:
            if far and _amount_count(cells) < 2:
                break
            item = _Item(cells=cells, texts=[line.text])
            if pending and "description" not in cells:
                item.cells["description"] = pending
            pending = []
            table.items.append(item)
            table.spans.extend(assigned.spans)
            if len(table.items) > 1:
                gaps.append(max(gap, 0.0))
        elif far:
            break
        elif table.items and gap < header.height and _only_description(cells):
            item = table.items[-1]
            item.add_description(cells["description"])
            item.texts.append(line.text)
        elif _only_description(cells) and _item_follows(lines, index, header):
            pending.extend(cells["description"])
        else:
            break
        table.bottom = line.bottom
        previous_bottom = line.bottom
        index += 1
    return table, index


def _row_text(line: TextLine) -> str:
    """The line folded for its keyword; a recognised line without the rule or speck OCR
    reads in front of its first word ("| Sadzba"), so a recap ends the table as it would
    in a text layer."""
    folded = fold(line.text)
    return folded.lstrip(STRAY + " ") if is_recognised(line.words) else folded


def _is_page_label(line: TextLine) -> bool:
    """A page footer or header ("Strana 1 z 3"), alone or beside a closing note."""
    return any(_PAGE_LABEL.match(fold(phrase.text)) for phrase in line.phrases)


def _item_follows(lines: list[TextLine], index: int, header: _Header) -> bool:
    """Whether an item row comes right after a text line that continues no item: then the
    text is a note or heading inside the table, or the start of that item's description."""
    if index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    if following.top - lines[index].bottom > 2 * header.height:
        return False
    cells = _assign(following, header.columns).words
    return _amount_count(cells) > 0 and _keyword(fold(following.text), cells) is None


def _refine_bands(columns: list[_Column], spans: list[tuple[int, float, float]]) -> bool:
    """Move the cuts between columns into the gaps between the values actually read.

    Header labels are often narrower or wider than the values under them and aligned
    differently, so the first cuts, halfway between labels, can slice a long description
    or a wide number; the values' own extents show where each column really runs.
    """
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for index, x0, x1 in spans:
        lefts[index] = min(x0, lefts.get(index, x0))
        rights[index] = max(x1, rights.get(index, x1))
    changed = False
    floor = float("-inf")
    for column, following in pairwise(columns):
        cut = column.right
        low = rights.get(column.index, floor)
        high = lefts.get(following.index, float("inf"))
        if low < high:
            if column.index in rights and following.index in lefts:
                cut = (low + high) / 2
            else:
                cut = min(max(cut, low), high)
        cut = max(cut, floor)
        if cut != column.right:
            changed = True
            column.right = following.left = cut
        floor = cut
    return changed


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _keyword(folded: str, cells: dict[str, list[Word]]) -> str | None:
    quantity = _quantity(_text(cells.get("quantity")), None)[0]
    if quantity is not None and any(
        _amount(cells.get(name), None) is not None for name in UNIT_PRICES
    ):
        return None
    for prefix, action in ROW_KEYWORDS:
        if folded.startswith(prefix) and folded[len(prefix) : len(prefix) + 1] in ("", " "):
            return action
    return None


def _amount_count(cells: dict[str, list[Word]]) -> int:
    return sum(
        1
        for name in AMOUNT_FIELDS
        if name in cells and any(ch.isdigit() for w in cells[name] for ch in w.text)
    )


def _only_description(cells: dict[str, list[Word]]) -> bool:
    return set(cells) == {"description"}


def _assign(line: TextLine, columns: list[_Column]) -> _Cells:
    """The line's words by column: a phrase goes whole to the band it overlaps most, unless
    it straddles bands and is not one number ("10 ks" under quantity and unit)."""
    cells = _Cells()
    for phrase in line.phrases:
        for column, words in _split_phrase(phrase, columns):
            if column.field is not None:
                cells.words.setdefault(column.field, []).extend(words)
            if len(words) == len(phrase.words) and _is_clean(column, phrase):
                cells.spans.append((column.index, phrase.x0, phrase.x1))
    return cells


def _is_clean(column: _Column, phrase: Phrase) -> bool:
    """Whether a whole phrase sits in its band as that column's values do."""
    if column.field is None:
        return False
    if column.field == "quantity":
        return _quantity(phrase.text, None)[0] is not None
    return column.field in TEXT_FIELDS or _is_number(phrase.text)


def _split_phrase(phrase: Phrase, columns: list[_Column]) -> list[tuple[_Column, list[Word]]]:
    whole = _band_of(phrase.x0, phrase.x1, columns)
    if len(phrase.words) == 1 or _is_number(phrase.text):
        return [(whole, phrase.words)]
    bands = [_band_of(w.x0, w.x1, columns) for w in phrase.words]
    if all(band is bands[0] for band in bands):
        return [(bands[0], phrase.words)]
    amounts = _amount_groups(phrase)
    if amounts is not None:
        return [(_band_of(group[0].x0, group[-1].x1, columns), group) for group in amounts]
    parts: list[tuple[_Column, list[Word]]] = []
    for word, band in zip(phrase.words, bands, strict=True):
        column = band
        if parts and (word.x1 <= band.x0 or _spills_from_description(parts, band, word)):
            column = parts[-1][0]
        if parts and parts[-1][0] is column:
            parts[-1][1].append(word)
        else:
            parts.append((column, [word]))
    return parts


def _amount_groups(phrase: Phrase) -> list[list[Word]] | None:
    """Numbers set so close they form one phrase ("21 % 5 198,35 Kč 1 091,65 Kč"), one
    word group per amount or percentage with its currency, when the phrase holds nothing
    else."""
    text = phrase.text
    if not (text[:1].isdigit() or text[:1] in "-+\u2212"):
        return None
    if len(_DECIMALS.findall(text)) + text.count("%") < 2:
        return None
    spans = sorted(
        [(a.start, a.end) for a in find_amounts(text)]
        + [(m.start(), m.end()) for m in _PERCENT_VALUE.finditer(text)]
    )
    if len(spans) < 2:
        return None
    groups: list[list[Word]] = [[] for _ in spans]
    offset = 0
    for word in phrase.words:
        end = offset + len(word.text)
        inside = [i for i, (a, b) in enumerate(spans) if a < end and offset < b]
        if inside:
            groups[inside[0]].append(word)
        elif detect_currency(word.text) is not None and offset >= spans[0][0]:
            groups[max(i for i, (a, _) in enumerate(spans) if a <= offset)].append(word)
        else:
            return None
        offset = end + 1
    return [group for group in groups if group]


def _spills_from_description(
    parts: list[tuple[_Column, list[Word]]], band: _Column, word: Word
) -> bool:
    """A long description running past its band into a number column stays a description."""
    return (
        bool(parts)
        and parts[-1][0].field == "description"
        and band.field in NUMERIC_FIELDS
        and not _is_number(word.text)
    )


def _band_of(x0: float, x1: float, columns: list[_Column]) -> _Column:
    """The column whose band the extent overlaps most (bands tile the page left to right)."""
    first = max(bisect_right([c.left for c in columns], x0) - 1, 0)
    best = columns[first]
    best_overlap = _overlap(x0, x1, best.left, best.right)
    for column in columns[first + 1 :]:
        if column.left >= x1:
            break
        overlap = _overlap(x0, x1, column.left, column.right)
        if overlap > best_overlap:
            best, best_overlap = column, overlap
    return best


@lru_cache(maxsize=4096)
def _is_number(text: str) -> bool:
    return parse_amount(text) is not None or parse_percent(text) is not None


def _subline(line: TextLine) -> dict[str, list[Word]] | None:
    """Key-value pairs of a two-line item's second line, when that is all the line holds."""
    words = split_keys(line.words) if is_recognised(line.words) else line.words
    found: dict[str, list[Word]] = {}
    current: list[Word] | None = None
    index = 0
    while index < len(words):
        key = _subline_key(words, index)
        if key is not None:
            name, length = key
            if name in found:
                return None
            current = found[name] = []
            index += length
            continue
        if current is None:
            return None
        current.append(words[index])
        index += 1
    if not found or not all(_subline_value(name, value) for name, value in found.items()):
        return None
    return found


def _subline_value(name: str, words: list[Word]) -> bool:
    """Whether a value of the second line reads as what its key announces."""
    text = _text(words)
    if name == "vat_rate":
        return parse_percent(text) is not None
    if name == "ean":
        digits = text.replace(" ", "")
        return digits.isdigit() and 8 <= len(digits) <= 14
    return len(words) == 1


def _subline_key(words: list[Word], index: int) -> tuple[str, int] | None:
    for length in range(min(_SUBLINE_LONGEST + 1, len(words) - index), 0, -1):
        text = " ".join(w.text for w in words[index : index + length])
        name = SUBLINE_KEYS.get(fold(text))
        if name is not None and (text.endswith(":") or name != "seller_code" or length > 1):
            return name, length
    return None


# --- values --------------------------------------------------------------------------------


def _to_line_items(
    items: list[_Item], regions: list[TableRegion], separator: str | None
) -> LineItems:
    lines: list[Line] = []
    warnings: list[InvoiceWarning] = []
    provenance: Provenance = {}
    _settle_total(items, separator)
    _settle_rate(items)
    for item in items:
        read = _read_item(item, len(lines) + 1, separator)
        if read is None:
            warnings.append(
                InvoiceWarning(code="unparsed_line", message=" | ".join(item.texts), field="lines")
            )
            continue
        line, boxes, unreadable = read
        for name, box in boxes.items():
            provenance[f"lines[{len(lines)}].{name}"] = box
        for name in unreadable:
            text = _text(item.cells[name])
            warnings.append(
                InvoiceWarning(
                    code="unreadable_value",
                    message=f"line {len(lines) + 1}: '{text}' could not be read as a number",
                    field=f"lines[{len(lines)}].{name}",
                )
            )
        lines.append(line)
    return LineItems(lines=lines, warnings=warnings, provenance=provenance, regions=regions)


def _settle_total(items: list[_Item], separator: str | None) -> None:
    """A bare "Celkom" column is the net total when it equals quantity × price, else gross."""
    with_total = [item for item in items if "total" in item.cells]
    if not with_total:
        return
    net_votes = 0
    for item in with_total:
        quantity = _quantity(_text(item.cells.get("quantity")), separator)[0]
        price = _amount(item.cells.get("unit_price"), separator)
        total = _amount(item.cells.get("total"), separator)
        if quantity is None or price is None or total is None:
            continue
        discount = _percent(item.cells.get("discount_percent")) or Decimal(0)
        expected = quantity * price * (1 - discount / 100)
        if abs(expected - total) <= Decimal("0.015") + abs(total) * Decimal("0.0005"):
            net_votes += 1
    name = "net_amount" if net_votes * 2 > len(with_total) else "gross_amount"
    for item in with_total:
        item.cells[name] = item.cells.pop("total")


def _settle_rate(items: list[_Item]) -> None:
    """A "DPH" column holding percentages is the VAT rate, not the VAT amount."""
    cells = [item.cells["vat_amount"] for item in items if "vat_amount" in item.cells]
    if not cells or any("vat_rate" in item.cells for item in items):
        return
    if sum(_text(words).endswith("%") for words in cells) * 2 > len(cells):
        for item in items:
            if "vat_amount" in item.cells:
                item.cells["vat_rate"] = item.cells.pop("vat_amount")


def _read_item(
    item: _Item, position: int, separator: str | None
) -> tuple[Line, dict[str, SourceBox], list[str]] | None:
    """The item's line, the boxes its values came from, and the recognised cells that did
    not read as numbers: one misread cell of a scan leaves its value empty, not the line."""
    cells = item.cells
    line = Line(position=position)
    boxes: dict[str, SourceBox] = {}
    unreadable: list[str] = []
    for name, words in cells.items():
        if name == "position" or name in IGNORED_FIELDS:
            continue
        value = _value(name, words, separator)
        if value is None:
            if name in NUMERIC_FIELDS and not is_recognised(words):
                return None
            if name in NUMERIC_FIELDS:
                unreadable.append(name)
            continue
        if name == "quantity":
            quantity, unit = value
            line.quantity = quantity
            if unit is not None and "unit" not in cells:
                line.unit = unit
                boxes["unit"] = _box(words)
        else:
            setattr(line, name, value)
        boxes[name] = _box(words)
    for name, words in item.extra.items():
        if getattr(line, name) is not None:
            continue
        value = _value(name, words, separator)
        if value is not None:
            setattr(line, name, value)
            boxes[name] = _box(words)
    if all(getattr(line, name) is None for name in _ESSENTIAL):
        return None
    if unreadable and sum(name in boxes for name in NUMERIC_FIELDS) < MIN_TOLERATED_NUMBERS:
        return None
    return line, boxes, unreadable


_ESSENTIAL = ("quantity", "unit_price", "net_amount", "gross_amount")
"""A line without any of these is not an item."""

MIN_TOLERATED_NUMBERS = 2
"""Numbers a recognised row with a misread cell must still read cleanly to be an item: a
recap or totals row OCR ran into the table has one number under an item column at most."""


def _value(name: str, words: list[Word], separator: str | None) -> object:
    text = _recognised_text(name, words) if is_recognised(words) else _text(words)
    if name == "quantity":
        quantity, unit = _quantity(text, separator)
        return None if quantity is None else (quantity, unit)
    if name in ("discount_percent", "vat_rate"):
        return (
            parse_percent(text)
            if parse_percent(text) is not None
            else parse_amount(text, separator)
        )
    if name in NUMERIC_FIELDS:
        return parse_amount(text, separator)
    if name == "unit":
        return parse_unit(text) or text
    if name == "ean":
        digits = "".join(ch for ch in text if ch.isdigit())
        return digits or None
    return text


def _recognised_text(name: str, words: list[Word]) -> str:
    """A recognised cell's text with the stray marks OCR adds around values taken off."""
    if name in ("description", "position"):
        return _text(words)
    repair = word_text if name in TEXT_FIELDS else numeric_text
    return " ".join(text for text in (repair(w.text) for w in words) if text)


def _text(words: list[Word] | None) -> str:
    return " ".join(" ".join(w.text for w in words).split()) if words else ""


def _quantity(text: str, separator: str | None) -> tuple[Decimal | None, str | None]:
    """A quantity, and the unit printed in the same cell ("10 ks", "2,500 m3")."""
    value = parse_amount(text, separator)
    if value is not None:
        return value, None
    match = _QTY_WITH_UNIT.match(text)
    if match is None:
        return None, None
    value = parse_amount(match.group(1), separator)
    unit = parse_unit(match.group(2)) or _unit_word(match.group(2))
    if value is None or unit is None:
        return None, None
    return value, unit


def _unit_word(text: str) -> str | None:
    """A unit the unit table does not know ("vedro", "bm."), printed after a quantity."""
    word = text.strip()
    if detect_currency(word) is not None:
        return None
    return word if _UNIT_WORD.fullmatch(word) else None


def _amount(words: list[Word] | None, separator: str | None) -> Decimal | None:
    return parse_amount(_text(words), separator) if words else None


def _percent(words: list[Word] | None) -> Decimal | None:
    return parse_percent(_text(words)) if words else None


def _box(words: list[Word]) -> SourceBox:
    return SourceBox(
        page=words[0].page,
        x0=min(w.x0 for w in words),
        top=min(w.top for w in words),
        x1=max(w.x1 for w in words),
        bottom=max(w.bottom for w in words),
    )
