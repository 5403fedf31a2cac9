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
from dataclasses import replace

from nex_automat.extract.layout import Word

STRAY = "()[]{}|¦<>:;'\"`‘’„“”/\\_~^*°©®"
"""Marks a rule, a speck or a cell border turns into at either end of a value."""
_TRAILING_STRAY = STRAY + ".,"
"""A number never ends with a separator ("47,51." is "47,51" next to a speck)."""

_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1"})
"""Letters a digit is misread as, in a column that holds only numbers."""
_MISREAD_SEPARATOR = re.compile(r"^([-+\u2212]?\d{1,3}(?:([.,])\d{3})+)\2(\d{2}[-\u2212]?)$")
"""A decimal comma read as a point, or a point as a comma, after thousands groups set with
that same mark ("1.109.91" is "1.109,91")."""
_ZERO_AS_LETTER = re.compile(r"(?:(?<=^)|(?<=[A-Z]))0(?=[A-Z])")
"""A zero at the start of a code or after a capital, followed by a capital: OCR's reading of
the letter O in a series prefix ("0F2025" for "OF2025")."""
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


def value_text(text: str) -> str:
    """A labelled value's recognised text with each number-like word repaired as a number
    cell's is, and a decimal mark misread as the thousands mark put right."""
    words = []
    for word in text.split():
        if not any(ch.isdigit() for ch in word):
            words.append(word)
            continue
        repaired = numeric_text(word)
        misread = _MISREAD_SEPARATOR.match(repaired)
        if misread:
            decimal = "," if misread.group(2) == "." else "."
            repaired = f"{misread.group(1)}{decimal}{misread.group(3)}"
        words.append(repaired)
    return " ".join(words)


def code_text(text: str) -> str:
    """A recognised document code with the letter O put back where OCR read a zero in its
    letter prefix ("0F20250419" → "OF20250419", "0V2606295" → "OV2606295"): series
    prefixes are letters, and a zero never starts a run of capitals."""
    return " ".join(_ZERO_AS_LETTER.sub("O", word) for word in text.split(" "))


_L_AS_CAPITAL_I = re.compile(r"(?<=^[A-Z])I(?=\.)")
"""A lower-case l read as a capital I in a short abbreviated label ("ZI.%" for "Zľ.%",
"SI.%" for "Sl.%"): a capital never follows a single capital before an abbreviation dot."""
_KEY_GLUED_TO_VALUE = re.compile(r"^([^\W\d_][^\W\d_.]*:)(\S+)$")


def header_words(words: Sequence[Word]) -> list[Word]:
    """Recognised header words without the table rules read as marks ("|") and with an
    abbreviation's l put back where OCR read a capital I."""
    repaired = []
    for word in words:
        if not word.text.strip(STRAY).strip():
            continue
        text = _L_AS_CAPITAL_I.sub("l", word.text)
        repaired.append(word if text == word.text else replace(word, text=text))
    return repaired


def split_keys(words: Sequence[Word]) -> list[Word]:
    """Recognised words with a key read together with its value ("DPH:21%") split into the
    key and the value, sharing the box out by characters."""
    split: list[Word] = []
    for word in words:
        glued = _KEY_GLUED_TO_VALUE.match(word.text)
        if glued is None:
            split.append(word)
            continue
        key, value = glued.groups()
        edge = word.x0 + (word.x1 - word.x0) * len(key) / len(word.text)
        split.append(replace(word, text=key, x1=edge))
        split.append(replace(word, text=value, x0=edge))
    return split
