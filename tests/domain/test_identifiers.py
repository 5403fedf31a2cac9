"""Identifiers are normalised to the contract's form and validated by their checksums."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from stdnum import ean as stdnum_ean
from stdnum import iban as stdnum_iban
from stdnum.at import uid as at_uid
from stdnum.cz import dic as cz_dic
from stdnum.hu import anum as hu_anum
from stdnum.iso7064 import mod_11_10
from stdnum.pl import nip as pl_nip
from stdnum.sk import dph as sk_dph

from nex_automat.domain.identifiers import (
    is_valid_bic,
    is_valid_dic,
    is_valid_ean,
    is_valid_iban,
    is_valid_ico,
    is_valid_vat_id,
    normalise_bic,
    normalise_dic,
    normalise_ean,
    normalise_iban,
    normalise_ico,
    normalise_vat_id,
)


def complete(body: str, is_valid: Callable[[str], bool], prefix: str = "") -> str:
    """``body`` with the last digit that makes stdnum accept it (for modules without a
    check-digit function)."""
    for digit in "0123456789":
        if is_valid(prefix + body + digit):
            return body + digit
    raise AssertionError(f"no check digit completes {body}")


def wrong_last_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


ICO = "3576346" + cz_dic.calc_check_digit_legal("3576346")
OLD_ICO = "00" + "15174" + cz_dic.calc_check_digit_legal("0015174")
LEGAL_DIC = complete("202012345", sk_dph.is_valid)
PERSON_DIC = complete("104567890", sk_dph.is_valid)
CZ_ICO = "2512389" + cz_dic.calc_check_digit_legal("2512389")
SK_IBAN_BODY = "SK00" + "1100" + "000000" + "2621234567"
SK_IBAN = SK_IBAN_BODY[:2] + stdnum_iban.calc_check_digits(SK_IBAN_BODY) + SK_IBAN_BODY[4:]
EAN_13 = "858123456789" + stdnum_ean.calc_check_digit("858123456789")

VALID_VAT_IDS = {
    "SK": "SK" + LEGAL_DIC,
    "CZ": "CZ" + CZ_ICO,
    "AT": "ATU" + "1358562" + at_uid.calc_check_digit("U1358562"),
    "DE": "DE" + "13669597" + mod_11_10.calc_check_digit("13669597"),
    "HU": "HU" + complete("1289231", hu_anum.is_valid),
    "PL": "PL" + complete("856734621", pl_nip.is_valid),
}


# --- IČO ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("123 456 78", "12345678"),
        ("35 763 469", "35763469"),
        ("35763469", "35763469"),
        ("151 742", "00151742"),
        ("1234567", "01234567"),
        ("\u00a035\u00a0763\u00a0469 ", "35763469"),
    ],
)
def test_ico_is_eight_digits_with_leading_zeros(text: str, normal: str) -> None:
    assert normalise_ico(text) == normal


@pytest.mark.parametrize("text", ["", "12345", "123456789", "IČO 35763469", "3576346a"])
def test_text_that_is_not_an_ico_gives_none(text: str) -> None:
    assert normalise_ico(text) is None


def test_ico_with_its_mod_11_check_digit_is_valid() -> None:
    assert is_valid_ico(ICO)
    assert is_valid_ico("35 763 469") == is_valid_ico("35763469")


def test_ico_with_a_wrong_check_digit_is_invalid() -> None:
    assert not is_valid_ico(wrong_last_digit(ICO))


def test_old_six_digit_ico_padded_with_zeros_keeps_its_check_digit() -> None:
    assert is_valid_ico(OLD_ICO)
    assert is_valid_ico(OLD_ICO.lstrip("0"))


def test_ico_starting_with_nine_is_checked_by_its_digit_only() -> None:
    assert is_valid_ico("9012345" + cz_dic.calc_check_digit_legal("9012345"))


def test_ico_that_is_not_eight_digits_is_invalid() -> None:
    assert not is_valid_ico("ABCDEFGH")


# --- DIČ ---------------------------------------------------------------------------


def test_dic_is_ten_digits_without_spaces() -> None:
    assert normalise_dic("2020 123 456") == "2020123456"


@pytest.mark.parametrize("text", ["SK2020123456", "CZ12345678", "202012345", "20201234567"])
def test_text_that_is_not_a_slovak_dic_gives_none(text: str) -> None:
    assert normalise_dic(text) is None


def test_legal_entity_dic_divisible_by_11_is_valid() -> None:
    assert LEGAL_DIC.startswith("20")
    assert is_valid_dic(LEGAL_DIC)


def test_natural_person_dic_divisible_by_11_is_valid() -> None:
    assert PERSON_DIC.startswith("10")
    assert is_valid_dic(PERSON_DIC)


def test_dic_not_divisible_by_11_is_invalid() -> None:
    assert not is_valid_dic(wrong_last_digit(LEGAL_DIC))


def test_vat_format_rule_on_the_third_digit_does_not_apply_to_a_dic() -> None:
    dic = complete("101234567", lambda number: int(number) % 11 == 0)
    assert is_valid_dic(dic)
    assert not is_valid_vat_id("SK" + dic)


# --- VAT id ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("SK 2020 123 456", "SK2020123456"),
        ("CZ 12345678", "CZ12345678"),
        ("cz12345678", "CZ12345678"),
        ("ATU 1358 5627", "ATU13585627"),
        ("DE 136.695.976", "DE136695976"),
        ("CHE-116.281.710 MWST", "CHE116281710MWST"),
    ],
)
def test_vat_id_is_prefix_and_number_without_separators(text: str, normal: str) -> None:
    assert normalise_vat_id(text) == normal


@pytest.mark.parametrize("text", ["2020123456", "SK", "Slovensko", "DIČ", "IČ DPH"])
def test_text_that_is_not_a_vat_id_gives_none(text: str) -> None:
    assert normalise_vat_id(text) is None


@pytest.mark.parametrize("country", sorted(VALID_VAT_IDS))
def test_valid_vat_ids_of_neighbouring_countries_are_accepted(country: str) -> None:
    assert is_valid_vat_id(VALID_VAT_IDS[country])


@pytest.mark.parametrize("country", sorted(VALID_VAT_IDS))
def test_vat_id_with_a_wrong_check_digit_is_invalid(country: str) -> None:
    assert not is_valid_vat_id(wrong_last_digit(VALID_VAT_IDS[country]))


def test_vat_id_accepts_printed_spacing() -> None:
    assert is_valid_vat_id("SK " + LEGAL_DIC[:4] + " " + LEGAL_DIC[4:])


def test_vat_id_of_unknown_country_is_invalid() -> None:
    assert not is_valid_vat_id("XX" + CZ_ICO)


def test_non_eu_vat_id_is_checked_by_its_own_country_rules() -> None:
    assert is_valid_vat_id("CHE-116.281.710 MWST")
    assert not is_valid_vat_id("CHE-116.281.711 MWST")


# --- IBAN, BIC ---------------------------------------------------------------------


def test_iban_is_upper_case_without_spaces() -> None:
    assert normalise_iban("sk31 1200 0000 1987 4263 7541") == "SK3112000000198742637541"


@pytest.mark.parametrize("text", ["", "1200 0000 1987 4263 7541", "SK31", "IBAN SK31 1200"])
def test_text_that_is_not_an_iban_gives_none(text: str) -> None:
    assert normalise_iban(text) is None


def test_iban_with_mod_97_check_digits_is_valid() -> None:
    assert is_valid_iban(SK_IBAN)
    assert is_valid_iban(" ".join(SK_IBAN[i : i + 4] for i in range(0, len(SK_IBAN), 4)))


def test_iban_with_wrong_check_digits_is_invalid() -> None:
    assert not is_valid_iban(wrong_last_digit(SK_IBAN))


def test_iban_of_the_wrong_length_for_its_country_is_invalid() -> None:
    body = SK_IBAN_BODY + "0"
    assert not is_valid_iban(body[:2] + stdnum_iban.calc_check_digits(body) + body[4:])


@pytest.mark.parametrize(
    ("text", "normal"),
    [("tatr skbx", "TATRSKBX"), ("GIBACZPX", "GIBACZPX"), ("SUBASKBX XXX", "SUBASKBXXXX")],
)
def test_bic_is_upper_case_without_spaces(text: str, normal: str) -> None:
    assert normalise_bic(text) == normal


@pytest.mark.parametrize("text", ["TATRSK", "TATRSKBX1", "1234SKBX", "SWIFT TATRSKBX"])
def test_text_that_is_not_a_bic_gives_none(text: str) -> None:
    assert normalise_bic(text) is None


def test_bic_with_a_real_country_code_is_valid() -> None:
    assert is_valid_bic("TATRSKBX")
    assert is_valid_bic("KOMBCZPPXXX")


def test_bic_with_an_unknown_country_code_is_invalid() -> None:
    assert not is_valid_bic("TATRQQBX")


# --- EAN ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [("858 1234 567890", "8581234567890"), ("8581234-567890", "8581234567890")],
)
def test_ean_is_digits_only(text: str, normal: str) -> None:
    assert normalise_ean(text) == normal


@pytest.mark.parametrize("text", ["1234567", "123456789", "12345678901", "123456789012345"])
def test_text_of_no_ean_length_gives_none(text: str) -> None:
    assert normalise_ean(text) is None


@pytest.mark.parametrize("body", ["8581234", "04210000526", "858123456789", "1858123456789"])
def test_ean_8_12_13_and_14_with_check_digit_are_valid(body: str) -> None:
    assert is_valid_ean(body + stdnum_ean.calc_check_digit(body))


def test_ean_with_a_wrong_check_digit_is_invalid() -> None:
    assert not is_valid_ean(wrong_last_digit(EAN_13))
