"""The amounts ISDOC requires, completed from what the invoice has.

ISDOC makes every line carry its net, VAT, gross and unit prices with and without VAT,
and every recap row its base and VAT; printed invoices often leave some out. A missing
amount is derived from the ones present with ``Decimal`` arithmetic, the way Slovak and
Czech invoicing software does: VAT is the net times the rate rounded half-up to cents,
gross is net plus VAT, a missing unit price is the net over the quantity. Amounts the
invoice has are written exactly as they are, never recomputed.

A foreign-currency invoice carries its own amounts in the ``…Curr`` elements and their
local-currency equivalents (amount × rate, rounded to cents) in the plain ones; unit
prices have no ``…Curr`` element in ISDOC, so they are converted without rounding and
read back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nex_automat.domain.model import AllowanceCharge, Invoice, Line, VatRow
from nex_automat.domain.money import HUNDRED, to_cents, total
from nex_automat.errors import IncompleteInvoice

from .codes import LOCAL_CURRENCY_BY_COUNTRY

ZERO = Decimal(0)
ONE = Decimal(1)
_UNIT_PRICE_PLACES = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Currency:
    """The invoice's currency against the supplier country's local one."""

    local: str
    foreign: str | None
    rate: Decimal

    def local_amount(self, amount: Decimal) -> Decimal:
        return amount if self.foreign is None else to_cents(amount * self.rate)

    def local_price(self, price: Decimal) -> Decimal:
        return price if self.foreign is None else price * self.rate


def currency_of(invoice: Invoice) -> Currency:
    """Local currency from the supplier's country (its VAT id prefix when no country).

    An invoice in another currency is written as foreign only with an exchange rate:
    without one the local amounts cannot be stated, so the invoice's own currency is
    declared local instead, which keeps every amount exact.
    """
    country = invoice.supplier.country or (invoice.supplier.vat_id or "")[:2] or None
    local = LOCAL_CURRENCY_BY_COUNTRY.get(country or "") or invoice.currency
    if local is None:
        raise IncompleteInvoice(
            "ISDOC needs a currency: the invoice has none and no supplier country"
        )
    own = invoice.currency or local
    if own == local or invoice.exchange_rate is None:
        return Currency(local=own, foreign=None, rate=ONE)
    return Currency(local=local, foreign=own, rate=invoice.exchange_rate)


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """One ISDOC invoice line; ``allowance`` is set for a document-level allowance or
    charge written as a line, which is how ISDOC expresses them."""

    line: Line
    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    unit_price: Decimal
    before_discount: Decimal | None
    category: str | None
    allowance: AllowanceCharge | None = None
    summary: bool = False

    @property
    def unit_price_tax_inclusive(self) -> Decimal:
        return self.unit_price * (ONE + self.rate / HUNDRED)


@dataclass(frozen=True, slots=True)
class RecapRow:
    rate: Decimal
    base: Decimal
    vat: Decimal
    category: str | None
    exemption_reason: str | None


@dataclass(frozen=True, slots=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    rounding: Decimal | None
    prepaid: Decimal
    due: Decimal


def default_rate(invoice: Invoice) -> Decimal:
    """The rate for a line that states none: the invoice's only rate, else 0."""
    rates = {row.rate for row in invoice.vat_breakdown}
    return rates.pop() if len(rates) == 1 else ZERO


def vat_of(net: Decimal, rate: Decimal) -> Decimal:
    return to_cents(net * rate / HUNDRED)


def line_amounts(line: Line, fallback_rate: Decimal) -> LineAmounts:
    rate = line.vat_rate if line.vat_rate is not None else fallback_rate
    quantity, price = line.quantity, line.unit_price
    before_discount = None
    if quantity is not None and price is not None and line.discount_percent is not None:
        before_discount = to_cents(quantity * price)
    net = _line_net(line, rate)
    vat = line.vat_amount if line.vat_amount is not None else vat_of(net, rate)
    gross = line.gross_amount if line.gross_amount is not None else net + vat
    if price is None:
        price = (net / quantity).quantize(_UNIT_PRICE_PLACES) if quantity else net
    return LineAmounts(
        line=line,
        rate=rate,
        net=net,
        vat=vat,
        gross=gross,
        unit_price=price,
        before_discount=before_discount,
        category=line.vat_category,
    )


def _line_net(line: Line, rate: Decimal) -> Decimal:
    if line.net_amount is not None:
        return line.net_amount
    if line.quantity is not None and line.unit_price is not None:
        discount = line.discount_percent or ZERO
        return to_cents(line.quantity * line.unit_price * (HUNDRED - discount) / HUNDRED)
    if line.gross_amount is not None and line.vat_amount is not None:
        return line.gross_amount - line.vat_amount
    if line.gross_amount is not None:
        return to_cents(line.gross_amount * HUNDRED / (HUNDRED + rate))
    return ZERO


