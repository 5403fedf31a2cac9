"""Hand-built invoices the format tests share: each states every field it can, with
consistent arithmetic, so a round trip shows any loss."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from nex_automat.domain.model import AllowanceCharge, DocumentType, Invoice, Line, Party, VatRow


def trnava_supplier() -> Party:
    """Slovak VAT payer with IČO, DIČ, IČ DPH and a bank account."""
    return Party(
        name="Stavebniny Horák s.r.o.",
        ico="35123456",
        dic="2020123457",
        vat_id="SK2020123457",
        street="Hlavná 12",
        city="Trnava",
        postal_code="917 01",
        country="SK",
        iban="SK3112000000198742637541",
        bic="TATRSKBX",
    )


def senec_customer() -> Party:
    """Slovak VAT payer customer."""
    return Party(
        name="Stavby Novák s.r.o.",
        ico="46123455",
        dic="2023456781",
        vat_id="SK2023456781",
        street="Mlynská 3",
        city="Senec",
        postal_code="903 01",
        country="SK",
    )


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


def slovak_invoice(**changes: object) -> Invoice:
    invoice = Invoice(
        number="2026000123",
        issue_date=date(2026, 3, 2),
        tax_point_date=date(2026, 3, 1),
        due_date=date(2026, 3, 16),
        currency="EUR",
        variable_symbol="2026000123",
        order_reference="OBJ-2026-0042",
        buyer_reference="Sklad Senec",
        note="Tovar zostáva do úplného zaplatenia majetkom dodávateľa.",
        supplier=trnava_supplier(),
        customer=senec_customer(),
        lines=[
            Line(
                position=1,
                description="Cement CEM II/B-M 32,5 R 25 kg",
                seller_code="CEM-0025",
                ean="8586000000019",
                quantity=Decimal(40),
                unit="ks",
                unit_price=Decimal("5.20"),
                discount_percent=Decimal(5),
                vat_rate=Decimal(23),
                net_amount=Decimal("197.60"),
            ),
            Line(
                position=2,
                description="Piesok 0-4 mm",
                quantity=Decimal("2.5"),
                unit="t",
                unit_price=Decimal("18.40"),
                vat_rate=Decimal(23),
                net_amount=Decimal("46.00"),
            ),
        ],
        allowances_charges=[
            AllowanceCharge(
                is_charge=True, amount=Decimal("20.00"), reason="Doprava", vat_rate=Decimal(23)
            )
        ],
        vat_breakdown=[
            VatRow(rate=Decimal(23), base=Decimal("263.60"), vat=Decimal("60.63")),
            VatRow(rate=Decimal(5), base=Decimal("0.00"), vat=Decimal("0.00")),
        ],
        total_net=Decimal("263.60"),
        total_vat=Decimal("60.63"),
        total_gross=Decimal("324.23"),
        rounding=Decimal("0.02"),
        amount_due=Decimal("324.25"),
    )
    return dataclasses.replace(invoice, **changes)


def slovak_credit_note() -> Invoice:
    """The Slovak invoice's first line returned: negative, as a printed credit note is."""
    return Invoice(
        document_type=DocumentType.CREDIT_NOTE,
        number="2026000140",
        issue_date=date(2026, 3, 20),
        tax_point_date=date(2026, 3, 20),
        due_date=date(2026, 4, 3),
        currency="EUR",
        variable_symbol="2026000140",
        preceding_invoice="2026000123",
        supplier=trnava_supplier(),
        customer=senec_customer(),
        lines=[
            Line(
                position=1,
                description="Vrátenie: Cement CEM II/B-M 32,5 R 25 kg",
                seller_code="CEM-0025",
                ean="8586000000019",
                quantity=Decimal(-10),
                unit="ks",
                unit_price=Decimal("5.20"),
                vat_rate=Decimal(23),
                net_amount=Decimal("-52.00"),
                vat_category="S",
            )
        ],
        vat_breakdown=[
            VatRow(rate=Decimal(23), base=Decimal("-52.00"), vat=Decimal("-11.96"), category="S")
        ],
        total_net=Decimal("-52.00"),
        total_vat=Decimal("-11.96"),
        total_gross=Decimal("-63.96"),
        amount_due=Decimal("-63.96"),
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
                quantity=Decimal("40"),
                unit="ks",
                unit_price=Decimal("4.5625"),
                discount_percent=Decimal("10"),
                vat_rate=Decimal("23"),
                net_amount=Decimal("164.25"),
                vat_amount=Decimal("37.78"),
                gross_amount=Decimal("202.03"),
                vat_category="S",
            ),
            Line(
                position=2,
                description="Odborná kniha",
                quantity=Decimal("1.250"),
                unit="kg",
                unit_price=Decimal("12.00"),
                vat_rate=Decimal("5"),
                net_amount=Decimal("15.00"),
                vat_amount=Decimal("0.75"),
                gross_amount=Decimal("15.75"),
                vat_category="S",
            ),
            Line(
                position=3,
                description="Poistenie zásielky",
                quantity=Decimal("1"),
                unit="ks",
                unit_price=Decimal("3.20"),
                vat_rate=Decimal("0"),
                net_amount=Decimal("3.20"),
                vat_amount=Decimal("0.00"),
                gross_amount=Decimal("3.20"),
                vat_category="E",
            ),
        ],
        vat_breakdown=[
            VatRow(rate=Decimal("23"), base=Decimal("164.25"), vat=Decimal("37.78"), category="S"),
            VatRow(rate=Decimal("5"), base=Decimal("15.00"), vat=Decimal("0.75"), category="S"),
            VatRow(
                rate=Decimal("0"),
                base=Decimal("3.20"),
                vat=Decimal("0.00"),
                category="E",
                exemption_reason="Oslobodené od dane podľa § 37 zákona o DPH",
            ),
        ],
        total_net=Decimal("182.45"),
        total_vat=Decimal("38.53"),
        total_gross=Decimal("220.98"),
        rounding=Decimal("0.02"),
        prepaid_amount=Decimal("50.00"),
        amount_due=Decimal("171.00"),
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
                quantity=Decimal("-120"),
                unit="ks",
                unit_price=Decimal("18.90"),
                vat_rate=Decimal("21"),
                net_amount=Decimal("-2268.00"),
                vat_amount=Decimal("-476.28"),
                gross_amount=Decimal("-2744.28"),
                vat_category="S",
            )
        ],
        vat_breakdown=[
            VatRow(
                rate=Decimal("21"), base=Decimal("-2268.00"), vat=Decimal("-476.28"), category="S"
            )
        ],
        total_net=Decimal("-2268.00"),
        total_vat=Decimal("-476.28"),
        total_gross=Decimal("-2744.28"),
        amount_due=Decimal("-2744.28"),
    )


