"""Amounts, percentages and currencies as Slovak, Czech and English invoices print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nex_automat.extract.numbers import (
    AmountMatch,
    detect_currency,
    find_amounts,
    guess_decimal_separator,
    parse_amount,
    parse_number,
    parse_percent,
)

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN_SPACE = "\u2009"
MINUS_SIGN = "\u2212"

# ---------------------------------------------------------------------------- parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        (f"1{NBSP}234,56", "1234.56"),
        (f"1{NARROW_NBSP}234,56", "1234.56"),
        (f"1{THIN_SPACE}234,56", "1234.56"),
        ("1 234 567,89", "1234567.89"),
        ("1234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1,234.56", "1234.56"),
        ("1,234,567.89", "1234567.89"),
        ("1234.56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("1\u2019234.56", "1234.56"),
        ("1 234.56", "1234.56"),
        ("20", "20"),
        ("0,50", "0.50"),
        ("1.234.567", "1234567"),
        ("1 234", "1234"),
    ],
)
def test_every_printed_style_reads_as_the_same_decimal(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1 234,56", "-1234.56"),
        (f"{MINUS_SIGN}1 234,56", "-1234.56"),
        ("\u20131 234,56", "-1234.56"),
        ("1 234,56-", "-1234.56"),
        ("- 12,30", "-12.30"),
        ("+5,00", "5.00"),
        ("-€ 12,30", "-12.30"),
        ("€ -12,30", "-12.30"),
        ("12,30 € -", "-12.30"),
    ],
)
def test_signs_before_or_after_the_number_set_the_sign(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_trailing_minus_makes_amount_negative() -> None:
    assert parse_amount("1 234,56-") == Decimal("-1234.56")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,-", "1234"),
        ("1.234,- Kč", "1234"),
        ("12,--", "12"),
        ("12,\u2014", "12"),
        ("-1 234,-", "-1234"),
    ],
)
def test_comma_dash_means_whole_units(text: str, expected: str) -> None:
    assert str(parse_amount(text)) == expected


@pytest.mark.parametrize("text", ["1,234,-", "1.5,-", "12,-5", "12,30,-"])
def test_comma_dash_after_a_decimal_part_is_not_an_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_negative_zero_reads_as_plain_zero() -> None:
    assert str(parse_amount("-0,00")) == "0.00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("12,30", "12.30"),
        ("7,000000", "7.000000"),
        ("20", "20"),
    ],
)
def test_printed_precision_is_kept(text: str, expected: str) -> None:
    assert str(parse_amount(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56 €", "1234.56"),
        ("1 234,56€", "1234.56"),
        ("€1,234.56", "1234.56"),
        ("EUR 12,30", "12.30"),
        ("12,30 EUR", "12.30"),
        ("12,30 eur", "12.30"),
        ("12,30EUR", "12.30"),
        ("1 234,56 Kč", "1234.56"),
        ("1 234,56 Kc", "1234.56"),
        ("1 234,56 CZK", "1234.56"),
        ("$1,234.56", "1234.56"),
        ("USD 10.00", "10.00"),
        ("£5.00", "5.00"),
        ("GBP 5.00", "5.00"),
        ("5,00 PLN", "5.00"),
        ("5,00 zł", "5.00"),
        ("500 HUF", "500"),
        ("500 Ft", "500"),
        ("CHF 1'234.50", "1234.50"),
        ("  12,30  ", "12.30"),
    ],
)
def test_currency_before_or_after_is_allowed(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("1,234", None, "1.234"),
        ("1.234", None, "1.234"),
        ("1,234", ",", "1.234"),
        ("1,234", ".", "1234"),
        ("1.234", ".", "1.234"),
        ("1.234", ",", "1234"),
        ("2,500", ",", "2.500"),
        ("12345,678", ".", "12345.678"),
    ],
)
def test_single_mark_before_three_digits_follows_the_hint(
    text: str, separator: str | None, expected: str
) -> None:
    assert str(parse_amount(text, decimal_separator=separator)) == expected


def test_mixed_marks_ignore_the_hint_because_the_last_mark_is_the_decimal() -> None:
    assert parse_amount("1.234,56", decimal_separator=".") == Decimal("1234.56")
    assert parse_amount("1,234.56", decimal_separator=",") == Decimal("1234.56")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "16.09.2025",
        "1.1.2025",
        "1 23,45",
        "12 3456",
        "1234 567",
        "1,234,56",
        "1.234.56",
        "1,234.567,89",
        "1.234 567,89",
        "12,",
        ",50",
        "12,30 ks",
        "DPH 20",
        "FA2025001",
        "12,30 € EUR",
        "--12,30",
        "-12,30-",
        "12,30+",
        "1 234,56 euro",
        "20 %",
    ],
)
def test_text_that_is_not_only_an_amount_gives_none(text: str) -> None:
    assert parse_amount(text) is None


def test_parse_number_reads_unsigned_digits_only() -> None:
    assert parse_number("1 234,50") == Decimal("1234.50")
    assert parse_number("-12") is None


# ---------------------------------------------------------------------------- find_amounts


def _values(text: str, decimal_separator: str | None = None) -> list[Decimal]:
    return [m.value for m in find_amounts(text, decimal_separator)]


def test_amounts_are_found_left_to_right_with_offsets() -> None:
    text = "Spolu 1 234,56 € a zľava -12,30"
    found = find_amounts(text)
    assert found == [
        AmountMatch(Decimal("1234.56"), 6, 14, "EUR"),
        AmountMatch(Decimal("-12.30"), 25, 31, None),
    ]
    assert text[found[0].start : found[0].end] == "1 234,56"
    assert text[found[1].start : found[1].end] == "-12,30"


def test_trailing_minus_is_part_of_the_found_amount() -> None:
    text = "Dobropis 1 234,56- EUR"
    [match] = find_amounts(text)
    assert match.value == Decimal("-1234.56")
    assert text[match.start : match.end] == "1 234,56-"
    assert match.currency == "EUR"


def test_currency_before_the_amount_is_reported() -> None:
    assert find_amounts("Total: € 12.30")[0].currency == "EUR"
    assert find_amounts("Celkem CZK1 200,00")[0] == AmountMatch(Decimal("1200.00"), 10, 18, "CZK")


def test_space_grouped_thousands_are_joined_only_for_groups_of_three() -> None:
    assert _values("10 500,00") == [Decimal("10500.00")]
    assert _values("2 100 ks") == [Decimal("2100")]
    assert _values("10 50,00") == [Decimal("10"), Decimal("50.00")]
    assert _values("1 234,56 20 000,00") == [Decimal("1234.56"), Decimal("20000.00")]


def test_every_grouping_style_is_found() -> None:
    text = f"1.234,56; 1,234.56; 1'234.56; 1{NBSP}234,56; 1{NARROW_NBSP}234,56; 1234.56"
    assert _values(text) == [Decimal("1234.56")] * 6


def test_percentages_are_not_amounts() -> None:
    assert _values("DPH 20 % 246,91") == [Decimal("246.91")]
    assert _values("zľava 10,5% z 100,00") == [Decimal("100.00")]
    assert _values(f"DPH 23{NARROW_NBSP}% 1{NARROW_NBSP}000,00") == [Decimal("1000.00")]


def test_numbers_inside_dates_are_not_amounts() -> None:
    text = "Dátum 16.09.2025, dodané 16. 9. 2025 a 2025-09-16, suma 12,30"
    assert _values(text) == [Decimal("12.30")]


def test_numbers_inside_tokens_and_identifiers_are_not_amounts() -> None:
    text = (
        "Faktúra FA2025001, IČ DPH SK2020123456, IBAN SK31 1200 0000 1987 4263 7541, "
        "účet 2628000000/1100, čas 10:30, strana 1/2, doklad 2025-001, suma 99,90"
    )
    assert _values(text) == [Decimal("99.90")]


def test_a_number_inside_a_longer_dotted_number_is_not_an_amount() -> None:
    assert _values("123.45.6789") == []
    assert _values("1,234,56") == []


def test_numbers_joined_to_words_by_a_dash_are_not_amounts() -> None:
    assert _values("FA-12, 5-ti ročná, 12-ks, suma 3,50") == [Decimal("3.50")]


def test_whole_units_with_comma_dash_are_found() -> None:
    text = "Cena 1 234,- Kč za kus"
    [match] = find_amounts(text)
    assert match == AmountMatch(Decimal("1234"), 5, 12, "CZK")
    assert text[match.start : match.end] == "1 234,-"


def test_unit_price_per_unit_is_found() -> None:
    assert _values("12,30/ks") == [Decimal("12.30")]


def test_billing_period_dates_are_not_amounts() -> None:
    assert _values("Obdobie 01.09.2025-30.09.2025 spolu 30,00") == [Decimal("30.00")]


def test_a_sentence_end_does_not_stop_an_amount() -> None:
    assert _values("Spolu 12,30.") == [Decimal("12.30")]


def test_hint_decides_single_three_digit_groups_in_text() -> None:
    assert _values("množstvo 1.250 kg", decimal_separator=",") == [Decimal("1250")]
    assert _values("množstvo 1.250 kg", decimal_separator=".") == [Decimal("1.250")]


def test_text_without_amounts_gives_empty_list() -> None:
    assert find_amounts("Ďakujeme za Vašu objednávku") == []
    assert find_amounts("") == []


# ---------------------------------------------------------------------------- parse_percent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 %", "20"),
        ("20%", "20"),
        ("20,00 %", "20"),
        ("20.00%", "20"),
        ("5 %", "5"),
        ("0%", "0"),
        ("0,00 %", "0"),
        ("10,5%", "10.5"),
        ("20", "20"),
        ("100 %", "100"),
        (f"23{NBSP}%", "23"),
    ],
)
def test_percent_is_a_plain_number_without_trailing_zeros(text: str, expected: str) -> None:
    value = parse_percent(text)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize("text", ["", "%", "DPH 20%", "20 % DPH", "abc", "1.234,5 %", "-"])
def test_text_that_is_not_only_a_percentage_gives_none(text: str) -> None:
    assert parse_percent(text) is None


# ---------------------------------------------------------------------------- detect_currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€", "EUR"),
        ("EUR", "EUR"),
        ("Mena: eur", "EUR"),
        ("12,30 €", "EUR"),
        ("Kč", "CZK"),
        ("Celkem 1 200 Kc", "CZK"),
        ("CZK", "CZK"),
        ("USD", "USD"),
        ("$5", "USD"),
        ("£", "GBP"),
        ("GBP", "GBP"),
        ("PLN", "PLN"),
        ("zł", "PLN"),
        ("HUF", "HUF"),
        ("Ft", "HUF"),
        ("CHF", "CHF"),
    ],
)
def test_currency_symbols_and_codes_map_to_iso_codes(text: str, expected: str) -> None:
    assert detect_currency(text) == expected


@pytest.mark.parametrize("text", ["", "Faktúra", "Europe", "Kft.", "12,30"])
def test_no_currency_gives_none(text: str) -> None:
    assert detect_currency(text) is None


def test_first_currency_in_text_wins() -> None:
    assert detect_currency("Spolu 12 Kč (0,48 EUR)") == "CZK"


# ---------------------------------------------------------------------------- decimal separator


def test_decimal_comma_documents_are_recognised() -> None:
    assert guess_decimal_separator(["Spolu 1 234,56 €", "DPH 246,91", "1.234,56"]) == ","


def test_decimal_point_documents_are_recognised() -> None:
    assert guess_decimal_separator(["Total 1,234.56", "VAT 246.91"]) == "."


def test_majority_decides_the_decimal_separator() -> None:
    assert guess_decimal_separator(["12,30", "45,60", "1.50"]) == ","


def test_no_evidence_gives_no_separator() -> None:
    assert guess_decimal_separator([]) is None
    assert guess_decimal_separator(["1.234", "1,5", "20 ks", "16.09.2025"]) is None
    assert guess_decimal_separator(["12,30", "12.30"]) is None
