"""The domain Invoice as a Factur-X / ZUGFeRD CII document in the EN 16931 profile.

Elements follow the order of the Factur-X EN 16931 schema. A credit note gets type code
381 and, as EN 16931 states a credit, positive amounts: the domain's negative credit
note is negated on the way out (:mod:`nex_automat.formats.signs`). What the profile
requires but the invoice lacks is derived from what it has, never invented: a line's
net price from its total and quantity (a line without a quantity is one unit), the VAT
breakdown from the lines, the document sums from the breakdown. What CII has no element
for (the constant symbol, a line's VAT and gross amounts, the exchange rate) is not
written. An address is written only with its country, which CII requires.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from nex_automat.domain.model import AllowanceCharge, DocumentType, Invoice, Line, Party, VatRow
from nex_automat.domain.money import to_cents, total
from nex_automat.formats.codes import (
    GTIN_SCHEME,
    TYPE_CODE_WRITTEN,
    unit_code,
    vat_category_for,
)
from nex_automat.formats.essentials import require_essentials
from nex_automat.formats.parties import endpoint_of
from nex_automat.formats.signs import negated
from nex_automat.formats.ubl.writer import reported_vat_rows
from nex_automat.formats.xmlbuild import ElementMaker, plain

from .codes import (
    DATE_FORMAT_DAY,
    GUIDELINE_EN16931,
    NAMESPACES,
    PAYMENT_CREDIT_TRANSFER,
    PAYMENT_NOT_DEFINED,
    RSM,
    TAX_REGISTRATION,
    VAT_REGISTRATION,
    VAT_TYPE,
)

_Element = etree._Element
_ZERO = Decimal(0)
_OUTSIDE_SCOPE = "O"
_PRICE_PLACES = Decimal("0.0001")


def write_cii(invoice: Invoice) -> bytes:
    """Factur-X EN 16931 CII XML (UTF-8) for ``invoice``.

    Raises ``ValueError`` when the invoice lacks what CII cannot do without: a number,
    an issue date, a currency, at least one line, and a net amount on every line.
    """
    require_essentials(invoice, "CII")
    if invoice.document_type is DocumentType.CREDIT_NOTE:
        invoice = negated(invoice)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NAMESPACES)
    context = _add(root, "rsm:ExchangedDocumentContext")
    _add(
        _add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE_EN16931
    )
    _document(_add(root, "rsm:ExchangedDocument"), invoice)
    transaction = _add(root, "rsm:SupplyChainTradeTransaction")
    for line in invoice.lines:
        _line(transaction, line, _fallback_rate(invoice))
    _agreement(_add(transaction, "ram:ApplicableHeaderTradeAgreement"), invoice)
    _delivery(_add(transaction, "ram:ApplicableHeaderTradeDelivery"), invoice)
    _settlement(_add(transaction, "ram:ApplicableHeaderTradeSettlement"), invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- building blocks ------------------------------------------------------------------

_MAKER = ElementMaker(NAMESPACES)
_add = _MAKER.add
_optional = _MAKER.optional
_number = plain


def _amount(parent: _Element, tag: str, value: Decimal | None) -> None:
    if value is not None:
        _add(parent, tag, _number(value))


def _indicator(parent: _Element, *, charge: bool) -> None:
    _add(_add(parent, "ram:ChargeIndicator"), "udt:Indicator", "true" if charge else "false")


def _day(parent: _Element, tag: str, value: date) -> None:
    _add(_add(parent, tag), "udt:DateTimeString", value.strftime("%Y%m%d"), format=DATE_FORMAT_DAY)


def _tax(
    parent: _Element,
    tag: str,
    category: str,
    rate: Decimal,
    *,
    basis: Decimal | None = None,
    calculated: Decimal | None = None,
    exemption: str | None = None,
) -> None:
    element = _add(parent, tag)
    _amount(element, "ram:CalculatedAmount", calculated)
    _add(element, "ram:TypeCode", VAT_TYPE)
    _optional(element, "ram:ExemptionReason", exemption)
    _amount(element, "ram:BasisAmount", basis)
    _add(element, "ram:CategoryCode", category)
    if category != _OUTSIDE_SCOPE:
        _add(element, "ram:RateApplicablePercent", _number(rate))


# --- document -------------------------------------------------------------------------


def _document(element: _Element, invoice: Invoice) -> None:
    _add(element, "ram:ID", invoice.number)
    _add(element, "ram:TypeCode", TYPE_CODE_WRITTEN[invoice.document_type])
    assert invoice.issue_date is not None
    _day(element, "ram:IssueDateTime", invoice.issue_date)
    if invoice.note:
        _add(_add(element, "ram:IncludedNote"), "ram:Content", invoice.note)


def _agreement(element: _Element, invoice: Invoice) -> None:
    _optional(element, "ram:BuyerReference", invoice.buyer_reference)
    _party(_add(element, "ram:SellerTradeParty"), invoice.supplier)
    _party(_add(element, "ram:BuyerTradeParty"), invoice.customer)
    if invoice.order_reference is not None:
        reference = _add(element, "ram:BuyerOrderReferencedDocument")
        _add(reference, "ram:IssuerAssignedID", invoice.order_reference)


def _delivery(element: _Element, invoice: Invoice) -> None:
    """The tax point (the day of delivery on Slovak and Czech invoices) is BT-72."""
    if invoice.tax_point_date is not None:
        event = _add(element, "ram:ActualDeliverySupplyChainEvent")
        _day(event, "ram:OccurrenceDateTime", invoice.tax_point_date)


def _settlement(element: _Element, invoice: Invoice) -> None:
    _optional(element, "ram:PaymentReference", invoice.variable_symbol)
    _add(element, "ram:InvoiceCurrencyCode", invoice.currency)
    _payment_means(element, invoice)
    for row in _vat_rows(invoice):
        _tax(
            element,
            "ram:ApplicableTradeTax",
            row.category or vat_category_for(row.rate),
            row.rate,
            basis=row.base if row.base is not None else _ZERO,
            calculated=row.vat if row.vat is not None else _ZERO,
            exemption=row.exemption_reason,
        )
    for item in invoice.allowances_charges:
        _allowance_charge(element, item)
    if invoice.due_date is not None:
        _day(
            _add(element, "ram:SpecifiedTradePaymentTerms"), "ram:DueDateDateTime", invoice.due_date
        )
    _summation(element, invoice)
    if invoice.preceding_invoice is not None:
        reference = _add(element, "ram:InvoiceReferencedDocument")
        _add(reference, "ram:IssuerAssignedID", invoice.preceding_invoice)


# --- parties and payment --------------------------------------------------------------


def _party(element: _Element, party: Party) -> None:
    _optional(element, "ram:Name", party.name)
    if party.ico is not None:
        _add(_add(element, "ram:SpecifiedLegalOrganization"), "ram:ID", party.ico)
    if party.country is not None:
        address = _add(element, "ram:PostalTradeAddress")
        _optional(address, "ram:PostcodeCode", party.postal_code)
        _optional(address, "ram:LineOne", party.street)
        _optional(address, "ram:CityName", party.city)
        _add(address, "ram:CountryID", party.country)
    endpoint = endpoint_of(party)
    if endpoint is not None:
        communication = _add(element, "ram:URIUniversalCommunication")
        _add(communication, "ram:URIID", endpoint[1], schemeID=endpoint[0])
    for value, scheme in ((party.vat_id, VAT_REGISTRATION), (party.dic, TAX_REGISTRATION)):
        if value is not None:
            _add(_add(element, "ram:SpecifiedTaxRegistration"), "ram:ID", value, schemeID=scheme)


def _payment_means(element: _Element, invoice: Invoice) -> None:
    supplier, customer = invoice.supplier, invoice.customer
    if supplier.iban is None and customer.iban is None:
        return
    means = _add(element, "ram:SpecifiedTradeSettlementPaymentMeans")
    code = PAYMENT_CREDIT_TRANSFER if supplier.iban else PAYMENT_NOT_DEFINED
    _add(means, "ram:TypeCode", code)
    if customer.iban is not None:
        _add(_add(means, "ram:PayerPartyDebtorFinancialAccount"), "ram:IBANID", customer.iban)
    if supplier.iban is not None:
        _add(_add(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", supplier.iban)
        if supplier.bic is not None:
            institution = _add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            _add(institution, "ram:BICID", supplier.bic)


# --- VAT, allowances and sums ---------------------------------------------------------


def _fallback_rate(invoice: Invoice) -> Decimal:
    """The rate for a line that states none: the invoice's only rate, else 0."""
    rates = {row.rate for row in invoice.vat_breakdown}
    return rates.pop() if len(rates) == 1 else _ZERO


