"""The domain Invoice as UBL 2.1 in the Peppol BIS Billing 3.0 profile.

A credit note becomes a UBL CreditNote, everything else an Invoice with its type code.
The domain keeps a credit note negative, as it is printed; a CreditNote states the
credit with positive amounts, so a credit note's amounts and quantities are negated on
the way out (:mod:`nex_automat.formats.signs`). An invoice with negative amounts stays
an Invoice with negative amounts, the negative correction Peppol allows. Reading the
output gives the same invoice back. Where Peppol needs a code the domain does not keep,
it is derived from what the invoice does hold, never invented: a VAT category from its
rate, a unit code from the printed unit, an endpoint from the DIČ or the VAT id.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lxml import etree

from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    Line,
    Party,
    VatRow,
)
from nex_automat.domain.money import to_cents, total
from nex_automat.formats.codes import (
    GTIN_SCHEME,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_NOT_DEFINED,
    TAX_CURRENCY_BY_COUNTRY,
    TYPE_CODE_WRITTEN,
    unit_code,
    vat_category_for,
)
from nex_automat.formats.essentials import require_essentials
from nex_automat.formats.parties import endpoint_of
from nex_automat.formats.signs import negated
from nex_automat.formats.ubl.codes import (
    CAC,
    CBC,
    CREDIT_NOTE_NS,
    CUSTOMIZATION_ID,
    INVOICE_NS,
    PROFILE_ID,
    VAT_SCHEME,
)
from nex_automat.formats.xmlbuild import ElementMaker, plain

_Element = etree._Element
_PREFIXES = {"cac": CAC, "cbc": CBC}
_OUTSIDE_SCOPE = "O"


def write_ubl(invoice: Invoice, *, buyer_codes: Mapping[int, str] | None = None) -> bytes:
    """UBL XML (UTF-8) for ``invoice``; ``buyer_codes`` gives lines (by position) the
    buyer's own item code (``BuyersItemIdentification``).

    Raises ``ValueError`` when the invoice lacks what UBL cannot do without: a number,
    an issue date, a currency, at least one line, and a net amount on every line.
    """
    require_essentials(invoice, "UBL")
    credit_note = invoice.document_type is DocumentType.CREDIT_NOTE
    if credit_note:
        invoice = negated(invoice)
    namespace = CREDIT_NOTE_NS if credit_note else INVOICE_NS
    root = etree.Element(
        f"{{{namespace}}}{'CreditNote' if credit_note else 'Invoice'}",
        nsmap={None: namespace, **_PREFIXES},
    )
    currency = invoice.currency or ""
    _header(root, invoice, credit_note=credit_note)
    _party(_add(root, "cac:AccountingSupplierParty"), invoice.supplier)
    _party(_add(root, "cac:AccountingCustomerParty"), invoice.customer)
    _payment_means(root, invoice, credit_note=credit_note)
    if credit_note:
        _tax_exchange_rate(root, invoice)
    for item in invoice.allowances_charges:
        _allowance_charge(root, item, currency)
    if not credit_note:
        _tax_exchange_rate(root, invoice)
    _tax_totals(root, invoice)
    _monetary_total(root, invoice)
    codes = buyer_codes or {}
    for line in invoice.lines:
        _line(root, line, currency, codes.get(line.position), credit_note=credit_note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- building blocks ------------------------------------------------------------------

_MAKER = ElementMaker(_PREFIXES)
_add = _MAKER.add
_optional = _MAKER.optional
_number = plain


def _amount(parent: _Element, tag: str, value: Decimal | None, currency: str) -> None:
    if value is not None:
        _add(parent, tag, _number(value), currencyID=currency)


def _tax_category(
    parent: _Element, tag: str, category: str, rate: Decimal, exemption: str | None = None
) -> None:
    element = _add(parent, tag)
    _add(element, "cbc:ID", category)
    if category != _OUTSIDE_SCOPE:
        _add(element, "cbc:Percent", _number(rate))
    _optional(element, "cbc:TaxExemptionReason", exemption)
    _add(_add(element, "cac:TaxScheme"), "cbc:ID", VAT_SCHEME)


# --- document -------------------------------------------------------------------------


def _header(root: _Element, invoice: Invoice, *, credit_note: bool) -> None:
    _add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _add(root, "cbc:ProfileID", PROFILE_ID)
    _add(root, "cbc:ID", invoice.number)
    _optional(root, "cbc:IssueDate", invoice.issue_date)
    type_code = TYPE_CODE_WRITTEN[invoice.document_type]
    if credit_note:
        _optional(root, "cbc:TaxPointDate", invoice.tax_point_date)
        _add(root, "cbc:CreditNoteTypeCode", type_code)
        _optional(root, "cbc:Note", invoice.note)
    else:
        _optional(root, "cbc:DueDate", invoice.due_date)
        _add(root, "cbc:InvoiceTypeCode", type_code)
        _optional(root, "cbc:Note", invoice.note)
        _optional(root, "cbc:TaxPointDate", invoice.tax_point_date)
    _add(root, "cbc:DocumentCurrencyCode", invoice.currency)
    tax_currency = _tax_currency(invoice)
    if tax_currency is not None:
        _add(root, "cbc:TaxCurrencyCode", tax_currency)
    _optional(root, "cbc:BuyerReference", invoice.buyer_reference)
    if invoice.order_reference is not None:
        _add(_add(root, "cac:OrderReference"), "cbc:ID", invoice.order_reference)
    if invoice.preceding_invoice is not None:
        reference = _add(_add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _add(reference, "cbc:ID", invoice.preceding_invoice)


def _tax_currency(invoice: Invoice) -> str | None:
    """The domestic currency VAT is accounted in, when the invoice is in a foreign one."""
    if invoice.exchange_rate is None:
        return None
    country = invoice.supplier.country or invoice.customer.country
    domestic = TAX_CURRENCY_BY_COUNTRY.get(country or "")
    return domestic if domestic not in (None, invoice.currency) else None


def _tax_exchange_rate(root: _Element, invoice: Invoice) -> None:
    tax_currency = _tax_currency(invoice)
    if tax_currency is None or invoice.exchange_rate is None:
        return
    rate = _add(root, "cac:TaxExchangeRate")
    _add(rate, "cbc:SourceCurrencyCode", invoice.currency)
    _add(rate, "cbc:TargetCurrencyCode", tax_currency)
    _add(rate, "cbc:CalculationRate", _number(invoice.exchange_rate))
    _add(rate, "cbc:MathematicOperatorCode", "Multiply")


# --- parties and payment --------------------------------------------------------------


def _party(holder: _Element, party: Party) -> None:
    element = _add(holder, "cac:Party")
    endpoint = endpoint_of(party)
    if endpoint is not None:
        _add(element, "cbc:EndpointID", endpoint[1], schemeID=endpoint[0])
    if party.name is not None:
        _add(_add(element, "cac:PartyName"), "cbc:Name", party.name)
    _address(element, party)
    if party.vat_id is not None:
        scheme = _add(element, "cac:PartyTaxScheme")
        _add(scheme, "cbc:CompanyID", party.vat_id)
        _add(_add(scheme, "cac:TaxScheme"), "cbc:ID", VAT_SCHEME)
    if party.name is not None or party.ico is not None:
        legal = _add(element, "cac:PartyLegalEntity")
        _optional(legal, "cbc:RegistrationName", party.name)
        _optional(legal, "cbc:CompanyID", party.ico)


def _address(party_element: _Element, party: Party) -> None:
    values = (party.street, party.city, party.postal_code, party.country)
    if all(value is None for value in values):
        return
    address = _add(party_element, "cac:PostalAddress")
    _optional(address, "cbc:StreetName", party.street)
    _optional(address, "cbc:CityName", party.city)
    _optional(address, "cbc:PostalZone", party.postal_code)
    if party.country is not None:
        _add(_add(address, "cac:Country"), "cbc:IdentificationCode", party.country)


def _payment_means(root: _Element, invoice: Invoice, *, credit_note: bool) -> None:
    supplier, customer = invoice.supplier, invoice.customer
    due_here = credit_note and invoice.due_date is not None
    if not (supplier.iban or customer.iban or invoice.variable_symbol or due_here):
        return
    means = _add(root, "cac:PaymentMeans")
    code = PAYMENT_CREDIT_TRANSFER if supplier.iban else PAYMENT_NOT_DEFINED
    _add(means, "cbc:PaymentMeansCode", code)
    if credit_note:
        _optional(means, "cbc:PaymentDueDate", invoice.due_date)
    _optional(means, "cbc:PaymentID", invoice.variable_symbol)
    if supplier.iban is not None:
        account = _add(means, "cac:PayeeFinancialAccount")
        _add(account, "cbc:ID", supplier.iban)
        if supplier.bic is not None:
            _add(_add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", supplier.bic)
    if customer.iban is not None:
        mandate = _add(means, "cac:PaymentMandate")
        _add(_add(mandate, "cac:PayerFinancialAccount"), "cbc:ID", customer.iban)


# --- allowances, VAT and totals -------------------------------------------------------


def _allowance_charge(root: _Element, item: AllowanceCharge, currency: str) -> None:
    element = _add(root, "cac:AllowanceCharge")
    _add(element, "cbc:ChargeIndicator", "true" if item.is_charge else "false")
    _optional(element, "cbc:AllowanceChargeReason", item.reason)
    if item.percent is not None:
        _add(element, "cbc:MultiplierFactorNumeric", _number(item.percent))
    _amount(element, "cbc:Amount", item.amount, currency)
    _amount(element, "cbc:BaseAmount", item.base_amount, currency)
    if item.vat_rate is not None:
        category = item.vat_category or vat_category_for(item.vat_rate)
        _tax_category(element, "cac:TaxCategory", category, item.vat_rate)


def _tax_totals(root: _Element, invoice: Invoice) -> None:
    currency = invoice.currency or ""
    vat = invoice.total_vat
    if vat is None and invoice.vat_breakdown:
        vat = total(row.vat or Decimal(0) for row in invoice.vat_breakdown)
    if vat is None:
        return
    tax_total = _add(root, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", vat, currency)
    for row in reported_vat_rows(invoice):
        _tax_subtotal(tax_total, row, currency)
    tax_currency = _tax_currency(invoice)
    if tax_currency is not None and invoice.exchange_rate is not None:
        domestic = _add(root, "cac:TaxTotal")
        _amount(domestic, "cbc:TaxAmount", to_cents(vat * invoice.exchange_rate), tax_currency)


def reported_vat_rows(invoice: Invoice) -> list[VatRow]:
    """The VAT breakdown without rows for a rate nothing on the invoice uses.

    Printed recaps list every rate, even those with nothing taxed; EN 16931 allows a
    breakdown row only for a rate some line, allowance or charge carries (BR-S-08).
    """
    used = {line.vat_rate for line in invoice.lines} | {
        item.vat_rate for item in invoice.allowances_charges
    }
    return [row for row in invoice.vat_breakdown if not _is_empty(row) or row.rate in used]


def _is_empty(row: VatRow) -> bool:
    return not row.base and not row.vat


def _tax_subtotal(tax_total: _Element, row: VatRow, currency: str) -> None:
    subtotal = _add(tax_total, "cac:TaxSubtotal")
    _amount(subtotal, "cbc:TaxableAmount", row.base, currency)
    _amount(subtotal, "cbc:TaxAmount", row.vat if row.vat is not None else Decimal(0), currency)
    category = row.category or vat_category_for(row.rate)
    _tax_category(subtotal, "cac:TaxCategory", category, row.rate, row.exemption_reason)


def _monetary_total(root: _Element, invoice: Invoice) -> None:
    currency = invoice.currency or ""
    totals = _add(root, "cac:LegalMonetaryTotal")
    line_total = total(line.net_amount or Decimal(0) for line in invoice.lines)
    _amount(totals, "cbc:LineExtensionAmount", line_total, currency)
    _amount(totals, "cbc:TaxExclusiveAmount", invoice.total_net, currency)
    _amount(totals, "cbc:TaxInclusiveAmount", invoice.total_gross, currency)
    allowances = [ac.amount for ac in invoice.allowances_charges if not ac.is_charge]
    charges = [ac.amount for ac in invoice.allowances_charges if ac.is_charge]
    if allowances:
        _amount(totals, "cbc:AllowanceTotalAmount", total(allowances), currency)
    if charges:
        _amount(totals, "cbc:ChargeTotalAmount", total(charges), currency)
    _amount(totals, "cbc:PrepaidAmount", invoice.prepaid_amount, currency)
    _amount(totals, "cbc:PayableRoundingAmount", invoice.rounding, currency)
    _amount(totals, "cbc:PayableAmount", _payable(invoice, line_total), currency)


def _payable(invoice: Invoice, line_total: Decimal) -> Decimal:
    """UBL requires the amount due; without it, the gross total less prepaid plus rounding."""
    if invoice.amount_due is not None:
        return invoice.amount_due
    gross = invoice.total_gross if invoice.total_gross is not None else line_total
    return gross - (invoice.prepaid_amount or 0) + (invoice.rounding or 0)


# --- lines ----------------------------------------------------------------------------


def _line(
    root: _Element, line: Line, currency: str, buyer_code: str | None, *, credit_note: bool
) -> None:
    element = _add(root, "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine")
    _add(element, "cbc:ID", str(line.position))
    if line.quantity is not None:
        quantity_tag = "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity"
        attributes = {} if line.unit is None else {"unitCode": unit_code(line.unit)}
        _add(element, quantity_tag, _number(line.quantity), **attributes)
    _amount(element, "cbc:LineExtensionAmount", line.net_amount, currency)
    _line_discount(element, line, currency)
    _item(element, line, buyer_code)
    if line.unit_price is not None:
        _amount(_add(element, "cac:Price"), "cbc:PriceAmount", line.unit_price, currency)


def _line_discount(element: _Element, line: Line, currency: str) -> None:
    """The line discount as a percentage allowance on quantity × price, to the cent.

    Without quantity and price the discounted base is unknown, and an allowance with a
    guessed amount would break the line arithmetic, so none is written.
    """
    if line.discount_percent is None or line.quantity is None or line.unit_price is None:
        return
    base = line.quantity * line.unit_price
    allowance = _add(element, "cac:AllowanceCharge")
    _add(allowance, "cbc:ChargeIndicator", "false")
    _add(allowance, "cbc:MultiplierFactorNumeric", _number(line.discount_percent))
    _amount(allowance, "cbc:Amount", to_cents(base - (line.net_amount or base)), currency)
    _amount(allowance, "cbc:BaseAmount", to_cents(base), currency)


def _item(line_element: _Element, line: Line, buyer_code: str | None) -> None:
    item = _add(line_element, "cac:Item")
    _optional(item, "cbc:Name", line.description)
    if buyer_code is not None:
        _add(_add(item, "cac:BuyersItemIdentification"), "cbc:ID", buyer_code)
    if line.seller_code is not None:
        _add(_add(item, "cac:SellersItemIdentification"), "cbc:ID", line.seller_code)
    if line.ean is not None:
        standard = _add(item, "cac:StandardItemIdentification")
        _add(standard, "cbc:ID", line.ean, schemeID=GTIN_SCHEME)
    if line.vat_rate is not None:
        category = line.vat_category or vat_category_for(line.vat_rate)
        _tax_category(item, "cac:ClassifiedTaxCategory", category, line.vat_rate)
