"""Small pieces every e-invoice writer builds its XML from."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lxml import etree


def plain(value: Decimal) -> str:
    """Plain notation: ``xs:decimal`` has no exponent, and ``Decimal`` may carry one."""
    return format(value, "f")


class ElementMaker:
    """Adds elements named ``prefix:name`` of one vocabulary, so writers read like the spec."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self._namespaces = dict(namespaces)

    def add(
        self, parent: etree._Element, tag: str, text: str | None = None, **attributes: str
    ) -> etree._Element:
        prefix, name = tag.split(":")
        element = etree.SubElement(parent, f"{{{self._namespaces[prefix]}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    def optional(self, parent: etree._Element, tag: str, value: object | None) -> None:
        """Adds the element only when there is a value: absent stays absent."""
        if value is not None:
            self.add(parent, tag, str(value))