def _vat_rows(invoice: Invoice) -> list[VatRow]:
    """The invoice's breakdown (without rows nothing uses), else one row per line rate."""
    rows = reported_vat_rows(invoice)
    if rows:
        return rows
    fallback = _fallback_rate(invoice)
    by_rate: dict[Decimal, list[Line]] = {}
    for line in invoice.lines:
        rate = line.vat_rate if line.vat_rate is not None else fallback
        by_rate.setdefault(rate, []).append(line)
    derived = []
    for rate, lines in by_rate.items():
        base = total(line.net_amount or _ZERO for line in lines)
        category = next((line.vat_category for line in lines if line.vat_category), None)
        derived.append(VatRow(rate, base, to_cents(base * rate / 100), category))
    return derived


def _allowance_charge(parent: _Element, item: AllowanceCharge) -> None:
    element = _add(parent, "ram:SpecifiedTradeAllowanceCharge")
    _indicator(element, charge=item.is_charge)
    _amount(element, "ram:CalculationPercent", item.percent)
    _amount(element, "ram:BasisAmount", item.base_amount)
    _amount(element, "ram:ActualAmount", item.amount)
    _optional(element, "ram:Reason", item.reason)
    if item.vat_rate is not None:
        category = item.vat_category or vat_category_for(item.vat_rate)
        _tax(element, "ram:CategoryTradeTax", category, item.vat_rate)


