"""Which e-invoice format an XML document is, and reading it whatever it is.

The root element decides: its namespace and local name name the format exactly. ISDOC
files written without a namespace (they exist in the wild) have a bare ``Invoice`` root,
which is told from other bare invoices by the children only ISDOC has.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from nex_automat.domain.model import Invoice
from nex_automat.errors import UnsupportedFormat
from nex_automat.formats.cii import read_cii
from nex_automat.formats.cii.codes import RSM
from nex_automat.formats.isdoc import read_isdoc
from nex_automat.formats.isdoc.reader import ISDOC_NAMESPACE_PREFIX, unpack_isdocx
from nex_automat.formats.ubl import read_ubl
from nex_automat.formats.ubl.codes import CREDIT_NOTE_NS, INVOICE_NS
from nex_automat.formats.xmlsafe import parse_xml

FORMATS: tuple[str, ...] = ("isdoc", "ubl", "cii")

_ROOTS: dict[tuple[str | None, str], str] = {
    (INVOICE_NS, "Invoice"): "ubl",
    (CREDIT_NOTE_NS, "CreditNote"): "ubl",
    (RSM, "CrossIndustryInvoice"): "cii",
}
_ISDOC_ONLY_CHILDREN = frozenset({"DocumentType", "IssuingSystem", "UUID"})
_ZIP_MAGIC = b"PK\x03\x04"

_READERS: dict[str, Callable[[bytes], Invoice]] = {
    "isdoc": read_isdoc,
    "ubl": read_ubl,
    "cii": read_cii,
}


def detect_xml_format(data: bytes) -> str:
    """``"isdoc"``, ``"ubl"`` or ``"cii"`` for an invoice document (an ISDOCX package
    is ISDOC); ``UnsupportedFormat`` naming the root for anything else, an ISDOC
    CommonDocument included, since it is no invoice."""
    if data.startswith(_ZIP_MAGIC):
        data = unpack_isdocx(data)
    root = parse_xml(data)
    name = etree.QName(root)
    namespace, local = name.namespace, name.localname
    if namespace is not None and namespace.startswith(ISDOC_NAMESPACE_PREFIX):
        if local == "Invoice":
            return "isdoc"
        raise UnsupportedFormat(f"ISDOC {local} is not an invoice and is not read")
    if namespace is None and local == "Invoice" and _has_isdoc_children(root):
        return "isdoc"
    found = _ROOTS.get((namespace, local))
    if found is None:
        raise UnsupportedFormat(f"not an ISDOC, UBL or CII invoice: root element {name.text}")
    return found


def read_structured(data: bytes, fmt: str | None = None) -> Invoice:
    """The invoice an ISDOC (or ISDOCX), UBL or CII document states; ``fmt`` skips the
    detection when the caller already knows the format."""
    fmt = fmt or detect_xml_format(data)
    reader = _READERS.get(fmt)
    if reader is None:
        raise UnsupportedFormat(f"unknown structured format {fmt!r}; known: {', '.join(FORMATS)}")
    return reader(data)


def _has_isdoc_children(root: etree._Element) -> bool:
    return any(
        isinstance(child.tag, str) and etree.QName(child).localname in _ISDOC_ONLY_CHILDREN
        for child in root
    )
