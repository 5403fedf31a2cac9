"""The known truth of one generated invoice, built to be consistent to the cent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from nex_automat.domain.model import DocumentType, Invoice, Line, Party, VatRow

from . import data, ids
from .formatting import quantize
from .labels import COURTS, PAYMENT_METHODS, REGISTRATION
from .plan import Plan

CENT = Decimal("0.01")

VAT_RATES: dict[tuple[str, bool], dict[str, Decimal]] = {
    ("SK", False): {
        "standard": Decimal(20),
        "reduced": Decimal(10),
        "reduced2": Decimal(10),
        "zero": Decimal(0),
    },
    ("SK", True): {
        "standard": Decimal(23),
        "reduced": Decimal(19),
        "reduced2": Decimal(5),
        "zero": Decimal(0),
    },
    ("CZ", False): {
        "standard": Decimal(21),
        "reduced": Decimal(12),
        "reduced2": Decimal(12),
        "zero": Decimal(0),
    },
    ("CZ", True): {
        "standard": Decimal(21),
        "reduced": Decimal(12),
        "reduced2": Decimal(12),
        "zero": Decimal(0),
    },
}

MAILBOXES: dict[str, tuple[str, ...]] = {
    "sk": ("fakturacia", "info", "obchod", "uctaren"),
    "cs": ("fakturace", "info", "obchod", "ucetni"),
}
CONSTANT_SYMBOLS: tuple[str, ...] = ("0008", "0308", "1148", "0558")
ORDER_PATTERNS: tuple[str, ...] = (
    "OBJ-{yyyy}-{n4}",
    "PO {n10}",
    "{n3}/{yyyy}",
    "OV{yy}{n5}",
    "{n6}",
)


@dataclass(slots=True)
class Decor:
    """What the page shows besides the invoice data: it makes the page real, not the truth."""

    bank_name: str
    domestic_account: str
    registration: str
    phone: str
    email: str
    web: str
    payment_method: str
    issued_by: str
    delivery_notes: list[str]
    corrected_number: str
    delivery_address: tuple[str, str, str]


def _fill(pattern: str, rng: Random, year: int) -> str:
    """Expands {yyyy}, {yy} and {nK} (a K-digit serial with leading zeros)."""
    text = pattern.replace("{yyyy}", str(year)).replace("{yy}", f"{year % 100:02d}")
    return re.sub(
        r"\{n(\d+)\}",
        lambda m: f"{rng.randint(1, 10 ** int(m.group(1)) // 7):0{m.group(1)}d}",
        text,
    )


def _company(rng: Random, country: str, avoid: str = "") -> str:
    roots = data.SK_NAME_ROOTS if country == "SK" else data.CZ_NAME_ROOTS
    forms = data.SK_LEGAL_FORMS if country == "SK" else data.CZ_LEGAL_FORMS
    while True:
        root = rng.choice(roots)
        form = rng.choice(forms)
        name = f"{root}{form}" if form.startswith(",") else f"{root} {form}"
        if root not in avoid:
            return name


def _street(rng: Random, country: str) -> str:
    street = rng.choice(data.SK_STREETS if country == "SK" else data.CZ_STREETS)
    kind = rng.random()
    if kind < 0.45:
        house = str(rng.randint(1, 160))
    elif kind < 0.85:
        house = f"{rng.randint(100, 3999)}/{rng.randint(1, 60)}"
    else:
        house = f"{rng.randint(1, 90)}{rng.choice('ABC')}"
    return f"{street} {house}"


def _party(
    rng: Random, country: str, show_country: bool, avoid: str = "", *, customer: bool = False
) -> Party:
    """A company; a Slovak customer is now and then no VAT payer (no IČ DPH), a supplier never."""
    postal_code, city = rng.choice(data.SK_CITIES if country == "SK" else data.CZ_CITIES)
    ico = ids.ico(rng)
    if country == "SK":
        dic = ids.sk_dic(rng)
        vat_id = None if customer and rng.random() < 0.08 else f"SK{dic}"
    else:
        dic = None
        vat_id = f"CZ{ico}"
    return Party(
        name=_company(rng, country, avoid),
        ico=ico,
        dic=dic,
        vat_id=vat_id,
        street=_street(rng, country),
        city=city,
        postal_code=postal_code,
        country=country if show_country else None,
    )


def _issue_date(rng: Random) -> date:
    start = date(2024, 1, 3)
    return start + timedelta(days=rng.randint(0, (date(2026, 12, 20) - start).days))


def _quantity(rng: Random, product: data.Product, places: int | None) -> Decimal:
    decimals = product.qty_decimals if places is None else min(product.qty_decimals, places)
    if decimals == 0 or rng.random() < 0.35:
        value = Decimal(rng.randint(1, product.qty_high))
    else:
        scale = 10**decimals
        value = Decimal(rng.randint(scale // 2, product.qty_high * scale)) / scale
    return quantize(value, decimals if places is None else places)


def _price(rng: Random, product: data.Product, places: int) -> Decimal:
    low, high = Decimal(product.price_low), Decimal(product.price_high)
    scale = 10**places
    cents = rng.randint(int(low * scale), int(high * scale))
    return quantize(Decimal(cents) / scale, places)


def _seller_code(rng: Random, style: str, description: str) -> str:
    letters = "".join(ch for ch in description.upper() if "A" <= ch <= "Z")[:3] or "MAT"
    return {
        "digits6": f"{rng.randint(100000, 999999)}",
        "digits8": f"{rng.randint(10000000, 99999999)}",
        "alnum": f"{letters}-{rng.randint(100, 9999):04d}",
        "dotted": f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(10, 99)}",
        "sap": f"{rng.randint(1000000, 1999999)}",
    }[style]


def _discount(rng: Random) -> Decimal:
    return Decimal(rng.choice(["0", "0", "0", "2", "3", "5", "5", "7.5", "10", "12", "15"]))


def _products(rng: Random, plan: Plan) -> list[data.Product]:
    standard = [p for p in data.PRODUCTS if p.category == "standard"]
    special = [p for p in data.PRODUCTS if p.category != "standard"]
    n = plan.n_lines
    chosen = (
        rng.sample(standard, n) if n <= len(standard) else [rng.choice(standard) for _ in range(n)]
    )
    if plan.multi_rate and n >= 2:
        for slot in rng.sample(range(n), rng.randint(1, min(3, n - 1))):
            chosen[slot] = rng.choice(special)
    return chosen


def _lines(rng: Random, plan: Plan, rates: dict[str, Decimal]) -> tuple[list[Line], list[Decimal]]:
    """The lines as printed, and each line's VAT rate even where the page does not show it."""
    sign = Decimal(-1) if plan.document_type is DocumentType.CREDIT_NOTE else Decimal(1)
    codes: dict[str, tuple[str, str]] = {}
    lines: list[Line] = []
    line_rates: list[Decimal] = []
    for position, product in enumerate(_products(rng, plan), start=1):
        description = product.sk if plan.language == "sk" else product.cs
        if description not in codes:
            codes[description] = (
                _seller_code(rng, plan.code_style, description),
                ids.ean13(rng, "SK" if plan.language == "sk" else "CZ"),
            )
        code, ean = codes[description]
        quantity = sign * _quantity(rng, product, plan.qty_places)
        price = _price(rng, product, plan.price_places)
        discount = _discount(rng) if plan.show_discount else Decimal(0)
        rate = rates[product.category]
        net = quantize(quantity * price * (1 - discount / 100), 2)
        vat = quantize(net * rate / 100, 2)
        lines.append(
            Line(
                position=position,
                description=description,
                seller_code=code if plan.show_code else None,
                ean=ean if plan.show_ean else None,
                quantity=quantity,
                unit=product.unit.upper() if plan.upper_units else product.unit,
                unit_price=price,
                discount_percent=discount if plan.show_discount else None,
                vat_rate=rate if plan.show_line_rate else None,
                net_amount=net,
                vat_amount=vat if plan.show_line_vat else None,
                gross_amount=net + vat if plan.show_line_gross else None,
            )
        )
        line_rates.append(rate)
    return lines, line_rates


