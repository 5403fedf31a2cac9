"""UBL 2.1 Invoice and CreditNote (Peppol BIS Billing 3.0) into the domain Invoice.

A CreditNote (or an Invoice with a credit note type code) states the credit with
positive amounts, as EN 16931 does; the domain keeps credit notes negative, as they are
printed, so its amounts and quantities are negated (:mod:`nex_automat.formats.signs`).
An Invoice with negative amounts, the negative correction Peppol allows, stays an
invoice with negative amounts. What the document does not carry stays ``None``. Every
parse goes through :func:`parse_xml`, because the XML comes from strangers.
"""

from __future__ import annotations

from datetime import date
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
from nex_automat.formats.ubl.codes import CREDIT_NOTE_NS, INVOICE_NS, NAMESPACES, VAT_SCHEME
from nex_automat.formats.xmlsafe import parse_xml

_Element = etree._Element

_ROOTS: dict[str, DocumentType] = {
    f"{{{INVOICE_NS}}}Invoice": DocumentType.INVOICE,
    f"{{{CREDIT_NOTE_NS}}}CreditNote": DocumentType.CREDIT_NOTE,
}
_MAX_VARIABLE_SYMBOL = 10
_XML = Navigator(NAMESPACES, "UBL")
_all, _first, _text, _decimal = _XML.all, _XML.first, _XML.text, _XML.decimal


