"""The official ISDOC 6.0.2 Schematron rules (``isdoc-6.0.2.sch``), one function each.

The Schematron file gives its rules no ids, so each function has one named after what it
checks. Two departures from a literal XSLT run, both towards what the rule text says:

- every assertion is checked on every element it names; Schematron fires only the first
  matching rule of a pattern per element, which silently skips most currency checks on
  ``TaxSubTotal`` and ``LegalMonetaryTotal`` and the whole second local-currency rule;
- a batch quantity without a unit counts as stated in the line's unit, as the
  batch-unit rule's message says (its XPath would reject it).

Elements are matched by local name, so a document without the ISDOC namespace is
checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from lxml import etree

from nex_automat.formats.violations import Violation

from .codes import CORRECTING_DOCUMENT_CODES

Rule = Callable[[etree._Element], Iterator[Violation]]

AMOUNTS_WITH_FOREIGN_VARIANT: tuple[str, ...] = (
    "LineExtensionAmount",
    "LineExtensionAmountTaxInclusive",
    "DepositAmount",
    "TaxableDepositAmount",
    "TaxInclusiveDepositAmount",
    "TaxAmount",
    "TaxableAmount",
    "TaxInclusiveAmount",
    "AlreadyClaimedTaxableAmount",
    "AlreadyClaimedTaxAmount",
    "AlreadyClaimedTaxInclusiveAmount",
    "DifferenceTaxableAmount",
    "DifferenceTaxAmount",
    "DifferenceTaxInclusiveAmount",
    "TaxExclusiveAmount",
    "AlreadyClaimedTaxExclusiveAmount",
    "DifferenceTaxExclusiveAmount",
    "PayableRoundingAmount",
    "PaidDepositsAmount",
    "PayableAmount",
)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if _local(child) == name]


def _path(element: etree._Element | None, names: str) -> list[etree._Element]:
    current = [] if element is None else [element]
    for name in names.split("/"):
        current = [child for parent in current for child in _children(parent, name)]
    return current


def _first_text(element: etree._Element, names: str) -> str | None:
    found = _path(element, names)
    return None if not found else (found[0].text or "").strip()


def _number(text: str | None) -> Decimal | None:
    try:
        return None if text is None else Decimal(text.strip())
    except InvalidOperation:
        return None


def xpath(element: etree._Element) -> str:
    """A namespace-free XPath a reviewer can read: ``/Invoice/InvoiceLines/InvoiceLine[2]``."""
    steps = []
    while element is not None:
        parent = element.getparent()
        name = _local(element)
        if parent is None:
            steps.append(name)
        else:
            same = _children(parent, name)
            steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def _violation(rule_id: str, message: str, element: etree._Element) -> Violation:
    return Violation(rule_id=rule_id, message=message, location=xpath(element))


def _lines(root: etree._Element) -> list[etree._Element]:
    return _path(root, "InvoiceLines/InvoiceLine")


def original_document_reference(root: etree._Element) -> Iterator[Violation]:
    """Credit and debit notes (types 2, 3, 6) must reference the document they correct."""
    code = _first_text(root, "DocumentType")
    if code not in CORRECTING_DOCUMENT_CODES:
        return
    references = _path(root, "OriginalDocumentReferences")
    if not any(len(reference) for reference in references):
        yield _violation(
            "ISDOC-ORIGINAL-DOCUMENT",
            f"Document type {code} must reference the original document "
            "(OriginalDocumentReferences/OriginalDocumentReference).",
            root,
        )


def foreign_currency_amounts(root: etree._Element) -> Iterator[Violation]:
    """A foreign-currency document states every amount in the foreign currency too."""
    if not _children(root, "ForeignCurrencyCode"):
        return
    for element in root.iter():
        names = {_local(child) for child in element}
        for amount in AMOUNTS_WITH_FOREIGN_VARIANT:
            if amount in names and amount + "Curr" not in names:
                yield _violation(
                    "ISDOC-FOREIGN-CURRENCY-AMOUNTS",
                    f"The document is in a foreign currency, so {amount} needs "
                    f"{amount}Curr beside it.",
                    element,
                )


def local_currency_rates(root: etree._Element) -> Iterator[Violation]:
    """A document in local currency has CurrRate and RefCurrRate equal to 1."""
    if _children(root, "ForeignCurrencyCode"):
        return
    for name in ("CurrRate", "RefCurrRate"):
        if _number(_first_text(root, name)) != 1:
            yield _violation(
                "ISDOC-LOCAL-CURRENCY-RATE",
                f"The document is in local currency, so {name} must be 1.",
                root,
            )


def local_currency_amounts(root: etree._Element) -> Iterator[Violation]:
    """A document in local currency has no foreign-currency (``…Curr``) amounts."""
    if _children(root, "ForeignCurrencyCode"):
        return
    foreign_names = {amount + "Curr" for amount in AMOUNTS_WITH_FOREIGN_VARIANT}
    for element in root.iter():
        if _local(element) in foreign_names:
            yield _violation(
                "ISDOC-LOCAL-CURRENCY-AMOUNTS",
                f"The document is in local currency, so it must not contain {_local(element)}.",
                element,
            )


def currencies_differ(root: etree._Element) -> Iterator[Violation]:
    """The foreign currency differs from the local one."""
    foreign = _first_text(root, "ForeignCurrencyCode")
    if foreign is not None and foreign == _first_text(root, "LocalCurrencyCode"):
        yield _violation(
            "ISDOC-CURRENCIES-DIFFER",
            f"ForeignCurrencyCode {foreign} must differ from LocalCurrencyCode.",
            root,
        )


def non_vat_document_lines(root: etree._Element) -> Iterator[Violation]:
    """A document outside VAT has no line inside VAT (the converse does not hold)."""
    if _first_text(root, "VATApplicable") != "false":
        return
    for line in _lines(root):
        for flag in _path(line, "ClassifiedTaxCategory/VATApplicable"):
            if (flag.text or "").strip() != "false":
                yield _violation(
                    "ISDOC-NON-VAT-LINES",
                    "The document is not subject to VAT (VATApplicable false), so none of "
                    "its lines may be.",
                    flag,
                )


def _batch_quantities(line: etree._Element) -> list[etree._Element]:
    return _path(line, "Item/StoreBatches/StoreBatch/Quantity")


def batch_units(root: etree._Element) -> Iterator[Violation]:
    """All batches of a line share one unit, the line's own."""
    for line in _lines(root):
        quantities = _batch_quantities(line)
        if not _path(line, "Item/StoreBatches"):
            continue
        units = {unit for unit in (q.get("unitCode") for q in quantities) if unit is not None}
        line_units = [q.get("unitCode") for q in _children(line, "InvoicedQuantity")]
        line_unit = line_units[0] if line_units else None
        if len(units) > 1 or (line_unit is not None and units - {line_unit}):
            stated = ", ".join(sorted(units))
            yield _violation(
                "ISDOC-BATCH-UNITS",
                f"Batch units ({stated}) must be one unit, the line's ({line_unit}).",
                line,
            )


