"""ISDOC (XML or .isdocx archive) → Invoice.

Documents in the wild bend the schema: some have no namespace, some put elements out of
order. Elements are therefore looked up by local name wherever they are among their
siblings; only the root is checked strictly, so a CommonDocument or another format is
refused with a clear message instead of yielding an empty invoice.

For a foreign-currency document the invoice takes the ``…Curr`` amounts, its own
currency's; unit prices exist only in local currency and are divided back by the rate.

Neither the ISDOC schema nor its Schematron rules fix the sign of a credit note
(DocumentType 2, or 6 for an advance); Czech and Slovak ERPs write a credit note the way
it is printed, with negative quantities and amounts, which is the domain's convention
too, and the writer does the same. Some exporters write the credit positive instead; a
credit note whose total is positive is therefore negated
(:mod:`nex_automat.formats.signs`), since a credit note by definition reduces what is
owed (an increase is a debit note, DocumentType 3).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

from nex_automat.domain.identifiers import (
    normalise_bic,
    normalise_dic,
    normalise_ean,
    normalise_iban,
    normalise_ico,
    normalise_vat_id,
)
from nex_automat.domain.model import AllowanceCharge, DocumentType, Invoice, Line, Party, VatRow
from nex_automat.domain.money import HUNDRED, to_cents
from nex_automat.errors import UnsupportedFormat, XmlError
from nex_automat.formats.archive import (
    ZIP_MAGIC,
    ZipLimits,
    file_entries,
    open_archive,
    read_entry,
)
from nex_automat.formats.navigate import xs_decimal
from nex_automat.formats.signs import negated
from nex_automat.formats.xmlsafe import DEFAULT_MAX_BYTES, parse_xml

from .codes import (
    CATEGORY_EXEMPT,
    CATEGORY_OUTSIDE_SCOPE,
    CATEGORY_REVERSE_CHARGE,
    CATEGORY_STANDARD,
    DOCUMENT_TYPES_BY_CODE,
    EXTENSION_NAMESPACE,
    TAX_SCHEME_TIN,
)

ISDOC_NAMESPACE_PREFIX = "http://isdoc.cz/namespace/"
MAX_ARCHIVE_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 200
"""XML compresses well, rarely past 50:1; far beyond that is a ZIP bomb."""

_ORIGINAL_DOCUMENT_ID = "OriginalDocumentReferences/OriginalDocumentReference/ID"
_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_UNIT_PRICE_PLACES = Decimal("0.000001")
_UNIT_PRICE_EXPONENT = -6
_PERCENT_PLACES = Decimal("0.01")
_ONE = Decimal(1)


def read_isdoc(data: bytes) -> Invoice:
    """Read an ISDOC invoice from XML bytes or an .isdocx archive.

    Raises the ``xmlsafe`` errors for unsafe or malformed XML, ``UnsupportedFormat`` for
    a document that is not an ISDOC invoice, and the :mod:`~nex_automat.formats.archive`
    errors for an archive that is damaged or unpacks too big.
    """
    xml = unpack_isdocx(data) if data.startswith(ZIP_MAGIC) else data
    invoice = _Document(parse_xml(xml)).invoice()
    return negated(invoice) if _is_positive_credit_note(invoice) else invoice


def _is_positive_credit_note(invoice: Invoice) -> bool:
    stated = invoice.total_net if invoice.total_net is not None else invoice.total_gross
    return invoice.document_type is DocumentType.CREDIT_NOTE and stated is not None and stated > 0


def unpack_isdocx(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The one ``.isdoc`` at the root of an .isdocx archive (supplements sit in folders).

    Sizes in ZIP headers can lie, so the member is read with a hard cap and its real size
    checked against the limit and the compression ratio (:mod:`~nex_automat.formats.archive`).
    """
    limits = ZipLimits(max_entries=MAX_ARCHIVE_MEMBERS, max_total_bytes=max_bytes)
    with open_archive(data) as archive:
        members = file_entries(archive, limits)
        candidates = [member for member in members if _is_root_isdoc(member.filename)]
        if len(candidates) != 1:
            raise UnsupportedFormat(
                f"ISDOCX archive must hold exactly one .isdoc file at its root, "
                f"it holds {len(candidates)}"
            )
        return read_entry(
            archive, candidates[0], max_bytes=max_bytes, max_ratio=MAX_COMPRESSION_RATIO
        )


def _is_root_isdoc(name: str) -> bool:
    return name.lower().endswith(".isdoc") and "/" not in name and "\\" not in name


# --- namespace-agnostic navigation --------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if _local(child) == name and not _is_extension(child)]


