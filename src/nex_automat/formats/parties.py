"""Party identifiers as EN 16931 documents (UBL and CII) carry them, read the same way.

Both syntaxes give a company number with an optional ISO 6523 scheme, an electronic
address with a Peppol EAS scheme, and bank details as free text; only the element names
differ, so the readers find the values and this module decides what they mean.
"""

from __future__ import annotations

from collections.abc import Iterable

from nex_automat.domain.identifiers import (
    normalise_bic,
    normalise_dic,
    normalise_iban,
    normalise_ico,
    normalise_vat_id,
)
from nex_automat.domain.model import Party
from nex_automat.formats.codes import (
    EAS_SK_DIC,
    EAS_VAT_BY_COUNTRY,
    EAS_VAT_SCHEMES,
    ICO_COUNTRIES,
    ICO_SCHEMES,
)

SchemedId = tuple[str | None, str]
"""A scheme attribute (or ``None``) and the identifier's text."""


def domestic_ico(ids: Iterable[SchemedId], country: str | None) -> str | None:
    """The first identifier that is a Slovak or Czech company number (IČO).

    A number without a scheme is taken only for a Slovak or Czech (or unstated) country:
    elsewhere the same digits mean another register.
    """
    for scheme, text in ids:
        domestic = scheme in ICO_SCHEMES or (
            scheme is None and (country is None or country in ICO_COUNTRIES)
        )
        ico = normalise_ico(text)
        if domestic and ico is not None:
            return ico
    return None


def fill_from_endpoint(party: Party, endpoint: SchemedId | None) -> None:
    """An electronic address that is a DIČ or a VAT id fills that field when it is missing."""
    if endpoint is None:
        return
    scheme, value = endpoint[0], endpoint[1].strip()
    if scheme == EAS_SK_DIC and party.dic is None:
        party.dic = normalise_dic(value)
    elif scheme in EAS_VAT_SCHEMES and party.vat_id is None:
        party.vat_id = normalise_vat_id(value)


def iban_or_text(text: str | None) -> str | None:
    """The IBAN normalised, or as written when it is no valid IBAN (a reviewer sees it)."""
    return None if text is None else normalise_iban(text) or text


def bic_or_text(text: str | None) -> str | None:
    return None if text is None else normalise_bic(text) or text


def vat_id_or_text(text: str | None) -> str | None:
    return None if text is None else normalise_vat_id(text) or text


def endpoint_of(party: Party) -> tuple[str, str] | None:
    """The Peppol electronic address a writer gives a party: (EAS scheme, identifier).

    Slovak participants are addressed by DIČ; others by their country's VAT scheme.
    """
    if party.dic is not None:
        return EAS_SK_DIC, party.dic
    if party.vat_id is not None and party.vat_id[:2] in EAS_VAT_BY_COUNTRY:
        return EAS_VAT_BY_COUNTRY[party.vat_id[:2]], party.vat_id
    return None
