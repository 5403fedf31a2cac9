"""Invoice → ISDOC 6.0.2 XML that validates against the official schema.

Elements are written in schema order. Amounts ISDOC requires but the invoice lacks are
completed as :mod:`.amounts` describes. What ISDOC has no element for (a line's discount
percent, VAT categories, exemption reasons, the buyer reference, document-level
allowances, which ISDOC writes as lines) goes into ``Extensions`` in our own namespace,
so our export reads back losslessly and other readers simply ignore it.

A credit note is written as the domain keeps it and as Czech and Slovak ERPs print and
export it: quantities and amounts negative, unit prices positive.

Without a due date the schema has no place for the variable and constant symbols (they
sit in the payment details, which require one), so they are not written then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from lxml import etree

from nex_automat.domain.model import Invoice, Party
from nex_automat.errors import IncompleteInvoice
from nex_automat.formats.xmlbuild import plain

from .amounts import (
    ZERO,
    Currency,
    LineAmounts,
    RecapRow,
    Totals,
    all_line_amounts,
    currency_of,
    recap_rows,
    summary_lines,
    totals,
)
from .codes import (
    CATEGORY_OUTSIDE_SCOPE,
    CATEGORY_REVERSE_CHARGE,
    COUNTRY_NAMES,
    DOCUMENT_TYPE_CODES,
    EXTENSION_NAMESPACE,
    NAMESPACE,
    PAYMENT_BANK_TRANSFER,
    TAX_SCHEME_TIN,
    TAX_SCHEME_VAT,
    VAT_CALCULATION_FROM_NET,
    VERSION,
    document_uuid,
)

_NS = f"{{{NAMESPACE}}}"
_EXT = f"{{{EXTENSION_NAMESPACE}}}"
_NSMAP = {None: NAMESPACE}
_EXT_NSMAP = {"nex": EXTENSION_NAMESPACE}
_BUILDING_NUMBER = re.compile(r"^(?P<street>.*\S)\s+(?P<number>\d[\w/\-]*)$")
# Slovak and Czech IBANs hold the bank code and the domestic account (prefix, number).
_DOMESTIC_ACCOUNT = re.compile(
    r"^(?:SK|CZ)\d{2}(?P<bank>\d{4})(?P<prefix>\d{6})(?P<number>\d{10})$"
)


def write_isdoc(invoice: Invoice, *, buyer_codes: Mapping[int, str] | None = None) -> bytes:
    """The invoice as an ISDOC 6.0.2 document (UTF-8 bytes with an XML declaration).

    ``buyer_codes`` gives lines (by position) the buyer's own item code, written as the
    ``BuyersItemIdentification`` beside the supplier's code: how the ERP knows which of
    its product cards a line is.

    Raises ``ValueError`` when the invoice lacks what ISDOC cannot do without and NEX
    Automat must not invent: the issue date, and a currency (or a supplier country to
    tell the local one).
    """
    if invoice.issue_date is None:
        raise IncompleteInvoice("ISDOC needs the issue date, and the invoice has none")
    currency = currency_of(invoice)
    lines = all_line_amounts(invoice)
    rows = recap_rows(invoice, lines)
    if not lines:
        lines, rows = summary_lines(invoice, rows)
    sums = totals(invoice, rows)
    vat_applicable = _vat_applicable(invoice, rows)

    root = etree.Element(_NS + "Invoice", nsmap=_NSMAP, version=VERSION)
    _text(root, "DocumentType", DOCUMENT_TYPE_CODES[invoice.document_type])
    _text(root, "ID", invoice.number or "")
    _text(root, "UUID", document_uuid(_supplier_key(invoice.supplier), invoice.number or ""))
    _text(root, "IssueDate", invoice.issue_date.isoformat())
    if invoice.tax_point_date is not None:
        _text(root, "TaxPointDate", invoice.tax_point_date.isoformat())
    _text(root, "VATApplicable", _boolean(vat_applicable))
    _text(root, "ElectronicPossibilityAgreementReference", "")
    if invoice.note:
        _text(root, "Note", invoice.note)
    _write_currency(root, currency)
    _write_header_extensions(root, invoice, rows)
    _write_party(_child(root, "AccountingSupplierParty"), invoice.supplier)
    _write_party(_child(root, "AccountingCustomerParty"), invoice.customer)
    _write_order_reference(root, invoice)
    _write_original_document(root, invoice)
    invoice_lines = _child(root, "InvoiceLines")
    codes = buyer_codes or {}
    for line in lines:
        own = line.allowance is None and not line.summary
        buyer_code = codes.get(line.line.position) if own else None
        _write_line(invoice_lines, line, currency, vat_applicable, buyer_code)
    _write_tax_total(root, rows, sums, currency)
    _write_monetary_total(root, sums, currency)
    _write_payment(root, invoice, sums)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _child(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, _NS + name)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = _child(parent, name)
    element.text = value
    return element


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _amount_curr_first(
    parent: etree._Element, name: str, value: Decimal, currency: Currency
) -> None:
    if currency.foreign is not None:
        _text(parent, name + "Curr", plain(value))
    _text(parent, name, plain(currency.local_amount(value)))


def _amount_curr_last(
    parent: etree._Element, name: str, value: Decimal, currency: Currency
) -> None:
    _text(parent, name, plain(currency.local_amount(value)))
    if currency.foreign is not None:
        _text(parent, name + "Curr", plain(value))


def _supplier_key(supplier: Party) -> str:
    return supplier.ico or supplier.vat_id or supplier.dic or supplier.name or ""


def _vat_applicable(invoice: Invoice, rows: list[RecapRow]) -> bool:
    """A supplier with a VAT id, or any VAT charged, makes the document a tax document."""
    return invoice.supplier.vat_id is not None or any(row.rate != ZERO for row in rows)


def _write_currency(root: etree._Element, currency: Currency) -> None:
    _text(root, "LocalCurrencyCode", currency.local)
    if currency.foreign is not None:
        _text(root, "ForeignCurrencyCode", currency.foreign)
    _text(root, "CurrRate", plain(currency.rate))
    _text(root, "RefCurrRate", "1")


def _write_header_extensions(root: etree._Element, invoice: Invoice, rows: list[RecapRow]) -> None:
    """Every recap row is described, so a row without a category reads back without one."""
    extensions = _child(root, "Extensions")
    for row in rows:
        element = etree.SubElement(
            extensions, _EXT + "VatRow", nsmap=_EXT_NSMAP, rate=plain(row.rate)
        )
        if row.category:
            element.set("category", row.category)
        if row.exemption_reason:
            element.set("exemptionReason", row.exemption_reason)
    if invoice.buyer_reference:
        reference = etree.SubElement(extensions, _EXT + "BuyerReference", nsmap=_EXT_NSMAP)
        reference.text = invoice.buyer_reference


def _write_party(holder: etree._Element, party: Party) -> None:
    element = _child(holder, "Party")
    _text(_child(element, "PartyIdentification"), "ID", party.ico or "")
    _text(_child(element, "PartyName"), "Name", party.name or "")
    address = _child(element, "PostalAddress")
    street, number = _split_street(party.street)
    _text(address, "StreetName", street)
    _text(address, "BuildingNumber", number)
    _text(address, "CityName", party.city or "")
    _text(address, "PostalZone", party.postal_code or "")
    country = _child(address, "Country")
    _text(country, "IdentificationCode", party.country or "")
    _text(country, "Name", COUNTRY_NAMES.get(party.country or "", ""))
    for company_id, scheme in ((party.dic, TAX_SCHEME_TIN), (party.vat_id, TAX_SCHEME_VAT)):
        if company_id:
            tax_scheme = _child(element, "PartyTaxScheme")
            _text(tax_scheme, "CompanyID", company_id)
            _text(tax_scheme, "TaxScheme", scheme)


def _split_street(street: str | None) -> tuple[str, str]:
    """ISDOC keeps the building number apart; the reader joins them back with a space."""
    if not street:
        return "", ""
    match = _BUILDING_NUMBER.match(street)
    if match is None:
        return street, ""
    return match["street"], match["number"]


def _write_order_reference(root: etree._Element, invoice: Invoice) -> None:
    if not invoice.order_reference:
        return
    reference = _child(_child(root, "OrderReferences"), "OrderReference")
    _text(reference, "SalesOrderID", invoice.order_reference)
    _text(reference, "ExternalOrderID", invoice.order_reference)


def _write_original_document(root: etree._Element, invoice: Invoice) -> None:
    if not invoice.preceding_invoice:
        return
    reference = _child(_child(root, "OriginalDocumentReferences"), "OriginalDocumentReference")
    _text(reference, "ID", invoice.preceding_invoice)


def _write_line(
    parent: etree._Element,
    amounts: LineAmounts,
    currency: Currency,
    vat_applicable: bool,
    buyer_code: str | None = None,
) -> None:
    line = amounts.line
    element = _child(parent, "InvoiceLine")
    _text(element, "ID", str(line.position))
    if line.quantity is not None:
        quantity = _text(element, "InvoicedQuantity", plain(line.quantity))
        if line.unit:
            quantity.set("unitCode", line.unit)
    _amount_curr_first(element, "LineExtensionAmount", amounts.net, currency)
    if amounts.before_discount is not None:
        _text(
            element,
            "LineExtensionAmountBeforeDiscount",
            plain(currency.local_amount(amounts.before_discount)),
        )
    _amount_curr_first(element, "LineExtensionAmountTaxInclusive", amounts.gross, currency)
    if currency.foreign is None:
        local_vat = amounts.vat
    else:
        local_vat = currency.local_amount(amounts.gross) - currency.local_amount(amounts.net)
    _text(element, "LineExtensionTaxAmount", plain(local_vat))
    _text(element, "UnitPrice", plain(currency.local_price(amounts.unit_price)))
    _text(
        element,
        "UnitPriceTaxInclusive",
        plain(currency.local_price(amounts.unit_price_tax_inclusive)),
    )
    category = _child(element, "ClassifiedTaxCategory")
    _text(category, "Percent", plain(amounts.rate))
    _text(category, "VATCalculationMethod", VAT_CALCULATION_FROM_NET)
    if not vat_applicable or amounts.category == CATEGORY_OUTSIDE_SCOPE:
        _text(category, "VATApplicable", "false")
    if line.description or line.ean or line.seller_code or buyer_code:
        _write_item(element, amounts, buyer_code)
    _write_line_extension(element, amounts)


def _write_item(line_element: etree._Element, amounts: LineAmounts, buyer_code: str | None) -> None:
    line = amounts.line
    item = _child(line_element, "Item")
    if line.description:
        _text(item, "Description", line.description)
    if line.ean:
        _text(_child(item, "CatalogueItemIdentification"), "ID", line.ean)
    if line.seller_code:
        _text(_child(item, "SellersItemIdentification"), "ID", line.seller_code)
    if buyer_code:
        _text(_child(item, "BuyersItemIdentification"), "ID", buyer_code)


def _write_line_extension(line_element: etree._Element, amounts: LineAmounts) -> None:
    extensions = _child(line_element, "Extensions")
    allowance = amounts.allowance
    if amounts.summary:
        element = etree.SubElement(extensions, _EXT + "Summary", nsmap=_EXT_NSMAP)
        attributes: dict[str, str | Decimal | None] = {"category": amounts.category}
    elif allowance is None:
        element = etree.SubElement(extensions, _EXT + "Line", nsmap=_EXT_NSMAP)
        attributes = {
            "category": amounts.category,
            "discountPercent": amounts.line.discount_percent,
            "vatRateMissing": "true" if amounts.line.vat_rate is None else None,
        }
    else:
        element = etree.SubElement(extensions, _EXT + "AllowanceCharge", nsmap=_EXT_NSMAP)
        attributes = {
            "charge": _boolean(allowance.is_charge),
            "category": allowance.vat_category,
            "baseAmount": allowance.base_amount,
            "percent": allowance.percent,
            "vatRateMissing": "true" if allowance.vat_rate is None else None,
        }
    for name, value in attributes.items():
        if value is not None:
            element.set(name, plain(value) if isinstance(value, Decimal) else value)


def _write_tax_total(
    root: etree._Element, rows: list[RecapRow], sums: Totals, currency: Currency
) -> None:
    tax_total = _child(root, "TaxTotal")
    for row in rows:
        subtotal = _child(tax_total, "TaxSubTotal")
        gross = row.base + row.vat
        _amount_curr_first(subtotal, "TaxableAmount", row.base, currency)
        _amount_curr_first(subtotal, "TaxAmount", row.vat, currency)
        _amount_curr_first(subtotal, "TaxInclusiveAmount", gross, currency)
        for name in ("TaxableAmount", "TaxAmount", "TaxInclusiveAmount"):
            _amount_curr_first(subtotal, "AlreadyClaimed" + name, ZERO, currency)
        _amount_curr_first(subtotal, "DifferenceTaxableAmount", row.base, currency)
        _amount_curr_first(subtotal, "DifferenceTaxAmount", row.vat, currency)
        _amount_curr_first(subtotal, "DifferenceTaxInclusiveAmount", gross, currency)
        category = _child(subtotal, "TaxCategory")
        _text(category, "Percent", plain(row.rate))
        if row.category == CATEGORY_OUTSIDE_SCOPE:
            _text(category, "VATApplicable", "false")
        if row.category == CATEGORY_REVERSE_CHARGE:
            _text(category, "LocalReverseChargeFlag", "true")
    _amount_curr_first(tax_total, "TaxAmount", sums.vat, currency)


def _write_monetary_total(root: etree._Element, sums: Totals, currency: Currency) -> None:
    total = _child(root, "LegalMonetaryTotal")
    _amount_curr_last(total, "TaxExclusiveAmount", sums.net, currency)
    _amount_curr_last(total, "TaxInclusiveAmount", sums.gross, currency)
    _amount_curr_last(total, "AlreadyClaimedTaxExclusiveAmount", ZERO, currency)
    _amount_curr_last(total, "AlreadyClaimedTaxInclusiveAmount", ZERO, currency)
    _amount_curr_last(total, "DifferenceTaxExclusiveAmount", sums.net, currency)
    _amount_curr_last(total, "DifferenceTaxInclusiveAmount", sums.gross, currency)
    if sums.rounding is not None:
        _amount_curr_last(total, "PayableRoundingAmount", sums.rounding, currency)
    _amount_curr_last(total, "PaidDepositsAmount", sums.prepaid, currency)
    _amount_curr_last(total, "PayableAmount", sums.due, currency)


def _write_payment(root: etree._Element, invoice: Invoice, sums: Totals) -> None:
    """The due date, symbols and bank account live in the payment's details, which the
    schema allows only with a due date; without one the account is written as an
    alternate bank account, the one place ISDOC takes an account alone."""
    supplier = invoice.supplier
    wanted = (invoice.due_date, supplier.iban, supplier.bic)
    if all(value is None for value in wanted) and not invoice.variable_symbol:
        return
    means = _child(root, "PaymentMeans")
    payment = _child(means, "Payment")
    _text(payment, "PaidAmount", plain(sums.due))
    _text(payment, "PaymentMeansCode", PAYMENT_BANK_TRANSFER)
    if invoice.due_date is None:
        if supplier.iban or supplier.bic:
            _write_bank_account(
                _child(_child(means, "AlternateBankAccounts"), "AlternateBankAccount"), supplier
            )
        return
    details = _child(payment, "Details")
    _text(details, "PaymentDueDate", invoice.due_date.isoformat())
    _write_bank_account(details, supplier)
    if invoice.variable_symbol:
        _text(details, "VariableSymbol", invoice.variable_symbol)
    if invoice.constant_symbol:
        _text(details, "ConstantSymbol", invoice.constant_symbol)


def _write_bank_account(parent: etree._Element, supplier: Party) -> None:
    bank_code, account = _domestic_account(supplier.iban)
    _text(parent, "ID", account)
    _text(parent, "BankCode", bank_code)
    _text(parent, "Name", "")
    _text(parent, "IBAN", supplier.iban or "")
    _text(parent, "BIC", supplier.bic or "")


def _domestic_account(iban: str | None) -> tuple[str, str]:
    """Bank code and "prefix-number" account, which Czech and Slovak ERPs pay from."""
    match = _DOMESTIC_ACCOUNT.match(iban or "")
    if match is None:
        return "", ""
    prefix, number = match["prefix"].lstrip("0"), match["number"].lstrip("0")
    return match["bank"], f"{prefix}-{number}" if prefix else number
