"""Recognised words put back into the form their printed text had.

OCR reads a cell's characters well but not its surroundings: a table rule or a speck next
to a number comes out as a bracket, a colon or a dot ("33,427)", "47,51.", "<ks:"), and a
zero or a one in a narrow font as a letter ("o", "l"). These repairs are applied only to
words that carry a recognition confidence and only where the column says what the value
must be, so a text layer is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nex_automat.extract.layout import Word

STRAY = "()[]{}|¦<>:;'\"`‘’„“”/\\_~^*°©®"
"""Marks a rule, a speck or a cell border turns into at either end of a value."""
_TRAILING_STRAY = STRAY + ".,"
"""A number never ends with a separator ("47,51." is "47,51" next to a speck)."""

_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1"})
"""Letters a digit is misread as, in a column that holds only numbers."""
_MOSTLY_DIGITS = re.compile(r"^[-+\u2212]?[\dOoDlI|]+(?:[.,\s][\dOoDlI|]+)*[-\u2212%]?$")


def is_recognised(words: Sequence[Word]) -> bool:
    """Whether the words were recognised on an image rather than read from a text layer."""
    return any(word.confidence is not None for word in words)


def numeric_text(text: str) -> str:
    """A number cell's text without the stray marks around it and with look-alike letters
    read as the digits they stand for ("o" → "0", "1l,50" → "11,50")."""
    cleaned = text.strip().lstrip(STRAY).rstrip(_TRAILING_STRAY).strip()
    if cleaned and _MOSTLY_DIGITS.match(cleaned) and any(c.isdigit() for c in cleaned):
        return cleaned.translate(_DIGIT_LOOKALIKES)
    if cleaned in ("o", "O"):
        return "0"
    return cleaned


def word_text(text: str) -> str:
    """A word cell's text (a unit, a code) without the stray marks around it."""
    return text.strip().strip(STRAY).strip()
