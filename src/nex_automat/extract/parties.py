"""Supplier and customer: which block is which, and what each one says.

A party is a column of the page that starts at its heading ("Dodávateľ", "Odberateľ", …)
and ends at the next heading, a wide gap or the end of the column. Without headings the
blocks carrying an IČO are the parties, and the one with the bank account is the supplier
(it is the one that gets paid).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from nex_automat.domain.identifiers import (
    normalise_bic,
    normalise_dic,
    normalise_iban,
    normalise_ico,
    normalise_vat_id,
)
from nex_automat.extract.labelled import Area, Candidate, Hit, LabelledText, box_of
from nex_automat.extract.labels import (
    IDENTIFIER_FIELDS,
    PARTY_HEADINGS,
    country_code,
    has_legal_form,
    is_legal_form,
)
from nex_automat.extract.layout import Phrase
from nex_automat.extract.result import SourceBox

_GAP_LINES = 2.6
"""A vertical gap wider than this × the text height ends a party block."""
_ALIGN = 8.0
"""Address lines start within this many points of the block's left edge."""
_SAME_ROW_LINES = 2.0
"""Headings whose tops differ by less than this × their height stand side by side."""
_BAND_EXTRA_LINES = 2.0
"""How far (in line heights) an address column may run below the identifiers beside it."""
_WINDOW_GAP_LINES = 4.5
"""How far above its identifiers a window address may end (in identifier line heights)."""

_IDS_BELOW_LINES = 6.0
"""How far under a party's address (in its line heights) its identifier boxes may start."""
_IDS_VALUE_LINES = 2.0
"""How far under an identifier label (in line heights) its value may end."""
_VALUE_BELOW_LINES = 1.6
"""How far under an identifier label (in its heights) a value printed under it may start."""

_POSTAL_FIRST = re.compile(
    r"^(?:(?P<cc>[A-Z]{1,2})\s?-\s?)?(?P<code>\d{3}\s?\d{2})\s+(?P<city>\D.*)$"
)
_POSTAL_LAST = re.compile(r"^(?P<city>\D.*?),?\s+(?P<code>\d{3}\s?\d{2})$")
_STREET = re.compile(r"\d")
_SENDER_SEPARATORS = re.compile(r"\s+[·•|]\s+")
_CONTACT = re.compile(r"(?:^|\s)(?:www\.|https?://)|@|^\+?[\d\s/().-]{9,}$", re.IGNORECASE)
"""A web address, an e-mail or a bare phone number: printed near a party, never its name."""


@dataclass(slots=True)
class PartyValues:
    """The fields read for one party (``name``, ``ico``, …) and their boxes."""

    values: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, SourceBox] = field(default_factory=dict)

    def put(self, name: str, value: str | None, box: SourceBox) -> None:
        if value is not None and name not in self.values:
            self.values[name] = value
            self.provenance[name] = box


@dataclass(slots=True)
class Parties:
    supplier: PartyValues
    customer: PartyValues
    supplier_area: Area | None
    customer_area: Area | None


def read_parties(text: LabelledText) -> Parties:
    """Supplier and customer with their names, addresses, identifiers and bank details."""
    areas = _heading_areas(text)
    if "supplier" not in areas and "customer" not in areas:
        areas.update(_unlabelled_areas(text))
    elif "supplier" not in areas:
        letterhead = _letterhead(text, list(areas.values()))
        if letterhead is not None:
            areas["supplier"] = letterhead
    supplier_area = areas.get("supplier")
    customer_area = areas.get("customer")
    supplier = _read_party(text, supplier_area) if supplier_area else PartyValues()
    customer = _read_party(text, customer_area) if customer_area else PartyValues()
    for party, area in ((supplier, supplier_area), (customer, customer_area)):
        if area is not None and not party.values.keys() & {"ico", "dic", "vat_id"}:
            row = _identifier_row_below(text, area) or _identifier_row_above(text, area)
            if row is not None:
                _read_identifiers(text, row, party)
    if supplier_area is not None and "name" not in supplier.values:
        others = [a for k, a in areas.items() if k != "supplier"]
        _read_address(text, _band(text, supplier_area), supplier, excluded=others)
    if not {"name", "street", "postal_code", "city"} <= supplier.values.keys():
        _read_return_address(text, supplier, customer.values.get("name"))
    _move_bank_details(supplier, customer)
    _add_bank_details(text, supplier, [a for a in (customer_area,) if a is not None])
    return Parties(supplier, customer, supplier_area, customer_area)