def _breakdown(
    lines: list[Line], rates: list[Decimal], per_line: bool, printed_rates: set[Decimal]
) -> list[VatRow]:
    """One row per rate used, plus the empty rows of rates the ERP always prints."""
    rows: dict[Decimal, VatRow] = {
        rate: VatRow(rate=rate, base=Decimal("0.00"), vat=Decimal("0.00")) for rate in printed_rates
    }
    line_vat: dict[Decimal, Decimal] = {}
    for line, rate in zip(lines, rates, strict=True):
        assert line.net_amount is not None
        row = rows.setdefault(rate, VatRow(rate=rate, base=Decimal("0.00"), vat=Decimal("0.00")))
        row.base = (row.base or Decimal(0)) + line.net_amount
        line_vat[rate] = line_vat.get(rate, Decimal(0)) + quantize(line.net_amount * rate / 100, 2)
    for rate, row in rows.items():
        assert row.base is not None
        row.vat = line_vat.get(rate, Decimal(0)) if per_line else quantize(row.base * rate / 100, 2)
        row.vat = quantize(row.vat, 2)
    return [rows[rate] for rate in sorted(rows, reverse=True)]


def _rounded_due(gross: Decimal, mode: str) -> Decimal | None:
    if mode == "cash05":
        return (gross / Decimal("0.05")).quantize(Decimal(1), rounding=ROUND_HALF_UP) * Decimal(
            "0.05"
        )
    if mode == "whole":
        return gross.quantize(Decimal(1), rounding=ROUND_HALF_UP).quantize(CENT)
    return None


