"""EN 16931 business rules on an invoice's totals and VAT breakdown.

Each rule is a small function named after its id, checking the same arithmetic the
CEN validation artefacts check, with their rounding: sums are rounded to the cent as
XPath's ``round`` does (half towards positive infinity) and compared exactly, while the
VAT of a category (BR-CO-17, BR-S-08, BR-S-09) may differ by less than one currency
unit, because issuers legitimately round per line instead of per category.

The domain model derives the sum of line net amounts (BT-106) and of document-level
allowances and charges (BT-107, BT-108); a document states them, and only then can
BR-CO-10 to BR-CO-12 fail. Pass them as :class:`StatedTotals` when the document has them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from nex_automat.domain.model import AllowanceCharge, Invoice, VatRow
from nex_automat.domain.money import HUNDRED, total
from nex_automat.formats.violations import Violation

STANDARD_RATED = "S"
_ONE = Decimal(1)
_HALF = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class StatedTotals:
    """Sums a document states besides the model: BT-106, BT-107 and BT-108."""

    line_total: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None


Rule = Callable[[Invoice, StatedTotals | None], Iterator[Violation]]


def check_en16931(invoice: Invoice, stated: StatedTotals | None = None) -> list[Violation]:
    """Every arithmetic rule the invoice breaks; a rule whose values are missing is skipped."""
    return [violation for rule in RULES for violation in rule(invoice, stated)]


# --- arithmetic as the validation artefacts do it -------------------------------------


def xpath_round(value: Decimal, places: int = 2) -> Decimal:
    """XPath 2.0 ``round``: half towards positive infinity (``-2.5`` → ``-2``)."""
    scale = Decimal(10) ** places
    return (value * scale + _HALF).to_integral_value(rounding=ROUND_FLOOR) / scale


def _less_than_one_unit_apart(stated: Decimal, computed: Decimal) -> bool:
    return abs(stated) - _ONE < computed < abs(stated) + _ONE


def _line_total(invoice: Invoice) -> Decimal | None:
    amounts = [line.net_amount for line in invoice.lines]
    if not amounts or any(amount is None for amount in amounts):
        return None
    return total(amount for amount in amounts if amount is not None)


def _sum_of(invoice: Invoice, *, charges: bool) -> Decimal:
    return total(ac.amount for ac in invoice.allowances_charges if ac.is_charge is charges)


def _has(invoice: Invoice, *, charges: bool) -> bool:
    return any(ac.is_charge is charges for ac in invoice.allowances_charges)


def _bt106(invoice: Invoice, stated: StatedTotals | None) -> Decimal | None:
    if stated is not None and stated.line_total is not None:
        return stated.line_total
    return _line_total(invoice)


def _bt107(invoice: Invoice, stated: StatedTotals | None) -> Decimal:
    if stated is not None and stated.allowance_total is not None:
        return stated.allowance_total
    return _sum_of(invoice, charges=False)


def _bt108(invoice: Invoice, stated: StatedTotals | None) -> Decimal:
    if stated is not None and stated.charge_total is not None:
        return stated.charge_total
    return _sum_of(invoice, charges=True)


# --- document totals ------------------------------------------------------------------


def br_co_10(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131)."""
    lines = _line_total(invoice)
    if stated is None or stated.line_total is None or lines is None:
        return
    if stated.line_total != xpath_round(lines):
        yield Violation(
            "BR-CO-10",
            f"The sum of line net amounts is stated as {stated.line_total}, "
            f"but the lines add up to {xpath_round(lines)}.",
            "lines",
        )


def _stated_sum_rule(
    rule_id: str, stated_sum: Decimal | None, invoice: Invoice, *, charges: bool
) -> Iterator[Violation]:
    word = "charges" if charges else "allowances"
    present = _has(invoice, charges=charges)
    computed = xpath_round(_sum_of(invoice, charges=charges))
    if stated_sum is None and not present:
        return
    if stated_sum is None or stated_sum != computed:
        yield Violation(
            rule_id,
            f"The sum of document-level {word} is stated as {stated_sum}, "
            f"but the {word} add up to {computed}.",
            "allowances_charges",
        )