def _is_extension(element: etree._Element) -> bool:
    return etree.QName(element).namespace == EXTENSION_NAMESPACE


def _find(element: etree._Element | None, path: str) -> etree._Element | None:
    for name in path.split("/"):
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    return element


def _text(element: etree._Element | None, path: str) -> str | None:
    found = _find(element, path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _decimal(element: etree._Element | None, path: str) -> Decimal | None:
    text = _text(element, path)
    if text is None:
        return None
    value = xs_decimal(text)
    if value is None:
        raise XmlError(f"ISDOC {path} is not a number: {text!r}")
    return value


def _date(element: etree._Element | None, path: str) -> date | None:
    text = _text(element, path)
    if text is None:
        return None
    match = _DATE.match(text)
    try:
        return date.fromisoformat(match[1]) if match else date.fromisoformat(text)
    except ValueError as exc:
        raise XmlError(f"ISDOC {path} is not a date: {text!r}") from exc


def _extension(element: etree._Element | None, name: str) -> etree._Element | None:
    extensions = _find(element, "Extensions")
    if extensions is None:
        return None
    return extensions.find(f"{{{EXTENSION_NAMESPACE}}}{name}")


def _attribute_decimal(element: etree._Element, name: str) -> Decimal | None:
    value = element.get(name)
    return None if value is None else Decimal(value)


# --- the document -------------------------------------------------------------------


class _Document:
    def __init__(self, root: etree._Element) -> None:
        _check_root(root)
        self.root = root
        local = _text(root, "LocalCurrencyCode")
        foreign = _text(root, "ForeignCurrencyCode")
        self.foreign = foreign is not None and foreign != local
        self.currency = foreign if self.foreign else local
        self.rate: Decimal | None = None
        if self.foreign:
            rate = _decimal(root, "CurrRate")
            reference = _decimal(root, "RefCurrRate") or _ONE
            self.rate = rate / reference if rate else None

    def amount(self, element: etree._Element | None, name: str) -> Decimal | None:
        """The amount in the invoice's own currency (``…Curr`` when foreign)."""
        if not self.foreign:
            return _decimal(element, name)
        foreign = _decimal(element, name + "Curr")
        if foreign is not None:
            return foreign
        local = _decimal(element, name)
        if local is None or not self.rate:
            return None
        return to_cents(local / self.rate)

    def unit_price(self, line: etree._Element) -> Decimal | None:
        local = _decimal(line, "UnitPrice")
        if local is None or not self.foreign or not self.rate:
            return local
        price = local / self.rate
        exponent = price.as_tuple().exponent
        if isinstance(exponent, int) and exponent < _UNIT_PRICE_EXPONENT:
            # Not an exact quotient: someone else's rounded local price.
            price = price.quantize(_UNIT_PRICE_PLACES)
        return price

    def invoice(self) -> Invoice:
        root = self.root
        supplier = _party(_find(root, "AccountingSupplierParty/Party"))
        if supplier.is_empty():
            supplier = _party(_find(root, "SellerSupplierParty/Party"))
        customer = _party(_find(root, "AccountingCustomerParty/Party"))
        if customer.is_empty():
            customer = _party(_find(root, "BuyerCustomerParty/Party"))
        payment = self._payment_details()
        account = payment
        if not _text(account, "IBAN"):
            account = _find(root, "PaymentMeans/AlternateBankAccounts/AlternateBankAccount")
        supplier.iban = normalise_iban(_text(account, "IBAN") or "")
        supplier.bic = normalise_bic(_text(account, "BIC") or "")
        lines, allowances = self._lines()
        totals = _find(root, "LegalMonetaryTotal")
        prepaid = self.amount(totals, "PaidDepositsAmount")
        order = _find(root, "OrderReferences/OrderReference")
        buyer_reference = _extension(root, "BuyerReference")
        return Invoice(
            document_type=_document_type(root),
            number=_text(root, "ID"),
            issue_date=_date(root, "IssueDate"),
            tax_point_date=_date(root, "TaxPointDate"),
            due_date=_date(payment, "PaymentDueDate"),
            currency=self.currency,
            variable_symbol=_text(payment, "VariableSymbol"),
            constant_symbol=_text(payment, "ConstantSymbol"),
            order_reference=_text(order, "ExternalOrderID") or _text(order, "SalesOrderID"),
            supplier=supplier,
            customer=customer,
            lines=lines,
            vat_breakdown=self._vat_rows(),
            total_net=self.amount(totals, "TaxExclusiveAmount"),
            total_vat=self.amount(_find(root, "TaxTotal"), "TaxAmount"),
            total_gross=self.amount(totals, "TaxInclusiveAmount"),
            rounding=self.amount(totals, "PayableRoundingAmount"),
            amount_due=self.amount(totals, "PayableAmount"),
            prepaid_amount=abs(prepaid) if prepaid else None,
            allowances_charges=allowances,
            exchange_rate=self.rate,
            preceding_invoice=_text(root, _ORIGINAL_DOCUMENT_ID),
            buyer_reference=(buyer_reference.text or "").strip() or None
            if buyer_reference is not None
            else None,
            note=_text(root, "Note"),
        )

    def _payment_details(self) -> etree._Element | None:
        """The first payment's details that name a due date or an account."""
        for payment in _children(_find(self.root, "PaymentMeans"), "Payment"):
            details = _find(payment, "Details")
            if _find(details, "PaymentDueDate") is not None or _text(details, "IBAN"):
                return details
        return None

    def _line_elements(self) -> list[etree._Element]:
        wrapper = _find(self.root, "InvoiceLines")
        return _children(wrapper if wrapper is not None else self.root, "InvoiceLine")

    def _lines(self) -> tuple[list[Line], list[AllowanceCharge]]:
        lines: list[Line] = []
        allowances: list[AllowanceCharge] = []
        for index, element in enumerate(self._line_elements(), start=1):
            if _extension(element, "Summary") is not None:
                continue
            marker = _extension(element, "AllowanceCharge")
            if marker is not None:
                allowances.append(self._allowance(element, marker))
            else:
                lines.append(self._line(element, index))
        return lines, allowances

    def _line(self, element: etree._Element, index: int) -> Line:
        marker = _extension(element, "Line")
        identifier = _text(element, "ID") or ""
        net = self.amount(element, "LineExtensionAmount")
        gross = self.amount(element, "LineExtensionAmountTaxInclusive")
        if self.foreign:
            vat = gross - net if gross is not None and net is not None else None
        else:
            vat = _decimal(element, "LineExtensionTaxAmount")
        quantity = _find(element, "InvoicedQuantity")
        rate = _decimal(element, "ClassifiedTaxCategory/Percent")
        return Line(
            position=int(identifier) if identifier.isdigit() else index,
            description=_text(element, "Item/Description"),
            seller_code=_text(element, "Item/SellersItemIdentification/ID"),
            ean=normalise_ean(_text(element, "Item/CatalogueItemIdentification/ID") or ""),
            quantity=_decimal(element, "InvoicedQuantity"),
            unit=(quantity.get("unitCode") or "").strip() or None if quantity is not None else None,
            unit_price=self.unit_price(element),
            discount_percent=self._discount(element, marker, net),
            vat_rate=None if _rate_missing(marker) else rate,
            net_amount=net,
            vat_amount=vat,
            gross_amount=gross,
            vat_category=_line_category(element, marker, rate),
        )

    def _discount(
        self, element: etree._Element, marker: etree._Element | None, net: Decimal | None
    ) -> Decimal | None:
        if marker is not None:
            return _attribute_decimal(marker, "discountPercent")
        before = self.amount(element, "LineExtensionAmountBeforeDiscount")
        if before is None or not before or net is None:
            return None
        return ((before - net) * HUNDRED / before).quantize(_PERCENT_PLACES)

    def _allowance(self, element: etree._Element, marker: etree._Element) -> AllowanceCharge:
        is_charge = marker.get("charge") == "true"
        net = self.amount(element, "LineExtensionAmount") or Decimal(0)
        return AllowanceCharge(
            is_charge=is_charge,
            amount=net if is_charge else -net,
            reason=_text(element, "Item/Description"),
            base_amount=_attribute_decimal(marker, "baseAmount"),
            percent=_attribute_decimal(marker, "percent"),
            vat_rate=None
            if _rate_missing(marker)
            else _decimal(element, "ClassifiedTaxCategory/Percent"),
            vat_category=marker.get("category"),
        )

    def _vat_rows(self) -> list[VatRow]:
        described = _described_rows(self.root)
        notes = self._vat_notes()
        rows = []
        for subtotal in _children(_find(self.root, "TaxTotal"), "TaxSubTotal"):
            rate = _decimal(subtotal, "TaxCategory/Percent")
            if rate is None:
                continue
            category = _derived_category(
                rate,
                vat_applicable=_text(subtotal, "TaxCategory/VATApplicable"),
                reverse_charge=_text(subtotal, "TaxCategory/LocalReverseChargeFlag") == "true",
            )
            reason = notes.get(rate)
            if described is not None:
                description = described.get(rate)
                category = description.get("category") if description is not None else None
                reason = description.get("exemptionReason") if description is not None else None
            rows.append(
                VatRow(
                    rate=rate,
                    base=self.amount(subtotal, "TaxableAmount"),
                    vat=self.amount(subtotal, "TaxAmount"),
                    category=category,
                    exemption_reason=reason,
                )
            )
        return rows

    def _vat_notes(self) -> dict[Decimal, str]:
        notes: dict[Decimal, str] = {}
        for element in self._line_elements():
            rate = _decimal(element, "ClassifiedTaxCategory/Percent")
            note = _text(element, "VATNote")
            if rate is not None and note:
                notes.setdefault(rate, note)
        return notes


def _check_root(root: etree._Element) -> None:
    name = _local(root)
    namespace = etree.QName(root).namespace
    if namespace is not None and not namespace.startswith(ISDOC_NAMESPACE_PREFIX):
        raise UnsupportedFormat(f"not an ISDOC document: root element {{{namespace}}}{name}")
    if name == "CommonDocument":
        raise UnsupportedFormat(
            "ISDOC CommonDocument (a general document such as a contract) is not an invoice "
            "and is not read"
        )
    if name != "Invoice":
        raise UnsupportedFormat(f"not an ISDOC invoice: root element {name}")


def _document_type(root: etree._Element) -> DocumentType:
    code = _text(root, "DocumentType")
    if code not in DOCUMENT_TYPES_BY_CODE:
        raise UnsupportedFormat(f"ISDOC DocumentType {code!r} is not a known document type")
    return DOCUMENT_TYPES_BY_CODE[code]


def _rate_missing(marker: etree._Element | None) -> bool:
    return marker is not None and marker.get("vatRateMissing") == "true"


def _derived_category(rate: Decimal, *, vat_applicable: str | None, reverse_charge: bool) -> str:
    """ISDOC has no VAT categories; its flags and the rate tell them apart.

    A 0 % rate on a VAT-applicable item is an exemption in Slovak and Czech law.
    """
    if reverse_charge:
        return CATEGORY_REVERSE_CHARGE
    if vat_applicable == "false":
        return CATEGORY_OUTSIDE_SCOPE
    return CATEGORY_STANDARD if rate > 0 else CATEGORY_EXEMPT


def _line_category(
    element: etree._Element, marker: etree._Element | None, rate: Decimal | None
) -> str | None:
    if marker is not None:
        return marker.get("category")
    if rate is None:
        return None
    return _derived_category(
        rate,
        vat_applicable=_text(element, "ClassifiedTaxCategory/VATApplicable"),
        reverse_charge=_find(element, "ClassifiedTaxCategory/LocalReverseCharge") is not None,
    )


def _described_rows(root: etree._Element) -> dict[Decimal, etree._Element] | None:
    extensions = _find(root, "Extensions")
    if extensions is None:
        return None
    rows = extensions.findall(f"{{{EXTENSION_NAMESPACE}}}VatRow")
    if not rows:
        return None
    return {Decimal(row.get("rate", "0")): row for row in rows}


def _party(element: etree._Element | None) -> Party:
    if element is None:
        return Party()
    country = (_text(element, "PostalAddress/Country/IdentificationCode") or "").upper() or None
    street_parts = [
        _text(element, "PostalAddress/StreetName"),
        _text(element, "PostalAddress/BuildingNumber"),
    ]
    party = Party(
        name=_text(element, "PartyName/Name"),
        ico=normalise_ico(_text(element, "PartyIdentification/ID") or ""),
        street=" ".join(part for part in street_parts if part) or None,
        city=_text(element, "PostalAddress/CityName"),
        postal_code=_text(element, "PostalAddress/PostalZone"),
        country=country,
    )
    for scheme in _children(element, "PartyTaxScheme"):
        _add_tax_id(party, _text(scheme, "CompanyID") or "", _text(scheme, "TaxScheme"))
    return party


def _add_tax_id(party: Party, company_id: str, scheme: str | None) -> None:
    """Slovak DIČ under TIN, IČ DPH and Czech DIČ (``CZ…``) under VAT.

    A Czech DIČ written without its prefix is still a VAT id; ten bare digits elsewhere
    are a Slovak DIČ.
    """
    vat_id = normalise_vat_id(company_id)
    dic = normalise_dic(company_id)
    if scheme is not None and scheme.upper() == TAX_SCHEME_TIN:
        if dic is not None:
            party.dic = party.dic or dic
        elif vat_id is not None:
            party.vat_id = party.vat_id or vat_id
        return
    if vat_id is not None:
        party.vat_id = party.vat_id or vat_id
    elif party.country == "CZ" and company_id.strip().isdigit():
        party.vat_id = party.vat_id or normalise_vat_id("CZ" + company_id)
    elif dic is not None:
        party.dic = party.dic or dic
