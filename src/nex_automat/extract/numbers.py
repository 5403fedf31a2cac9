"""Slovak, Czech and English amounts, percentages and currencies as printed on invoices.

Everything stays :class:`~decimal.Decimal` built from the printed digits, so the precision
the document shows ("1 234,50") survives into the result ("1234.50").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal

from nex_automat.extract.dates import find_dates

# Spaces that typesetters put between thousands groups: plain, no-break, narrow no-break, thin.
_GROUP_SPACES = " \u00a0\u202f\u2009"
_APOSTROPHES = "'\u2019"
_LEADING_SIGNS = "-+\u2212\u2013"
_TRAILING_MINUS = "-\u2212\u2013"

CURRENCY_CODES: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "kč": "CZK",
    "kc": "CZK",
    "czk": "CZK",
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pln": "PLN",
    "zł": "PLN",
    "huf": "HUF",
    "ft": "HUF",
    "chf": "CHF",
}
"""Currency symbols and codes as printed (lower case) → ISO 4217 code."""

# "1 234,-" is how Czech and Slovak prices say "whole units, no cents".
_WHOLE_DASH = "[.,][-\u2013\u2014]{1,2}"

_CURRENCY = "|".join(re.escape(token) for token in sorted(CURRENCY_CODES, key=len, reverse=True))
# A currency token must not be glued to letters ("Kft", "Europe"); digits may touch it.
_CURRENCY_WORD = rf"(?<![^\W\d_])(?:{_CURRENCY})(?![^\W\d_])"
_CURRENCY_RE = re.compile(_CURRENCY_WORD, re.IGNORECASE)

_AMOUNT_RE = re.compile(
    rf"""
    (?P<lead>[{_LEADING_SIGNS}])?\s*
    (?P<pre>{_CURRENCY})?\s*
    (?P<lead2>[{_LEADING_SIGNS}])?\s*
    (?P<body>\d(?:[\d.,{_APOSTROPHES}{_GROUP_SPACES}]*\d)?)
    (?P<whole>{_WHOLE_DASH})?\s*
    (?P<trail>[{_TRAILING_MINUS}])?\s*
    (?P<post>{_CURRENCY})?\s*
    (?P<trail2>[{_TRAILING_MINUS}])?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# How numbers are written in running text; grouped styles first so that "1 234,56" wins over
# "1". Each grouped style allows only the decimal mark that can go with its group mark.
_NUMBER_STYLES = (
    rf"\d{{1,3}}(?:[{_GROUP_SPACES}]\d{{3}})+(?:[.,]\d+)?",
    r"\d{1,3}(?:\.\d{3})+(?:,\d+)?",
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?",
    rf"\d{{1,3}}(?:[{_APOSTROPHES}]\d{{3}})+(?:\.\d+)?",
    r"\d+(?:[.,]\d+)?",
)
_NUMBER = "|".join(f"(?:{style})" for style in _NUMBER_STYLES)