def br_co_11(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Sum of allowances on document level (BT-107) = Σ allowance amounts (BT-92)."""
    if stated is not None:
        yield from _stated_sum_rule("BR-CO-11", stated.allowance_total, invoice, charges=False)


def br_co_12(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Sum of charges on document level (BT-108) = Σ charge amounts (BT-99)."""
    if stated is not None:
        yield from _stated_sum_rule("BR-CO-12", stated.charge_total, invoice, charges=True)


def br_co_13(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Total without VAT (BT-109) = BT-106 - allowances (BT-107) + charges (BT-108)."""
    lines = _bt106(invoice, stated)
    if invoice.total_net is None or lines is None:
        return
    expected = xpath_round(lines - _bt107(invoice, stated) + _bt108(invoice, stated))
    if invoice.total_net != expected:
        yield Violation(
            "BR-CO-13",
            f"The total without VAT is {invoice.total_net}, but lines {lines} minus "
            f"allowances plus charges give {expected}.",
            "total_net",
        )


def br_co_14(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117)."""
    amounts = [row.vat for row in invoice.vat_breakdown]
    if invoice.total_vat is None or not amounts or any(vat is None for vat in amounts):
        return
    expected = xpath_round(total(vat for vat in amounts if vat is not None))
    if invoice.total_vat != expected:
        yield Violation(
            "BR-CO-14",
            f"The total VAT is {invoice.total_vat}, but the VAT breakdown adds up to {expected}.",
            "total_vat",
        )


def br_co_15(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Total with VAT (BT-112) = total without VAT (BT-109) + total VAT (BT-110)."""
    net, vat, gross = invoice.total_net, invoice.total_vat, invoice.total_gross
    if net is None or vat is None or gross is None:
        return
    expected = xpath_round(net + vat)
    if gross != expected:
        yield Violation(
            "BR-CO-15",
            f"The total with VAT is {gross}, but {net} + {vat} = {expected}.",
            "total_gross",
        )


def br_co_16(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Amount due (BT-115) = total with VAT (BT-112) - paid (BT-113) + rounding (BT-114)."""
    due, gross = invoice.amount_due, invoice.total_gross
    if due is None or gross is None:
        return
    paid = invoice.prepaid_amount or Decimal(0)
    rounding = invoice.rounding or Decimal(0)
    if xpath_round(due - rounding) != xpath_round(gross - paid):
        yield Violation(
            "BR-CO-16",
            f"The amount due is {due}, but {gross} - paid {paid} + rounding {rounding} "
            f"= {gross - paid + rounding}.",
            "amount_due",
        )


# --- VAT breakdown --------------------------------------------------------------------


def br_co_17(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Category VAT (BT-117) = taxable amount (BT-116) × rate (BT-119) / 100, to the cent."""
    for index, row in enumerate(invoice.vat_breakdown):
        if row.base is None or row.vat is None:
            continue
        if xpath_round(row.rate, 0) == 0:
            holds = xpath_round(row.vat, 0) == 0
        else:
            holds = _less_than_one_unit_apart(row.vat, _category_vat(row))
        if not holds:
            yield Violation(
                "BR-CO-17",
                f"VAT at {row.rate} % is {row.vat}, but {row.base} × {row.rate} % "
                f"= {_category_vat(row)}.",
                f"vat_breakdown[{index}].vat",
            )


def br_s_08(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """A standard-rated taxable amount (BT-116) = its lines + charges - allowances.

    Lines and allowances are matched by rate; one without a category is taken as
    standard rated when its rate matches, since printed invoices rarely state it.
    Without a rate on every line the rule cannot be evaluated.
    """
    if any(line.vat_rate is None or line.net_amount is None for line in invoice.lines):
        return
    for index, row in enumerate(invoice.vat_breakdown):
        if row.category != STANDARD_RATED or row.base is None:
            continue
        lines = [
            line.net_amount
            for line in invoice.lines
            if line.net_amount is not None
            and line.vat_rate == row.rate
            and line.vat_category in (None, STANDARD_RATED)
        ]
        documents = [ac for ac in invoice.allowances_charges if _standard_at(ac, row)]
        expected = (
            total(lines)
            + total(ac.amount for ac in documents if ac.is_charge)
            - total(ac.amount for ac in documents if not ac.is_charge)
        )
        if not (lines or documents) or not _less_than_one_unit_apart(row.base, abs(expected)):
            yield Violation(
                "BR-S-08",
                f"The taxable amount at {row.rate} % is {row.base}, but its lines, charges "
                f"and allowances give {expected}.",
                f"vat_breakdown[{index}].base",
            )


def br_s_09(invoice: Invoice, stated: StatedTotals | None) -> Iterator[Violation]:
    """Standard-rated category VAT (BT-117) = taxable amount (BT-116) × rate (BT-119)."""
    for index, row in enumerate(invoice.vat_breakdown):
        if row.category != STANDARD_RATED or row.base is None or row.vat is None:
            continue
        if not _less_than_one_unit_apart(row.vat, _category_vat(row)):
            yield Violation(
                "BR-S-09",
                f"Standard-rated VAT at {row.rate} % is {row.vat}, but {row.base} × "
                f"{row.rate} % = {_category_vat(row)}.",
                f"vat_breakdown[{index}].vat",
            )


def _category_vat(row: VatRow) -> Decimal:
    assert row.base is not None
    return xpath_round(abs(row.base) * row.rate / HUNDRED)


def _standard_at(item: AllowanceCharge, row: VatRow) -> bool:
    return item.vat_rate == row.rate and item.vat_category in (None, STANDARD_RATED)


RULES: tuple[Rule, ...] = (
    br_co_10,
    br_co_11,
    br_co_12,
    br_co_13,
    br_co_14,
    br_co_15,
    br_co_16,
    br_co_17,
    br_s_08,
    br_s_09,
)
