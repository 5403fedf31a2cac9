"""Valid Slovak and Czech identifiers: the extractor checks checksums, so the data must pass."""

from __future__ import annotations

from random import Random

from stdnum import ean, iban
from stdnum.cz import dic as cz_dic

_ACCOUNT_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)

SK_BANKS: tuple[tuple[str, str, str], ...] = (
    ("0200", "SUBASKBX", "Všeobecná úverová banka, a.s."),
    ("0900", "GIBASKBX", "Slovenská sporiteľňa, a.s."),
    ("1100", "TATRSKBX", "Tatra banka, a.s."),
    ("7500", "CEKOSKBX", "Československá obchodná banka, a.s."),
    ("5600", "KOMASK2X", "Prima banka Slovensko, a.s."),
    ("8360", "BREXSKBX", "mBank S.A., pobočka zahraničnej banky"),
    ("6500", "POBNSKBA", "365.bank, a. s."),
)

CZ_BANKS: tuple[tuple[str, str, str], ...] = (
    ("0100", "KOMBCZPP", "Komerční banka, a.s."),
    ("0300", "CEKOCZPP", "Československá obchodní banka, a. s."),
    ("0800", "GIBACZPX", "Česká spořitelna, a.s."),
    ("2010", "FIOBCZPP", "Fio banka, a.s."),
    ("5500", "RZBCCZPP", "Raiffeisenbank a.s."),
    ("0600", "AGBACZPP", "MONETA Money Bank, a.s."),
    ("2700", "BACXCZPP", "UniCredit Bank Czech Republic and Slovakia, a.s."),
)


def ico(rng: Random) -> str:
    """Slovak and Czech IČO share the weighted mod-11 check digit."""
    while True:
        body = f"{rng.randint(1, 8)}{rng.randint(0, 999999):06d}"
        number = body + cz_dic.calc_check_digit_legal(body)
        if cz_dic.is_valid(number):
            return number


def sk_dic(rng: Random) -> str:
    """A legal entity's DIČ: 20xxxxxxxx, divisible by 11 (which makes SK+DIČ a valid IČ DPH)."""
    while True:
        candidate = int(f"20{rng.choice('2347')}{rng.randint(0, 9999999):07d}")
        candidate -= candidate % 11
        text = str(candidate)
        if text.startswith("20") and text[2] in "2347":
            return text


def _account_part(rng: Random, digits: int) -> str:
    while True:
        body = [rng.randint(0, 9) for _ in range(digits)]
        padded = [0] * (10 - digits) + body
        weights = _ACCOUNT_WEIGHTS
        if sum(w * d for w, d in zip(weights, padded, strict=True)) % 11 == 0 and any(body):
            return "".join(map(str, padded))


def account(rng: Random, country: str) -> tuple[str, str, str, str]:
    """(IBAN, BIC, bank name, domestic account "prefix-number/bank")."""
    bank_code, bic, bank_name = rng.choice(SK_BANKS if country == "SK" else CZ_BANKS)
    prefix = _account_part(rng, 6)[-6:] if rng.random() < 0.3 else "000000"
    number = _account_part(rng, 10)
    bban = bank_code + prefix + number
    check = iban.calc_check_digits(country + "00" + bban)
    full = f"{country}{check}{bban}"
    assert iban.is_valid(full)
    domestic = (
        f"{prefix.lstrip('0') + '-' if prefix.strip('0') else ''}{number.lstrip('0')}/{bank_code}"
    )
    return full, bic, bank_name, domestic


def ean13(rng: Random, country: str) -> str:
    prefix = "858" if country == "SK" else "859"
    body = prefix + f"{rng.randint(0, 999999999):09d}"
    return body + ean.calc_check_digit(body)
