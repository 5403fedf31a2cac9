"""Recognised words are put back into the form their printed text had, and text-layer words
are never touched."""

from __future__ import annotations

import pytest

from nex_automat.extract.layout import Word
from nex_automat.extract.ocr_text import (
    code_text,
    is_recognised,
    numeric_text,
    value_text,
    word_text,
)


def _word(text: str, confidence: float | None) -> Word:
    return Word(text, 10.0, 10.0, 40.0, 20.0, 0, confidence)


def test_words_with_a_confidence_were_recognised() -> None:
    assert is_recognised([_word("Faktúra", None), _word("123,45", 91.0)])


def test_words_of_a_text_layer_were_not_recognised() -> None:
    assert not is_recognised([_word("Faktúra", None), _word("123,45", None)])


def test_no_words_were_not_recognised() -> None:
    assert not is_recognised([])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("33,427)", "33,427"),
        ("47,51.", "47,51"),
        ("|1 250,00", "1 250,00"),
        ("[12,50]", "12,50"),
        ("„99,90“", "99,90"),
    ],
)
def test_stray_marks_of_rules_and_specks_around_a_number_are_removed(
    text: str, expected: str
) -> None:
    assert numeric_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1O,5O", "10,50"), ("1l,50", "11,50"), ("2D0", "200"), ("I5", "15"), ("o", "0")],
)
def test_letters_a_digit_is_misread_as_are_read_as_that_digit(text: str, expected: str) -> None:
    assert numeric_text(text) == expected


def test_a_negative_amount_keeps_its_sign_in_front_and_behind() -> None:
    assert numeric_text("-1 234,50") == "-1 234,50"
    assert numeric_text("1 234,50-") == "1 234,50-"


def test_a_percentage_keeps_its_percent_sign() -> None:
    assert numeric_text("23%") == "23%"


def test_a_word_without_digits_is_not_turned_into_a_number() -> None:
    assert numeric_text("Obol") == "Obol"
    assert numeric_text("lO") == "lO"


def test_a_mostly_letter_code_keeps_its_letters() -> None:
    assert numeric_text("HYD-1187") == "HYD-1187"


def test_a_word_cell_loses_its_stray_marks_but_keeps_its_full_stop() -> None:
    assert word_text("<ks:") == "ks"
    assert word_text("|rol.") == "rol."


def test_a_clean_word_cell_is_unchanged() -> None:
    assert word_text("PAL-7449") == "PAL-7449"


def test_a_decimal_mark_read_as_the_thousands_mark_is_put_right() -> None:
    assert value_text("1.109.91,") == "1.109,91"
    assert value_text("-4,205,99 g") == "-4,205.99 g"


def test_letters_in_a_recognised_date_are_read_as_digits() -> None:
    assert value_text("12.O9.2026") == "12.09.2026"


def test_words_of_a_value_without_digits_are_kept() -> None:
    assert value_text("€ 1.405,25") == "€ 1.405,25"


def test_a_zero_read_for_the_letter_o_of_a_code_prefix_is_put_back() -> None:
    assert code_text("0F20250419") == "OF20250419"
    assert code_text("P0S-12") == "POS-12"


def test_zeros_among_the_digits_of_a_code_stay_zeros() -> None:
    assert code_text("2026-0102") == "2026-0102"
    assert code_text("100ABC") == "100ABC"
