"""Properties of the amount, percentage and currency parsers, over generated input.

Every supported way of printing an amount reads back as the exact ``Decimal`` with the
printed precision; any text at all gives a ``Decimal`` or ``None`` and never raises.
Seeds are fixed (``derandomize``) and example counts bounded so the run is repeatable.
"""

from __future__ import annotations

import time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nex_automat.extract.numbers import (
    CURRENCY_CODES,
    detect_currency,
    find_amounts,
    guess_decimal_separator,
    parse_amount,
    parse_number,
    parse_percent,
)
from tests.extract.test_numbers import MINUS_SIGN, NARROW_NBSP, NBSP, THIN_SPACE

GROUP_STYLES = [
    (" ", ","),
    (" ", "."),
    (NBSP, ","),
    (NARROW_NBSP, ","),
    (THIN_SPACE, "."),
    (".", ","),
    (",", "."),
    ("'", "."),
    ("\u2019", "."),
    ("", ","),
    ("", "."),
]
"""(thousands mark, decimal mark) pairs that Slovak, Czech, English and Swiss prints use."""
SIGN_STYLES = ["-{}", f"{MINUS_SIGN}{{}}", "\u2013{}", "- {}", "{}-", f"{{}}{MINUS_SIGN}"]
CURRENCY_STYLES = ["{}", "{} €", "{}€", "€ {}", "EUR {}", "{} EUR", "{} Kč", "$ {}", "{} CHF"]

amounts = st.decimals(
    min_value=Decimal("-999999999.99"),
    max_value=Decimal("999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)

# Text made of what amounts are made of, so the generated strings come close to amounts
# and exercise the parsers' edge cases rather than only rejecting letters.
_AMOUNT_ALPHABET = (
    "0123456789 .,'-+%€$£/:xkKčCZEURcsh\u00a0\u202f\u2009\u2019\u2212\u2013\u2014\t\n"
)
amount_like_text = st.text(alphabet=_AMOUNT_ALPHABET, max_size=40)
any_text = st.text(max_size=60)
texts = st.one_of(amount_like_text, any_text)
hints = st.sampled_from([None, ",", "."])


def printed(value: Decimal, group: str, decimal: str, places: int = 2) -> str:
    """``abs(value)`` the way an invoice prints it: grouped thousands, ``places`` decimals."""
    integer, _, fraction = f"{abs(value):.{places}f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    number = group.join(groups)
    return f"{number}{decimal}{fraction}" if fraction else number


def formatted(value: Decimal, group: str, decimal: str, sign_style: str, currency: str) -> str:
    number = printed(value, group, decimal)
    if value < 0:
        number = sign_style.format(number)
    return currency.format(number)


def _values(text: str, decimal_separator: str | None = None) -> list[Decimal]:
    return [match.value for match in find_amounts(text, decimal_separator)]


# ---------------------------------------------------------------------------- round trips


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    value=amounts,
    style=st.sampled_from(GROUP_STYLES),
    sign_style=st.sampled_from(SIGN_STYLES),
    currency=st.sampled_from(CURRENCY_STYLES),
)
def test_formatted_amounts_parse_back_to_their_value(
    value: Decimal, style: tuple[str, str], sign_style: str, currency: str
) -> None:
    group, decimal = style
    text = formatted(value, group, decimal, sign_style, currency)
    parsed = parse_amount(text)
    assert parsed == value
    assert parsed is not None
    assert parsed.as_tuple().exponent == -2


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=Decimal("9999999.9999"), places=4),
    places=st.integers(0, 4),
    style=st.sampled_from(GROUP_STYLES),
)
def test_every_printed_precision_survives_with_the_documents_separator(
    value: Decimal, places: int, style: tuple[str, str]
) -> None:
    """Quantities and unit prices print 0 to 4 decimals; with the document's decimal
    separator known, even "1,234" and "1.234" read unambiguously."""
    group, decimal = style
    expected = round(value, places)
    parsed = parse_amount(printed(expected, group, decimal, places), decimal_separator=decimal)
    assert parsed == expected
    assert parsed is not None
    assert parsed.as_tuple().exponent == -places


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    value=st.integers(0, 999_999_999),
    style=st.sampled_from(GROUP_STYLES),
    dash=st.sampled_from(["-", "--", "\u2013", "\u2014"]),
)
def test_whole_amounts_with_a_dash_for_the_cents_read_as_whole_units(
    value: int, style: tuple[str, str], dash: str
) -> None:
    group, decimal = style
    parsed = parse_amount(f"{printed(Decimal(value), group, '', 0)}{decimal}{dash}")
    assert parsed == value
    assert parsed is not None
    assert parsed.as_tuple().exponent == 0


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    values=st.lists(amounts, min_size=1, max_size=5),
    style=st.sampled_from(GROUP_STYLES),
    sign_style=st.sampled_from(SIGN_STYLES[:4]),
    currency=st.sampled_from(CURRENCY_STYLES),
)
def test_formatted_amounts_in_text_are_all_found(
    values: list[Decimal], style: tuple[str, str], sign_style: str, currency: str
) -> None:
    group, decimal = style
    text = "Položky: " + " | ".join(
        formatted(v, group, decimal, sign_style, currency) for v in values
    )
    assert _values(text) == values