def _summation(parent: _Element, invoice: Invoice) -> None:
    element = _add(parent, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    line_total = total(line.net_amount or _ZERO for line in invoice.lines)
    charges = [item.amount for item in invoice.allowances_charges if item.is_charge]
    allowances = [item.amount for item in invoice.allowances_charges if not item.is_charge]
    rows = _vat_rows(invoice)
    net = invoice.total_net
    if net is None:
        net = line_total + total(charges) - total(allowances)
    vat = invoice.total_vat
    if vat is None:
        vat = total(row.vat or _ZERO for row in rows)
    gross = invoice.total_gross if invoice.total_gross is not None else net + vat
    due = invoice.amount_due
    if due is None:
        due = gross - (invoice.prepaid_amount or _ZERO) + (invoice.rounding or _ZERO)
    _amount(element, "ram:LineTotalAmount", line_total)
    if charges:
        _amount(element, "ram:ChargeTotalAmount", total(charges))
    if allowances:
        _amount(element, "ram:AllowanceTotalAmount", total(allowances))
    _amount(element, "ram:TaxBasisTotalAmount", net)
    _add(element, "ram:TaxTotalAmount", _number(vat), currencyID=invoice.currency or "")
    _amount(element, "ram:RoundingAmount", invoice.rounding)
    _amount(element, "ram:GrandTotalAmount", gross)
    _amount(element, "ram:TotalPrepaidAmount", invoice.prepaid_amount)
    _amount(element, "ram:DuePayableAmount", due)


# --- lines ----------------------------------------------------------------------------


def _line(transaction: _Element, line: Line, fallback_rate: Decimal) -> None:
    element = _add(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _add(_add(element, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(line.position))
    product = _add(element, "ram:SpecifiedTradeProduct")
    if line.ean is not None:
        _add(product, "ram:GlobalID", line.ean, schemeID=GTIN_SCHEME)
    _optional(product, "ram:SellerAssignedID", line.seller_code)
    _add(product, "ram:Name", line.description or "")
    price = _add(_add(element, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
    _add(price, "ram:ChargeAmount", _number(_net_price(line)))
    quantity = line.quantity if line.quantity is not None else Decimal(1)
    attributes = {} if line.unit is None else {"unitCode": unit_code(line.unit)}
    delivery = _add(element, "ram:SpecifiedLineTradeDelivery")
    _add(delivery, "ram:BilledQuantity", _number(quantity), **attributes)
    settlement = _add(element, "ram:SpecifiedLineTradeSettlement")
    rate = line.vat_rate if line.vat_rate is not None else fallback_rate
    category = line.vat_category or vat_category_for(rate)
    _tax(settlement, "ram:ApplicableTradeTax", category, rate)
    _line_discount(settlement, line)
    summation = _add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _amount(summation, "ram:LineTotalAmount", line.net_amount)


def _net_price(line: Line) -> Decimal:
    """CII requires a net price: the line's own, else its total over its quantity."""
    if line.unit_price is not None:
        return line.unit_price
    net = line.net_amount or _ZERO
    if not line.quantity:
        return net
    return (net / line.quantity).quantize(_PRICE_PLACES)


def _line_discount(settlement: _Element, line: Line) -> None:
    """The line discount as a percentage allowance on quantity × price, to the cent."""
    if line.discount_percent is None or line.quantity is None or line.unit_price is None:
        return
    base = line.quantity * line.unit_price
    element = _add(settlement, "ram:SpecifiedTradeAllowanceCharge")
    _indicator(element, charge=False)
    _add(element, "ram:CalculationPercent", _number(line.discount_percent))
    _add(element, "ram:BasisAmount", _number(to_cents(base)))
    _add(element, "ram:ActualAmount", _number(to_cents(base - (line.net_amount or base))))
