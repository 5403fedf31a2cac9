"""Reading what a hand-over is built from: the edited invoice, its line matches, products.

Three queries whatever the number of lines: the invoice with its lines, the products its
lines name, and the groups of proposed new products. Needs a tenant session, so every
row read is the tenant's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.catalog.handover import (
    Handover,
    HandoverSource,
    LineLink,
    ProductCard,
    SupplierPartner,
    build_handover,
)
from nex_automat.store.invoices import active_lines, invoice_to_domain
from nex_automat.store.models import InvoiceLine, InvoiceRecord, Partner, Product, ProductGroup
from nex_automat.store.tenancy import require_tenant


def _link(line: InvoiceLine) -> LineLink:
    return LineLink(
        product_id=line.product_id,
        method=line.match_method,
        state=line.match_state,
        new_product=line.new_product,
        sale_price=line.sale_price,
    )


def _products(session: Session, ids: Iterable[int]) -> dict[int, ProductCard]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.scalars(select(Product).where(Product.id.in_(wanted)))
    return {
        row.id: ProductCard(
            id=row.id,
            code=row.code,
            name=row.name,
            unit=row.unit,
            vat_rate=row.vat_rate,
            purchase_price=row.purchase_price,
            sale_price=row.sale_price,
        )
        for row in rows
    }


def _group_codes(session: Session, links: Iterable[LineLink]) -> dict[int, str]:
    wanted = {
        group
        for link in links
        if link.new_product is not None
        and isinstance(group := link.new_product.get("group_id"), int)
    }
    if not wanted:
        return {}
    rows = session.execute(
        select(ProductGroup.id, ProductGroup.code).where(ProductGroup.id.in_(wanted))
    )
    return {row.id: row.code for row in rows}


def _partner(session: Session, partner_id: int | None) -> SupplierPartner | None:
    if partner_id is None:
        return None
    row = session.scalar(select(Partner).where(Partner.id == partner_id))
    if row is None:
        return None
    return SupplierPartner(id=row.id, name=row.name, ico=row.ico, dic=row.dic, vat_id=row.vat_id)


def handover_source(session: Session, record: InvoiceRecord) -> HandoverSource:
    """The builder's inputs for ``record`` (loaded with its lines, as ``get_invoice`` does)."""
    links = [_link(line) for line in active_lines(record)]
    return HandoverSource(
        tenant_id=require_tenant(session),
        invoice_id=record.id,
        invoice=invoice_to_domain(record),
        links=links,
        products=_products(session, (ln.product_id for ln in links if ln.product_id is not None)),
        group_codes=_group_codes(session, links),
        partner=_partner(session, record.partner_id),
        approved_at=record.approved_at,
        approved_by=record.approved_by,
    )


def load_handover(session: Session, record: InvoiceRecord) -> Handover:
    """The hand-over of ``record`` as it stands now."""
    return build_handover(handover_source(session, record))
