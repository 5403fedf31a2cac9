"""What an approved invoice hands to the ERP: a receipt, new product cards, price changes.

Pure: :func:`build_handover` takes the invoice as the reviewer left it, each line's
catalogue match and the products those matches name, and returns a :class:`Handover`;
:mod:`nex_automat.catalog.handover_source` reads those inputs from the database.

- The **receipt** (príjemka) lists the lines that are tied to a product card — matched
  to one, or proposed as a new one — with the product's code and name, the quantity, the
  purchase unit price net of VAT after the line discount, the VAT rate and the line's net
  total. A line without a product (transport, a deposit, an unmatched line), without a
  quantity or without a price is not received into stock; it is listed as skipped, with
  why. The receipt's totals are its own lines' totals.
- **New product cards** are the lines proposed as products the catalogue lacks.
- **Price changes** are the matched lines whose purchase price differs from the
  product's last purchase price, or that set a sale price other than the product's. A
  credit note returns goods at the old price, so it changes no price.

Money stays ``Decimal``. A unit price after a discount is exact (a percentage of a
decimal is a decimal); only a price derived by dividing the net by the quantity is
rounded, to :data:`UNIT_PRICE_PLACES`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from nex_automat.domain.model import DocumentType, Invoice, Line, Party
from nex_automat.domain.money import HUNDRED, to_cents, total

UNIT_PRICE_PLACES = Decimal("0.000001")
NEW_PRODUCT_STATE = "new_product"
_MIN_PRICE_PLACES = 2


class SkipReason(StrEnum):
    """Why a line of the invoice is not on the receipt."""

    NO_PRODUCT = "no_product"
    NO_QUANTITY = "no_quantity"
    NO_PRICE = "no_price"


# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What the hand-over needs of a catalogue product."""

    id: int
    code: str
    name: str
    unit: str | None = None
    vat_rate: Decimal | None = None
    purchase_price: Decimal | None = None
    sale_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineLink:
    """A line's tie to the catalogue, as matching and the reviewer left it."""

    product_id: int | None = None
    method: str | None = None
    state: str | None = None
    new_product: Mapping[str, Any] | None = None
    """The card proposed for a product the catalogue lacks: name, code, unit, vat_rate,
    group_id (as matching stores it, JSON)."""
    sale_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SupplierPartner:
    """The catalogue partner the invoice's supplier was recognised as."""

    id: int
    name: str
    ico: str | None = None
    dic: str | None = None
    vat_id: str | None = None


@dataclass(frozen=True, slots=True)
class HandoverSource:
    """Everything :func:`build_handover` reads; ``links`` follow ``invoice.lines`` in order."""

    tenant_id: str
    invoice_id: str
    invoice: Invoice
    links: Sequence[LineLink]
    products: Mapping[int, ProductCard] = field(default_factory=dict)
    group_codes: Mapping[int, str] = field(default_factory=dict)
    partner: SupplierPartner | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None


# ----------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    position: int
    """The line's number on the invoice."""
    product_code: str | None
    """``None`` only for a new product proposed without a code: the ERP gives it one."""
    product_name: str | None
    product_id: int | None
    new_product: bool
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    """Purchase price of one unit, net of VAT, after the line's discount."""
    vat_rate: Decimal | None
    net_amount: Decimal
    supplier_code: str | None
    ean: str | None
    description: str | None
    """The line's text as the supplier wrote it."""
    match_method: str | None


@dataclass(frozen=True, slots=True)
class SkippedLine:
    position: int
    description: str | None
    net_amount: Decimal | None
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class VatTotal:
    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class Receipt:
    invoice_id: str
    document_type: DocumentType
    invoice_number: str | None
    issue_date: date | None
    tax_point_date: date | None
    due_date: date | None
    currency: str | None
    exchange_rate: Decimal | None
    order_reference: str | None
    variable_symbol: str | None
    supplier: Party
    customer: Party
    partner: SupplierPartner | None
    lines: tuple[ReceiptLine, ...]
    skipped: tuple[SkippedLine, ...]
    vat: tuple[VatTotal, ...]
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal


