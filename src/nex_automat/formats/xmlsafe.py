"""The one way NEX Automat parses XML it did not write.

Invoices arrive from strangers, so the parser never resolves entities, never loads a DTD
and never touches the network. A document that declares a DTD at all is refused: no
e-invoice format needs one, and refusing it outright stops billion-laughs, quadratic
blow-up and external-entity tricks before libxml2 spends any work on them. The prolog is
scanned before parsing (so the refusal is instant) and the parsed tree is checked again
(so an encoding the scan cannot read is still caught).
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from nex_automat.errors import XmlEntitiesRefused, XmlError, XmlTooDeep, XmlTooLarge

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_DEPTH = 200

# Byte signatures that tell the encoding of the prolog, longest first (UTF-32 LE starts
# with the UTF-16 LE BOM). Without a BOM, the first "<" or "<?" shows the code unit width.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
# Markup is ASCII in every ASCII-compatible encoding (UTF-8, windows-1250, ISO-8859-2),
# and latin-1 decodes any byte, so it reads the prolog of all of them.
_ASCII_COMPATIBLE = "latin-1"

_PROLOG_ITEM = re.compile(r"\ufeff|\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_LIBXML_DEPTH_ERROR = "Excessive depth"


def parse_xml(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
) -> etree._Element:
    """Parse untrusted XML into its root element.

    Raises ``XmlTooLarge`` before parsing anything over ``max_bytes``,
    ``XmlEntitiesRefused`` for any DTD or entity declaration, ``XmlTooDeep`` for elements
    nested deeper than ``max_depth`` and ``XmlError`` (with libxml2's message) for
    anything that is not well-formed XML.
    """
    if len(data) > max_bytes:
        raise XmlTooLarge(f"XML document has {len(data)} bytes; the limit is {max_bytes}")
    if not data.strip():
        raise XmlError("XML document is empty")
    _refuse_declarations_in_prolog(data)
    root = _parse(data, max_depth)
    _refuse_parsed_doctype(root)
    _check_depth(root, max_depth)
    return root


def _new_parser() -> etree.XMLParser:
    # A parser per call: lxml parsers keep state and are not safe to share across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _parse(data: bytes, max_depth: int) -> etree._Element:
    try:
        return etree.fromstring(data, parser=_new_parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if _LIBXML_DEPTH_ERROR in message:
            raise XmlTooDeep(
                f"XML elements nest deeper than the limit of {max_depth}: {message}"
            ) from exc
        raise XmlError(f"XML is not well-formed: {message}") from exc
    except ValueError as exc:
        raise XmlError(f"XML could not be parsed: {exc}") from exc


def _prolog_encoding(data: bytes) -> str:
    for signature, encoding in _SIGNATURES:
        if data.startswith(signature):
            return encoding
    return _ASCII_COMPATIBLE


def _refuse_declarations_in_prolog(data: bytes) -> None:
    """Refuse a DOCTYPE or ENTITY declaration before the root element, without parsing."""
    text = data.decode(_prolog_encoding(data), errors="replace")
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        position = match.end()
    if _DECLARATION.match(text, position):
        raise XmlEntitiesRefused(
            "XML declares a DTD or entities; such documents are refused, never resolved"
        )


def _refuse_parsed_doctype(root: etree._Element) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlEntitiesRefused(
            "XML declares a DTD or entities; such documents are refused, never resolved"
        )


def _check_depth(root: etree._Element, max_depth: int) -> None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise XmlTooDeep(f"XML elements nest deeper than the limit of {max_depth}")
        stack.extend((child, depth + 1) for child in element)