def read_ubl(data: bytes) -> Invoice:
    """The invoice a UBL Invoice or CreditNote document states."""
    root = _ubl_root(data)
    currency = _text(root, "cbc:DocumentCurrencyCode")
    tax_total = _document_tax_total(root, currency)
    totals = _first(root, "cac:LegalMonetaryTotal")
    invoice = Invoice(
        document_type=_document_type(root),
        number=_text(root, "cbc:ID"),
        issue_date=_date(root, "cbc:IssueDate"),
        tax_point_date=_date(root, "cbc:TaxPointDate")
        or _date(root, "cac:Delivery/cbc:ActualDeliveryDate"),
        due_date=_date(root, "cbc:DueDate") or _date(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
        currency=currency,
        variable_symbol=_variable_symbol(root),
        order_reference=_text(root, "cac:OrderReference/cbc:ID"),
        supplier=_supplier(root),
        customer=_customer(root),
        lines=[_line(element, index) for index, element in enumerate(_lines(root), start=1)],
        vat_breakdown=[] if tax_total is None else _vat_rows(tax_total),
        total_net=_decimal(totals, "cbc:TaxExclusiveAmount"),
        total_vat=_decimal(tax_total, "cbc:TaxAmount"),
        total_gross=_decimal(totals, "cbc:TaxInclusiveAmount"),
        rounding=_decimal(totals, "cbc:PayableRoundingAmount"),
        amount_due=_decimal(totals, "cbc:PayableAmount"),
        prepaid_amount=_decimal(totals, "cbc:PrepaidAmount"),
        allowances_charges=[_allowance_charge(e) for e in _all(root, "cac:AllowanceCharge")],
        exchange_rate=_exchange_rate(root),
        preceding_invoice=_text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        buyer_reference=_text(root, "cbc:BuyerReference"),
        note=_note(root),
    )
    return negated(invoice) if invoice.document_type is DocumentType.CREDIT_NOTE else invoice


def read_ubl_stated_totals(data: bytes) -> StatedTotals:
    """The document-level sums a UBL document states (BT-106, BT-107, BT-108).

    The domain model derives them from the lines and allowances, so only the document
    can show whether they disagree (EN 16931 rules BR-CO-10 to BR-CO-12).
    """
    root = _ubl_root(data)
    totals = _first(root, "cac:LegalMonetaryTotal")
    stated = StatedTotals(
        line_total=_decimal(totals, "cbc:LineExtensionAmount"),
        allowance_total=_decimal(totals, "cbc:AllowanceTotalAmount"),
        charge_total=_decimal(totals, "cbc:ChargeTotalAmount"),
    )
    return negated_totals(stated) if _document_type(root) is DocumentType.CREDIT_NOTE else stated


def _ubl_root(data: bytes) -> _Element:
    root = parse_xml(data)
    if root.tag not in _ROOTS:
        raise UnsupportedFormat(f"not a UBL 2.1 Invoice or CreditNote: root element {root.tag}")
    return root


# --- element access -------------------------------------------------------------------


def _date(element: _Element | None, path: str) -> date | None:
    text = _text(element, path)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise XmlError(f"UBL element {path} holds {text!r}, which is not a date") from exc


# --- document -------------------------------------------------------------------------


def _document_type(root: _Element) -> DocumentType:
    if _ROOTS[root.tag] is DocumentType.CREDIT_NOTE:
        return DocumentType.CREDIT_NOTE
    code = _text(root, "cbc:InvoiceTypeCode")
    return TYPE_CODE_READ.get(code or "", DocumentType.INVOICE)


def _lines(root: _Element) -> list[_Element]:
    return _all(root, "cac:InvoiceLine | cac:CreditNoteLine")


def _document_tax_total(root: _Element, currency: str | None) -> _Element | None:
    """The VAT total in the document currency; a second one may repeat it in the tax currency."""
    tax_totals = _all(root, "cac:TaxTotal")
    for tax_total in tax_totals:
        amount = _first(tax_total, "cbc:TaxAmount")
        if amount is not None and amount.get("currencyID") == currency:
            return tax_total
    with_breakdown = [t for t in tax_totals if _first(t, "cac:TaxSubtotal") is not None]
    candidates = with_breakdown or tax_totals
    return candidates[0] if candidates else None


def _variable_symbol(root: _Element) -> str | None:
    """Slovak and Czech payments are matched by a numeric variable symbol, sent as PaymentID."""
    for element in _all(root, "cac:PaymentMeans/cbc:PaymentID"):
        text = (element.text or "").strip()
        if text.isdigit() and len(text) <= _MAX_VARIABLE_SYMBOL:
            return text
    return None


def _note(root: _Element) -> str | None:
    notes = [(e.text or "").strip() for e in _all(root, "cbc:Note")]
    joined = "\n".join(note for note in notes if note)
    return joined or None


def _exchange_rate(root: _Element) -> Decimal | None:
    rate = _first(root, "cac:TaxExchangeRate")
    if _text(rate, "cbc:MathematicOperatorCode") not in (None, "Multiply"):
        return None
    return _decimal(rate, "cbc:CalculationRate")


# --- parties --------------------------------------------------------------------------


def _supplier(root: _Element) -> Party:
    party = _party(_first(root, "cac:AccountingSupplierParty/cac:Party"))
    account = _first(root, "cac:PaymentMeans/cac:PayeeFinancialAccount")
    party.iban = iban_or_text(_text(account, "cbc:ID"))
    party.bic = bic_or_text(_text(account, "cac:FinancialInstitutionBranch/cbc:ID"))
    return party


def _customer(root: _Element) -> Party:
    party = _party(_first(root, "cac:AccountingCustomerParty/cac:Party"))
    path = "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"
    party.iban = iban_or_text(_text(root, path))
    return party


def _party(element: _Element | None) -> Party:
    if element is None:
        return Party()
    address = _first(element, "cac:PostalAddress")
    country = _text(address, "cac:Country/cbc:IdentificationCode")
    party = Party(
        name=_text(element, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(element, "cac:PartyName/cbc:Name"),
        ico=_ico(element, country),
        dic=_tax_registration_dic(element),
        vat_id=_vat_id(element),
        street=_text(address, "cbc:StreetName"),
        city=_text(address, "cbc:CityName"),
        postal_code=_text(address, "cbc:PostalZone"),
        country=country,
    )
    endpoint = _first(element, "cbc:EndpointID")
    if endpoint is not None and endpoint.text is not None:
        fill_from_endpoint(party, (endpoint.get("schemeID"), endpoint.text))
    return party


def _vat_id(party: _Element) -> str | None:
    path = f"cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='{VAT_SCHEME}']/cbc:CompanyID"
    return vat_id_or_text(_text(party, path))


def _tax_registration_dic(party: _Element) -> str | None:
    """A Slovak DIČ sent as the seller's tax registration (BT-32), not as a VAT id."""
    path = (
        f"cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)!='{VAT_SCHEME}']/cbc:CompanyID"
    )
    for element in _all(party, path):
        dic = normalise_dic(element.text or "")
        if dic is not None:
            return dic
    return None


def _ico(party: _Element, country: str | None) -> str | None:
    """IČO from the legal registration, else from the party identification."""
    paths = ("cac:PartyLegalEntity/cbc:CompanyID", "cac:PartyIdentification/cbc:ID")
    ids = [(e.get("schemeID"), e.text or "") for path in paths for e in _all(party, path)]
    return domestic_ico(ids, country)


# --- lines, VAT and allowances --------------------------------------------------------


def _line(element: _Element, index: int) -> Line:
    line_id = _text(element, "cbc:ID")
    quantity = _first(element, "cbc:InvoicedQuantity | cbc:CreditedQuantity")
    unit = None if quantity is None else quantity.get("unitCode")
    category = _first(element, "cac:Item/cac:ClassifiedTaxCategory")
    return Line(
        position=int(line_id) if line_id is not None and line_id.isdigit() else index,
        description=_text(element, "cac:Item/cbc:Name")
        or _text(element, "cac:Item/cbc:Description"),
        seller_code=_text(element, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        ean=_ean(element),
        quantity=_decimal(element, "cbc:InvoicedQuantity | cbc:CreditedQuantity"),
        unit=None if unit is None or not unit.strip() else unit_name(unit),
        unit_price=_unit_price(element),
        discount_percent=_decimal(
            element,
            "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']"
            "/cbc:MultiplierFactorNumeric",
        ),
        vat_rate=_rate(category),
        net_amount=_decimal(element, "cbc:LineExtensionAmount"),
        vat_category=_text(category, "cbc:ID"),
    )


def _ean(line: _Element) -> str | None:
    for element in _all(line, "cac:Item/cac:StandardItemIdentification/cbc:ID"):
        scheme, text = element.get("schemeID"), (element.text or "").strip()
        if scheme == GTIN_SCHEME:
            return normalise_ean(text) or text or None
        if scheme is None and normalise_ean(text) is not None:
            return normalise_ean(text)
    return None


def _unit_price(line: _Element) -> Decimal | None:
    """Net price per one unit: UBL may state it per a base quantity (per 100 pieces)."""
    price = _decimal(line, "cac:Price/cbc:PriceAmount")
    base = _decimal(line, "cac:Price/cbc:BaseQuantity")
    if price is None or base is None or base in (0, 1):
        return price
    return price / base


def _rate(category: _Element | None) -> Decimal | None:
    """The category's rate; a category without one (outside scope, O) carries no VAT."""
    if category is None:
        return None
    rate = _decimal(category, "cbc:Percent")
    return Decimal(0) if rate is None else rate


def _vat_rows(tax_total: _Element) -> list[VatRow]:
    rows = []
    for subtotal in _all(tax_total, "cac:TaxSubtotal"):
        category = _first(subtotal, "cac:TaxCategory")
        rate = _decimal(category, "cbc:Percent")
        if rate is None:
            rate = _decimal(subtotal, "cbc:Percent")
        rows.append(
            VatRow(
                rate=Decimal(0) if rate is None else rate,
                base=_decimal(subtotal, "cbc:TaxableAmount"),
                vat=_decimal(subtotal, "cbc:TaxAmount"),
                category=_text(category, "cbc:ID"),
                exemption_reason=_text(category, "cbc:TaxExemptionReason")
                or _text(category, "cbc:TaxExemptionReasonCode"),
            )
        )
    return rows


def _allowance_charge(element: _Element) -> AllowanceCharge:
    category = _first(element, "cac:TaxCategory")
    amount = _decimal(element, "cbc:Amount")
    if amount is None:
        raise XmlError("UBL AllowanceCharge has no Amount")
    return AllowanceCharge(
        is_charge=(_text(element, "cbc:ChargeIndicator") or "").lower() == "true",
        amount=amount,
        reason=_text(element, "cbc:AllowanceChargeReason")
        or _text(element, "cbc:AllowanceChargeReasonCode"),
        base_amount=_decimal(element, "cbc:BaseAmount"),
        percent=_decimal(element, "cbc:MultiplierFactorNumeric"),
        vat_rate=_rate(category),
        vat_category=_text(category, "cbc:ID"),
    )
