"""A person's decisions about an invoice's matches, each logged and each teaching the matcher.

Confirming a line's product, choosing another one, or confirming the sure ones in bulk
all end in :func:`~nex_automat.catalog.matching.learn`: the supplier's article code is
remembered for the invoice's partner, so the next invoice of that supplier matches the
line by its code. Without a partner (an unknown supplier not yet created) or without an
article code on the line there is nothing to remember by, and nothing is learned.

Every decision writes an audit entry on the invoice naming the line and the product, like
the reviewer's edits do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from nex_automat.catalog.invoice_matching import (
    BULK_BANDS,
    LineMethod,
    MatchState,
    PartnerMethod,
    band,
)
from nex_automat.catalog.matching import learn
from nex_automat.domain import identifiers
from nex_automat.domain.money import to_cents
from nex_automat.errors import NexError
from nex_automat.store.audit import record_audit
from nex_automat.store.invoices import field_value, line_value
from nex_automat.store.models import InvoiceLine, InvoiceRecord, Partner, Product, ProductGroup


class UnknownProduct(NexError):
    code = "unknown_product"


class NothingToConfirm(NexError):
    """The line has no product to confirm."""

    code = "nothing_to_confirm"


class InvalidNewProduct(NexError):
    code = "invalid_new_product"


class InvalidSalePrice(NexError):
    code = "invalid_sale_price"


class PartnerConflict(NexError):
    """The supplier cannot be made a partner: it has no name, or its IČO and VAT id belong
    to two different partners."""

    code = "partner_conflict"


def _path(line: InvoiceLine, name: str) -> str:
    """The line as the audit log names it (by its place when read, like the line edits)."""
    return f"lines[{line.position}].{name}"


def _audit(
    session: Session,
    line: InvoiceLine,
    action: str,
    *,
    actor: str,
    old: str | None,
    new: str | None,
    name: str = "product",
) -> None:
    record_audit(
        session,
        entity="invoice",
        entity_id=line.invoice_id,
        action=action,
        actor=actor,
        field=_path(line, name),
        old_value=old,
        new_value=new,
    )


def _product(session: Session, product_id: int) -> Product:
    product = session.scalar(select(Product).where(Product.id == product_id))
    if product is None:
        raise UnknownProduct(f"no product {product_id}")
    return product


def _label(session: Session, product_id: int | None) -> str | None:
    if product_id is None:
        return None
    product = session.scalar(select(Product).where(Product.id == product_id))
    return None if product is None else f"{product.code} {product.name}"


def _teach(
    session: Session,
    record: InvoiceRecord,
    line: InvoiceLine,
    product_id: int,
    *,
    actor: str,
) -> bool:
    """Remember the line's article code for the invoice's partner; whether anything was."""
    seller_code = line_value(line, "seller_code")
    if record.partner_id is None or not seller_code:
        return False
    learn(session, record.partner_id, seller_code, product_id, actor=actor)
    return True


def confirm_line(
    session: Session,
    record: InvoiceRecord,
    line: InvoiceLine,
    *,
    actor: str,
) -> None:
    """The proposed product is right: the line is ``confirmed`` and its code learned."""
    if line.product_id is None:
        raise NothingToConfirm(f"line {line.id} has no product to confirm")
    line.match_state = MatchState.CONFIRMED
    _teach(session, record, line, line.product_id, actor=actor)
    _audit(
        session,
        line,
        "confirm_match",
        actor=actor,
        old=None,
        new=_label(session, line.product_id),
    )
    session.flush()


def choose_product(
    session: Session,
    record: InvoiceRecord,
    line: InvoiceLine,
    product_id: int,
    *,
    actor: str,
) -> None:
    """A person picked the line's product: confirmed, ``manual`` unless it was the proposal."""
    product = _product(session, product_id)
    if product_id == line.product_id and line.match_state is not None:
        confirm_line(session, record, line, actor=actor)
        return
    old = _label(session, line.product_id)
    line.product_id = product.id
    line.match_method = LineMethod.MANUAL
    line.match_confidence = None
    line.match_state = MatchState.CONFIRMED
    line.new_product = None
    _teach(session, record, line, product.id, actor=actor)
    _audit(
        session, line, "choose_product", actor=actor, old=old, new=f"{product.code} {product.name}"
    )
    session.flush()


