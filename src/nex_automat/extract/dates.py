"""Dates as printed on Slovak and Czech invoices (and English ones from foreign suppliers).

Matching runs on a copy of the text with diacritics removed character by character, so
"září" and "zari" read alike and every offset still points into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {
    # Slovak: nominative and genitive
    "januar": 1, "januara": 1,
    "februar": 2, "februara": 2,
    "marec": 3, "marca": 3,
    "april": 4, "aprila": 4,
    "maj": 5, "maja": 5,
    "jun": 6, "juna": 6,
    "jul": 7, "jula": 7,
    "august": 8, "augusta": 8,
    "september": 9, "septembra": 9,
    "oktober": 10, "oktobra": 10,
    "november": 11, "novembra": 11,
    "december": 12, "decembra": 12,
    # Czech: nominative and genitive
    "leden": 1, "ledna": 1,
    "unor": 2, "unora": 2,
    "brezen": 3, "brezna": 3,
    "duben": 4, "dubna": 4,
    "kveten": 5, "kvetna": 5,
    "cerven": 6, "cervna": 6,
    "cervenec": 7, "cervence": 7,
    "srpen": 8, "srpna": 8,
    "zari": 9,
    "rijen": 10, "rijna": 10,
    "listopad": 11, "listopadu": 11,
    "prosinec": 12, "prosince": 12,
    # English names and the usual abbreviations (also used in Slovak: "okt.")
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "apr": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "aug": 8,
    "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "okt": 10,
    "nov": 11,
    "dec": 12,
}  # fmt: skip
"""Month names without diacritics, lower case → month number."""

ROMAN_MONTHS: dict[str, int] = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6,
    "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12,
}  # fmt: skip
"""Roman month numbers, as in "16. IX. 2025"; only read between dots, where they cannot be words."""

_MONTH_NUMBERS = MONTHS | ROMAN_MONTHS
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ROMAN = "|".join(sorted(ROMAN_MONTHS, key=len, reverse=True))
_S = r"[ ]*"  # the folded text has every kind of whitespace turned into a plain space
_DAY = r"(?P<{}>\d{{1,2}})"
_YEAR = r"(?P<{}>\d{{4}}|\d{{2}})"
_NAME = r"(?P<{}>" + _MONTH + r")(?![a-z])\.?"

_DATE_STYLES = (
    # 16.09.2025, 16. 9. 2025, 16.9.25
    rf"{_DAY.format('d1')}{_S}\.{_S}(?P<m1>\d{{1,2}}){_S}\.{_S}{_YEAR.format('y1')}",
    # 16/09/2025, 16-09-2025
    rf"{_DAY.format('d2')}(?P<sep2>[/-])(?P<m2>\d{{1,2}})(?P=sep2){_YEAR.format('y2')}",
    # 2025-09-16, 2025/09/16
    r"(?P<y3>\d{4})(?P<sep3>[-/.])(?P<m3>\d{1,2})(?P=sep3)(?P<d3>\d{1,2})",
    # 16. septembra 2025, 16 September 2025, 16-Sep-2025, 16th Sep 2025
    rf"{_DAY.format('d4')}(?:st|nd|rd|th)?(?:\.|-|{_S}){_S}{_NAME.format('m4')}"
    rf"(?:-|,?{_S}){_YEAR.format('y4')}",
    # 16. IX. 2025
    rf"{_DAY.format('d6')}{_S}\.{_S}(?P<m6>{_ROMAN}){_S}\.{_S}(?P<y6>\d{{4}})",
    # Sep 16, 2025, September 16th 2025
    rf"{_NAME.format('m5')}{_S}{_DAY.format('d5')}(?:st|nd|rd|th)?,?{_S}(?P<y5>\d{{4}})",
)
_DATE = "|".join(f"(?:{style})" for style in _DATE_STYLES)

# Not part of a longer number or token: no word character or "digit + mark" on either side.
# A dash may touch a date, since periods are printed as "01.09.2025-30.09.2025".
_FIND_RE = re.compile(
    rf"(?<!\w)(?<!\d[.,/:])(?:{_DATE})(?!\w)(?![.,/:]\d)",
    re.IGNORECASE,
)
_FULL_RE = re.compile(rf"(?:{_DATE})\.?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    start: int
    end: int


def parse_date(text: str) -> date | None:
    """The date ``text`` holds, or ``None``; never today's date."""
    match = _FULL_RE.fullmatch(_fold(text.strip()))
    return _to_date(match) if match else None


def find_dates(text: str) -> list[DateMatch]:
    """Every valid date standing in ``text``, left to right, with offsets into ``text``."""
    found: list[DateMatch] = []
    if not _DIGIT_RE.search(text):
        return found
    for match in _FIND_RE.finditer(_fold(text)):
        value = _to_date(match)
        if value is not None:
            found.append(DateMatch(value=value, start=match.start(), end=match.end()))
    return found


def full_year(year: int, digits: int) -> int:
    """A printed year as a full year: two-digit years 00–69 are 20xx, 70–99 are 19xx."""
    if digits > 2:
        return year
    return 2000 + year if year < 70 else 1900 + year


_DIGIT_RE = re.compile(r"\d")
_ASCII_SPACES = str.maketrans("\t\n\r\x0b\x0c", "     ")


def _fold(text: str) -> str:
    """``text`` without diacritics and with plain spaces, one character for one character."""
    if text.isascii():
        return text.translate(_ASCII_SPACES)
    return "".join(" " if c.isspace() else unicodedata.normalize("NFD", c)[0] for c in text)


def _to_date(match: re.Match[str]) -> date | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    day = next(v for k, v in groups.items() if k.startswith("d"))
    month = next(v for k, v in groups.items() if k.startswith("m"))
    year = next(v for k, v in groups.items() if k.startswith("y"))
    month_number = int(month) if month.isdigit() else _MONTH_NUMBERS[month.lower()]
    full = full_year(int(year), len(year))
    if not 1900 <= full <= 2099:
        return None
    try:
        return date(full, month_number, int(day))
    except ValueError:
        return None
