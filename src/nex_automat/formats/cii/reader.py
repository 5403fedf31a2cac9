"""Factur-X / ZUGFeRD 2 / XRechnung CII (UN/CEFACT CII D16B) into the domain Invoice.

Every Factur-X profile shares one structure: MINIMUM and BASIC WL simply leave out the
lines and most party details, and whatever a profile leaves out stays ``None``. A
document with a credit note type code (381 and its relatives) states the credit with
positive amounts, as EN 16931 does; the domain keeps credit notes negative, as they are
printed, so its amounts and quantities are negated (:mod:`nex_automat.formats.signs`).
Any other document keeps its signs.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from nex_automat.domain.identifiers import normalise_dic, normalise_ean
from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    Line,
    Party,
    VatRow,
)
from nex_automat.errors import UnsupportedFormat, XmlError
from nex_automat.formats.codes import GTIN_SCHEME, TYPE_CODE_READ, unit_name
from nex_automat.formats.en16931 import StatedTotals
from nex_automat.formats.navigate import Navigator
from nex_automat.formats.parties import (
    bic_or_text,
    domestic_ico,
    fill_from_endpoint,
    iban_or_text,
    vat_id_or_text,
)
from nex_automat.formats.signs import negated, negated_totals
from nex_automat.formats.xmlsafe import parse_xml

from .codes import (
    DATE_FORMAT_DAY,
    NAMESPACES,
    RSM,
    TAX_REGISTRATION,
    VAT_REGISTRATION,
)

_Element = etree._Element

_ROOT = f"{{{RSM}}}CrossIndustryInvoice"
_XML = Navigator(NAMESPACES, "CII")
_all, _first, _text, _decimal = _XML.all, _XML.first, _XML.text, _XML.decimal
_MAX_VARIABLE_SYMBOL = 10

_TRANSACTION = "rsm:SupplyChainTradeTransaction"
_AGREEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
_DELIVERY = f"{_TRANSACTION}/ram:ApplicableHeaderTradeDelivery"
_SETTLEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
_SUMMATION = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_MEANS = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"


def read_cii(data: bytes) -> Invoice:
    """The invoice a CII CrossIndustryInvoice (Factur-X, ZUGFeRD 2, XRechnung CII) states."""
    root = _cii_root(data)
    currency = _text(root, f"{_SETTLEMENT}/ram:InvoiceCurrencyCode")
    summation = _first(root, _SUMMATION)
    invoice = Invoice(
        document_type=_document_type(root),
        number=_text(root, "rsm:ExchangedDocument/ram:ID"),
        issue_date=_date(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
        tax_point_date=_tax_point_date(root),
        due_date=_date(
            root,
            f"{_SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
        ),
        currency=currency,
        variable_symbol=_variable_symbol(root),
        order_reference=_text(
            root, f"{_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        supplier=_supplier(root),
        customer=_customer(root),
        lines=[
            _line(element, index)
            for index, element in enumerate(
                _all(root, f"{_TRANSACTION}/ram:IncludedSupplyChainTradeLineItem"), start=1
            )
        ],
        vat_breakdown=[_vat_row(e) for e in _all(root, f"{_SETTLEMENT}/ram:ApplicableTradeTax")],
        total_net=_decimal(summation, "ram:TaxBasisTotalAmount"),
        total_vat=_tax_total(summation, currency),
        total_gross=_decimal(summation, "ram:GrandTotalAmount"),
        rounding=_decimal(summation, "ram:RoundingAmount"),
        amount_due=_decimal(summation, "ram:DuePayableAmount"),
        prepaid_amount=_decimal(summation, "ram:TotalPrepaidAmount"),
        allowances_charges=[
            _allowance_charge(e)
            for e in _all(root, f"{_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge")
        ],
        preceding_invoice=_text(
            root, f"{_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
        ),
        buyer_reference=_text(root, f"{_AGREEMENT}/ram:BuyerReference"),
        note=_note(root),
    )
    return negated(invoice) if invoice.document_type is DocumentType.CREDIT_NOTE else invoice


def read_cii_stated_totals(data: bytes) -> StatedTotals:
    """The document-level sums the CII states (BT-106, BT-107, BT-108), for BR-CO-10 to 12."""
    root = _cii_root(data)
    summation = _first(root, _SUMMATION)
    stated = StatedTotals(
        line_total=_decimal(summation, "ram:LineTotalAmount"),
        allowance_total=_decimal(summation, "ram:AllowanceTotalAmount"),
        charge_total=_decimal(summation, "ram:ChargeTotalAmount"),
    )
    return negated_totals(stated) if _document_type(root) is DocumentType.CREDIT_NOTE else stated


def _cii_root(data: bytes) -> _Element:
    root = parse_xml(data)
    if root.tag != _ROOT:
        raise UnsupportedFormat(f"not a CII CrossIndustryInvoice: root element {root.tag}")
    return root


def _document_type(root: _Element) -> DocumentType:
    code = _text(root, "rsm:ExchangedDocument/ram:TypeCode") or ""
    return TYPE_CODE_READ.get(code, DocumentType.INVOICE)


# --- element access -------------------------------------------------------------------


def _date(element: _Element | None, path: str) -> date | None:
    """A CII date: format 102 is a day (YYYYMMDD); a month or week is not a date."""
    found = _first(element, path)
    if found is None or not (found.text or "").strip():
        return None
    if found.get("format", DATE_FORMAT_DAY) != DATE_FORMAT_DAY:
        return None
    text = found.text.strip()
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise XmlError(f"CII element {path} holds {text!r}, which is not a date") from exc


# --- document -------------------------------------------------------------------------


def _tax_point_date(root: _Element) -> date | None:
    return _date(
        root, f"{_SETTLEMENT}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString"
    ) or _date(
        root,
        f"{_DELIVERY}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
    )


def _variable_symbol(root: _Element) -> str | None:
    text = _text(root, f"{_SETTLEMENT}/ram:PaymentReference")
    if text is not None and text.isdigit() and len(text) <= _MAX_VARIABLE_SYMBOL:
        return text
    return None


def _note(root: _Element) -> str | None:
    notes = [
        (e.text or "").strip()
        for e in _all(root, "rsm:ExchangedDocument/ram:IncludedNote/ram:Content")
    ]
    joined = "\n".join(note for note in notes if note)
    return joined or None


def _tax_total(summation: _Element | None, currency: str | None) -> Decimal | None:
    """VAT total in the invoice currency; a second one may state it in the tax currency."""
    amounts = _all(summation, "ram:TaxTotalAmount")
    for amount in amounts:
        if amount.get("currencyID") in (None, currency):
            return _decimal(amount, ".")
    return None


# --- parties --------------------------------------------------------------------------


def _supplier(root: _Element) -> Party:
    party = _party(_first(root, f"{_AGREEMENT}/ram:SellerTradeParty"))
    party.iban = iban_or_text(
        _text(root, f"{_MEANS}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
    )
    party.bic = bic_or_text(
        _text(root, f"{_MEANS}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID")
    )
    return party


def _customer(root: _Element) -> Party:
    party = _party(_first(root, f"{_AGREEMENT}/ram:BuyerTradeParty"))
    party.iban = iban_or_text(
        _text(root, f"{_MEANS}/ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    )
    return party


def _party(element: _Element | None) -> Party:
    if element is None:
        return Party()
    address = _first(element, "ram:PostalTradeAddress")
    country = _text(address, "ram:CountryID")
    party = Party(
        name=_text(element, "ram:Name"),
        ico=_ico(element, country),
        dic=_registration(element, TAX_REGISTRATION),
        vat_id=_registration(element, VAT_REGISTRATION),
        street=_text(address, "ram:LineOne"),
        city=_text(address, "ram:CityName"),
        postal_code=_text(address, "ram:PostcodeCode"),
        country=country,
    )
    endpoint = _first(element, "ram:URIUniversalCommunication/ram:URIID")
    if endpoint is not None and endpoint.text is not None:
        fill_from_endpoint(party, (endpoint.get("schemeID"), endpoint.text))
    return party


def _registration(party: _Element, scheme: str) -> str | None:
    """VAT id (VA) or, for a Slovak party, the DIČ sent as tax registration (FC)."""
    text = _text(party, f"ram:SpecifiedTaxRegistration/ram:ID[@schemeID='{scheme}']")
    if text is None:
        return None
    if scheme == VAT_REGISTRATION:
        return vat_id_or_text(text)
    return normalise_dic(text)


def _ico(party: _Element, country: str | None) -> str | None:
    paths = ("ram:SpecifiedLegalOrganization/ram:ID", "ram:ID")
    ids = [(e.get("schemeID"), e.text or "") for path in paths for e in _all(party, path)]
    return domestic_ico(ids, country)


# --- lines, VAT and allowances --------------------------------------------------------


def _line(element: _Element, index: int) -> Line:
    line_id = _text(element, "ram:AssociatedDocumentLineDocument/ram:LineID")
    settlement = _first(element, "ram:SpecifiedLineTradeSettlement")
    tax = _first(settlement, "ram:ApplicableTradeTax")
    quantity = _first(element, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    unit = None if quantity is None else quantity.get("unitCode")
    return Line(
        position=int(line_id) if line_id is not None and line_id.isdigit() else index,
        description=_text(element, "ram:SpecifiedTradeProduct/ram:Name"),
        seller_code=_text(element, "ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
        ean=_ean(element),
        quantity=None if quantity is None else _decimal(quantity, "."),
        unit=None if unit is None or not unit.strip() else unit_name(unit),
        unit_price=_unit_price(element),
        discount_percent=_decimal(
            settlement,
            "ram:SpecifiedTradeAllowanceCharge[normalize-space(ram:ChargeIndicator/udt:Indicator)"
            "='false']/ram:CalculationPercent",
        ),
        vat_rate=_rate(tax),
        net_amount=_decimal(
            settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        ),
        vat_category=_text(tax, "ram:CategoryCode"),
    )


def _ean(line: _Element) -> str | None:
    for element in _all(line, "ram:SpecifiedTradeProduct/ram:GlobalID"):
        text = (element.text or "").strip()
        if element.get("schemeID") == GTIN_SCHEME:
            return normalise_ean(text) or text or None
    return None


def _unit_price(line: _Element) -> Decimal | None:
    price = _first(line, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice")
    amount = _decimal(price, "ram:ChargeAmount")
    basis = _decimal(price, "ram:BasisQuantity")
    if amount is None or basis is None or basis in (0, 1):
        return amount
    return amount / basis


def _rate(tax: _Element | None) -> Decimal | None:
    if tax is None:
        return None
    rate = _decimal(tax, "ram:RateApplicablePercent")
    return Decimal(0) if rate is None else rate


def _vat_row(tax: _Element) -> VatRow:
    return VatRow(
        rate=_rate(tax) or Decimal(0),
        base=_decimal(tax, "ram:BasisAmount"),
        vat=_decimal(tax, "ram:CalculatedAmount"),
        category=_text(tax, "ram:CategoryCode"),
        exemption_reason=_text(tax, "ram:ExemptionReason") or _text(tax, "ram:ExemptionReasonCode"),
    )


def _allowance_charge(element: _Element) -> AllowanceCharge:
    amount = _decimal(element, "ram:ActualAmount")
    if amount is None:
        raise XmlError("CII SpecifiedTradeAllowanceCharge has no ActualAmount")
    tax = _first(element, "ram:CategoryTradeTax")
    indicator = _text(element, "ram:ChargeIndicator/udt:Indicator") or ""
    return AllowanceCharge(
        is_charge=indicator.lower() == "true",
        amount=amount,
        reason=_text(element, "ram:Reason") or _text(element, "ram:ReasonCode"),
        base_amount=_decimal(element, "ram:BasisAmount"),
        percent=_decimal(element, "ram:CalculationPercent"),
        vat_rate=_rate(tax),
        vat_category=_text(tax, "ram:CategoryCode"),
    )