@dataclass(frozen=True, slots=True)
class NewProduct:
    """A product card for the ERP to create."""

    position: int
    code: str | None
    name: str | None
    unit: str | None
    vat_rate: Decimal | None
    group_id: int | None
    group_code: str | None
    purchase_price: Decimal
    sale_price: Decimal | None
    ean: str | None
    supplier_code: str | None


@dataclass(frozen=True, slots=True)
class PriceChange:
    position: int
    product_id: int
    product_code: str
    product_name: str
    unit: str | None
    old_purchase_price: Decimal | None
    new_purchase_price: Decimal
    old_sale_price: Decimal | None
    new_sale_price: Decimal | None
    """The sale price set on the invoice; ``None`` when it leaves the sale price alone."""


@dataclass(frozen=True, slots=True)
class Handover:
    tenant_id: str
    receipt: Receipt
    new_products: tuple[NewProduct, ...]
    price_changes: tuple[PriceChange, ...]
    approved_at: datetime | None = None
    approved_by: str | None = None


# ---------------------------------------------------------------------------- building


def build_handover(source: HandoverSource) -> Handover:
    """The receipt, new product cards and price changes of one approved invoice."""
    invoice = source.invoice
    if len(source.links) != len(invoice.lines):
        raise ValueError("every line of the invoice needs its catalogue link")
    fallback_rate = _only_rate(invoice)
    received: list[ReceiptLine] = []
    skipped: list[SkippedLine] = []
    new_products: list[NewProduct] = []
    price_changes: list[PriceChange] = []
    for line, link in zip(invoice.lines, source.links, strict=True):
        product = source.products.get(link.product_id) if link.product_id is not None else None
        proposal = link.new_product if link.state == NEW_PRODUCT_STATE else None
        reason = _skip_reason(line, product, proposal)
        if reason is not None:
            skipped.append(SkippedLine(line.position, line.description, line.net_amount, reason))
            continue
        receipt_line = _receipt_line(line, link, product, proposal, fallback_rate)
        received.append(receipt_line)
        if product is None:
            assert proposal is not None
            new_products.append(_new_product(receipt_line, link, proposal, source.group_codes))
        elif invoice.document_type is not DocumentType.CREDIT_NOTE:
            change = _price_change(receipt_line, link, product)
            if change is not None:
                price_changes.append(change)
    return Handover(
        tenant_id=source.tenant_id,
        receipt=_receipt(source, received, skipped),
        new_products=tuple(new_products),
        price_changes=tuple(price_changes),
        approved_at=source.approved_at,
        approved_by=source.approved_by,
    )


def _only_rate(invoice: Invoice) -> Decimal | None:
    """The invoice's one VAT rate, for a line that states none; ``None`` with several."""
    rates = {row.rate for row in invoice.vat_breakdown}
    return rates.pop() if len(rates) == 1 else None


def _skip_reason(
    line: Line, product: ProductCard | None, proposal: Mapping[str, Any] | None
) -> SkipReason | None:
    if product is None and proposal is None:
        return SkipReason.NO_PRODUCT
    if not line.quantity:
        return SkipReason.NO_QUANTITY
    if line.unit_price is None and line.net_amount is None:
        return SkipReason.NO_PRICE
    return None