def allowance_amounts(
    allowance: AllowanceCharge, position: int, fallback_rate: Decimal
) -> LineAmounts:
    rate = allowance.vat_rate if allowance.vat_rate is not None else fallback_rate
    net = allowance.amount if allowance.is_charge else -allowance.amount
    vat = vat_of(net, rate)
    return LineAmounts(
        line=Line(position=position, description=allowance.reason),
        rate=rate,
        net=net,
        vat=vat,
        gross=net + vat,
        unit_price=net,
        before_discount=None,
        category=allowance.vat_category,
        allowance=allowance,
    )


def all_line_amounts(invoice: Invoice) -> list[LineAmounts]:
    fallback = default_rate(invoice)
    amounts = [line_amounts(line, fallback) for line in invoice.lines]
    last = max((line.position for line in invoice.lines), default=0)
    amounts.extend(
        allowance_amounts(allowance, last + offset, fallback)
        for offset, allowance in enumerate(invoice.allowances_charges, start=1)
    )
    return amounts


def recap_rows(invoice: Invoice, lines: list[LineAmounts]) -> list[RecapRow]:
    """One row per rate (ISDOC has one ``TaxSubTotal`` per rate): the invoice's own
    recap where it has one, rows of the same rate summed; otherwise from the lines."""
    rates = list(dict.fromkeys([row.rate for row in invoice.vat_breakdown]))
    if not rates:
        rates = list(dict.fromkeys(line.rate for line in lines))
        return [_row_from_lines(rate, lines) for rate in rates]
    return [_row_from_recap(rate, invoice.vat_breakdown, lines) for rate in rates]


def _lines_at(rate: Decimal, lines: list[LineAmounts]) -> list[LineAmounts]:
    return [line for line in lines if line.rate == rate]


def _row_from_lines(rate: Decimal, lines: list[LineAmounts]) -> RecapRow:
    at_rate = _lines_at(rate, lines)
    base = total(line.net for line in at_rate)
    category = next((line.category for line in at_rate if line.category), None)
    return RecapRow(rate, base, vat_of(base, rate), category, None)


def _row_from_recap(rate: Decimal, recap: list[VatRow], lines: list[LineAmounts]) -> RecapRow:
    rows = [row for row in recap if row.rate == rate]
    if all(row.base is not None for row in rows):
        base = total(row.base for row in rows if row.base is not None)
    else:
        base = total(line.net for line in _lines_at(rate, lines))
    if all(row.vat is not None for row in rows):
        vat = total(row.vat for row in rows if row.vat is not None)
    else:
        vat = vat_of(base, rate)
    category = next((row.category for row in rows if row.category), None)
    reason = next((row.exemption_reason for row in rows if row.exemption_reason), None)
    return RecapRow(rate, base, vat, category, reason)


def summary_lines(
    invoice: Invoice, rows: list[RecapRow]
) -> tuple[list[LineAmounts], list[RecapRow]]:
    """Lines standing for the recap of an invoice whose items were not read.

    ISDOC requires at least one line and one recap row; an invoice known only by its
    totals is written as one line per recap row (one zero-rate row from the totals when
    there is no recap), marked so our reader gives back an invoice without lines.
    """
    if not rows:
        net = invoice.total_net if invoice.total_net is not None else ZERO
        vat = invoice.total_vat if invoice.total_vat is not None else ZERO
        rows = [RecapRow(default_rate(invoice), net, vat, None, None)]
    lines = [
        LineAmounts(
            line=Line(position=position),
            rate=row.rate,
            net=row.base,
            vat=row.vat,
            gross=row.base + row.vat,
            unit_price=row.base,
            before_discount=None,
            category=row.category,
            summary=True,
        )
        for position, row in enumerate(rows, start=1)
    ]
    return lines, rows


def totals(invoice: Invoice, rows: list[RecapRow]) -> Totals:
    net = invoice.total_net if invoice.total_net is not None else total(r.base for r in rows)
    vat = invoice.total_vat if invoice.total_vat is not None else total(r.vat for r in rows)
    gross = invoice.total_gross if invoice.total_gross is not None else net + vat
    prepaid = invoice.prepaid_amount if invoice.prepaid_amount is not None else ZERO
    due = invoice.amount_due
    if due is None:
        due = gross + (invoice.rounding or ZERO) - prepaid
    return Totals(net, vat, gross, invoice.rounding, prepaid, due)
