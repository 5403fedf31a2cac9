"""Properties of the date parser, over generated input.

Every supported way of printing a date reads back as that date; a day that does not
exist is no date rather than a neighbouring one; and no text, whatever it holds, yields a
date whose day and year are not printed in it. Seeds are fixed and example counts bounded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from nex_automat.extract.dates import DateMatch, find_dates, parse_date

SK_MONTHS = [
    "januára", "februára", "marca", "apríla", "mája", "júna",
    "júla", "augusta", "septembra", "októbra", "novembra", "decembra",
]  # fmt: skip
CZ_MONTHS = [
    "ledna", "února", "března", "dubna", "května", "června",
    "července", "srpna", "září", "října", "listopadu", "prosince",
]  # fmt: skip
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _strip_accents(text: str) -> str:
    return text.translate(str.maketrans("áäčďéěíĺľňóôřšťúůýž", "aacdeeillnoorstuuyz"))


DATE_STYLES: list[Callable[[date], str]] = [
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: f"{d.day}. {d.month}. {d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year % 100:02d}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day}. {SK_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day}. {CZ_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day}. {_strip_accents(CZ_MONTHS[d.month - 1])} {d.year}",
    lambda d: f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day}-{EN_MONTHS[d.month - 1][:3]}-{d.year}",
    lambda d: f"{EN_MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    lambda d: f"{d.day}. {ROMAN[d.month - 1]}. {d.year}",
]

dates = st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31))

_DATE_ALPHABET = "0123456789 ./-,:IVXivxjanfebmrsepoctduzlk\u00a0\u00e1\u0161\u0159\t\n"
date_like_text = st.text(alphabet=_DATE_ALPHABET, max_size=40)
texts = st.one_of(date_like_text, st.text(max_size=60))

_DIGIT_RUN = re.compile(r"\d+")


def printed_numbers(text: str) -> set[int]:
    return {int(run) for run in _DIGIT_RUN.findall(text)}


def assert_printed(value: date, text: str) -> None:
    """The day and the year (in full or its last two digits) stand in ``text``."""
    numbers = printed_numbers(text)
    assert value.day in numbers, (value, text)
    assert value.year in numbers or value.year % 100 in numbers, (value, text)


# ---------------------------------------------------------------------------- round trips


@settings(max_examples=200, derandomize=True, deadline=None)
@given(value=dates, style=st.sampled_from(DATE_STYLES))
def test_formatted_dates_parse_back(value: date, style: Callable[[date], str]) -> None:
    assert parse_date(style(value)) == value


@settings(max_examples=100, derandomize=True, deadline=None)
@given(value=dates, style=st.sampled_from(DATE_STYLES))
def test_formatted_dates_in_text_are_found(value: date, style: Callable[[date], str]) -> None:
    printed = style(value)
    text = f"Dátum dodania: {printed}, suma 1 234,56 €"
    assert find_dates(text) == [DateMatch(value, 15, 15 + len(printed))]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(day=st.integers(0, 35), month=st.integers(0, 14), year=st.integers(1900, 2099))
def test_a_day_the_calendar_lacks_is_no_date_never_a_neighbouring_one(
    day: int, month: int, year: int
) -> None:
    try:
        real: date | None = date(year, month, day)
    except ValueError:
        real = None
    assert parse_date(f"{day:02d}.{month:02d}.{year}") == real
    assert parse_date(f"{year}-{month:02d}-{day:02d}") == real
    found = find_dates(f"Splatnosť {day}. {month}. {year} !")
    assert [m.value for m in found] == ([real] if real else [])


@settings(max_examples=100, derandomize=True, deadline=None)
@given(year=st.integers(0, 99), style=st.sampled_from(["16.09.{:02d}", "16/09/{:02d}"]))
def test_two_digit_years_are_read_within_the_century_window(year: int, style: str) -> None:
    expected = (2000 if year < 70 else 1900) + year
    assert parse_date(style.format(year)) == date(expected, 9, 16)


# ---------------------------------------------------------------------------- any text


@settings(max_examples=400, derandomize=True, deadline=None)
@given(text=texts)
def test_any_text_gives_a_printed_date_or_none_and_never_raises(text: str) -> None:
    value = parse_date(text)
    if value is None:
        return
    assert type(value) is date
    assert 1900 <= value.year <= 2099
    assert_printed(value, text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(text=texts)
def test_found_dates_are_printed_where_they_are_said_to_be(text: str) -> None:
    end = 0
    for match in find_dates(text):
        assert end <= match.start < match.end <= len(text)
        end = match.end
        span = text[match.start : match.end]
        assert parse_date(span) == match.value
        assert_printed(match.value, span)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=60))
def test_text_without_digits_holds_no_date(text: str) -> None:
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_long_runs_of_dates_parts_are_read_in_linear_time() -> None:
    hostile = [
        "1." * 5000 + "x",
        "16. " * 5000,
        "1/1-" * 5000,
        "12 september " * 2000,
        "16. IX. " * 3000,
    ]
    started = time.perf_counter()
    for text in hostile:
        parse_date(text)
        find_dates(text)
    assert time.perf_counter() - started < 2.0
