"""Factur-X / ZUGFeRD 2 (UN/CEFACT CII D16B) into the domain Invoice, and finding that XML
inside a hybrid PDF.

Every Factur-X profile shares one structure: MINIMUM and BASIC WL simply leave out the
lines and most party details, and whatever a profile leaves out stays ``None``. Amounts
are taken as the document states them. The XML is exact where the printed page is not,
so a PDF that carries it should be read from it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pypdfium2 as pdfium
from lxml import etree

from nex_automat.domain.identifiers import (
    normalise_bic,
    normalise_dic,
    normalise_ean,
    normalise_iban,
    normalise_ico,
    normalise_vat_id,
)
from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    Line,
    Party,
    VatRow,
)
from nex_automat.errors import UnreadableDocument, UnsupportedFormat, XmlError
from nex_automat.formats.en16931 import StatedTotals
from nex_automat.formats.ubl.codes import (
    EAS_SK_DIC,
    EAS_VAT_SCHEMES,
    GTIN_SCHEME,
    ICO_COUNTRIES,
    ICO_SCHEMES,
    TYPE_CODE_READ,
    unit_name,
)
from nex_automat.formats.xmlsafe import parse_xml

_Element = etree._Element

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
_NS = {"rsm": RSM, "ram": RAM, "udt": UDT}
_ROOT = f"{{{RSM}}}CrossIndustryInvoice"

# Attachment names of the hybrid formats whose XML is CII, in order of preference;
# PDF names are matched without regard to case (ZUGFeRD 2.0 wrote "ZUGFeRD-invoice.xml").
EMBEDDED_XML_NAMES: tuple[str, ...] = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

_VAT_REGISTRATION = "VA"
_TAX_REGISTRATION = "FC"
_DATE_FORMAT_DAY = "102"
_MAX_VARIABLE_SYMBOL = 10

_TRANSACTION = "rsm:SupplyChainTradeTransaction"
_AGREEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
_DELIVERY = f"{_TRANSACTION}/ram:ApplicableHeaderTradeDelivery"
_SETTLEMENT = f"{_TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
_SUMMATION = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_MEANS = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"


def extract_embedded_xml(pdf: bytes) -> tuple[str, bytes] | None:
    """The CII invoice XML attached to a Factur-X, ZUGFeRD or XRechnung PDF, with its name.

    Only attachments are looked at, never parsed: the caller parses what it chooses to
    read. ``None`` when the PDF carries no such attachment.
    """
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"PDF could not be opened to look for attachments: {exc}") from exc
    try:
        found: dict[str, tuple[str, bytes]] = {}
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            name = attachment.get_name()
            if name.lower() in EMBEDDED_XML_NAMES and name.lower() not in found:
                found[name.lower()] = (name, bytes(attachment.get_data()))
    finally:
        document.close()
    for wanted in EMBEDDED_XML_NAMES:
        if wanted in found:
            return found[wanted]
    return None


def read_cii(data: bytes) -> Invoice:
    """The invoice a CII CrossIndustryInvoice (Factur-X, ZUGFeRD 2, XRechnung CII) states."""
    root = _cii_root(data)
    currency = _text(root, f"{_SETTLEMENT}/ram:InvoiceCurrencyCode")
    summation = _first(root, _SUMMATION)
    return Invoice(
        document_type=TYPE_CODE_READ.get(
            _text(root, "rsm:ExchangedDocument/ram:TypeCode") or "", DocumentType.INVOICE
        ),
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


def read_cii_stated_totals(data: bytes) -> StatedTotals:
    """The document-level sums the CII states (BT-106, BT-107, BT-108), for BR-CO-10 to 12."""
    summation = _first(_cii_root(data), _SUMMATION)
    return StatedTotals(
        line_total=_decimal(summation, "ram:LineTotalAmount"),
        allowance_total=_decimal(summation, "ram:AllowanceTotalAmount"),
        charge_total=_decimal(summation, "ram:ChargeTotalAmount"),
    )


def _cii_root(data: bytes) -> _Element:
    root = parse_xml(data)
    if root.tag != _ROOT:
        raise UnsupportedFormat(f"not a CII CrossIndustryInvoice: root element {root.tag}")
    return root


# --- element access -------------------------------------------------------------------


def _all(element: _Element | None, path: str) -> list[_Element]:
    if element is None:
        return []
    return list(element.xpath(path, namespaces=_NS))


def _first(element: _Element | None, path: str) -> _Element | None:
    found = _all(element, path)
    return found[0] if found else None


def _text(element: _Element | None, path: str) -> str | None:
    found = _first(element, path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _decimal(element: _Element | None, path: str) -> Decimal | None:
    text = _text(element, path)
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise XmlError(f"CII element {path} holds {text!r}, which is not a number") from exc


def _date(element: _Element | None, path: str) -> date | None:
    """A CII date: format 102 is a day (YYYYMMDD); a month or week is not a date."""
    found = _first(element, path)
    if found is None or not (found.text or "").strip():
        return None
    if found.get("format", _DATE_FORMAT_DAY) != _DATE_FORMAT_DAY:
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
    iban = _text(root, f"{_MEANS}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
    party.iban = None if iban is None else normalise_iban(iban) or iban
    bic = _text(root, f"{_MEANS}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID")
    party.bic = None if bic is None else normalise_bic(bic) or bic
    return party


def _customer(root: _Element) -> Party:
    party = _party(_first(root, f"{_AGREEMENT}/ram:BuyerTradeParty"))
    iban = _text(root, f"{_MEANS}/ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    party.iban = None if iban is None else normalise_iban(iban) or iban
    return party


def _party(element: _Element | None) -> Party:
    if element is None:
        return Party()
    address = _first(element, "ram:PostalTradeAddress")
    country = _text(address, "ram:CountryID")
    party = Party(
        name=_text(element, "ram:Name"),
        ico=_ico(element, country),
        dic=_registration(element, _TAX_REGISTRATION),
        vat_id=_registration(element, _VAT_REGISTRATION),
        street=_text(address, "ram:LineOne"),
        city=_text(address, "ram:CityName"),
        postal_code=_text(address, "ram:PostcodeCode"),
        country=country,
    )
    _fill_from_endpoint(party, _first(element, "ram:URIUniversalCommunication/ram:URIID"))
    return party


def _registration(party: _Element, scheme: str) -> str | None:
    """VAT id (VA) or, for a Slovak party, the DIČ sent as tax registration (FC)."""
    text = _text(party, f"ram:SpecifiedTaxRegistration/ram:ID[@schemeID='{scheme}']")
    if text is None:
        return None
    if scheme == _VAT_REGISTRATION:
        return normalise_vat_id(text) or text
    return normalise_dic(text)


def _ico(party: _Element, country: str | None) -> str | None:
    for path in ("ram:SpecifiedLegalOrganization/ram:ID", "ram:ID"):
        for element in _all(party, path):
            scheme = element.get("schemeID")
            domestic = scheme in ICO_SCHEMES or (
                scheme is None and (country is None or country in ICO_COUNTRIES)
            )
            ico = normalise_ico(element.text or "")
            if domestic and ico is not None:
                return ico
    return None


def _fill_from_endpoint(party: Party, endpoint: _Element | None) -> None:
    if endpoint is None or endpoint.text is None:
        return
    scheme, value = endpoint.get("schemeID"), endpoint.text.strip()
    if scheme == EAS_SK_DIC and party.dic is None:
        party.dic = normalise_dic(value)
    elif scheme in EAS_VAT_SCHEMES and party.vat_id is None:
        party.vat_id = normalise_vat_id(value)


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