_FIND_RE = re.compile(
    rf"""
    (?:(?<![\w.,])(?P<sign>[{_LEADING_SIGNS}])[ \u00a0]?)?
    (?<![\d_])(?<!\d[.,{_APOSTROPHES}/:])(?<!\w[\-\u2013/])
    (?P<number>{_NUMBER})
    (?!\d)
    (?![.,{_APOSTROPHES}/:\-\u2013]\d)
    (?![\-\u2013][^\W\d_])
    (?![{_GROUP_SPACES}]*%)
    (?:(?={_CURRENCY}(?![^\W\d_]))|(?![^\W\d_]))
    (?:
        (?P<whole>{_WHOLE_DASH})(?![\w\-\u2212\u2013\u2014])
        | (?P<trail>[{_TRAILING_MINUS}])(?![\w\-\u2212\u2013\u2014])
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# IBANs as printed, with or without groups of four; their digits are never amounts.
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)

_PERCENT_RE = re.compile(r"(?P<body>\d(?:[\d.,]*\d)?)\s*%?")
_BODY_RE = re.compile(r"\d(?:[\d., ']*\d)?")
_CURRENCY_AFTER_RE = re.compile(rf"[ \u00a0]?({_CURRENCY_WORD})", re.IGNORECASE)
_CURRENCY_BEFORE_RE = re.compile(rf"({_CURRENCY_WORD})[ \u00a0]?$", re.IGNORECASE)
_TWO_DECIMALS_RE = re.compile(r"([.,])\d{2}$")


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found in text.

    ``start``/``end`` cover the sign, the digits and a trailing minus or ",-", not the
    currency; ``currency`` is the ISO code printed right before or after the amount.
    """

    value: Decimal
    start: int
    end: int
    currency: str | None = None


def parse_amount(text: str, decimal_separator: str | None = None) -> Decimal | None:
    """The amount ``text`` holds, or ``None`` when it is not (only) an amount.

    ``decimal_separator`` ("," or ".") settles "1,234" and "1.234", which are otherwise read
    with the mark as the decimal separator. "1 234,-" is a whole amount (1234).
    """
    match = _AMOUNT_RE.fullmatch(text.strip())
    if match is None:
        return None
    signs = [s for s in match.group("lead", "lead2", "trail", "trail2") if s]
    currencies = [c for c in match.group("pre", "post") if c]
    if len(signs) > 1 or len(currencies) > 1:
        return None
    value = _value(match.group("body"), match.group("whole"), decimal_separator)
    if value is None:
        return None
    return _signed(value, signs[0] if signs else None)


def parse_number(text: str, decimal_separator: str | None = None) -> Decimal | None:
    """An unsigned number written with any of the group and decimal marks invoices use."""
    body = _canonical_marks(text.strip())
    if not _BODY_RE.fullmatch(body):
        return None
    marks = [c for c in body if not c.isdigit()]
    decimal_mark = _decimal_mark(body, marks, decimal_separator)
    integer_part, fraction = body, ""
    if decimal_mark is not None:
        cut = body.rindex(decimal_mark)
        integer_part, fraction = body[:cut], body[cut + 1 :]
        if not fraction.isdigit():
            return None
    digits = _ungrouped(integer_part)
    if digits is None:
        return None
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def find_amounts(text: str, decimal_separator: str | None = None) -> list[AmountMatch]:
    """Every amount standing in ``text``, left to right.

    Numbers inside dates, IBANs and longer alphanumeric tokens are skipped, and so are
    percentages. Space-grouped thousands are joined greedily: table columns are expected to
    be split by position before this is called.
    """
    masked = _mask(text, _protected_spans(text))
    found: list[AmountMatch] = []
    for match in _FIND_RE.finditer(masked):
        sign, trail = match.group("sign"), match.group("trail")
        if (sign and trail) or _glued_to_word(masked, match.start("number")):
            continue
        value = _value(match.group("number"), match.group("whole"), decimal_separator)
        if value is None:
            continue
        found.append(
            AmountMatch(
                value=_signed(value, sign or trail),
                start=match.start(),
                end=match.end(),
                currency=_adjacent_currency(masked, match.start(), match.end()),
            )
        )
    return found


def parse_percent(text: str) -> Decimal | None:
    """A percentage ("20 %", "10,5%", "20") as a plain number of percent without trailing zeros."""
    match = _PERCENT_RE.fullmatch(text.strip())
    if match is None:
        return None
    body = match.group("body")
    # A rate never has thousands groups, so a lone mark is always the decimal separator.
    if sum(not c.isdigit() for c in body) > 1:
        return None
    value = Decimal(body.replace(",", "."))
    return _without_trailing_zeros(value)


def detect_currency(text: str) -> str | None:
    """The ISO code of the first currency symbol or code standing in ``text``."""
    match = _CURRENCY_RE.search(text)
    return CURRENCY_CODES[match.group().lower()] if match else None


_TWO_DECIMALS_ANYWHERE_RE = re.compile(r"\d[.,]\d\d")


def guess_decimal_separator(texts: Iterable[str]) -> str | None:
    """The decimal separator a document uses, voted by its amounts with exactly two decimals."""
    votes: Counter[str] = Counter()
    for text in texts:
        if not _TWO_DECIMALS_ANYWHERE_RE.search(text):
            continue
        masked = _mask(text, _protected_spans(text))
        for match in _FIND_RE.finditer(masked):
            tail = _TWO_DECIMALS_RE.search(match.group("number"))
            if tail:
                votes[tail.group(1)] += 1
    ranked = votes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _value(body: str, whole_dash: str | None, decimal_separator: str | None) -> Decimal | None:
    if whole_dash is None:
        return parse_number(body, decimal_separator)
    # The mark before the dash is the decimal one, so any other mark can only group thousands.
    canonical = _canonical_marks(body)
    if whole_dash[0] in canonical:
        return None
    digits = _ungrouped(canonical)
    return Decimal(digits) if digits is not None else None


def _canonical_marks(text: str) -> str:
    for space in _GROUP_SPACES:
        text = text.replace(space, " ")
    return text.replace("\u2019", "'")


def _decimal_mark(body: str, marks: list[str], decimal_separator: str | None) -> str | None:
    """Which mark, if any, separates the decimals: the last one, unless it is a group mark."""
    if not marks or marks[-1] not in ".,":
        return None
    last = marks[-1]
    if marks.count(last) > 1:
        return None
    if len(marks) > 1:
        return last
    integer_part, fraction = body.split(last)
    looks_grouped = len(fraction) == 3 and len(integer_part) <= 3
    if looks_grouped and decimal_separator is not None and decimal_separator != last:
        return None
    return last


def _ungrouped(integer_part: str) -> str | None:
    """The digits of an integer part whose thousands groups, if any, are all of three digits."""
    group_marks = {c for c in integer_part if not c.isdigit()}
    if not group_marks:
        return integer_part
    if len(group_marks) > 1:
        return None
    groups = integer_part.split(group_marks.pop())
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        return None
    return "".join(groups)


def _signed(value: Decimal, sign: str | None) -> Decimal:
    negative = sign is not None and sign != "+"
    if value == 0:
        return value.copy_abs()
    return -value if negative else value


def _without_trailing_zeros(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form ("20", not "2E+1")."""
    if value == value.to_integral_value():
        # Exact for any length, where quantize would need the context's 28 digits.
        return Decimal(int(value))
    return value.normalize(Context(prec=len(value.as_tuple().digits)))


def _protected_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start, m.end) for m in find_dates(text)]
    spans.extend(m.span() for m in _IBAN_RE.finditer(text))
    return spans


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by letters of the same length, keeping offsets."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "x" * (end - start)
    return "".join(chars)


def _glued_to_word(text: str, start: int) -> bool:
    """Whether letters other than a currency code run straight into the number ("FA2025")."""
    first = start
    while first > 0 and text[first - 1].isalpha():
        first -= 1
    letters = text[first:start].lower()
    return bool(letters) and letters not in CURRENCY_CODES


def _adjacent_currency(text: str, start: int, end: int) -> str | None:
    after = _CURRENCY_AFTER_RE.match(text, end)
    if after:
        return CURRENCY_CODES[after.group(1).lower()]
    before = _CURRENCY_BEFORE_RE.search(text[max(0, start - 8) : start])
    return CURRENCY_CODES[before.group(1).lower()] if before else None