def foreign_currency_invoice() -> Invoice:
    """Czech supplier invoicing in EUR at 25.10 CZK/EUR."""
    return Invoice(
        number="FV-EX-2025-12",
        issue_date=date(2025, 5, 5),
        tax_point_date=date(2025, 5, 5),
        due_date=date(2025, 6, 4),
        currency="EUR",
        exchange_rate=Decimal("25.10"),
        variable_symbol="202512",
        supplier=cz_supplier(),
        customer=sk_customer(),
        lines=[
            Line(
                position=1,
                description="Dlažba betonová",
                quantity=Decimal("12.5"),
                unit="m2",
                unit_price=Decimal("17.3333"),
                vat_rate=Decimal("21"),
                net_amount=Decimal("216.67"),
                vat_amount=Decimal("45.50"),
                gross_amount=Decimal("262.17"),
                vat_category="S",
            ),
            Line(
                position=2,
                description="Doprava",
                quantity=Decimal("1"),
                unit="ks",
                unit_price=Decimal("40.00"),
                vat_rate=Decimal("12"),
                net_amount=Decimal("40.00"),
                vat_amount=Decimal("4.80"),
                gross_amount=Decimal("44.80"),
                vat_category="S",
            ),
        ],
        vat_breakdown=[
            VatRow(rate=Decimal("21"), base=Decimal("216.67"), vat=Decimal("45.50"), category="S"),
            VatRow(rate=Decimal("12"), base=Decimal("40.00"), vat=Decimal("4.80"), category="S"),
        ],
        total_net=Decimal("256.67"),
        total_vat=Decimal("50.30"),
        total_gross=Decimal("306.97"),
        amount_due=Decimal("306.97"),
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
                quantity=Decimal("2.000"),
                unit="t",
                unit_price=Decimal("610.00"),
                vat_rate=Decimal("0"),
                net_amount=Decimal("1220.00"),
                vat_amount=Decimal("0.00"),
                gross_amount=Decimal("1220.00"),
                vat_category="AE",
            ),
            Line(
                position=2,
                description="Paleta (zálohovaná)",
                quantity=Decimal("4"),
                unit="ks",
                unit_price=Decimal("10.00"),
                vat_rate=Decimal("23"),
                net_amount=Decimal("40.00"),
                vat_amount=Decimal("9.20"),
                gross_amount=Decimal("49.20"),
                vat_category="S",
            ),
        ],
        allowances_charges=[
            AllowanceCharge(
                is_charge=False,
                amount=Decimal("4.00"),
                reason="Zľava 10 % na palety",
                base_amount=Decimal("40.00"),
                percent=Decimal("10"),
                vat_rate=Decimal("23"),
                vat_category="S",
            ),
            AllowanceCharge(
                is_charge=True, amount=Decimal("15.00"), reason="Doprava", vat_rate=Decimal("23")
            ),
        ],
        vat_breakdown=[
            VatRow(
                rate=Decimal("0"),
                base=Decimal("1220.00"),
                vat=Decimal("0.00"),
                category="AE",
                exemption_reason="Prenesenie daňovej povinnosti",
            ),
            VatRow(rate=Decimal("23"), base=Decimal("51.00"), vat=Decimal("11.73"), category="S"),
        ],
        total_net=Decimal("1271.00"),
        total_vat=Decimal("11.73"),
        total_gross=Decimal("1282.73"),
        amount_due=Decimal("1282.73"),
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
                quantity=Decimal("8"),
                unit="hod",
                unit_price=Decimal("25"),
                vat_rate=Decimal("0"),
                net_amount=Decimal("200"),
                vat_amount=Decimal("0"),
                gross_amount=Decimal("200"),
                vat_category="O",
            )
        ],
        vat_breakdown=[
            VatRow(rate=Decimal("0"), base=Decimal("200"), vat=Decimal("0"), category="O")
        ],
        total_net=Decimal("200"),
        total_vat=Decimal("0"),
        total_gross=Decimal("200"),
        amount_due=Decimal("200"),
    )
