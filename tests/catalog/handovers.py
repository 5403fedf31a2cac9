"""Hand-over inputs built in memory, for the tests of the builder, its files and connectors.

The invoice is :func:`tests.store.factories.make_invoice` with four lines: an EAN match
whose price went up, a name match with a 10 % discount and a sale price set, a proposed
new product, and transport, which no product stands for.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from nex_automat.catalog.handover import (
    Handover,
    HandoverSource,
    LineLink,
    ProductCard,
    SupplierPartner,
    build_handover,
)
from nex_automat.domain.model import Invoice, Line
from tests.store.factories import make_invoice

CEMENT = ProductCard(
    id=11,
    code="10001",
    name="CEMENT PC 25 KG",
    unit="vrece",
    vat_rate=Decimal("23"),
    purchase_price=Decimal("5.00"),
    sale_price=Decimal("6.50"),
)
GLUE = ProductCard(
    id=14,
    code="20001",
    name="Lepidlo C2TE 25 kg",
    unit="vrece",
    vat_rate=Decimal("23"),
    purchase_price=Decimal("12.00"),
    sale_price=Decimal("15.90"),
)
PARTNER = SupplierPartner(id=7, name="Stavebniny Žilina s.r.o.", ico="36123456")
GROUT_PROPOSAL = {
    "name": "Škárovacia hmota biela 2 kg",
    "code": "20003",
    "unit": "vrece",
    "vat_rate": "23",
    "group_id": 2,
}


def _line(position: int, description: str, price: str, **values: object) -> Line:
    return Line(
        position=position,
        description=description,
        quantity=Decimal("4"),
        unit="vrece",
        unit_price=Decimal(price),
        vat_rate=Decimal("23"),
        **values,  # type: ignore[arg-type]
    )


def sample_invoice() -> Invoice:
    lines = [
        _line(1, "Cement portlandský 25kg", "5.50", seller_code="ZA-100", ean="8586000000018"),
        _line(2, "Lepidlo flex C2TE", "13.20", seller_code="ZA-200", discount_percent=Decimal(10)),
        _line(3, "Škárovacia hmota biela 2 kg", "3.10", seller_code="ZA-400"),
        Line(position=4, description="Doprava", quantity=Decimal(1), net_amount=Decimal("25.00")),
    ]
    return replace(make_invoice("FV2024/0815"), lines=lines)


def sample_source(invoice: Invoice | None = None, **changes: object) -> HandoverSource:
    source = HandoverSource(
        tenant_id="acme",
        invoice_id="4f0c7a52-0000-4000-8000-000000000001",
        invoice=invoice or sample_invoice(),
        links=[
            LineLink(product_id=CEMENT.id, method="ean", state="confirmed"),
            LineLink(
                product_id=GLUE.id, method="name", state="confirmed", sale_price=Decimal("16.90")
            ),
            LineLink(method="new_product", state="new_product", new_product=GROUT_PROPOSAL),
            LineLink(),
        ],
        products={CEMENT.id: CEMENT, GLUE.id: GLUE},
        group_codes={2: "OBK"},
        partner=PARTNER,
    )
    return replace(source, **changes)  # type: ignore[arg-type]


def sample_handover(**changes: object) -> Handover:
    return build_handover(sample_source(**changes))