@settings(max_examples=100, derandomize=True, deadline=None)
@given(value=amounts, style=st.sampled_from(GROUP_STYLES))
def test_two_decimal_amounts_reveal_their_decimal_separator(
    value: Decimal, style: tuple[str, str]
) -> None:
    group, decimal = style
    assert guess_decimal_separator([formatted(value, group, decimal, "-{}", "{}")]) == decimal


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    rate=st.decimals(min_value=0, max_value=100, places=2),
    decimal=st.sampled_from([",", "."]),
    suffix=st.sampled_from(["", "%", " %", f"{NBSP}%"]),
)
def test_printed_rates_read_as_plain_percentages(rate: Decimal, decimal: str, suffix: str) -> None:
    parsed = parse_percent(f"{rate:.2f}".replace(".", decimal) + suffix)
    assert parsed == rate
    assert parsed is not None
    assert "E" not in str(parsed)
    assert str(parsed) == str(parsed.normalize()) or parsed == parsed.to_integral_value()


@settings(max_examples=50, derandomize=True, deadline=None)
@given(
    token=st.sampled_from(sorted(CURRENCY_CODES)),
    upper=st.booleans(),
    before=st.sampled_from(["", "Mena: ", "Spolu 12,30 "]),
)
def test_every_currency_token_standing_alone_is_detected(
    token: str, upper: bool, before: str
) -> None:
    printed_token = token.upper() if upper else token
    assert detect_currency(f"{before}{printed_token} (zaokrúhlené)") == CURRENCY_CODES[token]


# ---------------------------------------------------------------------------- any text


@settings(max_examples=400, derandomize=True, deadline=None)
@given(text=texts, hint=hints)
def test_any_text_gives_an_exact_decimal_or_none_and_never_raises(
    text: str, hint: str | None
) -> None:
    for value in (parse_amount(text, hint), parse_number(text, hint), parse_percent(text)):
        assert value is None or type(value) is Decimal
        assert value is None or value.is_finite()
        assert value is None or not (value.is_zero() and value.is_signed())
    number = parse_number(text, hint)
    assert number is None or number >= 0
    currency = detect_currency(text)
    assert currency is None or currency in CURRENCY_CODES.values()
    assert guess_decimal_separator([text]) in (None, ",", ".")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(text=texts, hint=hints)
def test_found_amounts_lie_in_the_text_in_order_and_read_alone_the_same(
    text: str, hint: str | None
) -> None:
    found = find_amounts(text, hint)
    end = 0
    for match in found:
        assert type(match.value) is Decimal
        assert end <= match.start < match.end <= len(text)
        end = match.end
        assert match.currency is None or match.currency in CURRENCY_CODES.values()
        assert any(c.isdigit() for c in text[match.start : match.end])


def test_long_runs_of_marks_and_digits_are_read_in_linear_time() -> None:
    """Table rows of OCR noise can be long; no input may make the patterns backtrack."""
    hostile = [
        "1 " * 5000 + "x",
        "1," * 5000 + "-x",
        "1." * 5000 + ".",
        "- " * 5000 + "1",
        "€" * 5000 + "1",
        "1" * 20000 + "%x",
    ]
    started = time.perf_counter()
    for text in hostile:
        parse_amount(text)
        parse_number(text)
        parse_percent(text)
        find_amounts(text)
        guess_decimal_separator([text])
    assert time.perf_counter() - started < 2.0


@settings(max_examples=50, derandomize=True, deadline=None)
@given(integer=st.text("0123456789", min_size=1, max_size=60), fraction=st.text("0123456789"))
def test_numbers_of_any_length_read_exactly(integer: str, fraction: str) -> None:
    """OCR can run digits together; what is read is then wrong, but never rounded or raised."""
    text = f"{integer},{fraction}" if fraction else integer
    exact = Decimal(f"{integer}.{fraction}" if fraction else integer)
    assert parse_number(text, ",") == exact
    assert parse_percent(f"{text} %") == exact
