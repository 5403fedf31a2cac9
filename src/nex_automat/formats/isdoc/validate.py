"""ISDOC validation: the official XSD (when its file is given) and the Schematron rules.

The XSD lives outside the installed package (in the shared standards folder or wherever
the settings point), so the caller passes its path; the Schematron rules are Python and
always run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from nex_automat.formats.violations import Violation
from nex_automat.formats.xmlsafe import parse_xml

from .rules import check_rules

XSD_RULE_ID = "ISDOC-XSD"


def validate_isdoc(data: bytes, xsd_path: Path | None = None) -> list[Violation]:
    """Every schema error and broken Schematron rule of an ISDOC document.

    XML that cannot be parsed safely raises the ``xmlsafe`` errors rather than being
    reported as a violation: there is no document to check.
    """
    root = parse_xml(data)
    violations: list[Violation] = []
    if xsd_path is not None:
        violations.extend(_schema_violations(root, xsd_path))
    violations.extend(check_rules(root))
    return violations


@lru_cache(maxsize=4)
def load_schema(xsd_path: Path) -> etree.XMLSchema:
    """The schema is trusted local configuration, still parsed without network access."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(xsd_path), parser))


def _schema_violations(root: etree._Element, xsd_path: Path) -> list[Violation]:
    schema = load_schema(xsd_path)
    if schema.validate(root.getroottree()):
        return []
    return [
        Violation(rule_id=XSD_RULE_ID, message=error.message, location=error.path)
        for error in schema.error_log
    ]
