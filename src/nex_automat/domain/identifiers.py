"""Company, tax, bank and product identifiers: normal form and checksum.

Normalisers take the text printed as the value (after its label) and return the
contract's normal form, or ``None`` when the text is not (only) such an identifier:
they strip the spaces, dots and dashes people print for readability, never other text.
Validators accept any text a normaliser accepts and answer whether its check digits
hold. Every checksum comes from python-stdnum, so the rules are the maintained ones.
"""

from __future__ import annotations

import re

from stdnum import bic as stdnum_bic
from stdnum import ean as stdnum_ean
from stdnum import iban as stdnum_iban
from stdnum import vatin
from stdnum.cz import dic as cz_dic
from stdnum.eu import vat as eu_vat
from stdnum.sk import dph as sk_dph
from stdnum.sk import rc as sk_rc

_SEPARATORS = re.compile(r"[\s.\-]+")
_VAT_SEPARATORS = re.compile(r"[\s.\-/]+")

_ICO = re.compile(r"\d{6,8}")
_DIC = re.compile(r"\d{10}")
_VAT_ID = re.compile(r"[A-Z]{2}(?=[0-9A-Z+*]*\d)[0-9A-Z+*]{2,14}")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_EAN = re.compile(r"\d{8}|\d{12,14}")

_ICO_LENGTH = 8

# Greece prints EL, not its ISO code GR; Northern Ireland prints XI.
_EU_VAT_PREFIXES = frozenset(cc.upper() for cc in eu_vat.MEMBER_STATES - {"gr"}) | {"EL"}


def _compact(text: str, separators: re.Pattern[str] = _SEPARATORS) -> str:
    return separators.sub("", text)


def normalise_ico(text: str) -> str | None:
    """IČO as 8 digits.

    Old Slovak and Czech IČO have 6 or 7 digits and registers pad them with leading
    zeros; the padding keeps the check digit valid because zeros weigh nothing.
    """
    compact = _compact(text)
    if not _ICO.fullmatch(compact):
        return None
    return compact.zfill(_ICO_LENGTH)


def is_valid_ico(ico: str) -> bool:
    """Slovak and Czech IČO share one mod-11 check digit.

    It is the one Czech legal-entity DIČ uses, so stdnum's ``cz.dic`` computes it. The
    DIČ rule that 8-digit numbers may not start with 9 is not applied: it is a DIČ rule,
    not an IČO one.
    """
    normal = normalise_ico(ico)
    if normal is None:
        return False
    return cz_dic.calc_check_digit_legal(normal[:-1]) == normal[-1]


def normalise_dic(text: str) -> str | None:
    """Slovak DIČ as 10 digits.

    A prefixed ``SK2020123456`` is an IČ DPH (VAT id), not a DIČ, and gives ``None``: the
    caller decides which field it fills, with :func:`normalise_vat_id`.
    """
    compact = _compact(text)
    return compact if _DIC.fullmatch(compact) else None


def is_valid_dic(dic: str) -> bool:
    """Slovak DIČ: 10 digits divisible by 11, or an older one equal to a birth number.

    DIČ of legal entities (``20…``) and of natural persons (``10…``) are both issued
    divisible by 11, and the IČ DPH of a VAT payer is ``SK`` + the DIČ. The further rule
    stdnum's ``sk.dph`` applies (third digit 2, 3, 4, 7, 8 or 9) is the EU's format rule
    for VAT ids, so it is left to :func:`is_valid_vat_id`: a DIČ of someone who is not a
    VAT payer must not be flagged by it.
    """
    normal = normalise_dic(dic)
    if normal is None:
        return False
    return sk_dph.checksum(normal) == 0 or sk_rc.is_valid(normal)


def normalise_vat_id(text: str) -> str | None:
    """VAT id as country prefix + number, upper case, without separators."""
    compact = _compact(text, _VAT_SEPARATORS).upper()
    return compact if _VAT_ID.fullmatch(compact) else None


def is_valid_vat_id(vat_id: str) -> bool:
    """EU VAT ids by their member state's rules; other countries' by stdnum's ``vatin``.

    Suppliers outside the EU (CH, GB, NO, …) print VAT ids too; ``vatin`` knows every
    country stdnum has a VAT module for, and an id from a country it does not know is
    reported invalid rather than silently accepted.
    """
    normal = normalise_vat_id(vat_id)
    if normal is None:
        return False
    if normal[:2] in _EU_VAT_PREFIXES:
        return eu_vat.is_valid(normal)
    return vatin.is_valid(normal)


def normalise_iban(text: str) -> str | None:
    """IBAN upper case without spaces."""
    compact = _compact(text).upper()
    return compact if _IBAN.fullmatch(compact) else None


def is_valid_iban(iban: str) -> bool:
    """Mod-97 check digits and the country's length and structure.

    A misread digit always breaks mod 97, so national account checksums add little.
    """
    normal = normalise_iban(iban)
    return normal is not None and stdnum_iban.is_valid(normal)


def normalise_bic(text: str) -> str | None:
    """BIC (SWIFT code) upper case, 8 or 11 characters as printed."""
    compact = _compact(text).upper()
    return compact if _BIC.fullmatch(compact) else None


def is_valid_bic(bic: str) -> bool:
    """A BIC has no check digit; this checks its structure and country code."""
    normal = normalise_bic(bic)
    return normal is not None and stdnum_bic.is_valid(normal)


def normalise_ean(text: str) -> str | None:
    """EAN/GTIN as digits only: EAN-8, UPC-A (12), EAN-13 or GTIN-14."""
    compact = _compact(text)
    return compact if _EAN.fullmatch(compact) else None


def is_valid_ean(ean: str) -> bool:
    normal = normalise_ean(ean)
    return normal is not None and stdnum_ean.is_valid(normal)