def confirm_sure(session: Session, record: InvoiceRecord, *, actor: str) -> int:
    """Confirm every proposed match that is sure or likely; returns how many."""
    count = 0
    for line in record.lines:
        if line.deleted or line.match_state != MatchState.PROPOSED:
            continue
        if band(line.match_method, line.match_confidence, line.match_state) in BULK_BANDS:
            confirm_line(session, record, line, actor=actor)
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class NewProduct:
    """The product card to create in the ERP for a line the catalogue does not have."""

    name: str
    code: str
    unit: str | None
    vat_rate: Decimal | None
    group_id: int | None

    def as_json(self, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Kept in ``invoice_lines.new_product``, over what the matcher proposed."""
        return {
            **(base or {}),
            "name": self.name,
            "code": self.code,
            "unit": self.unit,
            "vat_rate": None if self.vat_rate is None else format(self.vat_rate, "f"),
            "group_id": self.group_id,
        }


def mark_new_product(
    session: Session,
    record: InvoiceRecord,
    line: InvoiceLine,
    card: NewProduct,
    *,
    actor: str,
) -> None:
    """The line is a product to create: no catalogue product, the card kept on the line."""
    if not card.name.strip():
        raise InvalidNewProduct("a new product needs a name")
    if card.code and session.scalar(select(Product.id).where(Product.code == card.code)):
        raise InvalidNewProduct(f"product code {card.code!r} is taken")
    if card.group_id is not None and (
        session.scalar(select(ProductGroup.id).where(ProductGroup.id == card.group_id)) is None
    ):
        raise InvalidNewProduct(f"no product group {card.group_id}")
    old = _label(session, line.product_id)
    line.product_id = None
    line.match_method = LineMethod.NEW_PRODUCT
    line.match_confidence = None
    line.match_state = MatchState.NEW_PRODUCT
    line.new_product = card.as_json(line.new_product)
    _audit(session, line, "new_product", actor=actor, old=old, new=card.name)
    session.flush()


def set_sale_prices(
    session: Session,
    record: InvoiceRecord,
    prices: Mapping[int, Decimal | None],
    *,
    actor: str,
) -> int:
    """Set the sale prices (without VAT) of lines by id, in cents; ``None`` clears one.
    Returns how many changed."""
    changed = 0
    for line in record.lines:
        if line.id not in prices or line.deleted:
            continue
        new = prices[line.id]
        if new is not None:
            if not new.is_finite() or new < 0:
                raise InvalidSalePrice(f"a sale price cannot be {new}")
            new = to_cents(new)
        if new == line.sale_price and (new is None) == (line.sale_price is None):
            continue
        old = line.sale_price
        line.sale_price = new
        _audit(
            session,
            line,
            "sale_price",
            actor=actor,
            old=None if old is None else format(old, "f"),
            new=None if new is None else format(new, "f"),
            name="sale_price",
        )
        changed += 1
    session.flush()
    return changed


def create_partner(session: Session, record: InvoiceRecord, *, actor: str) -> Partner:
    """A partner made of the invoice's supplier (the reviewer's edits included), linked to it.

    A partner with the same IČO or VAT id is linked instead of a second one made.
    """

    def supplier(name: str) -> Any:
        return field_value(record, f"supplier.{name}")

    ico = identifiers.normalise_ico(supplier("ico")) if supplier("ico") else None
    vat_id = identifiers.normalise_vat_id(supplier("vat_id")) if supplier("vat_id") else None
    same = [Partner.ico == ico] if ico else []
    same += [Partner.vat_id == vat_id] if vat_id else []
    existing = list(session.scalars(select(Partner).where(or_(*same)))) if same else []
    if len(existing) > 1:
        raise PartnerConflict("the supplier's IČO and VAT id belong to two different partners")
    if existing:
        partner = existing[0]
    else:
        name = supplier("name")
        if not name:
            raise PartnerConflict("the supplier has no name to create a partner with")
        partner = Partner(
            name=name,
            ico=ico,
            dic=supplier("dic"),
            vat_id=vat_id,
            iban=identifiers.normalise_iban(supplier("iban")) if supplier("iban") else None,
            street=supplier("street"),
            city=supplier("city"),
            postal_code=supplier("postal_code"),
            country=supplier("country"),
        )
        session.add(partner)
        session.flush()
    record.partner_id = partner.id
    record.supplier_match_method = PartnerMethod.CREATED if not existing else PartnerMethod.MANUAL
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="create_partner" if not existing else "choose_partner",
        actor=actor,
        field="supplier.partner",
        new_value=partner.name,
    )
    session.flush()
    return partner
