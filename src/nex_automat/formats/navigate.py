"""Looking values up in a namespaced e-invoice by XPath, for the UBL and CII readers.

What a document leaves out comes back as ``None``; a value that is there but is no
number is an ``XmlError`` naming the format and the path, never a silent ``None``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from nex_automat.errors import XmlError

Element = etree._Element

_XS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
"""The lexical form of ``xs:decimal``, which every e-invoice amount, quantity and rate uses."""


def xs_decimal(text: str) -> Decimal | None:
    """The number ``text`` writes as an ``xs:decimal``; ``None`` for anything else.

    Python's ``Decimal`` also reads exponents ("1E+999999"), "NaN", "Infinity",
    underscores and non-ASCII digits, none of which the schemas allow: a document that
    uses them is broken or hostile, and its value is refused rather than guessed.
    """
    return Decimal(text) if _XS_DECIMAL.fullmatch(text) else None


class Navigator:
    """XPath lookups in one format's namespaces; ``label`` names the format in errors."""

    def __init__(self, namespaces: dict[str, str], label: str) -> None:
        self.namespaces = namespaces
        self.label = label

    def all(self, element: Element | None, path: str) -> list[Element]:
        if element is None:
            return []
        return list(element.xpath(path, namespaces=self.namespaces))

    def first(self, element: Element | None, path: str) -> Element | None:
        found = self.all(element, path)
        return found[0] if found else None

    def text(self, element: Element | None, path: str) -> str | None:
        found = self.first(element, path)
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def decimal(self, element: Element | None, path: str) -> Decimal | None:
        text = self.text(element, path)
        if text is None:
            return None
        value = xs_decimal(text)
        if value is None:
            raise XmlError(f"{self.label} element {path} holds {text!r}, not a number")
        return value
