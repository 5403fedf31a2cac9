"""A small building-materials catalogue and invoices quoting it, stored for the database tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from nex_automat.domain.model import Invoice, Line
from nex_automat.store.invoices import get_invoice, save_invoice
from nex_automat.store.models import Barcode, InvoiceRecord, Partner, Product, ProductGroup
from tests.store.factories import add_pdf, make_invoice, make_result

SUPPLIER_ICO = "36123456"
"""The IČO of :func:`tests.store.factories.make_invoice`'s supplier."""
CEMENT_EAN = "8586000000018"


@dataclass(frozen=True)
class Seeded:
    cement_group: int
    tile_group: int
    cement25: int
    cement50: int
    lime: int
    glue: int
    grout: int
    partner: int


def seed_catalogue(session: Session, *, partner: bool = True) -> Seeded:
    """Groups with margins, five products (one with a barcode), and the invoices' supplier."""
    cement = ProductGroup(code="CEM", name="Cementy a vápna", default_margin=Decimal("25"))
    tile = ProductGroup(code="OBK", name="Obklady a lepidlá", default_margin=Decimal("30"))
    session.add_all([cement, tile])
    session.flush()

    def product(code: str, name: str, group: ProductGroup, price: str, sale: str) -> Product:
        return Product(
            code=code,
            name=name,
            unit="vrece",
            vat_rate=Decimal("23"),
            group_id=group.id,
            purchase_price=Decimal(price),
            sale_price=Decimal(sale),
        )

    products = [
        product("10001", "CEMENT PC 25 KG", cement, "5.00", "6.50"),
        product("10002", "CEMENT PC 50 KG", cement, "9.00", "11.50"),
        product("10003", "Vápno hasené 25 kg", cement, "4.00", "5.20"),
        product("20001", "Lepidlo na obklad flexibilné C2TE 25 kg", tile, "12.00", "15.90"),
        product("20002", "Škárovacia hmota šedá 5 kg", tile, "6.00", "7.90"),
    ]
    session.add_all(products)
    session.flush()
    session.add(Barcode(product_id=products[0].id, code=CEMENT_EAN, primary=True))
    supplier = Partner(name="Stavebniny Žilina s.r.o.", ico=SUPPLIER_ICO)
    if partner:
        session.add(supplier)
    session.flush()
    return Seeded(
        cement_group=cement.id,
        tile_group=tile.id,
        cement25=products[0].id,
        cement50=products[1].id,
        lime=products[2].id,
        glue=products[3].id,
        grout=products[4].id,
        partner=supplier.id if partner else 0,
    )


def line(
    position: int,
    description: str,
    *,
    seller_code: str | None = None,
    ean: str | None = None,
    unit_price: str = "10.00",
    discount: str | None = None,
) -> Line:
    return Line(
        position=position,
        description=description,
        seller_code=seller_code,
        ean=ean,
        quantity=Decimal("2"),
        unit="vrece",
        unit_price=Decimal(unit_price),
        discount_percent=None if discount is None else Decimal(discount),
        vat_rate=Decimal("23"),
    )


def invoice_of(*lines: Line, number: str = "2024001", **fields: object) -> Invoice:
    return replace(make_invoice(number, **fields), lines=list(lines))  # type: ignore[arg-type]


def store_invoice(session: Session, invoice: Invoice) -> InvoiceRecord:
    """``invoice`` saved as extraction would save it, with its lines loaded."""
    document = add_pdf(session, f"{invoice.number}{invoice.lines}".encode())
    saved = save_invoice(session, document.id, make_result(invoice))
    record = get_invoice(session, saved.id)
    assert record is not None
    return record


STANDARD_LINES = (
    line(1, "Cement portlandský 25kg", seller_code="ZA-100", ean=CEMENT_EAN, unit_price="5.50"),
    line(2, "Cement PC 50kg", seller_code="ZA-200", unit_price="10.00", discount="10"),
    line(3, "Vapno hydratovane 25kg", seller_code="ZA-300", unit_price="4.00"),
    line(4, "Škárovacia hmota biela 2 kg", seller_code="ZA-400", unit_price="3.10"),
)
"""An EAN line (sure), the same name in other words (likely), a roughly similar name
(doubtful: 0.77) and a product the catalogue lacks, most like the tile group's grout."""
