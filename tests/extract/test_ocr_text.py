"""Recognised words are put back into the form their printed text had, and text-layer words
are never touched."""

from __future__ import annotations

import pytest

from nex_automat.extract.layout import Word
from nex_automat.extract.ocr_text import (
    code_text,
    header_words,
    is_recognised,
    numeric_text,
    split_keys,
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


def test_a_table_rule_read_as_a_bar_is_dropped_from_a_header() -> None:
    words = [_word("J.cena", 90.0), _word("|", 40.0), _word("Celkem", 90.0)]
    assert [w.text for w in header_words(words)] == ["J.cena", "Celkem"]


@pytest.mark.parametrize(("text", "expected"), [("ZI.%", "Zl.%"), ("SI.", "Sl.")])
def test_an_abbreviation_l_read_as_a_capital_i_is_put_back(text: str, expected: str) -> None:
    assert [w.text for w in header_words([_word(text, 80.0)])] == [expected]


def test_a_capital_i_inside_a_capitalised_header_word_stays() -> None:
    assert [w.text for w in header_words([_word("POPIS", 80.0)])] == ["POPIS"]


def test_a_key_glued_to_its_value_is_split_with_the_box_shared_out() -> None:
    key, value = split_keys([Word("DPH:21%", 10.0, 10.0, 80.0, 20.0, 0, 85.0)])
    assert (key.text, value.text) == ("DPH:", "21%")
    assert key.x0 == 10.0 and key.x1 == value.x0 == 50.0 and value.x1 == 80.0


def test_a_key_with_its_value_apart_and_a_plain_number_are_not_split() -> None:
    words = [_word("EAN:", 90.0), _word("8592395327357", 90.0), _word("12:30", 90.0)]
    assert [w.text for w in split_keys(words)] == ["EAN:", "8592395327357", "12:30"]
