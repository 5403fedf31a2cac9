"""Dates as Slovak, Czech and English invoices print them."""

from __future__ import annotations

from datetime import date

import pytest

from nex_automat.extract.dates import DateMatch, find_dates, full_year, parse_date

SEPT_16 = date(2025, 9, 16)


@pytest.mark.parametrize(
    "text",
    [
        "16.09.2025",
        "16.9.2025",
        "16. 9. 2025",
        "16. 09. 2025",
        "16.9.25",
        "16.09.25",
        "2025-09-16",
        "2025/09/16",
        "2025.09.16",
        "16/09/2025",
        "16-09-2025",
        "16/9/25",
        "16.09.2025.",
        "  16.09.2025  ",
        "16.\u00a09.\u00a02025",
        "16 . 09 . 2025",
    ],
)
def test_numeric_styles_read_as_the_same_date(text: str) -> None:
    assert parse_date(text) == SEPT_16


@pytest.mark.parametrize(
    "text",
    [
        "16. septembra 2025",
        "16. september 2025",
        "16 septembra 2025",
        "16. září 2025",
        "16. zari 2025",
        "16. ZÁŘÍ 2025",
        "16 September 2025",
        "16th September 2025",
        "16 Sep 2025",
        "16 Sept. 2025",
        "16-Sep-2025",
        "Sep 16, 2025",
        "September 16, 2025",
        "September 16th 2025",
    ],
)
def test_month_names_read_as_the_same_date(text: str) -> None:
    assert parse_date(text) == SEPT_16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. januára 2025", date(2025, 1, 1)),
        ("1. ledna 2025", date(2025, 1, 1)),
        ("28. februára 2025", date(2025, 2, 28)),
        ("28. února 2025", date(2025, 2, 28)),
        ("3. marca 2025", date(2025, 3, 3)),
        ("3. března 2025", date(2025, 3, 3)),
        ("4. apríla 2025", date(2025, 4, 4)),
        ("4. dubna 2025", date(2025, 4, 4)),
        ("5. mája 2025", date(2025, 5, 5)),
        ("5. května 2025", date(2025, 5, 5)),
        ("6. júna 2025", date(2025, 6, 6)),
        ("6. června 2025", date(2025, 6, 6)),
        ("7. júla 2025", date(2025, 7, 7)),
        ("7. července 2025", date(2025, 7, 7)),
        ("8. augusta 2025", date(2025, 8, 8)),
        ("8. srpna 2025", date(2025, 8, 8)),
        ("10. októbra 2025", date(2025, 10, 10)),
        ("10. října 2025", date(2025, 10, 10)),
        ("11. novembra 2025", date(2025, 11, 11)),
        ("11. listopadu 2025", date(2025, 11, 11)),
        ("12. decembra 2025", date(2025, 12, 12)),
        ("12. prosince 2025", date(2025, 12, 12)),
        ("1. červen 2025", date(2025, 6, 1)),
        ("1. červenec 2025", date(2025, 7, 1)),
        ("1 May 2025", date(2025, 5, 1)),
        ("Mar 3, 2025", date(2025, 3, 3)),
        ("10. okt. 2025", date(2025, 10, 10)),
        ("16. IX. 2025", date(2025, 9, 16)),
        ("1.XII.2025", date(2025, 12, 1)),
        ("4. iv. 2025", date(2025, 4, 4)),
    ],
)
def test_every_month_name_is_known(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.1.00", date(2000, 1, 1)),
        ("1.1.25", date(2025, 1, 1)),
        ("1.1.69", date(2069, 1, 1)),
        ("1.1.70", date(1970, 1, 1)),
        ("1.1.99", date(1999, 1, 1)),
    ],
)
def test_two_digit_years_map_to_2000_to_2069_or_1970_to_1999(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_full_year_keeps_four_digit_years() -> None:
    assert full_year(1999, 4) == 1999
    assert full_year(5, 2) == 2005


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "31.02.2025",
        "29.02.2025",
        "32.01.2025",
        "16.13.2025",
        "00.01.2025",
        "2025-02-30",
        "16.09",
        "16.09.",
        "16.09.2025 12:00",
        "Dátum: 16.09.2025",
        "16/09-2025",
        "16.09.202",
        "16.09.20255",
        "1.234,56",
        "1 234,56",
        "16. smarca 2025",
        "16. 9 2025",
        "16.09.0025",
        "septembra 2025",
        "09/16/2025",
        "16. XIII. 2025",
        "16 IX 2025",
        "v 16 2025",
    ],
)
def test_text_that_is_not_only_a_valid_date_gives_none(text: str) -> None:
    assert parse_date(text) is None


def test_leap_day_is_valid_in_a_leap_year() -> None:
    assert parse_date("29.02.2024") == date(2024, 2, 29)


def test_dates_are_found_left_to_right_with_offsets() -> None:
    text = "Dátum vystavenia: 16.09.2025, splatnosť 30. septembra 2025."
    found = find_dates(text)
    assert found == [
        DateMatch(SEPT_16, 18, 28),
        DateMatch(date(2025, 9, 30), 40, 58),
    ]
    assert text[found[1].start : found[1].end] == "30. septembra 2025"


def test_offsets_point_into_the_original_text_with_diacritics() -> None:
    text = "Datum uskutečnění plnění: 16. září 2025"
    [match] = find_dates(text)
    assert text[match.start : match.end] == "16. září 2025"


def test_dates_inside_longer_numbers_are_not_found() -> None:
    assert find_dates("123.45.6789") == []
    assert find_dates("1.234,56") == []
    assert find_dates("číslo 116.09.2025 a 16.09.20251 a 16.09.2025.5") == []
    assert find_dates("FA16.09.2025") == []


def test_both_ends_of_a_billing_period_are_found() -> None:
    assert find_dates("Obdobie: 01.09.2025-30.09.2025") == [
        DateMatch(date(2025, 9, 1), 9, 19),
        DateMatch(date(2025, 9, 30), 20, 30),
    ]


def test_invalid_dates_in_text_are_skipped() -> None:
    assert find_dates("od 31.02.2025 do 01.03.2025") == [DateMatch(date(2025, 3, 1), 17, 27)]


def test_text_without_dates_gives_empty_list() -> None:
    assert find_dates("Spolu 1 234,56 € DPH 20 %") == []
    assert find_dates("") == []