def build(rng: Random, plan: Plan) -> tuple[Invoice, Decor]:
    """The invoice the page will show, and the decoration around it."""
    country = "SK" if plan.language == "sk" else "CZ"
    issue = _issue_date(rng)
    rates = VAT_RATES[(country, issue.year >= 2025)]
    supplier = _party(rng, country, plan.show_supplier_country)
    customer = _party(rng, country, plan.show_customer_country, supplier.name or "", customer=True)
    iban, bic, bank_name, domestic = ids.account(rng, country)
    supplier.iban = iban
    supplier.bic = bic if plan.show_bic else None
    number = _fill(plan.number_pattern, rng, issue.year)
    variable_symbol = "".join(ch for ch in number if ch.isdigit())[-10:].lstrip("0") or "1"
    tax_point = (
        issue - timedelta(days=rng.choice([0, 0, 0, 1, 2, 3, 5])) if plan.show_tax_point else None
    )
    due = issue + timedelta(days=rng.choice([7, 14, 14, 14, 21, 30, 30, 45, 60]))
    lines, line_rates = _lines(rng, plan, rates)
    printed_rates = set(rates.values()) if plan.recap_all_rates else set()
    breakdown = _breakdown(lines, line_rates, plan.show_line_vat, printed_rates)
    total_net = sum((row.base or Decimal(0) for row in breakdown), Decimal("0.00"))
    total_vat = sum((row.vat or Decimal(0) for row in breakdown), Decimal("0.00"))
    total_gross = total_net + total_vat
    due_amount = _rounded_due(total_gross, plan.rounding)
    rounding = None if due_amount is None else due_amount - total_gross
    invoice = Invoice(
        document_type=plan.document_type,
        number=number,
        issue_date=issue,
        tax_point_date=tax_point,
        due_date=due,
        currency=plan.currency,
        variable_symbol=variable_symbol if plan.show_variable_symbol else None,
        constant_symbol=rng.choice(CONSTANT_SYMBOLS) if plan.show_constant_symbol else None,
        order_reference=_fill(rng.choice(ORDER_PATTERNS), rng, issue.year)
        if plan.show_order_reference
        else None,
        supplier=supplier,
        customer=customer,
        lines=lines,
        vat_breakdown=breakdown,
        total_net=total_net,
        total_vat=total_vat,
        total_gross=total_gross,
        rounding=rounding,
        amount_due=total_gross if due_amount is None else due_amount,
    )
    decor = _decor(rng, plan, supplier, bank_name, domestic, year=issue.year)
    if plan.document_type is DocumentType.CREDIT_NOTE:
        invoice.preceding_invoice = decor.corrected_number
    return invoice, decor


def _decor(
    rng: Random, plan: Plan, supplier: Party, bank_name: str, domestic: str, *, year: int
) -> Decor:
    language = plan.language
    slug = "".join(ch for ch in (supplier.name or "firma").lower().split()[0] if ch.isalnum())
    slug = slug.translate(str.maketrans("áäčďéěíĺľňóôŕřšťúůýž", "aacdeeillnoorrstuuyz"))
    tld = "sk" if language == "sk" else "cz"
    registration = rng.choice(REGISTRATION[language]).format(
        court=rng.choice(COURTS[language]),
        no=rng.randint(1000, 99999),
        letter=rng.choice("BLNTKPR"),
    )
    phone_prefix = "+421" if language == "sk" else "+420"
    people = (
        ("Ján Novák", "Mária Kováčová", "Peter Horváth", "Zuzana Vargová", "Ľubomír Šimko")
        if language == "sk"
        else ("Jana Nováková", "Petr Svoboda", "Tomáš Dvořák", "Lucie Černá", "Jiří Procházka")
    )
    phone = (
        f"{phone_prefix} {rng.randint(2, 9)}{rng.randint(10, 99)} "
        f"{rng.randint(100, 999)} {rng.randint(100, 999)}"
    )
    mailbox = rng.choice(MAILBOXES[language])
    return Decor(
        bank_name=bank_name,
        domestic_account=domestic,
        registration=registration,
        phone=phone,
        email=f"{mailbox}@{slug}.{tld}",
        web=f"www.{slug}.{tld}",
        payment_method=rng.choice(PAYMENT_METHODS[language]),
        issued_by=rng.choice(people),
        corrected_number=_fill(rng.choice(("FV{yy}{n5}", "{yyyy}{n6}", "{yy}0{n6}")), rng, year),
        delivery_address=(
            rng.choice(
                ("Stavba", "Sklad", "Prevádzka", "Stavenisko")
                if language == "sk"
                else ("Stavba", "Sklad", "Provozovna", "Staveniště")
            ),
            _street(rng, "SK" if language == "sk" else "CZ"),
            " ".join(rng.choice(data.SK_CITIES if language == "sk" else data.CZ_CITIES)),
        ),
        delivery_notes=[
            _fill(rng.choice(("DL{yy}{n5}", "DL-{yyyy}/{n4}", "{n6}")), rng, year) for _ in range(6)
        ],
    )