def _return_address(text: str, *, commas: bool = False) -> list[str] | None:
    """The sender line printed above a window-envelope address: "Name · Street · 831 04 Town".

    With ``commas`` a line like "Name s.r.o., Street 5, 831 04 Town" counts too, when its
    first piece names a company (a comma also separates a name from its ", s.r.o.").
    """
    pieces = [piece.strip() for piece in _SENDER_SEPARATORS.split(text)]
    if len(pieces) < 3 and commas:
        pieces = _comma_pieces(text)
        if pieces and not has_legal_form(pieces[0]):
            return None
    if len(pieces) < 3 or not any(_postal(piece) for piece in pieces[1:]):
        return None
    if is_contact(pieces[0]):
        return None
    return pieces


def _comma_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if pieces and is_legal_form(piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        elif piece:
            pieces.append(piece)
    return pieces


def _read_return_address(
    text: LabelledText, supplier: PartyValues, customer_name: str | None
) -> None:
    """Fills the supplier from the sender line when the line names the same company (or the
    supplier has no name yet); a one-line address of the customer is no sender line."""
    for line_index, line in enumerate(text.lines):
        for phrase_index, phrase in enumerate(line.phrases):
            if text.is_label(line_index, phrase_index):
                continue
            pieces = _return_address(phrase.text, commas=True)
            if pieces is None or _same_name(pieces[0], customer_name):
                continue
            known = supplier.values.get("name")
            if known is not None and not _same_name(known, pieces[0]):
                continue
            box = box_of(phrase.words)
            supplier.put("name", pieces[0], box)
            postal = next(i for i, piece in enumerate(pieces) if i and _postal(piece))
            code, city = _postal(pieces[postal]) or ("", "")
            if postal > 1:
                supplier.put("street", pieces[postal - 1], box)
            supplier.put("postal_code", code, box)
            supplier.put("city", city, box)
            for piece in pieces[postal + 1 :]:
                supplier.put("country", country_code(piece), box)
            return


def _same_name(a: str, b: str | None) -> bool:
    return b is not None and " ".join(a.split()) == " ".join(b.split())


def is_contact(text: str) -> bool:
    """Whether ``text`` is a web address, an e-mail or a phone number."""
    return _CONTACT.search(text.strip()) is not None


def _band(text: LabelledText, area: Area) -> Area:
    """The full width of the page at the height of ``area``: footers print a company's name
    and address, its identifiers and its bank side by side, one column each. The address
    column may run a line or two longer than the identifiers (the country)."""
    lines = [line for line in text.lines if line.page == area.page]
    heights = sorted(p.bottom - p.top for line in lines for p in line.phrases if area.holds(p))
    height = heights[len(heights) // 2] if heights else area.bottom - area.top
    right = max((line.x1 for line in lines), default=area.x1)
    return Area(area.page, 0.0, area.top, right + 1, area.bottom + _BAND_EXTRA_LINES * height)


def _move_bank_details(supplier: PartyValues, customer: PartyValues) -> None:
    """The account printed under the customer is the supplier's, unless the supplier shows
    its own: invoices name the account to pay to, rarely the buyer's. A BIC without an
    IBAN beside it is no account of the customer's either: it belongs to the supplier's
    account printed elsewhere (a payment box running into the customer's column)."""
    if "iban" in customer.values and "iban" in supplier.values:
        return
    for name in ("iban", "bic"):
        if name in customer.values and name not in supplier.values:
            supplier.put(name, customer.values.pop(name), customer.provenance.pop(name))


def _letterhead(text: LabelledText, taken: list[Area]) -> Area | None:
    """The supplier's letterhead: the first block with an IČO outside the other parties."""
    for hit in text.hits_for("ico"):
        if not any(area.holds(text.phrase(hit)) for area in taken):
            return _block_around(text, hit)
    return None


# --- where the parties are -------------------------------------------------------------


def _heading_areas(text: LabelledText) -> dict[str, Area]:
    headings = [h for h in text.hits_for(*PARTY_HEADINGS) if h.start == 0]
    if not headings:
        return {}
    page = text.phrase(headings[0]).page
    headings = [h for h in headings if text.phrase(h).page == page]
    areas: dict[str, Area] = {}
    for heading in headings:
        if heading.field in areas:
            continue
        areas[heading.field] = _narrowed(text, _column_below(text, heading, headings))
    return areas


def _narrowed(text: LabelledText, area: Area) -> Area:
    """The area up to the next column of text on its right (a payment box, header fields).

    A phrase starts another column when it stands clear of the party's aligned lines;
    an identifier label ("DIČ:") printed beside the party's own ("IČO:") does not, unless
    more labels line up under it.
    """
    inside = [
        (line_index, phrase_index, phrase)
        for line_index, line in enumerate(text.lines)
        for phrase_index, phrase in enumerate(line.phrases)
        if area.holds(phrase) and not _is_heading(text, line_index, phrase_index)
    ]
    if not inside:
        return area
    values = _identifier_values(text, area)
    left = min(phrase.x0 for _, _, phrase in inside)
    aligned = [p for _, _, p in inside if abs(p.x0 - left) <= _ALIGN]
    right = max(p.x1 for p in aligned)
    beyond = [
        (line_index, phrase_index, phrase)
        for line_index, phrase_index, phrase in inside
        if phrase.x0 > right + _ALIGN and (line_index, phrase_index) not in values
    ]
    starts = [
        phrase.x0
        for line_index, phrase_index, phrase in beyond
        if not _is_identifier_label(text, line_index, phrase_index)
        or sum(abs(other.x0 - phrase.x0) <= _ALIGN for _, _, other in beyond) > 1
    ]
    if not starts:
        return area
    return Area(area.page, area.x0, area.top, min(starts) - 1, area.bottom)


def _identifier_values(text: LabelledText, area: Area) -> set[tuple[int, int]]:
    """Phrases printed right of an identifier label, or right under it, as its value."""
    found: set[tuple[int, int]] = set()
    for hit in text.hits_for(*IDENTIFIER_FIELDS, area=area):
        if hit.inline is not None:
            continue
        if hit.phrase_index + 1 < len(text.lines[hit.line_index].phrases):
            found.add((hit.line_index, hit.phrase_index + 1))
        if hit.line_index + 1 < len(text.lines):
            label = text.label_box(hit)
            height = max(label.bottom - label.top, 1.0)
            below = text.lines[hit.line_index + 1]
            found.update(
                (hit.line_index + 1, index)
                for index, phrase in enumerate(below.phrases)
                if phrase.top - label.bottom <= _VALUE_BELOW_LINES * height
                and min(phrase.x1, label.x1) > max(phrase.x0, label.x0)
            )
    return found


def _is_identifier_label(text: LabelledText, line_index: int, phrase_index: int) -> bool:
    return any(
        h.line_index == line_index and h.phrase_index == phrase_index
        for h in text.hits_for(*IDENTIFIER_FIELDS)
    )


def _column_below(text: LabelledText, heading: Hit, headings: list[Hit]) -> Area:
    """The heading's column: up to the next heading on its right, down to a gap or a heading
    printed in the same column (a stacked party)."""
    own = text.phrase(heading)
    height = max(own.bottom - own.top, 1.0)
    page_width = max(line.x1 for line in text.lines if line.page == own.page)
    x0 = own.x0 - _ALIGN
    x1 = page_width + 1
    for other in headings:
        phrase = text.phrase(other)
        if other is heading or phrase.top < own.top - _SAME_ROW_LINES * height:
            continue
        if phrase.x0 > own.x0 + _ALIGN:
            x1 = min(x1, phrase.x0 - 1)
        elif phrase.x1 < own.x0 and abs(phrase.top - own.top) < _SAME_ROW_LINES * height:
            x0 = max(x0, phrase.x1 + 1)
    bottom = own.bottom
    for line_index in range(heading.line_index + 1, len(text.lines)):
        line = text.lines[line_index]
        if line.page != own.page:
            break
        inside = [(i, p) for i, p in enumerate(line.phrases) if x0 <= p.x0 < x1]
        if not inside:
            continue
        if line.top - bottom > _GAP_LINES * height:
            break
        if any(
            _is_heading(text, line_index, i) and abs(p.x0 - own.x0) <= _ALIGN for i, p in inside
        ):
            break
        bottom = max(p.bottom for _, p in inside)
    return Area(page=own.page, x0=x0, top=own.top - 1, x1=x1, bottom=bottom + 1)


def _is_heading(text: LabelledText, line_index: int, phrase_index: int) -> bool:
    return any(
        h.line_index == line_index and h.phrase_index == phrase_index and h.start == 0
        for h in text.hits_for(*PARTY_HEADINGS)
    )


def _unlabelled_areas(text: LabelledText) -> dict[str, Area]:
    """Blocks carrying an IČO, in reading order; the one with a bank account is the supplier."""
    areas: list[Area] = []
    for hit in text.hits_for("ico"):
        phrase = text.phrase(hit)
        if any(a.holds(phrase) for a in areas):
            continue
        areas.append(_block_around(text, hit))
    if not areas:
        return {}
    areas.sort(key=lambda a: (a.page, round(a.top / 50), a.x0))
    with_bank = [a for a in areas if text.hits_for("iban", area=a)]
    supplier = with_bank[0] if with_bank else areas[0]
    found = {"supplier": supplier}
    others = [a for a in areas if a is not supplier]
    if others:
        found["customer"] = others[0]
    return found


def _block_around(text: LabelledText, hit: Hit) -> Area:
    """The column of phrases aligned with an IČO label, up and down to a wide gap."""
    own = text.phrase(hit)
    height = max(own.bottom - own.top, 1.0)
    left = own.x0
    aligned: list[Phrase] = [own]
    for step in (-1, 1):
        edge = own
        index = hit.line_index + step
        while 0 <= index < len(text.lines):
            line = text.lines[index]
            if line.page != own.page:
                break
            gap = edge.top - line.bottom if step < 0 else line.top - edge.bottom
            if gap > _WINDOW_GAP_LINES * height:
                break
            match = [
                (i, p)
                for i, p in enumerate(line.phrases)
                if abs(p.x0 - left) <= _ALIGN or abs(_centre(p) - _centre(own)) <= _ALIGN
            ]
            if match:
                phrase_index, phrase = match[0]
                if step > 0 and _is_title(text, index, phrase_index):
                    break
                if gap > _GAP_LINES * height and not (
                    step < 0 and _only_identifiers(text, aligned) and _ends_address(phrase.text)
                ):
                    break
                edge = phrase
                aligned.append(edge)
            index += step
    right = max(_right_limit(text, aligned, left), max(p.x1 for p in aligned) + 1)
    return Area(
        page=own.page,
        x0=min(p.x0 for p in aligned) - _ALIGN,
        top=min(p.top for p in aligned) - 1,
        x1=right,
        bottom=max(p.bottom for p in aligned) + 1,
    )


def _is_title(text: LabelledText, line_index: int, phrase_index: int) -> bool:
    """A document title ("DOBROPIS", "Faktúra č. …") below a party ends its block."""
    return any(
        h.line_index == line_index and h.phrase_index == phrase_index and h.start == 0
        for h in text.hits_for("title")
    )


def _only_identifiers(text: LabelledText, aligned: list[Phrase]) -> bool:
    """Whether a block holds only identifier lines so far: a window address prints its
    identifiers apart, under the address."""
    labelled = {id(text.phrase(h)) for h in text.hits_for(*IDENTIFIER_FIELDS)}
    return all(id(p) in labelled for p in aligned)


def _ends_address(line: str) -> bool:
    """The last line of an address: the town with its postal code, or the country."""
    return _postal(line) is not None or country_code(line) is not None


def _centre(phrase: Phrase) -> float:
    return (phrase.x0 + phrase.x1) / 2


def _right_limit(text: LabelledText, aligned: list[Phrase], left: float) -> float:
    """Where the next column starts: the nearest left edge of other IČO labels to the right."""
    others = [
        text.phrase(h).x0
        for h in text.hits_for("ico")
        if text.phrase(h).x0 > left + _ALIGN and text.phrase(h).page == aligned[0].page
    ]
    return min(others) - 1 if others else max(line.x1 for line in text.lines) + 1


# --- what a party says -----------------------------------------------------------------


def _ico(value: str) -> str | None:
    return normalise_ico(value) or _first_token(value, normalise_ico)


def _iban(value: str) -> str | None:
    return normalise_iban(value) or _first_token(value, normalise_iban)


def _bic(value: str) -> str | None:
    return normalise_bic(value) or _first_token(value, normalise_bic)


def _dic_or_vat(value: str) -> tuple[str, str] | None:
    """A Czech "DIČ: CZ12345678" is a VAT id; a Slovak DIČ is 10 digits."""
    dic = normalise_dic(value) or _first_token(value, normalise_dic)
    if dic is not None:
        return "dic", dic
    vat_id = normalise_vat_id(value) or _first_token(value, normalise_vat_id)
    return ("vat_id", vat_id) if vat_id is not None else None


def _vat_id(value: str) -> str | None:
    return normalise_vat_id(value) or _first_token(value, normalise_vat_id)


def _first_token(value: str, normalise: Callable[[str], str | None]) -> str | None:
    tokens = value.split()
    return normalise(tokens[0]) if tokens else None


_IDENTIFIERS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("ico", _ico),
    ("vat_id", _vat_id),
    ("iban", _iban),
    ("bic", _bic),
)


def _read_party(text: LabelledText, area: Area) -> PartyValues:
    party = PartyValues()
    _read_identifiers(text, area, party)
    _read_address(text, area, party)
    return party


def _read_identifiers(text: LabelledText, area: Area, party: PartyValues) -> None:
    for name, parse in _IDENTIFIERS:
        found = text.first_value([name], parse, area=area)
        if found is not None:
            party.put(name, found[0], found[1])
    for hit in text.hits_for("dic", area=area):
        found_dic = text.value(hit, _dic_or_vat, area=area)
        if found_dic is not None:
            (kind, value), box = found_dic
            party.put(kind, value, box)
            break


def _identifier_row_below(text: LabelledText, area: Area) -> Area | None:
    """The identifier boxes printed under a party's column (a grid of "IČO" / "DIČ" boxes
    below the address): the first text under the column, when it holds identifier labels,
    with the line of values under them."""
    height = _median_height(text, area)
    for line_index, line in enumerate(text.lines):
        if line.page != area.page or line.top <= area.bottom:
            continue
        inside = [i for i, p in enumerate(line.phrases) if area.x0 <= p.x0 < area.x1]
        if not inside:
            continue
        if line.top - area.bottom > _IDS_BELOW_LINES * height:
            return None
        if not any(_is_identifier_label(text, line_index, i) for i in inside):
            return None
        return Area(
            area.page, area.x0, line.top - 1, area.x1, line.bottom + _IDS_VALUE_LINES * height
        )
    return None


def _identifier_row_above(text: LabelledText, area: Area) -> Area | None:
    """The identifiers printed just above a party's column: a window envelope shows only
    the name and address, so the IČO / DIČ line sits over the window frame. It is the
    nearest text over the column, when that holds identifier labels."""
    height = _median_height(text, area)
    for line_index in range(len(text.lines) - 1, -1, -1):
        line = text.lines[line_index]
        if line.page != area.page or line.bottom > area.top:
            continue
        inside = [i for i, p in enumerate(line.phrases) if area.x0 <= p.x0 < area.x1]
        if not inside:
            continue
        if area.top - line.bottom > _IDS_BELOW_LINES * height:
            return None
        if not any(_is_identifier_label(text, line_index, i) for i in inside):
            return None
        return Area(area.page, area.x0, line.top - 1, area.x1, line.bottom + 1)
    return None


def _median_height(text: LabelledText, area: Area) -> float:
    heights = sorted(
        p.bottom - p.top
        for line in text.lines
        if line.page == area.page
        for p in line.phrases
        if area.holds(p)
    )
    return heights[len(heights) // 2] if heights else 10.0


def _read_address(
    text: LabelledText, area: Area, party: PartyValues, *, excluded: Sequence[Area] = ()
) -> None:
    lines = [line for line in _address_lines(text, area, excluded) if not is_contact(line.text)]
    if _starts_with_sender_line(lines):
        lines = lines[1:]
    if not lines:
        return
    start = _name_index(lines)
    name, rest = lines[start], lines[start + 1 :]
    party.put("name", name.text, name.box)
    postal_index = next(
        (
            i
            for i, line in enumerate(rest)
            if any(_postal(piece) is not None for piece in line.text.split(","))
        ),
        None,
    )
    if postal_index is None:
        return
    postal_line = rest[postal_index]
    pieces = [piece.strip() for piece in postal_line.text.split(",")]
    street_piece = None
    if len(pieces) > 1 and _postal(pieces[0]) is None:
        street_piece = pieces[0]
    postal_piece = next(p for p in pieces if _postal(p) is not None)
    code, city = _postal(postal_piece) or ("", "")
    party.put("postal_code", code, postal_line.box)
    party.put("city", city, postal_line.box)
    if street_piece is not None:
        party.put("street", street_piece, postal_line.box)
    elif postal_index > 0 and _STREET.search(rest[postal_index - 1].text):
        street = rest[postal_index - 1]
        party.put("street", street.text, street.box)
    if len(pieces) > 1 and pieces[-1] != postal_piece:
        party.put("country", country_code(pieces[-1]), postal_line.box)
    for line in rest[postal_index + 1 : postal_index + 3]:
        party.put("country", country_code(line.text), line.box)


def _starts_with_sender_line(lines: Sequence[Candidate]) -> bool:
    """A one-line address ("Name, Street, 811 01 Town") over a full address is the sender
    line above a window envelope's address, not the party."""
    return (
        len(lines) > 1
        and _return_address(lines[0].text, commas=True) is not None
        and any(_postal(line.text) is not None for line in lines[1:])
    )


def _name_index(lines: Sequence[Candidate]) -> int:
    """The company's name: the first line above the address carrying a legal form ("s.r.o."),
    else the first line (a person's or a department's line may stand above the company)."""
    for index, line in enumerate(lines):
        if _STREET.search(line.text) or _postal(line.text) is not None:
            break
        if has_legal_form(line.text):
            return index
    return 0


def _postal(text: str) -> tuple[str, str] | None:
    match = _POSTAL_FIRST.match(text.strip()) or _POSTAL_LAST.match(text.strip())
    if match is None:
        return None
    city = match.group("city").strip(" ,")
    if not city or any(c.isdigit() for c in city.split()[0]):
        return None
    return match.group("code"), city


def _address_lines(
    text: LabelledText, area: Area, excluded: Sequence[Area] = ()
) -> list[Candidate]:
    """Unlabelled phrases aligned with the block's left edge: name, street, town, country.

    A phrase continued by a word that fell into a neighbouring text line (lines of two
    columns set at different heights, an accent lifting one word) is joined with it.
    """
    claimed = _claimed_phrases(text, area)
    free = _reading_order(
        [
            phrase
            for line_index, line in enumerate(text.lines)
            for phrase_index, phrase in enumerate(line.phrases)
            if area.holds(phrase)
            and (line_index, phrase_index) not in claimed
            and _return_address(phrase.text) is None
            and not any(other.holds(phrase) for other in excluded)
        ]
    )
    lines: list[Candidate] = []
    heading_name = _inline_heading_name(text, area)
    if heading_name is not None:
        lines.append(heading_name)
    if not free:
        return lines
    first = free[0]
    used: set[int] = set()
    for index, phrase in enumerate(free):
        aligned = abs(phrase.x0 - first.x0) <= _ALIGN
        centred = abs(_centre(phrase) - _centre(first)) <= _ALIGN
        if index in used or not (aligned or centred):
            continue
        parts = [phrase]
        for other_index, other in enumerate(free):
            if other_index != index and other_index not in used and _continues(parts[-1], other):
                parts.append(other)
                used.add(other_index)
        words = [word for part in parts for word in part.words]
        lines.append(Candidate(" ".join(part.text for part in parts), box_of(words)))
    return lines


def _reading_order(phrases: list[Phrase]) -> list[Phrase]:
    """Phrases row by row, left to right; a phrase shares a row with those it overlaps by
    half its height, even when the text lines put it apart."""
    rows: list[list[Phrase]] = []
    for phrase in sorted(phrases, key=lambda p: (p.page, (p.top + p.bottom) / 2)):
        row = rows[-1] if rows else None
        if (
            row is not None
            and row[0].page == phrase.page
            and any(_shared_height(phrase, other) >= 0.5 for other in row)
        ):
            row.append(phrase)
        else:
            rows.append([phrase])
    return [phrase for row in rows for phrase in sorted(row, key=lambda p: p.x0)]


def _shared_height(a: Phrase, b: Phrase) -> float:
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared / max(min(a.bottom - a.top, b.bottom - b.top), 0.1)


def _continues(phrase: Phrase, other: Phrase) -> bool:
    height = max(phrase.bottom - phrase.top, 1.0)
    gap = other.x0 - phrase.x1
    shared = min(phrase.bottom, other.bottom) - max(phrase.top, other.top)
    return 0 <= gap <= 0.6 * height and shared >= 0.5 * min(height, other.bottom - other.top)


def _inline_heading_name(text: LabelledText, area: Area) -> Candidate | None:
    for hit in text.hits_for(*PARTY_HEADINGS, area=area):
        if hit.inline is not None and not _has_party_label(text, hit):
            return hit.inline
    return None


def _has_party_label(text: LabelledText, heading: Hit) -> bool:
    return any(
        h.line_index == heading.line_index
        and h.phrase_index == heading.phrase_index
        and h.start > heading.start
        for h in text.hits
    )


def _claimed_phrases(text: LabelledText, area: Area) -> set[tuple[int, int]]:
    """Label phrases and the phrases holding their values: never part of an address.

    A label outside the area claims no value inside it: a long line of another column
    ("… oddiel: Sro, vložka č.") can end just left of a party's address line.
    """
    claimed: set[tuple[int, int]] = set()
    for hit in text.hits:
        claimed.add((hit.line_index, hit.phrase_index))
        if hit.inline is not None or hit.field in PARTY_HEADINGS:
            continue
        if not area.holds(text.phrase(hit)):
            continue
        next_index = hit.phrase_index + 1
        line = text.lines[hit.line_index]
        if next_index < len(line.phrases) and not text.is_label(hit.line_index, next_index):
            claimed.add((hit.line_index, next_index))
    return claimed


def _add_bank_details(text: LabelledText, supplier: PartyValues, others: Iterable[Area]) -> None:
    """Bank details printed apart (a payment box, the footer) are the supplier's, unless they
    stand in the customer's block; a delivery address holds no bank, so a payment box its
    column runs into is still the supplier's."""
    excluded = [a for a in others if a is not None]
    for name, parse in (("iban", _iban), ("bic", _bic)):
        if name in supplier.values:
            continue
        for hit in text.hits_for(name):
            if any(area.holds(text.phrase(hit)) for area in excluded):
                continue
            found = text.value(hit, parse)
            if found is not None:
                supplier.put(name, found[0], found[1])
                break
