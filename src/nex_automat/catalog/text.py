"""Text folded for comparison: ERP exports and invoices spell the same name differently.

Case, accents and punctuation carry no meaning when telling "Tvárnica" from "TVARNICA",
so every comparison in the catalogue goes through :func:`fold`.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case ASCII words separated by single spaces."""
    return _NOT_WORD.sub(" ", strip_accents(text).lower()).strip()