def plain_price(value: Decimal) -> Decimal:
    """A price without trailing zeros beyond the cents: ``17.71200`` → ``17.712``."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -_MIN_PRICE_PLACES:
        return normal.quantize(Decimal(1).scaleb(-_MIN_PRICE_PLACES))
    return normal


def net_unit_price(line: Line) -> Decimal:
    """One unit's price net of VAT after the discount; the net over the quantity without a
    price. The caller has made sure there is a quantity and a price or a net."""
    if line.unit_price is not None:
        discount = line.discount_percent or Decimal(0)
        price = (
            line.unit_price if not discount else line.unit_price * (HUNDRED - discount) / HUNDRED
        )
        return plain_price(price)
    assert line.net_amount is not None and line.quantity
    return plain_price((line.net_amount / line.quantity).quantize(UNIT_PRICE_PLACES))


def _line_net(line: Line, unit_price: Decimal) -> Decimal:
    if line.net_amount is not None:
        return line.net_amount
    assert line.quantity is not None
    return to_cents(line.quantity * unit_price)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _receipt_line(
    line: Line,
    link: LineLink,
    product: ProductCard | None,
    proposal: Mapping[str, Any] | None,
    fallback_rate: Decimal | None,
) -> ReceiptLine:
    assert line.quantity is not None
    unit_price = net_unit_price(line)
    if product is not None:
        code, name, unit, rate = product.code, product.name, product.unit, product.vat_rate
    else:
        assert proposal is not None
        code, name = _text(proposal.get("code")), _text(proposal.get("name"))
        unit, rate = _text(proposal.get("unit")), _decimal(proposal.get("vat_rate"))
    vat_rate = next((r for r in (line.vat_rate, rate, fallback_rate) if r is not None), None)
    return ReceiptLine(
        position=line.position,
        product_code=code,
        product_name=name or line.description,
        product_id=None if product is None else product.id,
        new_product=product is None,
        quantity=line.quantity,
        unit=line.unit or unit,
        unit_price=unit_price,
        vat_rate=vat_rate,
        net_amount=_line_net(line, unit_price),
        supplier_code=line.seller_code,
        ean=line.ean,
        description=line.description,
        match_method=link.method,
    )


def _new_product(
    line: ReceiptLine, link: LineLink, proposal: Mapping[str, Any], group_codes: Mapping[int, str]
) -> NewProduct:
    group = proposal.get("group_id")
    group_id = group if isinstance(group, int) else None
    return NewProduct(
        position=line.position,
        code=line.product_code,
        name=line.product_name,
        unit=line.unit,
        vat_rate=line.vat_rate,
        group_id=group_id,
        group_code=None if group_id is None else group_codes.get(group_id),
        purchase_price=line.unit_price,
        sale_price=link.sale_price,
        ean=line.ean,
        supplier_code=line.supplier_code,
    )


def _price_change(line: ReceiptLine, link: LineLink, product: ProductCard) -> PriceChange | None:
    purchase_changed = product.purchase_price != line.unit_price
    sale_changed = link.sale_price is not None and link.sale_price != product.sale_price
    if not (purchase_changed or sale_changed):
        return None
    return PriceChange(
        position=line.position,
        product_id=product.id,
        product_code=product.code,
        product_name=product.name,
        unit=product.unit or line.unit,
        old_purchase_price=product.purchase_price,
        new_purchase_price=line.unit_price,
        old_sale_price=product.sale_price,
        new_sale_price=link.sale_price if sale_changed else None,
    )


def _vat_totals(lines: Sequence[ReceiptLine]) -> tuple[VatTotal, ...]:
    rates = list(dict.fromkeys(line.vat_rate for line in lines if line.vat_rate is not None))
    rows = []
    for rate in rates:
        base = total(line.net_amount for line in lines if line.vat_rate == rate)
        rows.append(VatTotal(rate=rate, base=base, vat=to_cents(base * rate / HUNDRED)))
    return tuple(rows)


def _receipt(
    source: HandoverSource, lines: Sequence[ReceiptLine], skipped: Sequence[SkippedLine]
) -> Receipt:
    invoice = source.invoice
    vat = _vat_totals(lines)
    net = total(line.net_amount for line in lines)
    vat_sum = total(row.vat for row in vat)
    return Receipt(
        invoice_id=source.invoice_id,
        document_type=invoice.document_type,
        invoice_number=invoice.number,
        issue_date=invoice.issue_date,
        tax_point_date=invoice.tax_point_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        exchange_rate=invoice.exchange_rate,
        order_reference=invoice.order_reference,
        variable_symbol=invoice.variable_symbol,
        supplier=invoice.supplier,
        customer=invoice.customer,
        partner=source.partner,
        lines=tuple(lines),
        skipped=tuple(skipped),
        vat=vat,
        total_net=net,
        total_vat=vat_sum,
        total_gross=net + vat_sum,
    )