def batch_quantities(root: etree._Element) -> Iterator[Violation]:
    """The batch quantities of a line add up to its invoiced quantity."""
    for line in _lines(root):
        if not _path(line, "Item/StoreBatches"):
            continue
        amounts = [_number(q.text) for q in _batch_quantities(line)]
        invoiced = _number(_first_text(line, "InvoicedQuantity"))
        batches = sum((amount for amount in amounts if amount is not None), Decimal(0))
        if None in amounts or invoiced is None or batches != invoiced:
            yield _violation(
                "ISDOC-BATCH-QUANTITY",
                f"Batch quantities sum to {batches}, but the line's InvoicedQuantity is "
                f"{invoiced}.",
                line,
            )


def secondary_item_identification(root: etree._Element) -> Iterator[Violation]:
    """A secondary seller's item id needs the primary one."""
    for item in _path(root, "InvoiceLines/InvoiceLine/Item"):
        if _children(item, "SecondarySellersItemIdentification") and not _children(
            item, "SellersItemIdentification"
        ):
            yield _violation(
                "ISDOC-SECONDARY-ITEM-ID",
                "SecondarySellersItemIdentification needs SellersItemIdentification.",
                item,
            )


def tertiary_item_identification(root: etree._Element) -> Iterator[Violation]:
    """A tertiary seller's item id needs the primary and the secondary one."""
    for item in _path(root, "InvoiceLines/InvoiceLine/Item"):
        if _children(item, "TertiarySellersItemIdentification") and not (
            _children(item, "SellersItemIdentification")
            and _children(item, "SecondarySellersItemIdentification")
        ):
            yield _violation(
                "ISDOC-TERTIARY-ITEM-ID",
                "TertiarySellersItemIdentification needs SellersItemIdentification and "
                "SecondarySellersItemIdentification.",
                item,
            )


RULES: tuple[Rule, ...] = (
    original_document_reference,
    foreign_currency_amounts,
    local_currency_rates,
    local_currency_amounts,
    currencies_differ,
    non_vat_document_lines,
    batch_units,
    batch_quantities,
    secondary_item_identification,
    tertiary_item_identification,
)


def check_rules(root: etree._Element) -> list[Violation]:
    """Every Schematron rule on an ISDOC invoice's root element (their context is an
    ``Invoice``: another root is the schema's to reject)."""
    if _local(root) != "Invoice":
        return []
    return [violation for rule in RULES for violation in rule(root)]
