"""What the invoice page shows of its catalogue matches and prices, gathered for the template.

Each active line comes with its product (code and name), the trust band that colours it
(:func:`~nex_automat.catalog.invoice_matching.band`), the alternatives still worth a
look, the new-product card proposed for it, and its prices
(:func:`~nex_automat.catalog.pricing.price_line`). The supplier comes with the partner it
was recognised as, or the data a new partner would be made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.catalog.invoice_matching import BULK_BANDS, Band, MatchState, band
from nex_automat.catalog.pricing import LinePricing, price_line, purchase_unit_price
from nex_automat.domain.model import Line
from nex_automat.store.invoices import active_lines, field_value, invoice_to_domain
from nex_automat.store.models import InvoiceLine, InvoiceRecord, Partner, Product, ProductGroup

ALTERNATIVE_FLOOR = 0.3
"""Alternatives less similar than this are not shown: they share next to nothing with the line."""


@dataclass(frozen=True, slots=True)
class ProductView:
    id: int
    code: str
    name: str
    unit: str | None
    group: str | None


@dataclass(frozen=True, slots=True)
class Alternative:
    product_id: int
    code: str
    name: str
    score: int
    """Similarity in whole percent."""


@dataclass(frozen=True, slots=True)
class NewProductView:
    name: str
    code: str
    unit: str
    vat_rate: Decimal | None
    group_id: int | None


@dataclass(frozen=True, slots=True)
class MatchLineView:
    id: int
    number: int
    description: str
    seller_code: str | None
    ean: str | None
    quantity: Decimal | None
    unit: str | None
    product: ProductView | None
    method: str | None
    confidence: int | None
    """In whole percent."""
    state: str | None
    band: Band
    alternatives: list[Alternative]
    new_product: NewProductView
    pricing: LinePricing
    group_margin: Decimal | None
    seen: bool
    """Whether matching has looked at the line (it may have found nothing)."""

    @property
    def bulk(self) -> bool:
        """Confirmed by "confirm all sure matches"."""
        return self.state == MatchState.PROPOSED and self.band in BULK_BANDS


@dataclass(frozen=True, slots=True)
class PartnerView:
    id: int
    name: str
    ico: str | None
    vat_id: str | None


@dataclass(frozen=True, slots=True)
class MatchingView:
    lines: list[MatchLineView]
    groups: list[tuple[int, str]]
    """(id, "code name") of every product group, for the new-product card."""
    partner: PartnerView | None
    partner_method: str | None
    supplier_name: str | None
    supplier_ico: str | None
    supplier_vat_id: str | None

    @property
    def bulk_count(self) -> int:
        return sum(line.bulk for line in self.lines)

    @property
    def matched(self) -> int:
        return sum(line.product is not None or line.band is Band.NEW for line in self.lines)

    @property
    def price_changes(self) -> list[MatchLineView]:
        """Lines of a product (or a new one) whose purchase or sale price would change: the
        list to approve. An unmatched line has no product whose price could change."""
        return [
            line
            for line in self.lines
            if line.pricing.needs_approval and (line.product is not None or line.band is Band.NEW)
        ]

    @property
    def matched_at_all(self) -> bool:
        """Whether the invoice was ever matched (the tenant has a catalogue)."""
        return self.partner_method is not None or any(line.seen for line in self.lines)


def _decimal(text: object) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def matching_view(session: Session, record: InvoiceRecord) -> MatchingView:
    lines = active_lines(record)
    groups = {g.id: g for g in session.scalars(select(ProductGroup).order_by(ProductGroup.code))}
    wanted = {line.product_id for line in lines if line.product_id is not None}
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(wanted)))}
        if wanted
        else {}
    )
    partner = (
        None
        if record.partner_id is None
        else session.scalar(select(Partner).where(Partner.id == record.partner_id))
    )
    views = [
        _line_view(row, line, products.get(row.product_id or 0), groups)
        for row, line in zip(lines, invoice_to_domain(record).lines, strict=True)
    ]
    return MatchingView(
        lines=views,
        groups=[(g.id, f"{g.code} {g.name}") for g in groups.values()],
        partner=None
        if partner is None
        else PartnerView(partner.id, partner.name, partner.ico, partner.vat_id),
        partner_method=record.supplier_match_method,
        supplier_name=field_value(record, "supplier.name"),
        supplier_ico=field_value(record, "supplier.ico"),
        supplier_vat_id=field_value(record, "supplier.vat_id"),
    )


def _line_view(
    row: InvoiceLine,
    line: Line,
    product: Product | None,
    groups: dict[int, ProductGroup],
) -> MatchLineView:
    """One line: ``row`` as stored with its match, ``line`` as the reviewer edited it."""
    proposal = row.new_product or {}
    group_id = product.group_id if product is not None else proposal.get("group_id")
    group = groups.get(group_id) if group_id is not None else None
    vat_rate = line.vat_rate
    if vat_rate is None and product is not None:
        vat_rate = product.vat_rate
    pricing = price_line(
        purchase=purchase_unit_price(line),
        last_purchase=None if product is None else product.purchase_price,
        vat_rate=vat_rate,
        group_margin=None if group is None else group.default_margin,
        catalogue_sale=None if product is None else product.sale_price,
        chosen_sale=row.sale_price,
    )
    alternatives = [
        Alternative(a["product_id"], a["code"], a["name"], round(float(a["score"]) * 100))
        for a in row.match_alternatives or []
        if a["product_id"] != row.product_id and float(a["score"]) >= ALTERNATIVE_FLOOR
    ]
    description = line.description or ""
    return MatchLineView(
        id=row.id,
        number=line.position,
        description=description,
        seller_code=line.seller_code,
        ean=line.ean,
        quantity=line.quantity,
        unit=line.unit,
        product=None
        if product is None
        else ProductView(
            product.id,
            product.code,
            product.name,
            product.unit,
            None if group is None else group.name,
        ),
        method=row.match_method,
        confidence=None if row.match_confidence is None else round(row.match_confidence * 100),
        state=row.match_state,
        band=band(row.match_method, row.match_confidence, row.match_state),
        alternatives=alternatives,
        new_product=NewProductView(
            name=proposal.get("name") or description,
            code=proposal.get("code") or "",
            unit=proposal.get("unit") or line.unit or "",
            vat_rate=_decimal(proposal.get("vat_rate")) or vat_rate,
            group_id=proposal.get("group_id"),
        ),
        pricing=pricing,
        group_margin=None if group is None else group.default_margin,
        seen=row.match_alternatives is not None or row.match_state is not None,
    )
