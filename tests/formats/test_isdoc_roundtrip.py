"""Invoice → ISDOC → Invoice loses nothing ISDOC carries, and every export is XSD-valid."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    Line,
    Party,
    VatRow,
)
from nex_automat.formats.isdoc import read_isdoc, validate_isdoc, write_isdoc
from tests.invoicegen import FAMILIES, generate

D = Decimal


@pytest.fixture(scope="module")
def xsd(shared_dir: Path) -> Path:
    return shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"


def sk_supplier() -> Party:
    return Party(
        name="Stavmat s.r.o.",
        ico="36123455",
        dic="2020123456",
        vat_id="SK2020123456",
        street="Priemyselná 12/A",
        city="Žilina",
        postal_code="010 01",
        country="SK",
        iban="SK3112000000198742637541",
        bic="TATRSKBX",
    )


def sk_customer() -> Party:
    return Party(
        name="Dom a záhrada, a.s.",
        ico="00151653",
        dic="2020273893",
        vat_id="SK2020273893",
        street="Hlavná 7",
        city="Košice",
        postal_code="040 01",
        country="SK",
    )


def cz_supplier() -> Party:
    return Party(
        name="Cihelna Novák s.r.o.",
        ico="25097563",
        vat_id="CZ25097563",
        street="Jeremiášova 1422",
        city="Praha 13",
        postal_code="155 00",
        country="CZ",
        iban="CZ6508000000192000145399",
        bic="GIBACZPX",
    )


def cz_customer() -> Party:
    return Party(
        name="Stavby Morava a.s.",
        ico="00006947",
        vat_id="CZ00006947",
        street="Letenská 15",
        city="Brno",
        postal_code="602 00",
        country="CZ",
    )


def several_rates_invoice() -> Invoice:
    """Slovak invoice: 23 %, 5 % and an exempt 0 % line, a discount, rounding, prepayment."""
    return Invoice(
        number="FV-2025-00123",
        issue_date=date(2025, 3, 3),
        tax_point_date=date(2025, 3, 1),
        due_date=date(2025, 3, 17),
        currency="EUR",
        variable_symbol="202500123",
        constant_symbol="0308",
        order_reference="OBJ-77/2025",
        buyer_reference="Sklad Košice",
        note="Ďakujeme za nákup.",
        supplier=sk_supplier(),
        customer=sk_customer(),
        lines=[
            Line(
                position=1,
                description="Cement CEM II 25 kg",
                seller_code="CEM-25",
                ean="8586000123457",
                quantity=D("40"),
                unit="ks",
                unit_price=D("4.5625"),
                discount_percent=D("10"),
                vat_rate=D("23"),
                net_amount=D("164.25"),
                vat_amount=D("37.78"),
                gross_amount=D("202.03"),
                vat_category="S",
            ),
            Line(
                position=2,
                description="Odborná kniha",
                quantity=D("1.250"),
                unit="kg",
                unit_price=D("12.00"),
                vat_rate=D("5"),
                net_amount=D("15.00"),
                vat_amount=D("0.75"),
                gross_amount=D("15.75"),
                vat_category="S",
            ),
            Line(
                position=3,
                description="Poistenie zásielky",
                quantity=D("1"),
                unit="ks",
                unit_price=D("3.20"),
                vat_rate=D("0"),
                net_amount=D("3.20"),
                vat_amount=D("0.00"),
                gross_amount=D("3.20"),
                vat_category="E",
            ),
        ],
        vat_breakdown=[
            VatRow(rate=D("23"), base=D("164.25"), vat=D("37.78"), category="S"),
            VatRow(rate=D("5"), base=D("15.00"), vat=D("0.75"), category="S"),
            VatRow(
                rate=D("0"),
                base=D("3.20"),
                vat=D("0.00"),
                category="E",
                exemption_reason="Oslobodené od dane podľa § 37 zákona o DPH",
            ),
        ],
        total_net=D("182.45"),
        total_vat=D("38.53"),
        total_gross=D("220.98"),
        rounding=D("0.02"),
        prepaid_amount=D("50.00"),
        amount_due=D("171.00"),
    )


def credit_note() -> Invoice:
    """Czech credit note with negative amounts correcting an earlier invoice."""
    return Invoice(
        document_type=DocumentType.CREDIT_NOTE,
        number="DBP-2025-0007",
        issue_date=date(2025, 4, 2),
        tax_point_date=date(2025, 4, 2),
        due_date=date(2025, 4, 16),
        currency="CZK",
        variable_symbol="20250007",
        preceding_invoice="FV-2025-0456",
        supplier=cz_supplier(),
        customer=cz_customer(),
        lines=[
            Line(
                position=1,
                description="Vrácení: Cihla plná 290 mm",
                seller_code="CP290",
                quantity=D("-120"),
                unit="ks",
                unit_price=D("18.90"),
                vat_rate=D("21"),
                net_amount=D("-2268.00"),
                vat_amount=D("-476.28"),
                gross_amount=D("-2744.28"),
                vat_category="S",
            )
        ],
        vat_breakdown=[VatRow(rate=D("21"), base=D("-2268.00"), vat=D("-476.28"), category="S")],
        total_net=D("-2268.00"),
        total_vat=D("-476.28"),
        total_gross=D("-2744.28"),
        amount_due=D("-2744.28"),
    )


def foreign_currency_invoice() -> Invoice:
    """Czech supplier invoicing in EUR at 25.10 CZK/EUR."""
    return Invoice(
        number="FV-EX-2025-12",
        issue_date=date(2025, 5, 5),
        tax_point_date=date(2025, 5, 5),
        due_date=date(2025, 6, 4),
        currency="EUR",
        exchange_rate=D("25.10"),
        variable_symbol="202512",
        supplier=cz_supplier(),
        customer=sk_customer(),
        lines=[
            Line(
                position=1,
                description="Dlažba betonová",
                quantity=D("12.5"),
                unit="m2",
                unit_price=D("17.3333"),
                vat_rate=D("21"),
                net_amount=D("216.67"),
                vat_amount=D("45.50"),
                gross_amount=D("262.17"),
                vat_category="S",
            ),
            Line(
                position=2,
                description="Doprava",
                quantity=D("1"),
                unit="ks",
                unit_price=D("40.00"),
                vat_rate=D("12"),
                net_amount=D("40.00"),
                vat_amount=D("4.80"),
                gross_amount=D("44.80"),
                vat_category="S",
            ),
        ],
        vat_breakdown=[
            VatRow(rate=D("21"), base=D("216.67"), vat=D("45.50"), category="S"),
            VatRow(rate=D("12"), base=D("40.00"), vat=D("4.80"), category="S"),
        ],
        total_net=D("256.67"),
        total_vat=D("50.30"),
        total_gross=D("306.97"),
        amount_due=D("306.97"),
    )


def allowances_invoice() -> Invoice:
    """Document-level discount and freight charge, plus reverse-charge and out-of-scope rows."""
    return Invoice(
        number="2025/0042",
        issue_date=date(2025, 6, 30),
        due_date=date(2025, 7, 14),
        currency="EUR",
        supplier=sk_supplier(),
        customer=sk_customer(),
        lines=[
            Line(
                position=1,
                description="Oceľová výstuž",
                quantity=D("2.000"),
                unit="t",
                unit_price=D("610.00"),
                vat_rate=D("0"),
                net_amount=D("1220.00"),
                vat_amount=D("0.00"),
                gross_amount=D("1220.00"),
                vat_category="AE",
            ),
            Line(
                position=2,
                description="Paleta (zálohovaná)",
                quantity=D("4"),
                unit="ks",
                unit_price=D("10.00"),
                vat_rate=D("23"),
                net_amount=D("40.00"),
                vat_amount=D("9.20"),
                gross_amount=D("49.20"),
                vat_category="S",
            ),
        ],
        allowances_charges=[
            AllowanceCharge(
                is_charge=False,
                amount=D("4.00"),
                reason="Zľava 10 % na palety",
                base_amount=D("40.00"),
                percent=D("10"),
                vat_rate=D("23"),
                vat_category="S",
            ),
            AllowanceCharge(is_charge=True, amount=D("15.00"), reason="Doprava", vat_rate=D("23")),
        ],
        vat_breakdown=[
            VatRow(
                rate=D("0"),
                base=D("1220.00"),
                vat=D("0.00"),
                category="AE",
                exemption_reason="Prenesenie daňovej povinnosti",
            ),
            VatRow(rate=D("23"), base=D("51.00"), vat=D("11.73"), category="S"),
        ],
        total_net=D("1271.00"),
        total_vat=D("11.73"),
        total_gross=D("1282.73"),
        amount_due=D("1282.73"),
    )


def outside_scope_invoice() -> Invoice:
    """A supplier who is no VAT payer: the document is outside VAT."""
    supplier = sk_supplier()
    supplier.vat_id = None
    return Invoice(
        number="5/2025",
        issue_date=date(2025, 2, 1),
        currency="EUR",
        supplier=supplier,
        customer=sk_customer(),
        lines=[
            Line(
                position=1,
                description="Murárske práce",
                quantity=D("8"),
                unit="hod",
                unit_price=D("25"),
                vat_rate=D("0"),
                net_amount=D("200"),
                vat_amount=D("0"),
                gross_amount=D("200"),
                vat_category="O",
            )
        ],
        vat_breakdown=[VatRow(rate=D("0"), base=D("200"), vat=D("0"), category="O")],
        total_net=D("200"),
        total_vat=D("0"),
        total_gross=D("200"),
        amount_due=D("200"),
    )


HAND_BUILT = {
    "several rates with 0 % exempt": several_rates_invoice,
    "credit note": credit_note,
    "foreign currency": foreign_currency_invoice,
    "allowances and charges": allowances_invoice,
    "outside VAT": outside_scope_invoice,
}


@pytest.mark.parametrize("build", HAND_BUILT.values(), ids=HAND_BUILT.keys())
def test_hand_built_invoice_exports_valid_isdoc(build: Any, xsd: Path) -> None:
    assert validate_isdoc(write_isdoc(build()), xsd) == []


@pytest.mark.parametrize("build", HAND_BUILT.values(), ids=HAND_BUILT.keys())
def test_hand_built_invoice_reads_back_unchanged(build: Any) -> None:
    invoice = build()
    assert read_isdoc(write_isdoc(invoice)) == invoice


@pytest.mark.parametrize("build", HAND_BUILT.values(), ids=HAND_BUILT.keys())
def test_export_is_idempotent(build: Any) -> None:
    assert write_isdoc(build()) == write_isdoc(build())


def test_rewritten_export_is_byte_identical() -> None:
    first = write_isdoc(several_rates_invoice())
    assert write_isdoc(read_isdoc(first)) == first


def differences(original: Any, read: Any, path: str = "invoice") -> Iterator[str]:
    """What the original states that the read invoice does not state the same way."""
    if dataclasses.is_dataclass(original):
        for field in dataclasses.fields(original):
            yield from differences(
                getattr(original, field.name), getattr(read, field.name), f"{path}.{field.name}"
            )
    elif isinstance(original, list):
        if len(original) != len(read):
            yield f"{path}: {len(original)} items became {len(read)}"
            return
        for index, (left, right) in enumerate(zip(original, read, strict=True)):
            yield from differences(left, right, f"{path}[{index}]")
    elif original is not None and original != read:
        yield f"{path}: {original!r} became {read!r}"


# Line VAT and gross are required by ISDOC and computed when the invoice lacks them.
COMPUTED_WHEN_MISSING = ("vat_amount", "gross_amount")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", [1, 2, 3, 5])
def test_generated_invoice_round_trips_through_valid_isdoc(
    family: str, seed: int, xsd: Path
) -> None:
    invoice = generate(seed, family=family).invoice
    data = write_isdoc(invoice)
    violations = validate_isdoc(data, xsd)
    if invoice.document_type is DocumentType.CREDIT_NOTE and invoice.preceding_invoice is None:
        # The writer does not invent the corrected invoice's number; the rule says so.
        assert [v.rule_id for v in violations] == ["ISDOC-ORIGINAL-DOCUMENT"]
    else:
        assert violations == []
    read = read_isdoc(data)
    assert list(differences(invoice, read)) == []
    for original, back in zip(invoice.lines, read.lines, strict=True):
        for name in dataclasses.asdict(original):
            if getattr(original, name) is None and name not in COMPUTED_WHEN_MISSING:
                assert getattr(back, name) is None, f"line {original.position}.{name}"
